/**
 * The incremental state of a stream as the CEL program keeps it: what one page does to the
 * cursor the Elastic Agent persists (IR module doc, "Run-time safety and incremental state";
 * SEMANTICS §1 and §2).
 *
 * The persisted `cursor` holds the **committed cursor** (`{"max": <record text>}` for a
 * `record_max` cursor; `{"since": <RFC 3339>}`, the starting point, for a `next_page` cursor;
 * nothing without a cursor) and, while a page sequence is in progress,
 * `seq`: the position of the next page (`token`, `page`, `offset` or `url`, see `pagination.ts`),
 * `max` (the largest record value seen so far in the sequence), `seen` (digests of the positions
 * already fetched, for loop detection: the first 16 hex digits of their SHA-256, the last
 * {@link SEEN_LIMIT} kept) and `empty` (pages in a row without records that still claimed more).
 * Every page publishes its cursor with its events (the CEL input persists a single cursor object
 * once all the events before it are published, beats `x-pack/filebeat/input/cel/input.go`), so
 * a run that stops after any page (the page cap, an error answer, an Agent restart) resumes at
 * the next page with the same committed cursor in the request. The committed cursor moves only
 * when the sequence completes (no next page): to the largest record value of the whole sequence,
 * compared as instants whatever the order of the records, never below the committed one.
 *
 * After each page, one `step`:
 * - `complete`: no next page; the cursor becomes the new committed cursor (with a `next_page`
 *   cursor, plus `seq`: the position the next run polls, see {@link pollPosition});
 * - `next`: the sequence goes on at the next position;
 * - `origin` (next URL not on the configured origin, or with user information) and `credential`
 *   (the next position contains a credential): nothing is requested or stored; the cursor stays
 *   where it was and an error event follows;
 * - `loop` (a position already fetched in this sequence) and `empty` (a fourth page in a row
 *   without records that claims more): the sequence is discarded (the cursor becomes the
 *   committed cursor alone) and an error event follows.
 * The page's records are published in every case (at least once; the document id deduplicates).
 * An error event cannot carry a cursor (the input drops the cursor of an error object), so a
 * step that both changes the cursor and reports an error publishes the page with the new cursor
 * and keeps the error in `state.failure`, which the next evaluation publishes.
 *
 * Time windows: each window is a sequence of one page; a window whose end is before now
 * completes and commits its end as `{"window_start": <RFC 3339>}`.
 *
 * The first run (no persisted cursor) saves the initial cursor (the backfill setting, else now
 * minus the look-back) with a control event before its first request (`initial`), so that a
 * first run that fails does not make the next one start later.
 *
 * @module
 */
import {
  requestUsesNow,
  type CursorIR,
  type DateFormat,
  type PaginationIR,
  type SourceSpan,
} from '../../../compiler/ir.ts';
import type { AuthPlan } from './auth.ts';
import type { CelContext } from './context.ts';
import { initialInstant, initialWindowStart, recordMax, recordMaxSince, windowStart } from './cursor.ts';
import { formatInstant, goLayout } from './dates.ts';
import { fixedErrorEvent } from './failure.ts';
import { holdsCredential, hasUserinfo, originExpr } from './origin.ts';
import { NEXT_URL, pagePlan } from './pagination.ts';
import type { RequestParts } from './request.ts';
import { celMap, celOpt, celString } from './text.ts';

/**
 * CEL string: `{now}` for a sequence that starts now, RFC 3339 in UTC with whole seconds
 * (`timestamp(int)` is UTC whatever the Agent's time zone; Go's RFC 3339 layout writes `Z`), as
 * the collector's `requestTime`.
 */
export const REQUEST_TIME = 'timestamp(int(now)).format(time_layout.RFC3339)';

/** How many position digests a sequence keeps for loop detection. */
export const SEEN_LIMIT = 1000;

/** Consecutive pages without records that may still claim more (SEMANTICS §2). */
export const EMPTY_PAGE_LIMIT = 3;

/** A `name` bound to a CEL expression with mito's `as` macro. */
export interface Binding {
  readonly name: string;
  readonly expr: string;
}

