/**
 * The Vector backend's choices: source per stream with its diagnostics, sink, environment
 * references and escaping, refusals, and the operator files.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { deploymentEnv, loadVectorConfig, runRemapBatch } from '../../engines/vrl/harness.ts';
import { interpolate } from '../../engines/vrl/interpolate.ts';
import {
  COLLECT_SOURCE,
  LOC,
  NO_PAGING_SOURCE,
  constRule,
  fieldRule,
  testIntegration,
} from '../../engines/vrl/synthetic.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';

function emit(ir: IntegrationIR, options = {}) {
  const result = vectorBackend.emit(ir, options);
  const file = (path: string): string => result.files.find((f) => f.path === path)?.content ?? '';
  return {
    ...result,
    file,
    raw: yaml.load(file('vector.yaml')) as Record<string, Record<string, Record<string, unknown>>>,
  };
}

describe('source choice', () => {
  it('Endor Labs: exec source running mapc collect, with W0501 naming every missing feature', () => {
    const ir = loadFixtureIR('endor_labs');
    const { raw, diagnostics } = emit(ir, {
      collectCommand: 'npx --prefix /opt/mapc mapc collect',
      deployedMapPath: '/srv/maps/endor_labs.map',
    });
    expect(raw.sources?.endor_labs_audit_source).toEqual({
      type: 'exec',
      mode: 'scheduled',
      scheduled: { exec_interval_secs: 300 },
      command: [
        'npx',
        '--prefix',
        '/opt/mapc',
        'mapc',
        'collect',
        '/srv/maps/endor_labs.map',
        '--stream',
        'audit',
        '--state',
        '/var/lib/vector/mapc-endor_labs-audit.json',
      ],
      include_stderr: true,
      decoding: { codec: 'bytes' },
      framing: { method: 'newline_delimited' },
    });
    expect(raw.transforms?.endor_labs_audit_route).toEqual({
      type: 'route',
      inputs: ['endor_labs_audit_source'],
      route: { records: '.stream == "stdout"', collector_log: '.stream == "stderr"' },
    });
    expect(raw.transforms?.endor_labs_audit_remap?.inputs).toEqual(['endor_labs_audit_route.records']);
    expect(raw.sinks?.endor_labs_audit_collector_log).toEqual({
      type: 'console',
      inputs: ['endor_labs_audit_route.collector_log'],
      target: 'stderr',
      encoding: { codec: 'text' },
    });
    const w0501 = diagnostics.find((d) => d.code === 'W0501');
    expect(w0501?.severity).toBe('warning');
    expect(w0501?.message).toBe('Vector collects endor_labs.audit through mapc collect');
    expect(w0501?.primary.span).toEqual(ir.streams[0]?.source.loc);
    expect(w0501?.notes[0]).toBe(
      'note: the Vector http_client source cannot follow next-page tokens, keep a cursor between runs, exchange an API key for a token (vectordotdev/vector#22967)',
    );
    expect(w0501?.notes[1]).toMatch(
      /^help: the generated exec source runs `npx --prefix \/opt\/mapc mapc collect \/srv\/maps\/endor_labs.map --stream audit` every 300s/,
    );
  });

  it('Entro: time windows and the window cursor need mapc collect; defaults for command and map path', () => {
    const { raw, diagnostics } = emit(loadFixtureIR('entro'));
    expect(raw.sources?.entro_audit_source?.command).toEqual([
      'mapc',
      'collect',
      '/etc/mapc/entro.map',
      '--stream',
      'audit',
      '--state',
      '/var/lib/vector/mapc-entro-audit.json',
    ]);
    expect(diagnostics.find((d) => d.code === 'W0501')?.notes[0]).toBe(
      'note: the Vector http_client source cannot compute time windows, keep a cursor between runs (vectordotdev/vector#22967)',
    );
  });

  it('an interval from a setting is fixed at its default, with W0502', () => {
    const { raw, diagnostics } = emit(loadFixtureIR('entro'));
    expect((raw.sources?.entro_audit_source?.scheduled as Record<string, unknown>).exec_interval_secs).toBe(3600);
    const w = diagnostics.find((d) => d.code === 'W0502');
    expect(w?.message).toBe('Vector polls entro.audit at a fixed interval');
    expect(w?.notes[0]).toContain('ENTRO_INTERVAL is not read: 3600s (the default 1h)');
  });

  it('a single fixed request uses http_client natively, secrets as ${VAR}', () => {
    const ir = testIntegration({ rules: [] }, NO_PAGING_SOURCE);
    const { raw, diagnostics } = emit(ir);
    expect(diagnostics.map((d) => [d.code, d.message, d.notes[0]])).toEqual([
      [
        'W0503',
        "Vector's http_client source fetches test.events without the map's retries and rate limits",
        'note: http_client sends one request per interval and cannot retry 3 times with backoff, wait for Retry-After on HTTP 429',
      ],
    ]);
    const quiet = emit(
      testIntegration(
        { rules: [] },
        {
          ...NO_PAGING_SOURCE,
          retry: { maxAttempts: 0, backoffBaseSeconds: 1, backoffMaxSeconds: 1 },
          rateLimit: { retryAfter: false },
        },
      ),
    );
    expect(quiet.diagnostics).toEqual([]);
    expect(Object.keys(raw.transforms ?? {})).toEqual(['test_events_remap']);
    expect(raw.transforms?.test_events_remap?.inputs).toEqual(['test_events_source']);
    expect(raw.sources?.test_events_source).toEqual({
      type: 'http_client',
      endpoint: '${TEST_BASE_URL:?set TEST_BASE_URL (Base URL)}/v1/events',
      method: 'GET',
      scrape_interval_secs: 60,
      decoding: { codec: 'bytes' },
      framing: { method: 'bytes' },
      headers: { Accept: ['application/json'] },
      query: { limit: ['100'] },
      auth: { strategy: 'bearer', token: '${TEST_API_TOKEN}' },
    });
  });

  it.each([
    [
      { kind: 'header', header: 'X-Api-Key', secret: 'api_token', loc: LOC },
      { headers: { Accept: ['application/json'], 'X-Api-Key': ['${TEST_API_TOKEN}'] } },
    ],
    [
      { kind: 'basic', username: { kind: 'setting', name: 'base_url' }, password: 'api_token', loc: LOC },
      {
        auth: {
          strategy: 'basic',
          user: '${TEST_BASE_URL:?set TEST_BASE_URL (Base URL)}',
          password: '${TEST_API_TOKEN}',
        },
      },
    ],
  ] as const)('http_client auth %#', (auth, expected) => {
    const { raw } = emit(testIntegration({ rules: [] }, { ...NO_PAGING_SOURCE, auth }));
    expect(raw.sources?.test_events_source).toMatchObject(expected);
  });

  it.each([
    [
      'oauth2',
      {
        ...NO_PAGING_SOURCE,
        auth: {
          kind: 'oauth2_client_credentials',
          tokenUrl: { parts: [] },
          clientId: { kind: 'secret', name: 'api_token' },
          clientSecret: 'api_token',
          scopes: [],
          loc: LOC,
        },
      },
      'obtain an OAuth2 client-credentials token',
    ],
    [
      'POST body',
      {
        ...NO_PAGING_SOURCE,
        request: { ...NO_PAGING_SOURCE.request, method: 'POST', body: { kind: 'object', entries: [] } },
      },
      'send a request body',
    ],
    [
      'optional parameter',
      {
        ...NO_PAGING_SOURCE,
        request: {
          ...NO_PAGING_SOURCE.request,
          query: [{ name: 'q', value: { parts: [{ kind: 'setting', name: 'base_url' }] }, omitIfEmpty: true }],
        },
      },
      'omit an empty optional parameter',
    ],
    ['link header', COLLECT_SOURCE, 'follow RFC 8288 Link headers'],
  ] as const)('%s needs mapc collect', (_label, source, reason) => {
    const { raw, diagnostics } = emit(
      testIntegration({ rules: [] }, source as IntegrationIR['streams'][number]['source']),
    );
    expect(raw.sources?.test_events_source?.type).toBe('exec');
    expect(diagnostics.find((d) => d.code === 'W0501')?.notes[0]).toContain(reason);
  });
});

describe('sink, remap transform and unit tests', () => {
  it('elasticsearch sink in data-stream mode with the id key only when the map has an id', () => {
    const { raw } = emit(loadFixtureIR('endor_labs'));
    expect(raw.sinks?.endor_labs_audit_elasticsearch).toEqual({
      type: 'elasticsearch',
      inputs: ['endor_labs_audit_remap'],
      endpoints: ['${ELASTICSEARCH_ENDPOINT}'],
      mode: 'data_stream',
      data_stream: {
        type: 'logs',
        dataset: 'endor_labs.audit',
        namespace: '${ELASTICSEARCH_DATA_STREAM_NAMESPACE:-default}',
      },
      auth: { strategy: 'basic', user: '${ELASTICSEARCH_USERNAME}', password: '${ELASTICSEARCH_PASSWORD}' },
      id_key: '_id',
    });
    const noId = emit(testIntegration({ rules: [] }));
    expect(noId.raw.sinks?.test_events_elasticsearch?.id_key).toBeUndefined();
  });

  it('remap drops rather than forwards an event on a runtime error', () => {
    const { raw } = emit(loadFixtureIR('entro'));
    expect(raw.transforms?.entro_audit_remap).toMatchObject({
      type: 'remap',
      inputs: ['entro_audit_route.records'],
      drop_on_error: true,
      drop_on_abort: true,
    });
  });

  it('no fixtures, no tests section', () => {
    expect(emit(loadFixtureIR('entro')).raw.tests).toBeUndefined();
  });
});

describe('environment references and escaping', () => {
  it('every literal $ is written $$ so that Vector interpolation gives it back', () => {
    const ir = testIntegration({
      rules: [constRule('labels.price', 'costs $5 or ${HOME} or $$'), constRule('labels.tpl', '{{ x }} "q" \\ \n')],
    });
    const { file } = emit(ir);
    expect(file('vector.yaml')).toContain('.labels.price = "costs $$5 or $$\\{HOME} or $$$$"');
    const config = loadVectorConfig(file('vector.yaml'), deploymentEnv(ir));
    const [[event]] = runRemapBatch(config.transforms.test_events_remap?.source ?? '', [{ message: '{}' }]) as [
      [Record<string, unknown>],
    ];
    expect(event.labels).toEqual({ price: 'costs $5 or ${HOME} or $$', tpl: '{{ x }} "q" \\ \n' });
  });

  it('regex anchors are escaped, and the only other $ are environment references', () => {
    const text = emit(loadFixtureIR('entro')).file('vector.yaml');
    expect(text).toContain("[0-9]+$$')");
    expect(text.replaceAll('$$', '').match(/\$[^{]/g)).toBeNull();
    expect([...new Set(text.replaceAll('$$', '').match(/\$\{[A-Z_]+/g))].sort()).toEqual([
      '${ELASTICSEARCH_DATA_STREAM_NAMESPACE',
      '${ELASTICSEARCH_ENDPOINT',
      '${ELASTICSEARCH_PASSWORD',
      '${ELASTICSEARCH_USERNAME',
    ]);
  });

  it('every ${VAR} of vector.yaml is listed in .env.example, secrets without a value', () => {
    for (const vendor of ['endor_labs', 'entro']) {
      const ir = loadFixtureIR(vendor);
      const { file } = emit(ir);
      const unescaped = file('vector.yaml').replaceAll('$$', '');
      const referenced = [...unescaped.matchAll(/\$\{([A-Za-z0-9_.]+)/g)].map((m) => m[1]);
      const listed = new Map([...file('.env.example').matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      for (const name of referenced) expect(listed.has(name), `${vendor}: ${name}`).toBe(true);
      for (const secret of ir.secrets) expect(listed.get(secret.envVar), secret.envVar).toBe('');
      for (const setting of ir.settings) expect(listed.has(setting.envVar)).toBe(true);
      expect(listed.get('ELASTICSEARCH_PASSWORD')).toBe('');
    }
  });

  it('Vector refuses to start without a secret, as the config requires it', () => {
    const ir = loadFixtureIR('endor_labs');
    const text = emit(ir).file('vector.yaml');
    const env = deploymentEnv(ir);
    delete env.ELASTICSEARCH_PASSWORD;
    expect(() => interpolate(text, env)).toThrow('environment variable ELASTICSEARCH_PASSWORD is not set');
  });
});

describe('refusals (E0500)', () => {
  it('a rule writing error.message is refused and its stream left out', () => {
    const ir = testIntegration({
      rules: [{ ...constRule('error.message', 'x'), loc: { ...LOC, line: 7, column: 5 } }],
    });
    const { raw, diagnostics } = emit(ir);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message, d.primary.span.line, d.primary.span.column])).toEqual(
      [['E0500', 'error', 'Vector target cannot write error.message: the remap owns it for conversion errors', 7, 5]],
    );
    expect(raw.sources).toEqual({});
  });

  it('an unsupported date pattern letter is refused', () => {
    const ir = testIntegration({
      rules: [fieldRule('@timestamp', 'd', [{ kind: 'date', formats: [{ kind: 'pattern', pattern: 'dd MMM yyyy' }] }])],
    });
    const { diagnostics } = emit(ir);
    expect(diagnostics.map((d) => [d.code, d.message, d.primary.message])).toEqual([
      [
        'E0500',
        'Vector target cannot parse the date pattern "dd MMM yyyy"',
        'unsupported or repeated date pattern field MMM in "dd MMM yyyy"',
      ],
    ]);
  });

  it('a setting default Vector cannot interpolate (a closing brace) is an E0500, not a crash, and leaves no half stream', () => {
    const base = testIntegration({ rules: [] }, NO_PAGING_SOURCE);
    const ir = {
      ...base,
      settings: base.settings.map((st) =>
        st.name === 'base_url' ? { ...st, required: false, default: 'https://a.example/}' } : st,
      ),
    };
    const { raw, diagnostics } = emit(ir);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'E0500',
        'Vector target cannot express test.events: cannot interpolate ":-https://a.example/}" in a Vector config',
      ],
    ]);
    expect([raw.sources, raw.transforms, raw.sinks]).toEqual([{}, {}, {}]);
  });

  it('an environment variable name Vector cannot reference is refused before anything is generated', () => {
    const base = testIntegration({ rules: [] });
    const ir = { ...base, secrets: [{ ...base.secrets[0]!, envVar: 'BAD-NAME' }] };
    const { files, diagnostics } = vectorBackend.emit(ir, {});
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'Vector target cannot reference the environment variable "BAD-NAME"',
    ]);
  });
});

describe('README', () => {
  it('explains the interpolation flag and why mapc collect is used', () => {
    const readme = emit(loadFixtureIR('endor_labs')).file('README.md');
    expect(readme).toContain('--dangerously-allow-env-var-interpolation');
    expect(readme).toContain('| audit | endor_labs.audit | exec | 300s | 0 |');
    expect(readme).toContain(
      "Vector's `http_client` source cannot follow next-page tokens, keep a cursor between runs, exchange an API key for a token",
    );
  });
});
