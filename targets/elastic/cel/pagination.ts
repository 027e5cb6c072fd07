/**
 * Pagination, one table entry per {@link PaginationIR} kind (time windows are in `window.ts`).
 *
 * A pagination in progress lives in `state.run` (see `context.ts`): the program starts one with
 * `fresh` entries, sends `send` (query, body or a whole URL) on each request, and after a page
 * decides `more` (CEL bool over `body`, `resp`, `records`, `run`) and the next `run` (`next`).
 * Names the expressions may use: `run` (the context), `body` (decoded JSON), `resp` (mito
 * response map: `StatusCode`, `Header` as `map<string, list<string>>` with canonical keys),
 * `records` (the page's records before split).
 *
 * @module
 */
import type { PaginationIR, ParamLocation } from '../../../compiler/ir.ts';
import type { BodyInjection } from './template.ts';
import type { RequestParts } from './request.ts';
import { celOpt } from './text.ts';

export interface PagePlan {
  /** Entries of a fresh `run` map (besides the cursor snapshot), as CEL expressions. */
  readonly fresh: readonly { readonly key: string; readonly value: string }[];
  readonly send: RequestParts;
  readonly more: string;
  readonly next: string;
}

/** Places a pagination value; `optional` values are absent on the first request. */
function place(param: ParamLocation, value: string, optional: boolean): RequestParts {
  if (param.in === 'query') return { query: [{ name: param.name, value, optional }] };
  const injection: BodyInjection = { path: param.path, value, optional };
  return { body: [injection] };
}

/** A query value must be a string; body values keep their JSON type. */
function asText(param: ParamLocation, intExpr: string): string {
  return param.in === 'query' ? `string(${intExpr})` : intExpr;
}

type Plan<K extends PaginationIR['kind']> = (p: Extract<PaginationIR, { kind: K }>) => PagePlan;

const PLANS: { readonly [K in Exclude<PaginationIR['kind'], 'time_window'>]: Plan<K> } = {
  none: () => ({ fresh: [], send: {}, more: 'false', next: 'run' }),

  page_token: (p) => ({
    fresh: [],
    send: place(p.param, 'run[?"token"]', true),
    more: `${celOpt('body', p.tokenPath)}.orValue(dyn(null)).as(t, type(t) != null_type && string(t) != "")`,
    next: `run.with({"token": string(${celOpt('body', p.tokenPath)}.value())})`,
  }),

  cursor_has_more: (p) => ({
    fresh: [],
    send: place(p.param, 'run[?"token"]', true),
    more: [
      `${celOpt('body', p.hasMorePath)}.orValue(false) == true &&`,
      `  ${celOpt('body', p.cursorPath)}.orValue(dyn(null)).as(t, type(t) != null_type && string(t) != "")`,
    ].join('\n'),
    next: `run.with({"token": string(${celOpt('body', p.cursorPath)}.value())})`,
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
      next: 'run.with({"page": int(run.page) + 1})',
    };
  },

  offset: (p) => {
    const offset = place(p.offsetParam, asText(p.offsetParam, 'int(run.offset)'), false);
    const limit = place(p.limitParam, asText(p.limitParam, String(p.limit)), false);
    const total = p.totalPath
      ? ` &&\n  ${celOpt('body', p.totalPath)}.orValue(dyn(null)).as(n, type(n) == null_type || int(run.offset) + ${p.limit} < int(n))`
      : '';
    return {
      fresh: [{ key: 'offset', value: '0' }],
      send: {
        query: [...(offset.query ?? []), ...(limit.query ?? [])],
        body: [...(offset.body ?? []), ...(limit.body ?? [])],
      },
      more: `size(records) >= ${p.limit}${total}`,
      next: `run.with({"offset": int(run.offset) + ${p.limit}})`,
    };
  },

  link_header: () => ({
    fresh: [],
    send: { urlOverride: 'run[?"next_url"]' },
    more: 'size(next_links) > 0',
    next: 'run.with({"next_url": next_links[0]})',
  }),
};

/**
 * RFC 8288 `rel="next"` targets of the response's `Link` header values (Go canonical key `Link`),
 * bound as `next_links` (a list of URL strings) around `body`. Values are split at commas, so a
 * target URL containing a comma is not supported.
 */
export const NEXT_LINKS = [
  'resp.Header[?"Link"].orValue([]).join(",").split(",")',
  '  .filter(l, l.matches("(?i)rel=\\"?next\\"?") && l.contains("<") && l.contains(">"))',
  '  .map(l, l.substring(l.index("<") + 1, l.index(">")).trim_space())',
].join('\n');

/** The plan for a non-window pagination. */
export function pagePlan(p: Exclude<PaginationIR, { kind: 'time_window' }>): PagePlan {
  return (PLANS[p.kind] as Plan<typeof p.kind>)(p as never);
}