/** What the program needs from the incremental state of one stream. */
export interface PageLogic {
  /** CEL map bound as `run`: the position of the page to fetch, and `since` (the committed cursor text). */
  readonly run: string;
  readonly send: RequestParts;
  /** Bindings after `records`, in order; the last ones are `cursor`, `failure` and `want`. */
  readonly bindings: readonly Binding[];
  readonly scope: {
    readonly cursor?: string;
    readonly now?: string;
    readonly windowStart?: string;
    readonly windowEnd?: string;
    readonly windowComplete?: string;
  };
  /**
   * For kinds that keep a sequence: CEL bool, the request just sent resumed a sequence from an
   * earlier run; and the CEL map of the cursor that discards the sequence.
   */
  readonly restart?: { readonly resumed: string; readonly cursor: string };
  /**
   * For cursors with a starting point: the CEL map of the initial cursor (the backfill setting,
   * else now minus the look-back), saved before the first request (SEMANTICS §1.6) so that later
   * runs do not slide with now.
   */
  readonly initial?: string;
}

/** A Go layout for pattern formats (reported as E0421 when there is none). */
function layoutOf(ctx: CelContext, format: DateFormat, what: string, loc: SourceSpan): string | undefined {
  if (format.kind !== 'pattern') return undefined;
  const r = goLayout(format.pattern);
  if ('error' in r) {
    ctx.report('E0421', 'error', `${what} pattern "${format.pattern.text}" has no Go time layout`, loc, [
      `note: ${r.error}`,
    ]);
    return '2006-01-02';
  }
  return r.layout;
}

/** CEL: `map[key]` when the map has the key, else `fallback` (see `pagedLogic` on optionals). */
function entry(map: string, key: string, fallback: string): string {
  return `(${celString(key)} in ${map} ? ${map}[${celString(key)}] : ${fallback})`;
}

/** CEL string: a short digest of the string expression `text`. */
function digest(text: string): string {
  return `string(${text}).sha256().hex().substring(0, 16)`;
}

/** The page logic of time-window pagination. */
export function windowLogic(
  ctx: CelContext,
  p: Extract<PaginationIR, { kind: 'time_window' }>,
  cursor: CursorIR | undefined,
): PageLogic {
  if (cursor?.kind === 'record_max') {
    ctx.report(
      'E0420',
      'error',
      'a record_max cursor cannot drive time-window pagination in the CEL input',
      cursor.loc,
      ['help: use `cursor { start setting.X }` (a window cursor) with `paginate time_window`'],
    );
  }
  const layout = layoutOf(ctx, p.format, 'window format', p.loc);
  const start = windowStart(ctx, cursor?.kind === 'window' ? cursor.initial : undefined, p.stepSeconds);
  const run = `${start}.as(ws, {"start": ws.format(time_layout.RFC3339Nano), "end": (ws + duration("${p.stepSeconds}s")).format(time_layout.RFC3339Nano)})`;
  const complete = 'timestamp(run.end) <= now';
  const initial =
    cursor?.kind === 'window'
      ? `{"window_start": ${initialWindowStart(ctx, cursor.initial, p.stepSeconds)}.format(time_layout.RFC3339Nano)}`
      : undefined;
  return {
    ...(initial ? { initial } : {}),
    run,
    send: {},
    bindings: [
      // The next window starts at this one's end: more to fetch while that is before now.
      { name: 'more', expr: 'timestamp(run.end) < now' },
      {
        name: 'cursor',
        // A complete window moves the cursor to its end (the first run saved its start first).
        expr:
          cursor?.kind === 'window'
            ? `${complete} ? optional.of({"window_start": run.end}) : optional.none()`
            : 'optional.none()',
      },
      { name: 'failure', expr: 'optional.none()' },
      { name: 'want', expr: `more && int(state.pages) + 1 < ${ctx.source.maxPagesPerRun}` },
    ],
    scope: {
      now: REQUEST_TIME,
      windowStart: formatInstant('timestamp(run.start)', p.format, layout),
      windowEnd: formatInstant('timestamp(run.end)', p.format, layout),
      windowComplete: complete,
    },
  };
}

/**
 * The page logic of every other pagination. `label` names the data request in error events;
 * `baseUrl` is the CEL string of the map's request URL (its origin is the configured origin).
 */
