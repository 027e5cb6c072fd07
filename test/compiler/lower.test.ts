import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileFile, compileSource } from '../../compiler/compile.ts';
import {
  datePatternFormat,
  type HashDocumentIdIR,
  type IntegrationIR,
  type RuleIR,
  type StreamIR,
} from '../../compiler/ir.ts';
import { baseMap, replaceLine } from './helpers.ts';

function compiled(path: string): IntegrationIR {
  const result = compileFile(path);
  expect(result.diagnostics).toEqual([]);
  expect(result.ir).toBeDefined();
  return result.ir!;
}

function rule(stream: StreamIR, destination: string, index = 0): RuleIR {
  const found = stream.mapping.rules.filter((r) => r.destination.join('.') === destination);
  expect(found.length, `rules for ${destination}`).toBeGreaterThan(index);
  return found[index]!;
}

/** Drops offsets and lengths: the golden IR files are hand-written with line and column only. */
function withoutOffsets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOffsets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'offset' && k !== 'length')
        .map(([k, v]) => [k, withoutOffsets(v)]),
    );
  }
  return value;
}

/** Drops the `loc` of templates (checked on their own below and in the golden IR). */
function withoutTemplateLocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTemplateLocs);
  if (value && typeof value === 'object') {
    const isTemplate = Array.isArray((value as { parts?: unknown }).parts);
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !(isTemplate && k === 'loc'))
        .map(([k, v]) => [k, withoutTemplateLocs(v)]),
    );
  }
  return value;
}

/** The declared type of `spec.operation` in maps/endor_labs.map's record block. */
const OPERATION_TYPE = { origin: 'declared', types: ['string'], optional: false, nullable: false, formats: [] };

