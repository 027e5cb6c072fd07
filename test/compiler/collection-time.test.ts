/**
 * `collected_at` (compiler/ir.ts ValueIR `collection_time`): the syntax (a lone unquoted word; a
 * path with `.` or `|`), the checks (a date: E0101 into a text field), the IR, the interpreter and
 * `mapc preview --now`. The engines are proven in test/agreement/collection-time.suite.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledMapWith } from '../support/bundled-map.ts';
import { compileSource } from '../../compiler/compile.ts';
import { mapRecord } from '../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { logstashBackend } from '../../targets/logstash/index.ts';
import { loadFixtureCases } from '../support/fixtures.ts';
import { mapcInProcess } from '../support/mapc.ts';
import { baseMap, brief, check } from './helpers.ts';

function ir(rules: string): IntegrationIR {
  const result = compileSource(baseMap({ rules }), 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  return result.ir;
}

describe('collected_at', () => {
  it('lowers the lone word to the collection time and keeps a field of that name reachable', () => {
    const rules = ir(
      [
        '    event.created = collected_at',
        '    event.start = collected_at when exists x',
        '    labels.seen = collected_at | keyword',
        '    labels.nested = meta.collected_at',
      ].join('\n'),
    ).streams[0]!.mapping.rules;
    expect(rules.slice(-4).map((r) => r.value)).toEqual([
      { kind: 'collection_time' },
      { kind: 'collection_time' },
      { kind: 'field', path: ['collected_at'], transforms: [{ kind: 'convert', to: 'keyword' }] },
      { kind: 'field', path: ['meta', 'collected_at'], transforms: [] },
    ]);
  });

  it('is a date: refused into a text field (E0101), accepted into a date field', () => {
    expect(brief(check(baseMap({ rules: '    event.created = collected_at' })))).toEqual([]);
    const d = check(baseMap({ rules: '    event.action = collected_at' })).filter((x) => x.code === 'E0101');
    expect(d).toHaveLength(1);
    expect(d[0]!.primary.message).toBe('the collection time, a date');
    expect(d[0]!.primary.span).toMatchObject({ line: 24, column: 20, length: 'collected_at'.length });
  });

  it('the interpreter writes the collection time it is given, and nothing without one', () => {
    const stream = ir('    event.created = collected_at\n    event.start = collected_at when exists go').streams[0]!;
    const record = JSON.stringify({ created: '2024-01-01T00:00:00Z', go: 1 });
    expect(mapRecord(stream, record, {}).doc).not.toHaveProperty('event.created');
    const doc = mapRecord(stream, record, {}, { collectedAt: '2025-02-03T04:05:06.789Z' }).doc as {
      event: Record<string, unknown>;
    };
    expect(doc.event['created']).toBe('2025-02-03T04:05:06.789Z');
    expect(doc.event['start']).toBe('2025-02-03T04:05:06.789Z');
    const without = mapRecord(stream, JSON.stringify({ go: null }), {}, { collectedAt: 'x' }).doc as {
      event: Record<string, unknown>;
    };
    expect(without.event['start']).toBeUndefined();
  });
});

describe('mapc preview --now', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mapc-now-'));
  const map = join(dir, 'acme.map');
  writeFileSync(map, baseMap({ rules: '    event.created = collected_at' }));
  const input = join(dir, 'records.json');
  writeFileSync(input, JSON.stringify([{ created: '2024-01-01T00:00:00Z' }]));

  it('writes the given time in the IR date form, and nothing without --now', async () => {
    const given = await mapcInProcess(['preview', map, '--input', input, '--now', '2025-02-03T05:05:06.7891+01:00']);
    expect(given.status).toBe(0);
    expect(JSON.parse(given.stdout)[0].doc.event.created).toBe('2025-02-03T04:05:06.789Z');
    const none = await mapcInProcess(['preview', map, '--input', input]);
    expect(JSON.parse(none.stdout)[0].doc.event.created).toBeUndefined();
    const now = await mapcInProcess(['preview', map, '--input', input, '--now', 'now']);
    expect(JSON.parse(now.stdout)[0].doc.event.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('refuses a --now that is not an RFC 3339 time', async () => {
    const bad = await mapcInProcess(['preview', map, '--input', input, '--now', 'yesterday']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--now "yesterday" is not an RFC 3339 time');
  });
});

describe('generated engine tests of a collected_at map', () => {
  it('LFV test case files ignore the collection-time fields, with and without @timestamp', () => {
    const ir = bundledMapWith('entro', '    event.id              = results.request_id', [
      '    event.created = collected_at',
    ]);
    const fixtures = new Map([['audit', loadFixtureCases('entro', 'audit')]]);
    const files = logstashBackend.emit(ir, { fixtures }).files.filter((f) => f.path.startsWith('test/lfv/testcases/'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect((JSON.parse(f.content) as { ignore: string[] }).ignore).toContain('[event][created]');
  });
});
