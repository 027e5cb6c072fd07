/**
 * Constructs of the grammar the bundled maps do not use, each parsed into its AST node.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as A from '../../dsl/ast.ts';
import { isAuth, isNode, isPaginate, pathSegments, pathText } from '../../dsl/ast.ts';
import { parseMap } from '../../dsl/index.ts';

function stream(items: string): A.StreamDecl {
  const { ast, diagnostics } = parseMap(`stream s {\n${items}\n}\n`, 't.map');
  expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const s = ast?.declarations[0];
  if (!isNode(s, 'Stream')) throw new Error('no stream');
  return s;
}

function rules(body: string): readonly A.MapRule[] {
  return stream(`map {\n${body}\n}`).map?.rules ?? [];
}

describe('auth variants', () => {
  it('bearer', () => {
    const auth = stream('auth bearer secret.tok').auth;
    expect(auth).toMatchObject({ kind: 'AuthBearer', secret: { name: { value: 'tok' } }, loc: { line: 2, column: 1 } });
    expect(auth !== undefined && isAuth(auth)).toBe(true);
  });

  it('basic with a setting or a secret as username, items in any order', () => {
    expect(stream('auth basic { username = setting.user password = secret.pw }').auth).toMatchObject({
      kind: 'AuthBasic',
      username: { kind: 'SettingRef', name: { value: 'user' } },
      password: { kind: 'SecretRef', name: { value: 'pw' } },
    });
    expect(stream('auth basic { password = secret.pw username = secret.user }').auth).toMatchObject({
      username: { kind: 'SecretRef', name: { value: 'user' } },
    });
  });

  it('oauth2 client credentials with scopes', () => {
    expect(
      stream(
        'auth oauth2 {\n token_url "{base_url}/oauth/token"\n client_id = setting.cid\n client_secret = secret.cs\n scopes "read" "audit"\n}',
      ).auth,
    ).toMatchObject({
      kind: 'AuthOAuth2',
      tokenUrl: {
        parts: [
          { kind: 'Placeholder', name: 'base_url' },
          { kind: 'TemplateText', text: '/oauth/token' },
        ],
      },
      clientId: { kind: 'SettingRef', name: { value: 'cid' } },
      clientSecret: { name: { value: 'cs' } },
      scopes: [{ value: 'read' }, { value: 'audit' }],
    });
  });

  it('oauth2 without scopes has an empty list', () => {
    const auth = stream('auth oauth2 { token_url "u" client_id = secret.id client_secret = secret.cs }').auth;
    expect(auth?.kind === 'AuthOAuth2' && auth.scopes).toEqual([]);
  });

  it('oauth2 with private_key (private_key_jwt) instead of client_secret', () => {
    const auth = stream('auth oauth2 { token_url "u" client_id = setting.cid private_key = secret.key }').auth;
    expect(auth).toMatchObject({ kind: 'AuthOAuth2', privateKey: { name: { value: 'key' } } });
    expect(auth?.kind === 'AuthOAuth2' && auth.clientSecret).toBeUndefined();
  });

  it('oauth2 needs exactly one of client_secret and private_key (E0011, E0014)', () => {
    const codes = (items: string) =>
      parseMap(
        `stream s {\nauth oauth2 { token_url "u" client_id = secret.id ${items} }\n}\n`,
        't.map',
      ).diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(codes('')).toEqual(['E0011 the oauth2 block has no "client_secret" or "private_key" item']);
    expect(codes('client_secret = secret.cs private_key = secret.k')).toEqual([
      'E0014 the oauth2 block gives both "client_secret" and "private_key"',
    ]);
  });

  it('token exchange with expires_at instead of lifetime', () => {
    const auth = stream(
      'auth token_exchange {\n request POST "u" { body { "k": secret.k } }\n token data.access_token\n expires_at data.expires\n header "X-Token" = "{token}"\n}',
    ).auth;
    expect(auth).toMatchObject({ kind: 'AuthTokenExchange', lifetime: undefined, renewBefore: undefined });
    expect(auth?.kind === 'AuthTokenExchange' && auth.expiresAt && pathText(auth.expiresAt)).toBe('data.expires');
  });
});

describe('request', () => {
  it('optional parameters and a JSON body with every value kind', () => {
    const req = stream(
      'request POST "{base_url}/search" {\n query "since" = "{cursor}" optional\n header "X-A" = "b"\n body { "q": { "size": 100, "ratio": -0.5, "tags": ["a", 1, true, null, []], "on": false, "key": secret.k, "empty": {} } }\n}',
    ).request;
    expect(req?.query[0]).toMatchObject({
      optional: true,
      value: { parts: [{ kind: 'Placeholder', name: 'cursor' }] },
    });
    expect(req?.headers[0]).toMatchObject({ optional: false });
    const q = req?.body?.entries[0]?.value;
    if (q?.kind !== 'JsonObject') throw new Error('no object');
    expect(q.entries.map((e) => [e.key.value, e.value.kind])).toEqual([
      ['size', 'Number'],
      ['ratio', 'Number'],
      ['tags', 'JsonArray'],
      ['on', 'Boolean'],
      ['key', 'SecretRef'],
      ['empty', 'JsonObject'],
    ]);
    expect(q.entries[1]?.value).toMatchObject({ value: -0.5, integer: false });
    const tags = q.entries[2]?.value;
    expect(tags?.kind === 'JsonArray' && tags.items.map((i) => i.kind)).toEqual([
      'Template',
      'Number',
      'Boolean',
      'Null',
      'JsonArray',
    ]);
  });

  it('a request without a block has no headers, query or body', () => {
    expect(stream('request GET "https://x/y"').request).toMatchObject({ headers: [], query: [], body: undefined });
  });
});

describe('pagination variants', () => {
  it('cursor_has_more sending a body path', () => {
    const p = stream('paginate cursor_has_more { cursor meta.next has_more meta.more send body page.cursor }').paginate;
    expect(p).toMatchObject({ kind: 'PaginateCursorHasMore', send: { kind: 'BodyParam' } });
    expect(p?.kind === 'PaginateCursorHasMore' && [pathText(p.cursor), pathText(p.hasMore)]).toEqual([
      'meta.next',
      'meta.more',
    ]);
    expect(p !== undefined && isPaginate(p)).toBe(true);
  });

  it('page_number with start and size', () => {
    expect(
      stream('paginate page_number { send query "page" start 1 size query "per_page" = 100 }').paginate,
    ).toMatchObject({
      kind: 'PaginatePageNumber',
      send: { kind: 'QueryParam', name: { value: 'page' } },
      start: { value: 1 },
      size: { name: { value: 'per_page' } },
      sizeValue: { value: 100 },
    });
  });

  it('offset with total', () => {
    const p = stream('paginate offset { offset query "offset" limit query "limit" = 50 total meta.total }').paginate;
    expect(p).toMatchObject({
      kind: 'PaginateOffset',
      limitValue: { value: 50 },
      offset: { name: { value: 'offset' } },
    });
    expect(p?.kind === 'PaginateOffset' && p.total && pathText(p.total)).toBe('meta.total');
  });

  it('link_header', () => {
    expect(stream('paginate link_header').paginate).toMatchObject({
      kind: 'PaginateLinkHeader',
      loc: { line: 2, column: 1, length: 20 },
    });
  });
});

describe('limits', () => {
  it('rate_limit items', () => {
    expect(
      stream('rate_limit { retry_after remaining "X-Remaining" reset "X-Reset" requests_per_second 2.5 }').rateLimit,
    ).toMatchObject({
      retryAfter: { line: 2, column: 14 },
      remaining: { value: 'X-Remaining' },
      reset: { value: 'X-Reset' },
      requestsPerSecond: { value: 2.5 },
    });
  });

  it('a fixed interval duration', () => {
    expect(stream('interval 500ms').interval?.value).toMatchObject({
      kind: 'Duration',
      amount: 500,
      unit: 'ms',
      milliseconds: 500,
    });
  });
});

describe('map', () => {
  it('drop, remove (repeatable) and quoted path segments', () => {
    const map = stream(
      'map {\n unmapped drop\n remove a.secret, "b c"\n remove d\n x."y-z" = "Date & Time" | keyword\n}',
    ).map;
    expect(map?.unmapped?.mode).toBe('drop');
    expect(map?.remove.map((r) => r.paths.map((p) => pathSegments(p)))).toEqual([[['a', 'secret'], ['b c']], [['d']]]);
    const [rule] = map?.rules ?? [];
    expect(rule?.destination.segments.map((s) => [s.name, s.form])).toEqual([
      ['x', 'identifier'],
      ['y-z', 'quoted'],
    ]);
    expect(rule?.value).toMatchObject({
      kind: 'FieldValue',
      path: { segments: [{ name: 'Date & Time', form: 'quoted' }] },
    });
  });

  it('a lone quoted string, number or boolean is a literal; a quoted path with a dot is a path', () => {
    const [s, n, b, p, k] = rules(' a = "text"\n b = -3\n c = true\n d = "x".y\n e = true.flag');
    expect(s?.value).toMatchObject({ kind: 'String', value: 'text' });
    expect(n?.value).toMatchObject({ kind: 'Number', value: -3 });
    expect(b?.value).toMatchObject({ kind: 'Boolean', value: true });
    expect(p?.value.kind === 'FieldValue' && pathSegments(p.value.path)).toEqual(['x', 'y']);
    expect(k?.value.kind === 'FieldValue' && pathSegments(k.value.path)).toEqual(['true', 'flag']);
  });

  it('every transform', () => {
    const [r] = rules(
      ' a = b | keyword | long | double | boolean | ip | date(unix_ms, unix) | uppercase | hash | mask(0)',
    );
    expect(
      r?.value.kind === 'FieldValue' && r.value.transforms.map((t) => t.kind + ('to' in t ? `:${t.to}` : '')),
    ).toEqual([
      'ConvertTransform:keyword',
      'ConvertTransform:long',
      'ConvertTransform:double',
      'ConvertTransform:boolean',
      'ConvertTransform:ip',
      'DateTransform',
      'CaseTransform:uppercase',
      'HashTransform',
      'MaskTransform',
    ]);
  });

  it('every condition', () => {
    const [a, b, c] = rules(' a = 1 when x.y != "no"\n b = 2 when setting.flag\n c = 3 when max.value == 4');
    expect(a?.when).toMatchObject({ kind: 'CompareCondition', op: '!=', value: { kind: 'String', value: 'no' } });
    expect(b?.when).toMatchObject({ kind: 'SettingCondition', setting: { name: { value: 'flag' } } });
    expect(c?.when).toMatchObject({
      kind: 'CompareCondition',
      op: '==',
      path: { segments: [{ name: 'max' }, { name: 'value' }] },
    });
  });

  it('keywords as path segments and as names', () => {
    const [r] = rules(' token.max = date.format | lookup(table)');
    expect(r && pathText(r.destination)).toBe('token.max');
    expect(r?.value).toMatchObject({
      path: { segments: [{ name: 'date' }, { name: 'format' }] },
      transforms: [{ table: { value: 'table' } }],
    });
    const { ast } = parseMap(
      'setting interval: duration\nsetting namespace: string\ntable default { default "x" }',
      'k.map',
    );
    expect(ast?.declarations.map((d) => (d.kind === 'Defaults' ? '' : d.name.value))).toEqual([
      'interval',
      'namespace',
      'default',
    ]);
  });
});

describe('templates', () => {
  it('{{ and }} are literal braces; escapes are decoded; text spans cover the source', () => {
    const req = stream('request GET "a{{b}}\\u{7B}c\\"{x}"').request;
    expect(req?.url.parts).toEqual([
      { kind: 'TemplateText', text: 'a{b}{c"', loc: { file: 't.map', offset: 24, length: 15, line: 2, column: 14 } },
      {
        kind: 'Placeholder',
        name: 'x',
        loc: expect.objectContaining({ offset: 39, column: 29, length: 3 }),
        nameLoc: expect.objectContaining({ column: 30, length: 1 }),
      },
    ]);
    expect(req?.url.value).toBe('a{{b}}{c"{x}');
  });

  it('an empty string has no parts', () => {
    expect(stream('request GET ""').request?.url.parts).toEqual([]);
  });
});

describe('empty and comment-only files', () => {
  it('parse to an empty file node', () => {
    for (const text of ['', '# nothing\n', '\n\n']) {
      const { ast, diagnostics } = parseMap(text, 'e.map');
      expect(diagnostics).toEqual([]);
      expect(ast).toMatchObject({
        kind: 'MapFile',
        declarations: [],
        loc: { offset: 0, length: text.length, line: 1, column: 1 },
      });
    }
  });
});

describe('line endings', () => {
  it('CRLF and LF give the same lines and columns everywhere', () => {
    const lf = readFileSync('maps/entro.map', 'utf8');
    const crlf = lf.replace(/\n/g, '\r\n');
    const positions = (text: string): string =>
      JSON.stringify(parseMap(text, 'e.map').ast, (k, v: unknown) =>
        k === 'offset' || k === 'length' || k === 'source' ? undefined : v,
      );
    expect(parseMap(crlf, 'e.map').diagnostics).toEqual([]);
    expect(positions(crlf)).toBe(positions(lf));
  });
});