export function pagedLogic(
  ctx: CelContext,
  p: Exclude<PaginationIR, { kind: 'time_window' }>,
  cursor: CursorIR | undefined,
  auth: AuthPlan,
  label: string,
  baseUrl: string,
): PageLogic {
  if (cursor?.kind === 'window') {
    ctx.report('E0420', 'error', 'a window cursor needs time-window pagination', cursor.loc);
  }
  const plan = pagePlan(p);
  const maxCursor = cursor?.kind === 'record_max' ? cursor : undefined;
  const pageCursor = cursor?.kind === 'next_page' ? cursor : undefined;
  const keepsSequence = p.kind !== 'none';
  const hasCursor = keepsSequence || maxCursor !== undefined;
  const bindings: Binding[] = [];

  // Direct field access, not `[?k].orValue()`: mito hands a value read through an optional from
  // the state (native Go data) to functions unconverted, and `int()` then has no overload for it.
  let run = keepsSequence
    ? `has(state.cursor) && has(state.cursor.seq) ? state.cursor.seq : ${celMap(plan.fresh)}`
    : '{}';
  // The committed cursor's entries (none without a cursor).
  let committed: string[] = [];
  let initialCursor: string | undefined;
  if (maxCursor) {
    const layout = layoutOf(ctx, maxCursor.format, 'cursor format', maxCursor.loc);
    initialCursor = `{"max": ${formatInstant(initialInstant(ctx, maxCursor.initial), maxCursor.format, layout)}}`;
    run = `(${run}).with({"since": ${recordMaxSince(ctx, maxCursor.initial, maxCursor.format, layout)}})`;
    committed = ['"max": run.since'];
    bindings.push({
      name: 'max',
      expr: recordMax(maxCursor.field, maxCursor.format, entry('run', 'max', 'run.since'), layout),
    });
  }
  if (pageCursor) {
    // `{cursor}` is the first run's starting point, kept as `since` and never moved.
    const since = formatInstant(initialInstant(ctx, pageCursor.initial), { kind: 'iso8601' });
    initialCursor = `{"since": ${since}}`;
    run = `(${run}).with({"since": state[?"cursor"][?"since"].orValue(${since})})`;
    committed = ['"since": run.since'];
  }
  // `{now}`: the instant the sequence started, kept in `seq` so that a resumed sequence sends the same.
  const keepsNow = requestUsesNow(ctx.source.request);
  if (keepsNow) run = `dyn(${run}).as(r, "now" in r ? r : r.with({"now": ${REQUEST_TIME}}))`;
  if (plan.nextIsUrl) bindings.push({ name: 'next_url', expr: NEXT_URL });
  bindings.push({ name: 'more', expr: plan.more });

  // Each check that can stop the sequence, in order: [step, CEL bool, error message].
  const checks: [string, string, string][] = [];
  const repeatable = plan.repeatable;
  if (plan.nextIsUrl) {
    checks.push([
      'origin',
      `${originExpr('next_url')} != ${originExpr(baseUrl)} || ${hasUserinfo('next_url')}`,
      'the next page link is not on the origin of the request URL; it is not followed (credentials go to the configured origin only)',
    ]);
  }
  if (repeatable) {
    // The next position's text, bound once (read from the body only when there is a next page).
    bindings.push({ name: 'next_position', expr: `more ? ${repeatable.next} : ""` });
    checks.push([
      'credential',
      holdsCredential('next_position', auth.credentials),
      'the next page position sent by the API contains a credential; it is neither followed nor stored',
    ]);
    bindings.push({
      name: 'seen',
      expr: [
        `(${entry('run', 'seen', '[]')} + ${repeatable.fetched}.as(f, f.hasValue() ? [${digest('f.value()')}] : []))`,
        `  .as(l, size(l) > ${SEEN_LIMIT} ? tail(l, size(l) - ${SEEN_LIMIT}) : l)`,
      ].join('\n'),
    });
    checks.push([
      'loop',
      `${digest('next_position')}.as(d, seen.exists(s, s == d))`,
      'pagination loop: the next page position repeats one already fetched in this page sequence; the sequence is discarded',
    ]);
  }
  if (plan.countsEmptyPages) {
    checks.push([
      'empty',
      `size(records) == 0 && int(${entry('run', 'empty', '0')}) >= ${EMPTY_PAGE_LIMIT}`,
      `pagination loop: ${EMPTY_PAGE_LIMIT + 1} pages in a row without records while the API claims more; the sequence is discarded`,
    ]);
  }
  const step = [
    '!more ? "complete" :',
    ...checks.map(([name, test]) => `${test} ? ${celString(name)} :`),
    '"next"',
  ].join('\n');
  bindings.push({ name: 'step', expr: step });

  const seqEntries = [
    ...(keepsNow ? ['"now": run.now'] : []),
    ...(maxCursor ? ['"max": max'] : []),
    ...(repeatable ? ['"seen": seen'] : []),
    ...(plan.countsEmptyPages ? [`"empty": size(records) == 0 ? int(${entry('run', 'empty', '0')}) + 1 : 0`] : []),
  ];
  const nextSeq = seqEntries.length === 0 ? plan.next : `dyn(${plan.next}).with({${seqEntries.join(', ')}})`;
  if (pageCursor) {
    bindings.push({ name: 'poll', expr: `step == "complete" ? ${pollPosition(p, baseUrl, auth)} : dyn({})` });
  }
  const completed = maxCursor
    ? '{"max": max}'
    : pageCursor
      ? `poll.as(r, size(r) == 0 ? {${committed.join(', ')}} : {${[...committed, '"seq": r'].join(', ')}})`
      : '{}';
  const discards = checks.filter(([name]) => name === 'loop' || name === 'empty').map(([name]) => `step == "${name}"`);
  const cursorExpr = !hasCursor
    ? 'optional.none()'
    : [
        `step == "complete" ? optional.of(${completed}) :`,
        ...(keepsSequence
          ? [`step == "next" ? optional.of({${[...committed, `"seq": ${nextSeq}`].join(', ')}}) :`]
          : []),
        ...(discards.length > 0 ? [`${discards.join(' || ')} ? optional.of({${committed.join(', ')}}) :`] : []),
        'optional.none()',
      ].join('\n');
  bindings.push({ name: 'cursor', expr: cursorExpr });
  bindings.push({
    name: 'failure',
    expr:
      checks.length === 0
        ? 'optional.none()'
        : `{${checks.map(([name, , message]) => `${celString(name)}: ${fixedErrorEvent(label, message)}`).join(',\n ')}}[?step]`,
  });
  bindings.push({ name: 'want', expr: `step == "next" && int(state.pages) + 1 < ${ctx.source.maxPagesPerRun}` });

  return {
    ...(initialCursor ? { initial: initialCursor } : {}),
    run: `dyn(${run})`,
    send: plan.send,
    bindings,
    scope: {
      ...(maxCursor || pageCursor ? { cursor: 'run.since' } : {}),
      ...(keepsNow ? { now: 'run.now' } : {}),
    },
    ...(keepsSequence
      ? {
          restart: {
            resumed: 'int(state.pages) == 0 && state[?"cursor"][?"seq"].hasValue()',
            cursor: `{${committed.join(', ')}}`,
          },
        }
      : {}),
  };
}

