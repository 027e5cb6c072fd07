/**
 * Pagination, one table entry per {@link PaginationIR} kind (time windows are in `program.ts`).
 *
 * A page sequence in progress is held in the persisted cursor as `seq` (see `context.ts`): the
 * *position* of the next page (`token`, `page`, `offset` or `url`) plus the sequence's bookkeeping
 * (`program.ts`). Each evaluation reads it as `run` (a fresh sequence starts with `fresh`), sends
 * `send` (query, body or a whole URL), and after the page decides `more` (the pagination claims a
 * next page) and the next position `next`.
 *
 * Names the expressions may use: `run` (the position), `body` (decoded JSON), `resp` (mito
 * response map: `StatusCode`, `Header` as `map<string, list<string>>` with canonical keys),
 * `records` (the page's records before split), `page_url` (the URL just requested), and for
 * `link_header` `next_url` (see {@link NEXT_URL}).
 *
 * @module
 */
import type { PaginationIR, ParamLocation } from '../../../compiler/ir.ts';
import type { BodyInjection } from './template.ts';
import type { RequestParts } from './request.ts';
import { celOpt } from './text.ts';

export interface PagePlan {
  /** Entries of the first page's position, as CEL expressions. */
  readonly fresh: readonly { readonly key: string; readonly value: string }[];
  readonly send: RequestParts;
  /** CEL bool: the pagination claims a next page. */
  readonly more: string;
  /** CEL map: the next page's position (read only when `more`). */
  readonly next: string;
  /**
   * For positions an API can repeat (page tokens, has-more cursors, next URLs): the CEL string of
   * the next position (read only when `more`) and the CEL optional string of the position just
   * fetched. Page numbers and offsets only grow, so they need no loop detection.
   */
  readonly repeatable?: { readonly next: string; readonly fetched: string };
  /** Whether pages without records that still claim more are counted (at most 3 in a row). */
  readonly countsEmptyPages: boolean;
  /** Whether the next position is a URL that must be on the configured origin. */
  readonly nextIsUrl: boolean;
}

/**
 * Places a pagination value; `optional` values are absent on the first request. A body value
 * sent with `replace` (IR `ParamLocation.replace`, an optional page token) is the whole body
 * whenever it has a value.
 */
function place(param: ParamLocation, value: string, optional: boolean): RequestParts {
  if (param.in === 'query') return { query: [{ name: param.name, value, optional }] };
  const injection: BodyInjection = { path: param.path, value, optional };
  return param.replace ? { bodyReplace: injection } : { body: [injection] };
}

/** A query value must be a string; body values keep their JSON type. */
function asText(param: ParamLocation, intExpr: string): string {
  return param.in === 'query' ? `string(${intExpr})` : intExpr;
}

/** CEL bool: the value at `path` of `body` is a present, non-empty token. */
function hasToken(path: readonly string[]): string {
  return `${celOpt('body', path)}.orValue(dyn(null)).as(t, type(t) != null_type && string(t) != "")`;
}

type Plan<K extends PaginationIR['kind']> = (p: Extract<PaginationIR, { kind: K }>) => PagePlan;

const PLANS: { readonly [K in Exclude<PaginationIR['kind'], 'time_window'>]: Plan<K> } = {
  none: () => ({ fresh: [], send: {}, more: 'false', next: '{}', countsEmptyPages: false, nextIsUrl: false }),

  page_token: (p) => ({
    fresh: [],
    send: place(p.param, 'run[?"token"]', true),
    more: hasToken(p.tokenPath),
    next: `{"token": string(${celOpt('body', p.tokenPath)}.value())}`,
    repeatable: { next: `string(${celOpt('body', p.tokenPath)}.value())`, fetched: 'run[?"token"]' },
    countsEmptyPages: true,
    nextIsUrl: false,
  }),

  cursor_has_more: (p) => ({
    fresh: [],
    send: place(p.param, 'run[?"token"]', true),
    more: `${celOpt('body', p.hasMorePath)}.orValue(false) == true &&\n  ${hasToken(p.tokenPath)}`,
    next: `{"token": string(${celOpt('body', p.tokenPath)}.value())}`,
    repeatable: { next: `string(${celOpt('body', p.tokenPath)}.value())`, fetched: 'run[?"token"]' },
    countsEmptyPages: true,
    nextIsUrl: false,
  }),

  page_number: (p) => {
    const number = place(p.param, asText(p.param, 'int(run.page)'), false);
    const size = place(p.size.param, asText(p.size.param, String(p.size.value)), false);
    return {
      fresh: [{ key: 'page', value: String(p.start) }],
      send: {
        query: [...(number.query ?? []), ...(size.query ?? [])],
        body: [...(number.body ?? []), ...(size.body ?? [])],
      },
      more: `size(records) >= ${p.size.value}`,
      next: '{"page": int(run.page) + 1}',
      countsEmptyPages: false,
      nextIsUrl: false,
    };
  },

  offset: (p) => {
    const offset = place(p.offsetParam, asText(p.offsetParam, 'int(run.offset)'), false);
    const limit = place(p.limitParam, asText(p.limitParam, String(p.limit)), false);
    const total = p.totalPath
      ? ` &&\n  ${celOpt('body', p.totalPath)}.orValue(dyn(null)).as(n, type(n) == null_type || (type(n) == int || type(n) == double || type(n) == string && n.matches("^[0-9]{1,18}$")) && int(run.offset) + ${p.limit} < int(n))`
      : '';
    return {
      fresh: [{ key: 'offset', value: '0' }],
      send: {
        query: [...(offset.query ?? []), ...(limit.query ?? [])],
        body: [...(offset.body ?? []), ...(limit.body ?? [])],
      },
      more: `size(records) >= ${p.limit}${total}`,
      next: `{"offset": int(run.offset) + ${p.limit}}`,
      countsEmptyPages: false,
      nextIsUrl: false,
    };
  },

  // SEMANTICS §2: a page without records, or a next URL equal to the one just fetched, ends the
  // sequence normally (APIs that always send a next link while polling cost one request a run).
  link_header: () => ({
    fresh: [],
    send: { urlOverride: 'run[?"url"]' },
    more: 'next_url != "" && size(records) > 0 && next_url != page_url',
    next: '{"url": next_url}',
    repeatable: { next: 'next_url', fetched: 'optional.of(page_url)' },
    countsEmptyPages: false,
    nextIsUrl: true,
  }),
};

/**
 * CEL string bound as `next_url`: the first RFC 8288 `rel="next"` target of the response's `Link`
 * header values (Go canonical key `Link`), `""` when there is none. Values are split at commas, so
 * a target URL containing a comma is not supported. An absolute-path reference (`</v1/x?p=2>`) is
 * resolved against the origin of `page_url` (RFC 3986 §5.2); any other relative reference is kept
 * as is and so has no origin (refused).
 */
export const NEXT_URL = [
  'resp.Header[?"Link"].orValue([]).join(",").split(",")',
  '  .filter(l, l.matches("(?i)rel=\\"?next\\"?") && l.contains("<") && l.contains(">") && l.index("<") < l.index(">"))',
  '  .map(l, l.substring(l.index("<") + 1, l.index(">")).trim_space())',
  '  .as(links, size(links) == 0 ? "" : links[0].as(l,',
  '    l.startsWith("/") && !l.startsWith("//") ? page_url.parse_url().as(u, u.Scheme + "://" + u.Host + l) : l))',
].join('\n');

/** The plan for a non-window pagination. */
export function pagePlan(p: Exclude<PaginationIR, { kind: 'time_window' }>): PagePlan {
  return (PLANS[p.kind] as Plan<typeof p.kind>)(p as never);
}