describe('lowering maps/endor_labs.map', () => {
  const ir = compiled('maps/endor_labs.map');
  const stream = ir.streams[0]!;

  it('carries the integration metadata and the ECS version', () => {
    expect(ir).toMatchObject({
      irVersion: 5,
      name: 'endor_labs',
      title: 'Endor Labs',
      vendor: 'Endor Labs',
      version: '0.1.0',
      description: 'Collect audit logs from the Endor Labs REST API.',
      ecsVersion: '9.4.0',
      sourceFile: 'maps/endor_labs.map',
    });
    expect(ir.streams.map((s) => s.name)).toEqual(['audit']);
  });

  it('lowers settings with types, defaults and UPPER_SNAKE environment variables', () => {
    expect(ir.settings.map((s) => [s.name, s.type, s.required, s.default, s.envVar])).toEqual([
      ['base_url', 'url', false, 'https://api.endorlabs.com', 'ENDOR_LABS_BASE_URL'],
      ['namespace', 'string', true, undefined, 'ENDOR_LABS_NAMESPACE'],
      ['backfill_start', 'timestamp', false, undefined, 'ENDOR_LABS_BACKFILL_START'],
      ['interval', 'duration', false, '5m', 'ENDOR_LABS_INTERVAL'],
      ['preserve_original_event', 'bool', false, false, 'ENDOR_LABS_PRESERVE_ORIGINAL_EVENT'],
    ]);
    // No default: the key is absent, not undefined (the IR is plain JSON).
    expect('default' in ir.settings[1]!).toBe(false);
    expect(ir.settings[0]).toMatchObject({ title: 'API base URL', description: '' });
    expect(ir.settings[0]!.loc).toMatchObject({ file: 'maps/endor_labs.map', line: 18, column: 1 });
    expect(ir.secrets.map((s) => [s.name, s.title, s.envVar])).toEqual([
      ['api_key', 'API key', 'ENDOR_LABS_API_KEY'],
      ['api_secret', 'API secret', 'ENDOR_LABS_API_SECRET'],
    ]);
  });

  it('lowers the stream header items', () => {
    expect(stream).toMatchObject({
      title: 'Audit logs',
      description: '',
      dataset: 'endor_labs.audit',
      interval: { kind: 'setting', name: 'interval' },
    });
  });

  it('lowers the token exchange: login request, secrets in its body, lifetime and renewal in seconds', () => {
    const auth = stream.source.auth;
    expect(auth.kind).toBe('token_exchange');
    if (auth.kind !== 'token_exchange') return;
    expect(withoutTemplateLocs(auth.request)).toEqual({
      method: 'POST',
      url: {
        parts: [
          { kind: 'setting', name: 'base_url' },
          { kind: 'text', text: '/v1/auth/api-key' },
        ],
      },
      headers: [],
      query: [],
      body: {
        kind: 'object',
        entries: [
          { key: 'key', value: { kind: 'string', template: { parts: [{ kind: 'secret', name: 'api_key' }] } } },
          { key: 'secret', value: { kind: 'string', template: { parts: [{ kind: 'secret', name: 'api_secret' }] } } },
        ],
      },
    });
    expect(auth.tokenPath).toEqual(['token']);
    expect(auth.lifetimeSeconds).toBe(4 * 3600);
    expect(auth.renewBeforeSeconds).toBe(300);
    expect('expiresAtPath' in auth).toBe(false);
    expect(withoutTemplateLocs(auth.header)).toEqual({
      name: 'Authorization',
      value: { parts: [{ kind: 'text', text: 'Bearer ' }, { kind: 'token' }] },
      omitIfEmpty: false,
    });
  });

  it('keeps the span of each template string, so a target can refuse its text there', () => {
    expect(stream.source.request.url.loc).toMatchObject({ file: 'maps/endor_labs.map', line: 72, column: 15 });
  });

  it('lowers the data request with its cursor placeholder', () => {
    expect(withoutTemplateLocs(stream.source.request)).toEqual({
      method: 'GET',
      url: {
        parts: [
          { kind: 'setting', name: 'base_url' },
          { kind: 'text', text: '/v1/namespaces/' },
          { kind: 'setting', name: 'namespace' },
          { kind: 'text', text: '/audit-logs' },
        ],
      },
      headers: [{ name: 'Accept', value: { parts: [{ kind: 'text', text: 'application/json' }] }, omitIfEmpty: false }],
      query: [
        {
          name: 'list_parameters.filter',
          value: {
            parts: [
              { kind: 'text', text: 'meta.create_time > date(' },
              { kind: 'cursor' },
              { kind: 'text', text: ')' },
            ],
          },
          omitIfEmpty: false,
        },
        {
          name: 'list_parameters.sort.path',
          value: { parts: [{ kind: 'text', text: 'meta.create_time' }] },
          omitIfEmpty: false,
        },
      ],
    });
  });

  it('lowers pagination, records, cursor, retry and the page cap', () => {
    const { source } = stream;
    expect(source.pagination).toMatchObject({
      kind: 'page_token',
      tokenPath: ['list', 'response', 'next_page_token'],
      param: { in: 'query', name: 'list_parameters.page_token' },
    });
    expect(source.records).toEqual(['list', 'objects']);
    expect('split' in source).toBe(false);
    expect(source.cursor).toMatchObject({
      kind: 'record_max',
      field: ['meta', 'create_time'],
      format: { kind: 'iso8601' },
      initial: { setting: 'backfill_start', lookbackSeconds: 0 },
    });
    expect(source.retry).toEqual({ maxAttempts: 5, backoffBaseSeconds: 1, backoffMaxSeconds: 60 });
    expect(source.rateLimit).toEqual({ retryAfter: true });
    expect(source.maxPagesPerRun).toBe(200);
  });

  it('prepends ecs.version and event.dataset, then the rules in source order', () => {
    const destinations = stream.mapping.rules.map((r) => r.destination.join('.'));
    expect(destinations).toEqual([
      'ecs.version',
      'event.dataset',
      '@timestamp',
      'event.kind',
      'event.id',
      'event.action',
      'event.category',
      'event.type',
      'event.outcome',
      'event.outcome',
      'user.name',
      'related.user',
      'source.ip',
      'related.ip',
      'organization.name',
    ]);
    expect(stream.mapping.rules[0]).toMatchObject({
      op: 'set',
      value: { kind: 'const', value: '9.4.0' },
      destinationType: { ecsType: 'keyword', array: false, vendor: false },
    });
    expect(stream.mapping.rules[1]).toMatchObject({ op: 'set', value: { kind: 'const', value: 'endor_labs.audit' } });
  });

  it('resolves ECS types, array-ness and operators', () => {
    expect(rule(stream, '@timestamp')).toMatchObject({
      destinationType: { ecsType: 'date', array: false, vendor: false },
      value: {
        kind: 'field',
        path: ['meta', 'create_time'],
        transforms: [{ kind: 'date', formats: [{ kind: 'iso8601' }] }],
      },
    });
    expect(rule(stream, 'source.ip')).toMatchObject({
      op: 'set',
      destinationType: { ecsType: 'ip', array: false },
      value: { transforms: [{ kind: 'convert', to: 'ip' }] },
    });
    expect(rule(stream, 'related.ip')).toMatchObject({
      op: 'append',
      destinationType: { ecsType: 'ip', array: true, vendor: false },
    });
    expect(rule(stream, 'related.user')).toMatchObject({
      op: 'append',
      destinationType: { ecsType: 'keyword', array: true },
    });
    expect(rule(stream, 'event.action').value).toEqual({
      kind: 'field',
      path: ['spec', 'operation'],
      transforms: [{ kind: 'lowercase' }],
      source: OPERATION_TYPE,
    });
  });

  it('inlines lookup tables with their defaults, each entry and the default with its location', () => {
    const at = (line: number, column: number) => expect.objectContaining({ file: 'maps/endor_labs.map', line, column });
    expect(rule(stream, 'event.type').value).toEqual({
      kind: 'field',
      path: ['spec', 'operation'],
      transforms: [
        {
          kind: 'lookup',
          table: 'operation_types',
          entries: [
            { from: 'OPERATION_CREATE', to: 'creation', loc: at(45, 3) },
            { from: 'OPERATION_UPDATE', to: 'change', loc: at(46, 3) },
            { from: 'OPERATION_DELETE', to: 'deletion', loc: at(47, 3) },
            { from: 'USER_LOGIN', to: 'start', loc: at(48, 3) },
          ],
          default: 'info',
          defaultLoc: at(49, 11),
        },
      ],
      source: OPERATION_TYPE,
    });
    expect(rule(stream, 'event.category').value).toMatchObject({
      transforms: [
        {
          kind: 'lookup',
          table: 'operation_categories',
          entries: [{ from: 'USER_LOGIN', to: 'authentication' }],
          default: 'configuration',
        },
      ],
    });
  });

  it('lowers conditions on field values', () => {
    expect(rule(stream, 'event.outcome', 0)).toMatchObject({
      value: { kind: 'const', value: 'success' },
      when: { kind: 'equals', path: ['spec', 'payload', 'success'], value: true },
    });
    expect(rule(stream, 'event.outcome', 1)).toMatchObject({
      value: { kind: 'const', value: 'failure' },
      when: { kind: 'equals', path: ['spec', 'payload', 'success'], value: false },
    });
  });

  it('lowers the map options and computes consumed paths', () => {
    const { mapping } = stream;
    expect(mapping.namespace).toEqual(['endor_labs', 'audit']);
    expect(mapping.keepUnmapped).toBe(true);
    expect(mapping.original).toEqual({ setting: 'preserve_original_event' });
    expect(mapping.remove).toEqual([]);
    expect((mapping.documentId as HashDocumentIdIR | undefined)?.fields).toEqual([['uuid']]);
    // `set` rules reading a field and writing outside the namespace; spec.operation is consumed
    // by event.action (its lookups are appends); meta.created_by by user.name, not related.user.
    expect(mapping.consumed).toEqual([
      { path: ['meta', 'create_time'], whenDestinationSet: ['@timestamp'] },
      { path: ['uuid'], whenDestinationSet: ['event', 'id'] },
      { path: ['spec', 'operation'], whenDestinationSet: ['event', 'action'] },
      { path: ['meta', 'created_by'], whenDestinationSet: ['user', 'name'] },
      { path: ['spec', 'remote_address'], whenDestinationSet: ['source', 'ip'] },
      { path: ['tenant_meta', 'namespace'], whenDestinationSet: ['organization', 'name'] },
    ]);
  });
});