/**
 * CEL map: where the next run polls after a complete sequence (`cursor { next_page }`, the
 * collector's `pollPosition`): the last page's `cursor_has_more` token, else the token it was
 * fetched with, else `{}` (the next run sends the map's own request); the last page's next link
 * when it is on the configured origin without user information, else the URL the page came
 * from. A position holding a credential is never kept (`{}`); other paginations keep none (the
 * checks allow `next_page` only with these two, E0195).
 */
function pollPosition(p: PaginationIR, baseUrl: string, auth: AuthPlan): string {
  if (p.kind === 'cursor_has_more') {
    const token = `${celOpt('body', p.tokenPath)}.orValue(dyn(null)).as(t, type(t) != null_type && string(t) != "" ? string(t) : run[?"token"].orValue(""))`;
    return `${token}.as(t, t == "" || ${holdsCredential('t', auth.credentials)} ? dyn({}) : dyn({"token": t}))`;
  }
  if (p.kind !== 'link_header') return 'dyn({})';
  const kept = `next_url != "" && ${originExpr('next_url')} == ${originExpr(baseUrl)} && !${hasUserinfo('next_url')}`;
  return `(${kept} ? next_url : page_url).as(u, ${holdsCredential('u', auth.credentials)} ? dyn({}) : dyn({"url": u}))`;
}
