/**
 * The Vector backend's choices: source per stream with its diagnostics, sink, secrets and
 * settings without interpolation, quoting, refusals, and the operator files.
 */
import { enrichKinds, GEOIP_KEYS } from '../../../targets/vector/enrich.ts';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { deploymentEnv, loadVectorConfig, runRemapBatch } from '../../engines/vrl/harness.ts';
import { COLLECT_SOURCE, constant, field, LOC, NO_PAGING_SOURCE, rule, secret, t, vectorIR } from '../../support/ir.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';
import { datePatternFormat } from '../../../compiler/ir.ts';

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
      environment: {
        ENDOR_LABS_API_KEY: 'SECRET[mapc_endor_labs.ENDOR_LABS_API_KEY]',
        ENDOR_LABS_API_SECRET: 'SECRET[mapc_endor_labs.ENDOR_LABS_API_SECRET]',
      },
    });
    expect(raw.secret).toEqual({
      mapc_endor_labs: { type: 'file', path: '/etc/vector/mapc/endor_labs.secrets.json' },
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
      'note: the Vector http_client source cannot compute time windows, keep a cursor between runs, send a parameter or header only under a condition (vectordotdev/vector#22967)',
    );
  });

  it('an interval from a setting is fixed at its default, with W0502', () => {
    const { raw, diagnostics } = emit(loadFixtureIR('entro'));
    expect((raw.sources?.entro_audit_source?.scheduled as Record<string, unknown>).exec_interval_secs).toBe(3600);
    const w = diagnostics.find((d) => d.code === 'W0502');
    expect(w?.message).toBe('Vector polls entro.audit at a fixed interval');
    expect(w?.notes[0]).toContain('ENTRO_INTERVAL is not read: 3600s (the default 1h)');
  });

  it('a single fixed request uses http_client natively, secrets as SECRET[...] references', () => {
    const ir = vectorIR({ rules: [] }, NO_PAGING_SOURCE);
    const { raw, diagnostics } = emit(ir);
    expect(diagnostics.map((d) => [d.code, d.message, d.notes[0]])).toEqual([
      [
        'W0503',
        "Vector's http_client source fetches test.events without the map's retries and rate limits",
        'note: http_client sends one request per interval and cannot retry 3 times with backoff, wait for Retry-After on HTTP 429',
      ],
    ]);
    const quiet = emit(
      vectorIR(
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
      endpoint: 'https://api.vendor.example/v1/events',
      method: 'GET',
      scrape_interval_secs: 60,
      decoding: { codec: 'bytes' },
      framing: { method: 'bytes' },
      headers: { Accept: ['application/json'] },
      query: { limit: ['100'] },
      auth: { strategy: 'bearer', token: 'SECRET[mapc_test.TEST_API_TOKEN]' },
    });
  });

  it.each([
    [
      { kind: 'header', header: 'X-Api-Key', secret: 'api_token', loc: LOC },
      { headers: { Accept: ['application/json'], 'X-Api-Key': ['SECRET[mapc_test.TEST_API_TOKEN]'] } },
    ],
    [
      {
        kind: 'header',
        header: 'Authorization',
        secret: 'api_token',
        value: t('SSWS ', secret('api_token'), ' v1'),
        loc: LOC,
      },
      {
        headers: { Accept: ['application/json'], Authorization: ['SSWS SECRET[mapc_test.TEST_API_TOKEN] v1'] },
      },
    ],
    [
      { kind: 'basic', username: { kind: 'secret', name: 'api_token' }, password: 'api_token', loc: LOC },
      {
        auth: {
          strategy: 'basic',
          user: 'SECRET[mapc_test.TEST_API_TOKEN]',
          password: 'SECRET[mapc_test.TEST_API_TOKEN]',
        },
      },
    ],
  ] as const)('http_client auth %#', (auth, expected) => {
    const { raw } = emit(vectorIR({ rules: [] }, { ...NO_PAGING_SOURCE, auth }));
    expect(raw.sources?.test_events_source).toMatchObject(expected);
  });

  it.each(['$HOME ', 'SECRET[x.y] ', '${TOKEN} '])(
    'refuses an auth header scheme %j that Vector would interpolate, at the template (E0504)',
    (text) => {
      const at = { ...LOC, line: 7, column: 33 };
      const auth = {
        kind: 'header',
        header: 'Authorization',
        secret: 'api_token',
        value: { ...t(text, secret('api_token')), loc: at },
        loc: LOC,
      } as const;
      const { diagnostics } = vectorBackend.emit(vectorIR({ rules: [] }, { ...NO_PAGING_SOURCE, auth }), {});
      const error = diagnostics.find((d) => d.severity === 'error');
      expect(error?.code).toBe('E0504');
      expect(error?.primary.span).toEqual(at);
    },
  );

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
    [
      'a setting in the URL',
      {
        ...NO_PAGING_SOURCE,
        request: {
          ...NO_PAGING_SOURCE.request,
          url: {
            parts: [
              { kind: 'setting', name: 'base_url' },
              { kind: 'text', text: '/v1' },
            ],
          },
        },
      },
      'read settings at run time',
    ],
    [
      'a setting as the basic auth user',
      {
        ...NO_PAGING_SOURCE,
        auth: { kind: 'basic', username: { kind: 'setting', name: 'base_url' }, password: 'api_token', loc: LOC },
      },
      'read settings at run time',
    ],
    [
      'a $ in a header value',
      {
        ...NO_PAGING_SOURCE,
        request: {
          ...NO_PAGING_SOURCE.request,
          headers: [{ name: 'X-Price', value: { parts: [{ kind: 'text', text: 'in $USD' }] }, omitIfEmpty: false }],
        },
      },
      'send request text holding `$` or `SECRET[` unchanged',
    ],
    [
      'a secret reference in a query value',
      {
        ...NO_PAGING_SOURCE,
        request: {
          ...NO_PAGING_SOURCE.request,
          query: [{ name: 'q', value: { parts: [{ kind: 'text', text: 'SECRET[x.y]' }] }, omitIfEmpty: false }],
        },
      },
      'send request text holding `$` or `SECRET[` unchanged',
    ],
  ] as const)('%s needs mapc collect', (_label, source, reason) => {
    const { raw, diagnostics } = emit(vectorIR({ rules: [] }, source as IntegrationIR['streams'][number]['source']));
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
      endpoints: ['SECRET[mapc_endor_labs.ELASTICSEARCH_ENDPOINT]'],
      mode: 'data_stream',
      data_stream: {
        type: 'logs',
        dataset: 'endor_labs.audit',
        namespace: 'SECRET[mapc_endor_labs.ELASTICSEARCH_DATA_STREAM_NAMESPACE]',
      },
      auth: {
        strategy: 'basic',
        user: 'SECRET[mapc_endor_labs.ELASTICSEARCH_USERNAME]',
        password: 'SECRET[mapc_endor_labs.ELASTICSEARCH_PASSWORD]',
      },
      id_key: '_id',
    });
    const noId = emit(vectorIR({ rules: [] }));
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