describe('lowering maps/entro.map', () => {
  const ir = compiled('maps/entro.map');
  const stream = ir.streams[0]!;

  it('lowers the raw header auth and the daily time window, open-ended on the window holding now', () => {
    expect(stream.source.auth).toMatchObject({ kind: 'header', header: 'Authorization', secret: 'api_token' });
    expect(stream.source.pagination).toMatchObject({
      kind: 'time_window',
      stepSeconds: 86_400,
      format: datePatternFormat('dd/MM/yyyy'),
    });
    expect(withoutTemplateLocs(stream.source.request.query)).toEqual([
      { name: 'from', value: { parts: [{ kind: 'window', edge: 'start' }] }, omitIfEmpty: false },
      {
        name: 'to',
        value: { parts: [{ kind: 'window', edge: 'end' }] },
        omitIfEmpty: false,
        when: { kind: 'window_complete' },
      },
    ]);
  });

  it('lowers records $, split and a window cursor starting a duration setting ago, with default retry and page cap', () => {
    const { source } = stream;
    expect(source.records).toEqual([]);
    expect(source.split?.path).toEqual(['results', 'secrets']);
    expect(source.cursor).toMatchObject({
      kind: 'window',
      initial: { lookbackSetting: 'initial_interval', lookbackSeconds: 0 },
    });
    expect(source.cursor?.initial).not.toHaveProperty('setting');
    expect(ir.settings.find((s) => s.name === 'initial_interval')).toMatchObject({
      type: 'duration',
      default: '1440h',
    });
    expect(source.retry).toEqual({ maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 30 });
    expect(source.maxPagesPerRun).toBe(100);
    expect(ir.settings.find((s) => s.name === 'base_url')).toMatchObject({ required: true, envVar: 'ENTRO_BASE_URL' });
  });

  it('lowers presence conditions, redaction and the vendor destination', () => {
    expect(rule(stream, 'event.kind', 0)).toMatchObject({
      value: { value: 'alert' },
      when: { kind: 'exists', path: ['results', 'secrets', 'secret_type'] },
    });
    expect(rule(stream, 'event.kind', 1)).toMatchObject({
      value: { value: 'event' },
      when: { kind: 'not', condition: { kind: 'exists', path: ['results', 'secrets', 'secret_type'] } },
    });
    expect(rule(stream, '@timestamp').value).toMatchObject({
      transforms: [{ kind: 'date', formats: [datePatternFormat('dd/MM/yyyy'), { kind: 'iso8601' }] }],
    });
    expect(rule(stream, 'related.hash')).toMatchObject({
      op: 'append',
      value: { transforms: [{ kind: 'redact', mode: 'hash' }] },
    });
    expect(rule(stream, 'entro.audit.results.secrets.exposed_value')).toMatchObject({
      op: 'set',
      destinationType: { ecsType: 'keyword', array: false, vendor: true },
      value: { path: ['results', 'secrets', 'exposed_value'], transforms: [{ kind: 'redact', mode: 'mask', keep: 4 }] },
    });
    expect(rule(stream, 'log.origin.file.line')).toMatchObject({
      destinationType: { ecsType: 'long' },
      value: { transforms: [{ kind: 'convert', to: 'long' }] },
    });
    expect(rule(stream, 'event.category')).toMatchObject({
      op: 'append',
      value: { kind: 'const', value: 'vulnerability' },
    });
  });

  it('does not consume the exposed value: it is hashed by an append and masked in place', () => {
    expect(stream.mapping.consumed).toEqual([
      { path: ['date'], whenDestinationSet: ['@timestamp'] },
      { path: ['results', 'request_id'], whenDestinationSet: ['event', 'id'] },
      { path: ['results', 'secrets', 'secret_type'], whenDestinationSet: ['rule', 'name'] },
      { path: ['results', 'secrets', 'line_number'], whenDestinationSet: ['log', 'origin', 'file', 'line'] },
    ]);
    expect('original' in stream.mapping).toBe(false);
    expect((stream.mapping.documentId as HashDocumentIdIR | undefined)?.fields).toEqual([
      ['results', 'request_id'],
      ['date'],
      ['results', 'secrets', 'secret_type'],
      ['results', 'secrets', 'line_number'],
      ['results', 'secrets', 'exposed_value'],
    ]);
  });
});

