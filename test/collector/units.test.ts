/**
 * Small pure pieces of the collector: RFC 8288 Link parsing, Retry-After parsing, cursor
 * instants and window formatting, request building.
 */
import { describe, expect, it } from 'vitest';
import { originOf, retryAfterMs } from '../../collector/http.ts';
import { formatInstant, instantNanos } from '../../collector/instant.ts';
import { nextLink } from '../../collector/pager.ts';
import { buildRequest } from '../../collector/request.ts';
import { templateText } from '../../collector/template.ts';
import type { RequestIR } from '../../compiler/ir.ts';
import { datePatternFormat } from '../../compiler/ir.ts';

describe('nextLink (RFC 8288)', () => {
  const base = 'https://api.example/v1/logs?page=1';
  it('finds rel="next" among several links, resolving relative targets', () => {
    expect(nextLink('<https://api.example/v1/logs?page=1>; rel="prev", </v1/logs?page=3>; rel="next"', base)).toBe(
      'https://api.example/v1/logs?page=3',
    );
  });
  it('accepts an unquoted rel, a rel list and other parameters with commas in quotes', () => {
    expect(nextLink('<?page=2>; rel=next', base)).toBe('https://api.example/v1/logs?page=2');
    expect(nextLink('<a>; title="x, y"; rel="last", <b>; rel="prefetch NEXT"', base)).toBe('https://api.example/v1/b');
  });
  it('is undefined without a next link', () => {
    expect(nextLink(null, base)).toBeUndefined();
    expect(nextLink('<https://api.example/v1/logs?page=1>; rel="first"', base)).toBeUndefined();
    expect(nextLink('<https://x/next>; rel="nextish"', base)).toBeUndefined();
  });
});

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2024-11-13T12:00:00Z');
  it('reads delta-seconds and HTTP-dates; a past date means no wait', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 13 Nov 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 13 Nov 2024 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
  it('URLs are logged as the map wrote them, placeholders by name, never rendered', () => {
    expect(
      templateText({
        parts: [
          { kind: 'setting', name: 'base_url' },
          { kind: 'text', text: '/v1/' },
          { kind: 'setting', name: 'tenant_token' },
          { kind: 'text', text: '/logs?since=' },
          { kind: 'cursor' },
          { kind: 'window', edge: 'end' },
        ],
      }),
    ).toBe('{base_url}/v1/{tenant_token}/logs?since={cursor}{window.end}');
  });
  it('origins compare scheme, host and port (RFC 6454)', () => {
    expect(originOf('https://api.example/v1?x=1')).toBe('https://api.example');
    expect(originOf('https://api.example:443/')).toBe('https://api.example');
    expect(originOf('http://api.example/')).not.toBe(originOf('https://api.example/'));
    expect(originOf('https://api.example:8443/')).toBe('https://api.example:8443');
    expect(originOf('https://u:p@api.example/')).toBe('https://api.example');
    expect(originOf('data:text/plain,x')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
  });
});

describe('cursor instants', () => {
  it('compares RFC 3339 at sub-millisecond precision and across offsets', () => {
    const iso = { kind: 'iso8601' } as const;
    const a = instantNanos('2024-11-13T15:30:45.123455Z', iso) as bigint;
    const b = instantNanos('2024-11-13T15:30:45.123456Z', iso) as bigint;
    expect(b - a).toBe(1000n);
    expect(instantNanos('2024-11-13T16:02:10.5+05:30', iso)).toBe(instantNanos('2024-11-13T10:32:10.500Z', iso));
    expect(instantNanos('13/11/2024', iso)).toBeUndefined();
    expect(instantNanos(1731511845123, { kind: 'unix_ms' })).toBe(1731511845123n * 1_000_000n);
    expect(instantNanos('13/11/2024', datePatternFormat('dd/MM/yyyy'))).toBe(
      BigInt(Date.UTC(2024, 10, 13)) * 1_000_000n,
    );
  });
  it('formats window bounds in the window format', () => {
    const ms = Date.UTC(2024, 0, 5, 7, 8, 9, 10);
    expect(formatInstant(ms, datePatternFormat('dd/MM/yyyy'))).toBe('05/01/2024');
    expect(formatInstant(ms, datePatternFormat('yyyy-MM-dd HH:mm:ss.SSS'))).toBe('2024-01-05 07:08:09.010');
    expect(formatInstant(ms, { kind: 'iso8601' })).toBe('2024-01-05T07:08:09.010Z');
    expect(formatInstant(ms, { kind: 'unix' })).toBe(String(Math.floor(ms / 1000)));
    expect(formatInstant(ms, { kind: 'unix_ms' })).toBe(String(ms));
  });
});

describe('buildRequest', () => {
  const t = (text: string) => ({ parts: [{ kind: 'text' as const, text }] });
  const req: RequestIR = {
    method: 'POST',
    url: {
      parts: [
        { kind: 'setting', name: 'base_url' },
        { kind: 'text', text: '/q' },
      ],
    },
    headers: [
      { name: 'X-Org', value: { parts: [{ kind: 'setting', name: 'org' }] }, omitIfEmpty: true },
      { name: 'Accept', value: t('application/json'), omitIfEmpty: false },
    ],
    query: [
      { name: 'limit', value: t('50'), omitIfEmpty: false },
      { name: 'opt', value: { parts: [{ kind: 'setting', name: 'org' }] }, omitIfEmpty: true },
    ],
    body: {
      kind: 'object',
      entries: [
        { key: 'since', value: { kind: 'string', template: { parts: [{ kind: 'cursor' }] } } },
        { key: 'n', value: { kind: 'number', value: 1 } },
      ],
    },
  };
  it('renders settings, omits empty optional items, and places pagination values in query and body', () => {
    const r = buildRequest(req, { settings: { base_url: 'https://h.example/api' }, cursor: '2024-01-01T00:00:00Z' }, [
      { at: { in: 'query', name: 'limit' }, value: 10 },
      { at: { in: 'body', path: ['page', 'token'] }, value: 'abc' },
    ]);
    expect(r).toEqual({
      method: 'POST',
      url: 'https://h.example/api/q?limit=10',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ since: '2024-01-01T00:00:00Z', n: 1, page: { token: 'abc' } }),
      urlTemplate: '{base_url}/q',
    });
  });
  it('uses a next link as is', () => {
    const r = buildRequest(
      { ...req, method: 'GET', body: undefined },
      { settings: { base_url: 'https://h.example' } },
      [],
      'https://h.example/q?page=2',
    );
    expect(r.url).toBe('https://h.example/q?page=2');
  });
  it('refuses a body on GET and an invalid URL', () => {
    expect(() =>
      buildRequest({ ...req, method: 'GET' }, { settings: { base_url: 'https://h.example' }, cursor: 'x' }, []),
    ).toThrow(/GET request cannot carry a JSON body/);
    expect(() => buildRequest(req, { settings: {}, cursor: 'x' }, [])).toThrow(/not a valid URL/);
  });
  it('refuses user information in the URL, naming the setting, never its value (E0802)', () => {
    const build = () =>
      buildRequest(req, { settings: { base_url: 'https://alice:s3cr3t@h.example' }, cursor: 'x' }, []);
    expect(build).toThrow(/\{base_url\}\/q carries user information .* from setting base_url/);
    expect(build).not.toThrow(/s3cr3t/);
    expect(() =>
      buildRequest(req, { settings: { base_url: 'https://h.example' }, cursor: 'x' }, [], 'https://u:p@h.example/q'),
    ).toThrow(/next link carries user information/);
  });
});
