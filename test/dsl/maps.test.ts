/**
 * The two bundled maps parse with no diagnostic, and their AST has the expected shape
 * (values and spans, line and column, checked against the map files by hand).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as A from '../../dsl/ast.ts';
import { isNode, pathText } from '../../dsl/ast.ts';
import { parseMap } from '../../dsl/index.ts';

function parse(file: string): A.MapFile {
  const { ast, diagnostics } = parseMap(readFileSync(file, 'utf8'), file);
  expect(diagnostics).toEqual([]);
  if (ast === undefined) throw new Error(`${file}: no AST`);
  return ast;
}

/** `[line, column]` of a span, for compact assertions. */
const at = (n: { loc: A.Span } | A.Span): [number, number] => {
  const s = 'loc' in n ? n.loc : n;
  return [s.line, s.column];
};

function decls<K extends A.Declaration['kind']>(ast: A.MapFile, kind: K): A.NodeKindMap[K][] {
  return ast.declarations.filter((d): d is A.NodeKindMap[K] => isNode(d, kind));
}

function only<T>(xs: readonly T[]): T {
  expect(xs).toHaveLength(1);
  return xs[0] as T;
}

function defined<T>(x: T | undefined): T {
  expect(x).toBeDefined();
  return x as T;
}

describe('maps/endor_labs.map', () => {
  const ast = parse('maps/endor_labs.map');

  it('keeps the declarations in source order', () => {
    expect(ast.kind).toBe('MapFile');
    expect(ast.file).toBe('maps/endor_labs.map');
    expect(ast.declarations.map((d) => `${d.kind}:${d.kind === 'Defaults' ? '' : d.name.value}`)).toEqual([
      'Integration:endor_labs',
      'Setting:base_url',
      'Setting:namespace',
      'Setting:backfill_start',
      'Setting:interval',
      'Setting:preserve_original_event',
      'Secret:api_key',
      'Secret:api_secret',
      'Table:operation_types',
      'Table:operation_categories',
      'Stream:audit',
    ]);
  });

  it('reads the integration metadata', () => {
    const i = only(decls(ast, 'Integration'));
    expect(at(i)).toEqual([11, 1]);
    expect(at(i.name)).toEqual([11, 13]);
    expect(i.title?.value).toBe('Endor Labs');
    expect(at(defined(i.title))).toEqual([12, 15]);
    expect(i.title?.loc.length).toBe('"Endor Labs"'.length);
    expect(i.vendor?.value).toBe('Endor Labs');
    expect(i.version?.value).toBe('0.1.0');
    expect(i.description?.value).toBe('Collect audit logs from the Endor Labs REST API.');
  });

  it('reads settings: type, default literal with its span, required, info', () => {
    const [baseUrl, namespace, backfill, interval, preserve] = decls(ast, 'Setting');
    expect(baseUrl?.type.value).toBe('url');
    expect(at(defined(baseUrl).type)).toEqual([18, 19]);
    expect(baseUrl?.default).toMatchObject({ kind: 'String', value: 'https://api.endorlabs.com' });
    expect(at(defined(baseUrl?.default))).toEqual([18, 25]);
    expect(baseUrl?.required).toBe(false);
    expect(baseUrl?.title?.value).toBe('API base URL');

    expect(namespace?.type.value).toBe('string');
    expect(namespace?.required).toBe(true);
    expect(at(defined(namespace?.requiredLoc))).toEqual([21, 27]);
    expect(namespace?.default).toBeUndefined();
    expect(namespace?.description?.value).toBe('Your Endor Labs organization namespace, e.g. your-org.');

    expect(backfill?.type.value).toBe('timestamp');
    expect(interval?.type.value).toBe('duration');
    expect(interval?.default).toMatchObject({ kind: 'String', value: '5m' });

    expect(preserve?.type.value).toBe('bool');
    expect(preserve?.default).toMatchObject({ kind: 'Boolean', value: false });
    expect(at(defined(preserve?.default))).toEqual([32, 41]);
    expect(at(defined(preserve))).toEqual([32, 1]);
  });

  it('reads secrets and tables', () => {
    expect(decls(ast, 'Secret').map((s) => [s.name.value, s.title?.value])).toEqual([
      ['api_key', 'API key'],
      ['api_secret', 'API secret'],
    ]);
    const [types, categories] = decls(ast, 'Table');
    expect(types?.entries.map((e) => [e.from.value, e.to.kind === 'String' && e.to.value])).toEqual([
      ['OPERATION_CREATE', 'creation'],
      ['OPERATION_UPDATE', 'change'],
      ['OPERATION_DELETE', 'deletion'],
      ['USER_LOGIN', 'start'],
    ]);
    expect(at(defined(types?.entries[3]?.to))).toEqual([48, 25]);
    expect(types?.default).toMatchObject({ kind: 'String', value: 'info' });
    expect(categories?.default).toMatchObject({ kind: 'String', value: 'configuration' });
  });

  const stream = only(decls(ast, 'Stream'));

  it('reads the stream header items', () => {
    expect(at(stream.name)).toEqual([57, 8]);
    expect(stream.title?.value).toBe('Audit logs');
    expect(stream.dataset?.value).toBe('endor_labs.audit');
    const interval = defined(stream.interval);
    expect(interval.value.kind).toBe('SettingRef');
    expect(at(interval.value)).toEqual([60, 12]);
    expect(interval.value.kind === 'SettingRef' && at(interval.value.name)).toEqual([60, 20]);
    expect(stream.split).toBeUndefined();
    expect(stream.rateLimit).toBeUndefined();
  });

  it('reads token-exchange auth with its login request, JSON body and header template', () => {
    const auth = defined(stream.auth);
    if (auth.kind !== 'AuthTokenExchange') throw new Error(auth.kind);
    expect(at(auth)).toEqual([62, 3]);
    expect(auth.request.method).toBe('POST');
    expect(at(auth.request.methodLoc)).toEqual([63, 13]);
    expect(auth.request.url.parts).toEqual([
      expect.objectContaining({
        kind: 'Placeholder',
        name: 'base_url',
        loc: expect.objectContaining({ line: 63, column: 19, length: 10 }),
      }),
      expect.objectContaining({ kind: 'TemplateText', text: '/v1/auth/api-key' }),
    ]);
    const placeholder = auth.request.url.parts[0];
    expect(placeholder?.kind === 'Placeholder' && [placeholder.nameLoc.column, placeholder.nameLoc.length]).toEqual([
      20, 8,
    ]);
    const body = defined(auth.request.body);
    expect(
      body.entries.map((e) => [e.key.value, e.value.kind === 'SecretRef' ? e.value.name.value : e.value.kind]),
    ).toEqual([
      ['key', 'api_key'],
      ['secret', 'api_secret'],
    ]);
    expect(at(defined(body.entries[0]).value)).toEqual([64, 21]);
    expect(pathText(auth.token)).toBe('token');
    expect(at(auth.token)).toEqual([66, 18]);
    expect(auth.lifetime).toMatchObject({ amount: 4, unit: 'h', milliseconds: 4 * 3600 * 1000 });
    expect(auth.renewBefore?.milliseconds).toBe(5 * 60 * 1000);
    expect(at(defined(auth.renewBefore))).toEqual([68, 18]);
    expect(auth.expiresAt).toBeUndefined();
    expect(auth.header.name.value).toBe('Authorization');
    expect(auth.header.value.parts.map((p) => (p.kind === 'TemplateText' ? p.text : `{${p.name}}`))).toEqual([
      'Bearer ',
      '{token}',
    ]);
    expect(at(defined(auth.header.value.parts[1]))).toEqual([69, 44]);
  });

  it('reads the data request with headers and query templates', () => {
    const req = defined(stream.request);
    expect(req.method).toBe('GET');
    expect(req.url.value).toBe('{base_url}/v1/namespaces/{namespace}/audit-logs');
    expect(req.url.parts.filter((p) => p.kind === 'Placeholder').map((p) => p.name)).toEqual(['base_url', 'namespace']);
    expect(req.headers.map((h) => [h.name.value, h.value.value, h.optional])).toEqual([
      ['Accept', 'application/json', false],
    ]);
    expect(req.query.map((q) => q.name.value)).toEqual(['list_parameters.filter', 'list_parameters.sort.path']);
    const filter = defined(req.query[0]).value;
    expect(filter.parts).toEqual([
      expect.objectContaining({ kind: 'TemplateText', text: 'meta.create_time > date(' }),
      expect.objectContaining({
        kind: 'Placeholder',
        name: 'cursor',
        loc: expect.objectContaining({ line: 74, column: 67, length: 8 }),
      }),
      expect.objectContaining({ kind: 'TemplateText', text: ')' }),
    ]);
    expect(req.body).toBeUndefined();
  });

  it('reads pagination, records, cursor, retry and max_pages', () => {
    const p = defined(stream.paginate);
    if (p.kind !== 'PaginatePageToken') throw new Error(p.kind);
    expect(p.token.segments.map((s) => s.name)).toEqual(['list', 'response', 'next_page_token']);
    expect(at(defined(p.token.segments[2]))).toEqual([79, 25]);
    expect(p.send).toMatchObject({ kind: 'QueryParam', name: { value: 'list_parameters.page_token' } });
    const records = defined(stream.records);
    expect(records.path.kind === 'Path' && pathText(records.path)).toBe('list.objects');
    expect(at(records.path)).toEqual([83, 11]);
    const cursor = defined(stream.cursor);
    expect(cursor.max && pathText(cursor.max.path)).toBe('meta.create_time');
    expect(cursor.max?.format).toMatchObject({ format: 'iso8601', pattern: undefined });
    expect(at(defined(cursor.max?.format))).toEqual([86, 35]);
    expect(cursor.start?.kind === 'SettingRef' && cursor.start.name.value).toBe('backfill_start');
    expect(stream.retry?.attempts).toMatchObject({ value: 5, integer: true });
    expect(stream.retry?.backoff?.from.milliseconds).toBe(1000);
    expect(stream.retry?.backoff?.to.milliseconds).toBe(60_000);
    expect(stream.maxPages?.value.value).toBe(200);
    expect(at(defined(stream.maxPages))).toEqual([94, 3]);
  });

  it('reads the map options and every rule in order', () => {
    const map = defined(stream.map);
    expect(map.namespace && pathText(map.namespace)).toBe('endor_labs.audit');
    expect(map.unmapped?.mode).toBe('keep');
    expect(map.original?.when.name.value).toBe('preserve_original_event');
    expect(map.id?.paths.map(pathText)).toEqual(['uuid']);
    expect(map.remove).toEqual([]);
    expect(map.rules.map((r) => `${pathText(r.destination)} ${r.op}`)).toEqual([
      '@timestamp =',
      'event.kind =',
      'event.id =',
      'event.action =',
      'event.category +=',
      'event.type +=',
      'event.outcome =',
      'event.outcome =',
      'user.name =',
      'related.user +=',
      'source.ip =',
      'related.ip +=',
      'organization.name =',
    ]);
    const [ts, kind, , action, category, , success] = map.rules;
    expect(ts?.destination.segments[0]).toMatchObject({ name: '@timestamp', form: 'at' });
    expect(at(defined(ts))).toEqual([102, 5]);
    expect(ts?.value).toMatchObject({
      kind: 'FieldValue',
      path: { segments: [{ name: 'meta' }, { name: 'create_time' }] },
      transforms: [{ kind: 'DateTransform', formats: [{ format: 'iso8601' }] }],
    });
    expect(kind?.value).toMatchObject({ kind: 'String', value: 'event' });
    expect(at(defined(kind?.value))).toEqual([103, 26]);
    expect(action?.value).toMatchObject({ transforms: [{ kind: 'CaseTransform', to: 'lowercase' }] });
    expect(at(defined(category?.opLoc))).toEqual([106, 23]);
    expect(category?.value).toMatchObject({
      transforms: [{ kind: 'LookupTransform', table: { value: 'operation_categories' } }],
    });
    expect(success?.when).toMatchObject({
      kind: 'CompareCondition',
      op: '==',
      path: { segments: [{ name: 'spec' }, { name: 'payload' }, { name: 'success' }] },
      value: { kind: 'Boolean', value: true },
    });
    expect(map.rules[11]?.value).toMatchObject({ transforms: [{ kind: 'ConvertTransform', to: 'ip' }] });
  });
});