describe('consumed source paths', () => {
  const withRule = (extra: string) =>
    compileSource(
      readFileSync('maps/endor_labs.map', 'utf8').replace(
        '    event.id           = uuid',
        `    event.id           = uuid\n    ${extra}`,
      ),
      'consumed.map',
    ).ir!.streams[0]!.mapping.consumed.map((c) => c.path.join('.'));

  it('consumes a field a set rule maps outside the namespace', () => {
    expect(withRule('')).toContain('uuid');
  });
  it('keeps a field that a rule writes inside the namespace, at, above or below its path', () => {
    expect(withRule('endor_labs.audit.uuid = uuid')).not.toContain('uuid');
    expect(withRule('endor_labs.audit.spec.operation.code = uuid')).not.toContain('spec.operation');
    expect(withRule('endor_labs.audit.spec = uuid')).not.toContain('spec.operation');
    expect(withRule('endor_labs.audit.spec = uuid')).toContain('uuid');
  });
});

describe('the reviewed golden IR (fixtures/<vendor>/ir.json)', () => {
  for (const vendor of ['endor_labs', 'entro', 'enpass', 'bitwarden']) {
    it(`${vendor} matches, lines and columns included`, () => {
      const ir = withoutOffsets(compiled(`maps/${vendor}.map`)) as IntegrationIR;
      const golden = withoutOffsets(JSON.parse(readFileSync(`fixtures/${vendor}/ir.json`, 'utf8'))) as IntegrationIR;
      // event.dataset's rule points at the dataset string (the AST keeps only its span).
      expect(ir.streams[0]!.mapping.rules[1]!.loc).toMatchObject({ column: 12 });
      expect(ir).toEqual(golden);
    });
  }
});

