import type { DurationLiteral, NumberLiteral, Span } from '../../../dsl/ast.ts';
import type { CheckContext } from '../context.ts';
import type { CheckRule } from '../rule.ts';

function atLeast(ctx: CheckContext, what: string, n: NumberLiteral | undefined, min: number): void {
  if (n && (!n.integer || n.value < min)) {
    ctx.error('E0119', `${what} must be an integer of at least ${min}`, n.loc, `expected an integer >= ${min}`);
  }
}

function positive(ctx: CheckContext, what: string, d: DurationLiteral | undefined, minMs = 1): void {
  if (d && d.milliseconds < minMs) {
    ctx.error(
      'E0119',
      `${what} must be at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`}`,
      d.loc,
      'too short',
    );
  }
}

function noBodyOnGet(ctx: CheckContext, method: 'GET' | 'POST', span: Span, what: string): void {
  if (method === 'GET') {
    ctx.error('E0119', `${what} on a GET request`, span, 'a GET request has no body', {
      notes: ['help: use `request POST` to send a JSON body'],
    });
  }
}

/** Numbers and durations are above their minimum (their maximums are E0128's); bodies only on POST (E0119). */
export const ValidValuesRule: CheckRule = (ctx) => ({
  Interval(item) {
    if (item.value.kind === 'Duration') positive(ctx, 'interval', item.value, 1000);
  },
  Backoff(backoff) {
    positive(ctx, 'backoff', backoff.from);
    if (backoff.to.milliseconds < backoff.from.milliseconds) {
      ctx.error('E0119', 'backoff maximum is below its base', backoff.to.loc, `shorter than ${backoff.from.raw}`, {
        secondary: [{ span: backoff.from.loc, message: 'base given here' }],
      });
    }
  },
  RateLimit(limit) {
    if (limit.requestsPerSecond && limit.requestsPerSecond.value <= 0) {
      ctx.error('E0119', 'requests_per_second must be positive', limit.requestsPerSecond.loc, 'expected a number > 0');
    }
  },
  PaginateTimeWindow(paginate) {
    positive(ctx, 'time_window step', paginate.step, 1000);
  },
  PaginatePageNumber(paginate) {
    atLeast(ctx, 'page_number start', paginate.start, 0);
    atLeast(ctx, 'page size', paginate.sizeValue, 1);
  },
  PaginateOffset(paginate) {
    atLeast(ctx, 'offset limit', paginate.limitValue, 1);
  },
  Request(request) {
    if (request.body) noBodyOnGet(ctx, request.method, request.body.loc, 'JSON body');
  },
  BodyParam(param, ancestors) {
    const stream = ancestors.find((a) => a.kind === 'Stream');
    if (stream?.kind === 'Stream' && stream.request)
      noBodyOnGet(ctx, stream.request.method, param.loc, 'pagination sent in the body');
  },
});

/** Paginations whose last page still gives a position to poll from (`cursor { next_page }`). */
const ENDS_AT_A_POSITION = ['PaginateCursorHasMore', 'PaginateLinkHeader'];

/**
 * A `cursor` without `max` or `next_page` is the next time window: it needs `time_window`
 * pagination, which in turn needs a cursor (E0113). `next_page` needs a pagination whose last
 * page gives the position to poll from (E0195) and excludes `max` (E0196).
 */
export const CursorRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const windowed = stream.paginate?.kind === 'PaginateTimeWindow';
    const nextPage = stream.cursor?.nextPage;
    if (stream.cursor && nextPage) {
      if (stream.cursor.max) {
        ctx.error(
          'E0196',
          'the cursor keeps both the newest record value and the next page',
          nextPage,
          'next_page here',
          {
            notes: [
              "help: keep `max FIELD format F` (the newest record value) or `next_page` (the vendor's position), not both",
            ],
          },
        );
      }
      if (!stream.paginate || !ENDS_AT_A_POSITION.includes(stream.paginate.kind)) {
        ctx.error(
          'E0195',
          `next_page needs cursor_has_more or link_header pagination${stream.paginate ? '' : '; this stream has none'}`,
          nextPage,
          'no position to poll from after the last page',
          {
            notes: [
              'note: a page_token, page_number or offset sequence ends without a position to resume at',
              'help: use `max FIELD format F` to keep the newest record value instead',
            ],
          },
        );
      }
      return;
    }
    if (stream.cursor && !stream.cursor.max && !windowed) {
      ctx.error(
        'E0113',
        'cursor has no `max` and the stream has no time_window pagination',
        stream.cursor.loc,
        'nothing to keep between runs',
        {
          notes: [
            'help: add `max FIELD format FORMAT` (the newest record value is kept), or use `paginate time_window { ... }`',
          ],
        },
      );
    }
    if (windowed && !stream.cursor && stream.paginate) {
      ctx.error(
        'E0113',
        'time_window pagination needs a cursor',
        stream.paginate.loc,
        'where the next window starts is not kept',
        {
          notes: ['help: add `cursor { start setting.NAME }` (NAME: a timestamp setting for the backfill start)'],
        },
      );
    }
  },
});