describe('no interpolation needed, and map text carried exactly', () => {
  const hostile = [
    'costs $5 or ${HOME} or $$',
    'SECRET[mapc_test.TEST_API_TOKEN]',
    '{{ x }} "q" \\ \n \u0000 \u0085 \u2028 \u202e',
  ];

  it('a $, ${VAR} or SECRET[...] in a constant reaches the document byte-exact, interpolation off or on', () => {
    const ir = vectorIR({ rules: hostile.map((text, i) => rule(`labels.c${i}`, constant(text))) });
    const { file } = emit(ir);
    const text = file('vector.yaml');
    expect(text).not.toContain('$');
    expect([...text.matchAll(/SECRET\[[^\]]*\]/g)].map((m) => m[0]).sort()).toEqual([
      'SECRET[mapc_test.ELASTICSEARCH_DATA_STREAM_NAMESPACE]',
      'SECRET[mapc_test.ELASTICSEARCH_ENDPOINT]',
      'SECRET[mapc_test.ELASTICSEARCH_PASSWORD]',
      'SECRET[mapc_test.ELASTICSEARCH_USERNAME]',
      'SECRET[mapc_test.TEST_API_TOKEN]', // the collector's environment, not the constant
    ]);
    for (const mode of ['off', 'values', 'text'] as const) {
      const config = loadVectorConfig(text, deploymentEnv(ir, { HOME: '/root' }), mode);
      const [[event]] = runRemapBatch(config.transforms.test_events_remap?.source ?? '', [{ message: '{}' }]) as [
        [Record<string, unknown>],
      ];
      expect(event.labels, mode).toEqual(Object.fromEntries(hostile.map((t, i) => [`c${i}`, t])));
    }
  });

  it('regex anchors are \\z, never $', () => {
    const text = emit(loadFixtureIR('entro')).file('vector.yaml');
    expect(text).toContain("[0-9]+\\z')");
    expect(text).not.toContain('$');
  });

  it('every SECRET[...] of vector.yaml is a key of secrets.example.json, without a value; settings in .env.example', () => {
    for (const vendor of ['endor_labs', 'entro', 'enpass', 'bitwarden']) {
      const ir = loadFixtureIR(vendor);
      const { file } = emit(ir);
      const referenced = [...file('vector.yaml').matchAll(/SECRET\[mapc_([a-z_]+)\.([A-Z0-9_]+)\]/g)];
      const example = JSON.parse(file('secrets.example.json')) as Record<string, string>;
      for (const m of referenced) {
        expect(m[1]).toBe(ir.name);
        expect(Object.hasOwn(example, m[2] ?? ''), `${vendor}: ${m[2]}`).toBe(true);
      }
      // Besides the namespace, only the database paths of geoip / asn (not secrets) have examples.
      expect(Object.entries(example).filter(([, v]) => v !== '')).toEqual([
        ['ELASTICSEARCH_DATA_STREAM_NAMESPACE', 'default'],
        ...enrichKinds(ir).map((k) => [GEOIP_KEYS[k].key, GEOIP_KEYS[k].example]),
      ]);
      for (const secret of ir.secrets) expect(Object.hasOwn(example, secret.envVar)).toBe(true);
      const listed = new Map([...file('.env.example').matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      expect([...listed.keys()].sort()).toEqual(ir.settings.map((st) => st.envVar).sort());
      expect([...listed.values()].every((v) => v === '')).toBe(true);
    }
  });

  it('Vector refuses to start without a secret, as the config requires it', () => {
    const ir = loadFixtureIR('endor_labs');
    const text = emit(ir).file('vector.yaml');
    const env = deploymentEnv(ir);
    delete env.ELASTICSEARCH_PASSWORD;
    expect(() => loadVectorConfig(text, env)).toThrow("secret for key 'ELASTICSEARCH_PASSWORD' was not retrieved");
  });

  it('bool settings are read at run time: unset or empty gives the default, any case of true is true', () => {
    const ir = loadFixtureIR('endor_labs');
    const text = emit(ir).file('vector.yaml');
    const original = (env: Record<string, string>): unknown => {
      const config = loadVectorConfig(text, deploymentEnv(ir, env));
      const [[doc]] = runRemapBatch(config.transforms.endor_labs_audit_remap?.source ?? '', [
        { message: '{"uuid":"u"}' },
      ]) as [[Record<string, Record<string, unknown>>]];
      return doc.event?.original;
    };
    expect(original({})).toBeUndefined();
    expect(original({ ENDOR_LABS_PRESERVE_ORIGINAL_EVENT: '' })).toBeUndefined();
    expect(original({ ENDOR_LABS_PRESERVE_ORIGINAL_EVENT: 'TRUE' })).toBe('{"uuid":"u"}');
    expect(original({ ENDOR_LABS_PRESERVE_ORIGINAL_EVENT: 'no' })).toBeUndefined();
  });
});

describe('refusals (E0500)', () => {
  it("a rule writing _id is refused at the rule and its stream left out (error.message is the checks' E0107)", () => {
    const ir = vectorIR({
      rules: [{ ...rule('_id', constant('x')), loc: { ...LOC, line: 7, column: 5 } }],
    });
    const { raw, diagnostics } = emit(ir);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message, d.primary.span.line, d.primary.span.column])).toEqual(
      [['E0500', 'error', 'Vector target cannot write _id: it carries the document id to the sink', 7, 5]],
    );
    expect(raw.sources).toEqual({});
  });

  it('a date pattern the checks refuse (E0111) is an internal error at the stream, never output', () => {
    const ir = vectorIR({
      rules: [rule('@timestamp', field('d', { kind: 'date', formats: [datePatternFormat('dd MMM yyyy')] }))],
    });
    const { raw, diagnostics } = emit(ir);
    expect(diagnostics.map((d) => [d.code, d.message, d.primary.message])).toEqual([
      [
        'E0500',
        'internal error in the vector backend: unsupported or repeated date pattern field MMM in "dd MMM yyyy"; please report it',
        'this stream',
      ],
    ]);
    expect(raw.sources).toEqual({});
  });

  it('text no form can carry (a lone surrogate) is E0504 at the rule, and leaves no half stream', () => {
    const ir = vectorIR({
      rules: [{ ...rule('labels.x', constant('a\ud800b')), loc: { ...LOC, line: 9, column: 3 } }],
    });
    const { raw, diagnostics } = emit(ir);
    expect(
      diagnostics.map((d) => [d.code, d.severity, d.primary.span.line, d.primary.span.column, d.primary.message]),
    ).toEqual([['E0504', 'error', 9, 3, 'a lone UTF-16 surrogate has no UTF-8 form']]);
    expect([raw.sources, raw.transforms, raw.sinks]).toEqual([{}, {}, {}]);
  });

  it('an environment variable name Vector cannot reference is refused before anything is generated', () => {
    const base = vectorIR({ rules: [] });
    const ir = { ...base, secrets: [{ ...base.secrets[0]!, envVar: 'BAD-NAME' }] };
    const { files, diagnostics } = vectorBackend.emit(ir, {});
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'Vector target cannot reference the environment variable "BAD-NAME"',
    ]);
  });
});

describe('README', () => {
  it('explains the secrets file, the settings and why mapc collect is used', () => {
    const readme = emit(loadFixtureIR('endor_labs')).file('README.md');
    expect(readme).toContain('the config contains no `$` and needs no environment interpolation');
    expect(readme).toContain(
      '   install -o vector -g vector -m 0600 endor_labs.secrets.json /etc/vector/mapc/endor_labs.secrets.json\n',
    );
    expect(readme).toContain('| audit | endor\\_labs.audit | exec | 300s | 0 |');
    expect(readme).toContain(
      "Vector's `http_client` source cannot follow next-page tokens, keep a cursor between runs, exchange an API key for a token",
    );
  });
});
