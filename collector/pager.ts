/**
 * Pagination for every `PaginationIR` kind but `time_window` (which the run loop drives window
 * by window), as pure functions of a {@link Position}: what the first request sends, what the
 * request at a position sends, and from each response the next position, or that the last page
 * was reached. Positions are what the state file keeps of a page sequence in progress, so that
 * a later run resumes where an earlier one stopped.
 *
 * @module
 */
import type { PaginationIR } from '../compiler/ir.ts';
import { getPath } from '../compiler/interpret/index.ts';
import { CollectError } from './errors.ts';
import type { Assignment } from './request.ts';

/**
 * Where a page is in its sequence: `first` (the map's own request, no pagination value), a page
 * `token` (`page_token`, `cursor_has_more`), a `page` number, an `offset`, or a next-link `url`
 * (`link_header`, absolute).
 */
export type Position =
  | { readonly kind: 'first' }
  | { readonly kind: 'token'; readonly value: string }
  | { readonly kind: 'page'; readonly value: number }
  | { readonly kind: 'offset'; readonly value: number }
  | { readonly kind: 'url'; readonly value: string };

/** What the request at a position sends: pagination values, and for `link_header` a whole URL. */
export interface PageStep {
  readonly assignments: readonly Assignment[];
  readonly url?: string;
}

export interface PageResult {
  readonly body: unknown;
  readonly headers: Headers;
  /** Records on the page (before split). */
  readonly recordCount: number;
  /** The URL the page was finally fetched from (relative `Link` targets resolve against it). */
  readonly url: string;
}

/**
 * Parses an RFC 8288 `Link` header and returns the target of the first link whose `rel`
 * (a space-separated list, case-insensitive) contains `next`, resolved against `base`.
 * @throws CollectError E0804 when that target is not a URL
 */
export function nextLink(header: string | null, base: string): string | undefined {
  if (header === null) return undefined;
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf('<', i);
    if (open < 0) return undefined;
    const close = header.indexOf('>', open);
    if (close < 0) return undefined;
    const target = header.slice(open + 1, close);
    // The link's parameters run to the next comma outside a quoted string.
    let j = close + 1;
    let quoted = false;
    while (j < header.length && (quoted || header[j] !== ',')) {
      if (header[j] === '"') quoted = !quoted;
      j++;
    }
    const params = header.slice(close + 1, j);
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) {
      try {
        return new URL(target, base).href;
      } catch {
        throw new CollectError('E0804', "the Link header's next target is not a URL");
      }
    }
    i = j + 1;
  }
  return undefined;
}

function nonEmpty(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The position of a sequence's first page. */
export function firstPosition(p: PaginationIR): Position {
  if (p.kind === 'page_number') return { kind: 'page', value: p.start };
  if (p.kind === 'offset') return { kind: 'offset', value: 0 };
  return { kind: 'first' };
}

/** Whether a stored position belongs to pagination `p` (the map may have changed since it was stored). */
export function positionFits(p: PaginationIR, pos: Position): boolean {
  switch (pos.kind) {
    case 'first':
      return p.kind === 'page_token' || p.kind === 'cursor_has_more' || p.kind === 'link_header' || p.kind === 'none';
    case 'token':
      return p.kind === 'page_token' || p.kind === 'cursor_has_more';
    case 'page':
      return p.kind === 'page_number' && pos.value >= p.start;
    case 'offset':
      return p.kind === 'offset' && pos.value >= 0;
    case 'url':
      return p.kind === 'link_header';
  }
}

/** The request values for `pos` (which must fit `p`, see {@link positionFits}). */
export function stepAt(p: PaginationIR, pos: Position): PageStep {
  switch (pos.kind) {
    case 'first':
      return { assignments: [] };
    case 'token':
      if (p.kind !== 'page_token' && p.kind !== 'cursor_has_more') break;
      return { assignments: [{ at: p.param, value: pos.value }] };
    case 'page':
      if (p.kind !== 'page_number') break;
      return {
        assignments: [
          { at: p.param, value: pos.value },
          { at: p.size.param, value: p.size.value },
        ],
      };
    case 'offset':
      if (p.kind !== 'offset') break;
      return {
        assignments: [
          { at: p.offsetParam, value: pos.value },
          { at: p.limitParam, value: p.limit },
        ],
      };
    case 'url':
      return { assignments: [], url: pos.value };
  }
  throw new CollectError('E0801', `a ${pos.kind} position does not fit ${p.kind} pagination`);
}

/**
 * The position after `page` (fetched at `pos`), or undefined when the pagination says it was
 * the last page. Loop detection is the caller's (it needs the whole sequence).
 * @throws CollectError E0804 when `has_more` is true without a cursor
 */
export function nextPosition(p: PaginationIR, pos: Position, page: PageResult): Position | undefined {
  switch (p.kind) {
    case 'none':
    case 'time_window':
      return undefined;
    case 'page_token': {
      const token = nonEmpty(getPath(page.body, p.tokenPath));
      return token === undefined ? undefined : { kind: 'token', value: token };
    }
    case 'cursor_has_more': {
      if (getPath(page.body, p.hasMorePath) !== true) return undefined;
      const cursor = nonEmpty(getPath(page.body, p.tokenPath));
      if (cursor === undefined) {
        throw new CollectError('E0804', `has_more is true but there is no cursor at ${p.tokenPath.join('.')}`);
      }
      return { kind: 'token', value: cursor };
    }
    case 'page_number':
      if (page.recordCount < p.size.value || pos.kind !== 'page') return undefined;
      return { kind: 'page', value: pos.value + 1 };
    case 'offset': {
      if (page.recordCount < p.limit || pos.kind !== 'offset') return undefined;
      const offset = pos.value + page.recordCount;
      if (p.totalPath) {
        const total = getPath(page.body, p.totalPath);
        if (typeof total === 'number' && offset >= total) return undefined;
      }
      return { kind: 'offset', value: offset };
    }
    case 'link_header': {
      const url = nextLink(page.headers.get('link'), page.url);
      return url === undefined ? undefined : { kind: 'url', value: url };
    }
  }
}

/**
 * Where the next run polls after a complete page sequence whose last page was `page`, fetched at
 * `pos` (`cursor { next_page }`, IR `CursorIR`): for `cursor_has_more`, the page's token (an API
 * such as 1Password's Events API returns one with `has_more: false`), else the token the page was
 * fetched with; for `link_header`, the page's next link when it is on `origin` without user
 * information, else the URL the page was fetched from. Undefined for other paginations, or when
 * a `cursor_has_more` sequence ends on its first page without a token (the next run sends the
 * map's own request again).
 */
export function pollPosition(p: PaginationIR, pos: Position, page: PageResult, origin: string): Position | undefined {
  if (p.kind === 'cursor_has_more') {
    const token = nonEmpty(getPath(page.body, p.tokenPath));
    if (token !== undefined) return { kind: 'token', value: token };
    return pos.kind === 'token' ? pos : undefined;
  }
  if (p.kind !== 'link_header') return undefined;
  let next: string | undefined;
  try {
    next = nextLink(page.headers.get('link'), page.url);
  } catch {
    next = undefined;
  }
  return { kind: 'url', value: next !== undefined && sameOriginPlain(next, origin) ? next : page.url };
}

/** `url` is on `origin` (RFC 6454 §4) and carries no user information. */
function sameOriginPlain(url: string, origin: string): boolean {
  try {
    const u = new URL(url);
    return u.origin === origin && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