describe('maps/entro.map', () => {
  const ast = parse('maps/entro.map');
  const stream = only(decls(ast, 'Stream'));

  it('reads declarations', () => {
    expect(ast.declarations.map((d) => d.kind)).toEqual([
      'Integration',
      'Setting',
      'Setting',
      'Setting',
      'Secret',
      'Stream',
    ]);
    const [baseUrl] = decls(ast, 'Setting');
    expect(baseUrl).toMatchObject({ type: { value: 'url' }, required: true, default: undefined });
  });

  it('reads header auth and window placeholders', () => {
    expect(stream.auth).toMatchObject({
      kind: 'AuthHeader',
      header: { value: 'Authorization' },
      secret: { name: { value: 'api_token' } },
    });
    expect(at(defined(stream.auth))).toEqual([45, 3]);
    expect(stream.auth?.kind === 'AuthHeader' && at(defined(stream.auth.secret))).toEqual([45, 33]);
    const from = defined(stream.request?.query[0]);
    expect(from.name.value).toBe('from');
    expect(from.value.parts).toEqual([
      {
        kind: 'Placeholder',
        name: 'window.start',
        loc: { file: 'maps/entro.map', offset: expect.any(Number), length: 14, line: 49, column: 24 },
        nameLoc: expect.objectContaining({ line: 49, column: 25, length: 12 }),
      },
    ]);
    expect(stream.request?.query[1]?.value.parts).toEqual([
      expect.objectContaining({ kind: 'Placeholder', name: 'window.end' }),
    ]);
  });

  it('reads time-window pagination, root records, split and a start-only cursor', () => {
    expect(stream.paginate).toMatchObject({
      kind: 'PaginateTimeWindow',
      step: { amount: 1, unit: 'd', milliseconds: 86_400_000 },
      format: { format: 'pattern', pattern: 'dd/MM/yyyy' },
    });
    expect(stream.paginate?.kind === 'PaginateTimeWindow' && at(stream.paginate.step)).toEqual([55, 12]);
    expect(stream.paginate?.kind === 'PaginateTimeWindow' && at(stream.paginate.format)).toEqual([56, 12]);
    expect(stream.records?.path.kind).toBe('RootPath');
    expect(at(defined(stream.records?.path))).toEqual([59, 11]);
    expect(stream.split && pathText(stream.split.path)).toBe('results.secrets');
    expect(stream.cursor).toMatchObject({ max: undefined, start: { name: { value: 'initial_interval' } } });
  });

  it('accepts keywords as path segments and reads conditions and redactions', () => {
    const map = defined(stream.map);
    expect(map.id?.paths.map(pathText)).toEqual([
      'results.request_id',
      'date',
      'results.secrets.secret_type',
      'results.secrets.line_number',
      'results.secrets.exposed_value',
    ]);
    expect(at(defined(map.id?.paths[1]))).toEqual([71, 35]);
    const [ts, alert, event, category] = map.rules;
    expect(ts?.value).toMatchObject({ kind: 'FieldValue', path: { segments: [{ name: 'date', form: 'identifier' }] } });
    const dateTransform = ts?.value.kind === 'FieldValue' ? ts.value.transforms[0] : undefined;
    expect(dateTransform).toMatchObject({
      kind: 'DateTransform',
      formats: [
        { format: 'pattern', pattern: 'dd/MM/yyyy' },
        { format: 'iso8601', pattern: undefined },
      ],
      loc: { line: 73, column: 36, length: 27 },
    });
    expect(dateTransform?.kind === 'DateTransform' && dateTransform.formats.map((f) => at(f))).toEqual([
      [73, 41],
      [73, 55],
    ]);
    expect(alert?.when).toMatchObject({ kind: 'ExistsCondition', negated: false });
    expect(event?.when).toMatchObject({ kind: 'ExistsCondition', negated: true, loc: { line: 75, column: 42 } });
    expect(category).toMatchObject({ op: '+=', value: { kind: 'String', value: 'vulnerability' } });
    const last = map.rules.slice(-3);
    expect(last.map((r) => (r.value.kind === 'FieldValue' ? r.value.transforms.map((t) => t.kind) : []))).toEqual([
      ['ConvertTransform'],
      ['HashTransform'],
      ['MaskTransform'],
    ]);
    expect(last[2]?.value).toMatchObject({ transforms: [{ keep: { value: 4, integer: true } }] });
    expect(pathText(defined(last[2]).destination)).toBe('entro.audit.results.secrets.exposed_value');
  });
});

describe('every map under maps/', () => {
  it('parses with no syntax diagnostic', () => {
    const files = readdirSync('maps').filter((f) => f.endsWith('.map'));
    expect(files).toEqual(expect.arrayContaining(['endor_labs.map', 'entro.map']));
    for (const f of files) {
      const { ast, diagnostics } = parseMap(readFileSync(`maps/${f}`, 'utf8'), `maps/${f}`);
      expect(diagnostics, f).toEqual([]);
      expect(ast?.declarations.length, f).toBeGreaterThan(0);
    }
  });
});
