/**
 * The Logstash backend's contract: files, options, diagnostics (W0601, E0600, E0602, E0603). The
 * quoting table itself is tested in ./quote.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { IntegrationIR, RuleIR, StreamIR } from '../../../compiler/ir.ts';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { runPipeline } from '../../emulated/logstash/support.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';
import { compileSource } from '../../../compiler/compile.ts';
import { placeAt } from '../../security/positions.ts';

const entro = loadFixtureIR('entro');
const endor = loadFixtureIR('endor_labs');

function withStream(ir: IntegrationIR, edit: (s: StreamIR) => StreamIR): IntegrationIR {
  return { ...ir, streams: ir.streams.map(edit) };
}
function withRule(ir: IntegrationIR, rule: Partial<RuleIR>, index = -1): IntegrationIR {
  return withStream(ir, (s) => {
    const rules = [...s.mapping.rules];
    const base = rules[rules.length - 1] as RuleIR;
    const next = { ...base, ...rule } as RuleIR;
    if (index < 0) rules.push(next);
    else rules[index] = next;
    return { ...s, mapping: { ...s.mapping, rules } };
  });
}
const toExpected = (m: { id?: string; doc: Record<string, unknown> }) =>
  m.id === undefined ? { doc: m.doc } : { _id: m.id, doc: m.doc };
const conf = (ir: IntegrationIR, options = {}) =>
  logstashBackend.emit(ir, options).files.find((f) => f.path.endsWith('.conf'))?.content;

describe('files and options', () => {
  it('writes one pipeline per stream, pipelines.yml and a README; no LFV files without fixtures', () => {
    const { files } = logstashBackend.emit(entro, {});
    expect(files.map((f) => f.path)).toEqual(['entro-audit.conf', 'pipelines.yml', 'README.md']);
    expect(files.find((f) => f.path === 'pipelines.yml')!.content).toBe(
      '- pipeline.id: entro-audit\n  path.config: /etc/logstash/conf.d/mapc/entro-audit.conf\n',
    );
  });

  it('runs the given collect command on the deployed map, shell-quoted', () => {
    const text = conf(entro, {
      collectCommand: 'npx --prefix /opt/mapc mapc collect',
      deployedMapPath: '/etc/my maps/entro.map',
    })!;
    expect(text).toContain(
      `command => "npx --prefix /opt/mapc mapc collect '/etc/my maps/entro.map' --stream audit --state /var/lib/mapc/entro-audit.state.json"`,
    );
    // A quote in the path needs both quote kinds once shell-quoted: refused, not mangled.
    expect(
      logstashBackend.emit(entro, { deployedMapPath: "/etc/entro's.map" }).diagnostics.map((d) => d.code),
    ).toContain('E0602');
  });

  it('uses a fixed interval as a number, a duration setting as ${VAR_SECONDS:default}', () => {
    expect(conf(entro)).toContain('interval => "${ENTRO_INTERVAL_SECONDS:3600}"');
    expect(conf(withStream(entro, (s) => ({ ...s, interval: { kind: 'seconds', seconds: 90 } })))).toContain(
      'interval => 90\n',
    );
  });

  it('sends to a data stream with the document id, credentials as ${VAR} only', () => {
    const text = conf(endor)!;
    expect(text).toContain('index => "logs-endor_labs.audit-${ELASTICSEARCH_DATA_STREAM_NAMESPACE:default}"');
    expect(text).toContain('action => "create"');
    // data_stream => true would refuse document_id (DataStreamSupport#invalid_data_stream_params).
    expect(text).toContain('data_stream => "false"');
    expect(text).toContain('document_id => "%{[@metadata][_id]}"');
    // A re-polled record's create answers 409, which the output logs and drops: expected, not an error.
    expect(text).toMatch(/silence_errors_in_log => \[\s*"version_conflict_engine_exception"\s*\]/);
    expect(text).toMatch(/api_key => "\$\{ELASTICSEARCH_API_KEY\}"/);
    const noId = conf(
      withStream(endor, (s) => ({ ...s, mapping: { ...s.mapping, documentId: undefined } as StreamIR['mapping'] })),
    )!;
    expect(noId).not.toContain('document_id');
    expect(noId).not.toContain('fingerprint');
  });

  it('without keepUnmapped the record is held in @metadata and never output', () => {
    const ir = withStream(endor, (s) => ({ ...s, mapping: { ...s.mapping, keepUnmapped: false } }));
    const record = {
      uuid: 'u',
      spec: { operation: 'USER_LOGIN', remote_address: 'bad' },
      meta: { create_time: '2024-01-02T03:04:05Z' },
    };
    const out = runPipeline(conf(ir)!, JSON.stringify(record));
    expect(out.doc).not.toHaveProperty('endor_labs');
    expect(out.doc['event']).toMatchObject({
      action: 'user_login',
      category: ['authentication'],
      type: ['start'],
      id: 'u',
    });
    expect(out.doc['error']).toEqual({
      message: [
        'mapc: cannot map spec.remote_address to source.ip',
        'mapc: cannot map spec.remote_address to related.ip',
      ],
    });
  });
});

describe('diagnostics', () => {
  it('W0601 names the target, the features and the fallback, at the source block', () => {
    const [d] = logstashBackend.emit(endor, {}).diagnostics;
    expect(d).toMatchObject({ code: 'W0601', severity: 'warning' });
    expect(d!.message).toBe(
      'Logstash http_poller cannot collect stream audit: it needs page_token pagination, an incremental cursor, token_exchange auth, ' +
        'records below the response root, retries with backoff on 5xx, 429 Retry-After, event.original (the poller has no record text)',
    );
    expect(d!.primary.span.line).toBe(endor.streams[0]!.source.loc.line);
    expect(d!.primary.message).toBe('collected through mapc collect (exec input) instead');
    expect(d!.notes.join('\n')).toMatch(/target logstash.*http_poller#51/);
  });

  it('E0600 at the rule when @timestamp does not come from a date transform', () => {
    const ir = withRule(entro, {
      destination: ['@timestamp'],
      value: { kind: 'field', path: ['date'], transforms: [] },
      loc: { file: 'maps/entro.map', offset: 1, length: 2, line: 77, column: 9 },
    });
    const { files, diagnostics } = logstashBackend.emit(ir, {});
    const e = diagnostics.find((d) => d.severity === 'error');
    expect(e).toMatchObject({ code: 'E0600', primary: { span: { line: 77, column: 9 } } });
    expect(e!.message).toContain('@timestamp must be written from a date transform');
    expect(files.some((f) => f.path.endsWith('.conf'))).toBe(false);
  });

  it('E0600 at the separator for split(" "): mutate split on one space splits on runs of whitespace', () => {
    const sep = { file: 'maps/entro.map', offset: 1, length: 3, line: 78, column: 30 };
    const ir = withRule(entro, {
      destination: ['entro', 'audit', 'words'],
      value: { kind: 'field', path: ['date'], transforms: [{ kind: 'split', separator: ' ', loc: sep }] },
      loc: { file: 'maps/entro.map', offset: 1, length: 2, line: 78, column: 3 },
    });
    const e = logstashBackend.emit(ir, {}).diagnostics.find((d) => d.severity === 'error');
    expect(e).toMatchObject({ code: 'E0600', primary: { span: { line: 78, column: 30 } } });
    expect(e!.message).toContain('split(" ")');
    const comma = withRule(entro, {
      destination: ['entro', 'audit', 'words'],
      value: { kind: 'field', path: ['date'], transforms: [{ kind: 'split', separator: ',', loc: sep }] },
      loc: { file: 'maps/entro.map', offset: 1, length: 2, line: 78, column: 3 },
    });
    expect(logstashBackend.emit(comma, {}).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('E0603 at the rule for a constant that sprintf would expand; a lone %{ is kept', () => {
    const loc = { file: 'maps/entro.map', offset: 1, length: 2, line: 70, column: 3 };
    const ir = withRule(entro, {
      destination: ['event', 'action'],
      op: 'set',
      value: { kind: 'const', value: 'a %{b}' },
      loc,
    });
    const d = logstashBackend.emit(ir, {}).diagnostics.find((x) => x.severity === 'error');
    expect(d).toMatchObject({ code: 'E0603', primary: { span: { line: 70, column: 3 } } });
    expect(d!.message).toBe('Logstash would replace "%{b}" in this constant with event data');
    expect(d!.notes.join('\n')).toMatch(/StringInterpolation[^]*no fallback/);
    const lone = withRule(entro, {
      destination: ['event', 'action'],
      op: 'set',
      value: { kind: 'const', value: '100%{ x' },
    });
    const out = logstashBackend.emit(lone, {});
    expect(out.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(runPipeline(conf(lone)!, JSON.stringify({ request_id: 'r' })).doc['event']).toMatchObject({
      action: '100%{ x',
    });
  });

  it('E0603 at the rule for a constant Logstash would substitute (the issue\'s labels.copy = "${INJ_API_KEY}")', () => {
    const loc = { file: 'maps/entro.map', offset: 1, length: 2, line: 71, column: 3 };
    const ir = withRule(entro, {
      destination: ['labels', 'copy'],
      op: 'set',
      value: { kind: 'const', value: '${INJ_API_KEY}' },
      loc,
    });
    const { files, diagnostics } = logstashBackend.emit(ir, {});
    const d = diagnostics.find((x) => x.severity === 'error');
    expect(d).toMatchObject({ code: 'E0603', primary: { span: { line: 71, column: 3 } } });
    expect(d!.message).toBe(
      'Logstash would replace "${INJ_API_KEY}" in this constant with a keystore or environment value',
    );
    expect(files.some((f) => f.path.endsWith('.conf'))).toBe(false);
  });

  it('E0602 for text that needs an escape', () => {
    const ir = withRule(entro, {
      destination: ['event', 'action'],
      op: 'set',
      value: { kind: 'const', value: `it's "x"` },
    });
    const d = logstashBackend.emit(ir, {}).diagnostics.find((x) => x.code === 'E0602');
    expect(d?.message).toBe('this constant cannot be written portably in a Logstash config: both quote kinds');
  });
});

describe('transform chains', () => {
  it('two lookups in a row: the second one misses cleanly after the first hit', () => {
    const ir = withRule(endor, {
      destination: ['event', 'reason'],
      op: 'set',
      destinationType: { ecsType: 'keyword', array: false, vendor: false },
      value: {
        kind: 'field',
        path: ['spec', 'operation'],
        transforms: [
          { kind: 'lookup', table: 'a', entries: [{ from: 'USER_LOGIN', to: 'login' }] },
          { kind: 'lookup', table: 'b', entries: [{ from: 'other', to: 'x' }] },
        ],
      },
      when: undefined,
    });
    const out = runPipeline(conf(ir)!, JSON.stringify({ uuid: 'u', spec: { operation: 'USER_LOGIN' } }));
    expect(out.doc['event']).not.toHaveProperty('reason');
  });

  it('date then lowercase works on the date string, as in the reference interpreter', () => {
    const ir = withRule(endor, {
      destination: ['event', 'reason'],
      op: 'set',
      destinationType: { ecsType: 'keyword', array: false, vendor: false },
      value: {
        kind: 'field',
        path: ['meta', 'create_time'],
        transforms: [{ kind: 'date', formats: [{ kind: 'unix' }] }, { kind: 'lowercase' }],
      },
      when: undefined,
    });
    const out = runPipeline(conf(ir)!, JSON.stringify({ uuid: 'u', meta: { create_time: 1700000000.5 } }));
    expect((out.doc['event'] as Record<string, unknown>)['reason']).toBe('2023-11-14t22:13:20.500z');
    const message = JSON.stringify({ uuid: 'u', meta: { create_time: 1700000000.5 } });
    expect(out).toEqual(toExpected(mapRecord(ir.streams[0]!, message, defaultSettings(ir))));
  });
});

describe("the issue's reproductions, compiled from a map", () => {
  const refused = (position: string, text: string) => {
    const placed = placeAt(position, text);
    const { ir } = compileSource(placed.map, 'hostile.map');
    const { files, diagnostics } = logstashBackend.emit(ir!, {});
    const d = diagnostics.find((x) => x.severity === 'error');
    // That stream's pipeline is not written (the other streams' are).
    expect(files.map((f) => f.path)).not.toContain('hostile-audit.conf');
    expect(d?.primary.span.line).toBe(placed.line);
    return d!;
  };
  it('a constant "${INJ_API_KEY}" (labels.copy in the issue) is refused at its line, not put in every document', () => {
    expect(refused('rule.constant', '${INJ_API_KEY}')).toMatchObject({ code: 'E0603' });
  });
  it('a quoted field-name segment "${INJ_API_KEY}" is refused at its line, not made a field name', () => {
    expect(refused('rule.destination.segment', '${INJ_API_KEY}')).toMatchObject({ code: 'E0603' });
  });
  it('a lookup-table default "%{[@metadata][_id]}" is refused at its line, not made the document id', () => {
    const d = refused('table.default', '%{[@metadata][_id]}');
    expect(d).toMatchObject({ code: 'E0603' });
    expect(d.message).toBe('Logstash would replace "%{[@metadata][_id]}" in this lookup table default with event data');
  });
  it('a date pattern Logstash cannot express is reported at its rule (found by the full corpus run)', () => {
    for (const text of ['%{+yyyy.MM.dd}\n', 'dd·MM·yyyy']) {
      const placed = placeAt('rule.date.pattern', text);
      const compiled = compileSource(placed.map, 'hostile.map');
      const diagnostics = compiled.ir ? logstashBackend.emit(compiled.ir, {}).diagnostics : compiled.diagnostics;
      const errors = diagnostics.filter((d) => d.severity === 'error');
      expect(errors.length, JSON.stringify(text)).toBeGreaterThan(0);
      for (const e of errors) expect(e.primary.span.line, JSON.stringify(text)).toBe(placed.line);
    }
  });

  it('the same texts as lookup-table values are not formatted: written as they are', () => {
    const placed = placeAt('table.value', '%{[@metadata][_id]}');
    const out = logstashBackend.emit(compileSource(placed.map, 'hostile.map').ir!, {});
    expect(out.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(out.files.find((f) => f.path === 'hostile-audit.conf')!.content).toContain(
      '"LOGIN" => "%{[@metadata][_id]}"',
    );
  });
});
