/**
 * Pagination within one run for every `PaginationIR` kind but `time_window` (which the run loop
 * drives window by window): what the first request sends, and from each response what the next
 * one sends, or that the last page was reached.
 *
 * @module
 */
import type { PaginationIR } from '../compiler/ir.ts';
import { getPath } from '../compiler/interpret/paths.ts';
import { CollectError } from './errors.ts';
import type { Assignment } from './request.ts';

/** Where the next request goes: pagination values, and for `link_header` a whole URL. */
export interface PageStep {
  readonly assignments: readonly Assignment[];
  readonly url?: string;
}

export interface PageResult {
  readonly body: unknown;
  readonly headers: Headers;
  /** Records on the page (before split). */
  readonly recordCount: number;
  /** The URL the page was fetched from (relative `Link` targets resolve against it). */
  readonly url: string;
}

export interface Pager {
  first(): PageStep;
  /** The next step, or undefined after the last page. */
  next(page: PageResult): PageStep | undefined;
}

/**
 * Parses an RFC 8288 `Link` header and returns the target of the first link whose `rel`
 * (a space-separated list, case-insensitive) contains `next`, resolved against `base`.
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
    if (rels.includes('next')) return new URL(target, base).href;
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

export function createPager(p: PaginationIR): Pager {
  switch (p.kind) {
    case 'none':
    case 'time_window':
      return { first: () => ({ assignments: [] }), next: () => undefined };
    case 'page_token':
      return {
        first: () => ({ assignments: [] }),
        next(page) {
          const token = nonEmpty(getPath(page.body, p.tokenPath));
          return token === undefined ? undefined : { assignments: [{ at: p.param, value: token }] };
        },
      };
    case 'cursor_has_more':
      return {
        first: () => ({ assignments: [] }),
        next(page) {
          if (getPath(page.body, p.hasMorePath) !== true) return undefined;
          const cursor = nonEmpty(getPath(page.body, p.cursorPath));
          if (cursor === undefined) {
            throw new CollectError('E0804', `has_more is true but there is no cursor at ${p.cursorPath.join('.')}`);
          }
          return { assignments: [{ at: p.param, value: cursor }] };
        },
      };
    case 'page_number': {
      let number = p.start;
      const step = (): PageStep => ({
        assignments: [
          { at: p.param, value: number },
          { at: p.size.param, value: p.size.value },
        ],
      });
      return {
        first: step,
        next(page) {
          if (page.recordCount < p.size.value) return undefined;
          number++;
          return step();
        },
      };
    }
    case 'offset': {
      let offset = 0;
      const step = (): PageStep => ({
        assignments: [
          { at: p.offsetParam, value: offset },
          { at: p.limitParam, value: p.limit },
        ],
      });
      return {
        first: step,
        next(page) {
          if (page.recordCount < p.limit) return undefined;
          offset += page.recordCount;
          if (p.totalPath) {
            const total = getPath(page.body, p.totalPath);
            if (typeof total === 'number' && offset >= total) return undefined;
          }
          return step();
        },
      };
    }
    case 'link_header':
      return {
        first: () => ({ assignments: [] }),
        next(page) {
          const url = nextLink(page.headers.get('link'), page.url);
          return url === undefined ? undefined : { assignments: [], url };
        },
      };
  }
}