describe('defaults and less common constructs', () => {
  it('fills namespace, unmapped, retry, renewal and page defaults; lowers durations to seconds', () => {
    let source = baseMap({
      rules: [
        '    unmapped drop',
        '    remove secret_field, other.secret',
        '    acme.audit.tags += tag',
        '    user.name = name when setting.keep_original',
        '    user.id = uid | keyword when kind != "system"',
      ].join('\n'),
      streamItems:
        '  paginate page_number { send query "page" size query "per_page" = 50 }\n  retry { backoff 500ms to 2m }',
    });
    source = replaceLine(source, 18, '  interval 90s');
    source = replaceLine(
      source,
      19,
      '  auth token_exchange { request POST "{base_url}/login" { body { "k": secret.api_token } } token data.token expires_at data.expires header "X-Token" = "{token}" }',
    );
    const result = compileSource(source, 'acme.map');
    // Only the base map's unused declarations are reported.
    expect(result.diagnostics.map((d) => d.code)).toEqual(['W0122', 'W0122', 'W0122']);
    const stream = result.ir!.streams[0]!;
    expect(stream.interval).toEqual({ kind: 'seconds', seconds: 90 });
    expect(stream.mapping.namespace).toEqual(['acme', 'audit']);
    expect(stream.mapping.keepUnmapped).toBe(false);
    expect(stream.mapping.remove).toEqual([['secret_field'], ['other', 'secret']]);
    // Each removed path keeps where it is written (one `remove` item, two paths).
    const removeLine = source.split('\n').findIndex((l) => l.includes('remove secret_field')) + 1;
    expect(stream.mapping.removeLoc?.map((l) => [l.line, l.column])).toEqual([
      [removeLine, 12],
      [removeLine, 26],
    ]);
    expect(rule(stream, 'acme.audit.tags')).toMatchObject({
      op: 'append',
      destinationType: { ecsType: 'keyword', array: true, vendor: true },
    });
    expect(rule(stream, 'user.name').when).toEqual({ kind: 'setting', name: 'keep_original' });
    expect(rule(stream, 'user.id').when).toEqual({
      kind: 'not',
      condition: { kind: 'equals', path: ['kind'], value: 'system' },
    });
    expect(stream.source.retry).toEqual({ maxAttempts: 3, backoffBaseSeconds: 0.5, backoffMaxSeconds: 120 });
    expect(stream.source.pagination).toMatchObject({
      kind: 'page_number',
      param: { in: 'query', name: 'page' },
      start: 1,
      size: { param: { in: 'query', name: 'per_page' }, value: 50 },
    });
    expect(stream.source.auth).toMatchObject({
      kind: 'token_exchange',
      tokenPath: ['data', 'token'],
      expiresAtPath: ['data', 'expires'],
      renewBeforeSeconds: 60,
    });
    expect(result.ir!.settings.find((s) => s.name === 'backfill')).toMatchObject({
      title: 'backfill',
      description: '',
      required: false,
    });
    expect(stream.title).toBe('audit');
  });

  it('is plain JSON: serialising and parsing gives the same value', () => {
    const ir = compiled('maps/endor_labs.map');
    expect(JSON.parse(JSON.stringify(ir))).toEqual(ir);
  });
});

describe('compileSource stages', () => {
  it('stops before lowering when a check fails', () => {
    const result = compileSource(baseMap({ rules: '    source.ip = addr' }), 'acme.map');
    expect(result.ir).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.code !== 'W0122').map((d) => d.code)).toEqual(['E0101']);
  });
  it('lowers despite warnings and returns them', () => {
    const result = compileSource(replaceLine(baseMap(), 23, '    event.kind = "event"'), 'acme.map');
    expect(result.ir).toBeDefined();
    expect(result.diagnostics.filter((d) => d.code !== 'W0122').map((d) => d.code)).toEqual(['W0118']);
  });
  it('reports syntax errors without checking', () => {
    const result = compileSource('integration acme {\n  title = "x"\n}\n', 'bad.map');
    expect(result.ir).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.every((d) => d.code < 'E0100')).toBe(true);
  });
});
