/**
 * Assembles the CEL program of one stream from the concern modules (auth, request, pagination,
 * window/cursor), as one expression of nested `.as(name, ...)` bindings (mito "As" macro).
 *
 * One evaluation fetches one page (or one time window) and returns the next state:
 *
 * ```
 * run start (pages = 0) → auth value → run context → request → 200?  page → result
 *                                                           429?  rate-limited result (Agent waits, re-evaluates)
 *                                                           else  error event (cursor unchanged)
 * ```
 *
 * How the Elastic Agent treats the result (beats `x-pack/filebeat/input/cel/input.go`):
 * `events` are published and removed from the state; a single `cursor` object is persisted only
 * once all of them are published; the program runs again at once when `want_more` is true *and*
 * `events` is not empty; `status_code: 429` with the response `header` makes it wait for
 * `Retry-After` and evaluate again; an `events` object (not a list) is an error event that never
 * advances the cursor. Because an empty `events` ends the run, a page with no record that must
 * still move the cursor or continue emits one control event `{"mapc_control": "empty_page"}`,
 * dropped by the stream's `drop_event` processor before it leaves the Agent.
 *
 * @module
 */
import type { CursorIR, DateFormat, PaginationIR } from '../../../compiler/ir.ts';
import type { AuthPlan } from './auth.ts';
import type { CelContext } from './context.ts';
import { recordMax, recordMaxSince, windowStart } from './cursor.ts';
import { formatInstant, goLayout } from './dates.ts';
import { NEXT_LINKS, pagePlan, type PagePlan } from './pagination.ts';
import { requestExpr, type RequestParts } from './request.ts';
import { celComment } from '../quote.ts';
import { celMap, celOpt, celSet, celString, indent } from './text.ts';

/** The field of the control event that the stream's `drop_event` processor drops. */
export const CONTROL_FIELD = 'mapc_control';

/** A Go layout for pattern formats (reported as E0421 when there is none). */
function layoutOf(ctx: CelContext, format: DateFormat, what: string): string | undefined {
  if (format.kind !== 'pattern') return undefined;
  const r = goLayout(format.pattern);
  if ('error' in r) {
    ctx.report('E0421', 'error', `${what} pattern "${format.pattern}" has no Go time layout`, ctx.source.loc, [
      `note: ${r.error}`,
    ]);
    return '2006-01-02';
  }
  return r.layout;
}

/** Canonical MIME header key, as Go's `textproto.CanonicalMIMEHeaderKey` (mito response `Header` keys). */
export function canonicalHeader(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((w) => (w === '' ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join('-');
}

interface Shape {
  readonly pagination: PaginationIR;
  readonly cursor: CursorIR | undefined;
  readonly auth: AuthPlan;
}

/** `rate_limit` entry telling the Agent to wait for the quota reset when none is left. */
function quotaEntry(ctx: CelContext): string | undefined {
  const rl = ctx.source.rateLimit;
  if (!rl.remainingHeader || !rl.resetHeader) {
    if (rl.remainingHeader || rl.resetHeader) {
      ctx.report(
        'W0422',
        'warning',
        'rate-limit quota needs both the remaining and the reset header; the quota is not tracked',
        ctx.source.loc,
      );
    }
    return undefined;
  }
  const next = rl.requestsPerSecond !== undefined ? String(rl.requestsPerSecond) : '"inf"';
  return [
    `resp.Header[?${celString(canonicalHeader(rl.remainingHeader))}].orValue([]).as(rem,`,
    `resp.Header[?${celString(canonicalHeader(rl.resetHeader))}].orValue([]).as(rst,`,
    // Header values are Go strings: string() makes them CEL strings for int().
    `  size(rem) > 0 && size(rst) > 0 && int(string(rem[0])) <= 0 ?`,
    `    optional.of({"rate": 0.0, "burst": 1, "next": ${next}, "reset": timestamp(int(string(rst[0]))).format(time_layout.RFC3339)})`,
    `  :`,
    `    optional.none()))`,
  ].join('\n');
}

function recordsExpr(ctx: CelContext): string {
  const path = ctx.source.records;
  const at = path.length === 0 ? 'body' : `${celOpt('body', path)}.orValue([])`;
  return `${at}.as(r, type(r) == list ? r : [])`;
}

function eventsExpr(ctx: CelContext): string {
  const split = ctx.source.split;
  const toEvent = '.map(r, {"message": r.encode_json()})';
  if (!split) return `records${toEvent}`;
  return [
    `records.map(r, ${celOpt('r', split.path)}.orValue(dyn(null)).as(s,`,
    `  type(s) == list && size(s) > 0 ? s.map(e, ${celSet('r', split.path, 'e')}) : [r]`,
    `)).flatten()${toEvent}`,
  ].join('\n');
}

/** The `run` context expression and the request parts plus page logic, per pagination kind. */
interface RunLogic {
  readonly run: string;
  readonly send: RequestParts;
  readonly more: string;
  /** Next `run` when more pages follow (unused for windows). */
  readonly next: string;
  /** `optional<map>` cursor to return with this page. */
  readonly cursor: string;
  /** Extra bindings around the page logic (e.g. `next_links`, `max`). */
  readonly bindings: readonly { readonly name: string; readonly expr: string }[];
  readonly scope: { readonly cursor?: string; readonly windowStart?: string; readonly windowEnd?: string };
  /** Whether `state.run` carries the pagination between evaluations (windows recompute it from the cursor). */
  readonly keepsRun: boolean;
}

function windowLogic(
  ctx: CelContext,
  p: Extract<PaginationIR, { kind: 'time_window' }>,
  cursor: CursorIR | undefined,
): RunLogic {
  if (cursor?.kind === 'record_max') {
    ctx.report(
      'E0420',
      'error',
      'a record_max cursor cannot drive time-window pagination in the CEL input',
      cursor.loc,
      ['help: use `cursor { start setting.X }` (a window cursor) with `paginate time_window`'],
    );
  }
  const layout = layoutOf(ctx, p.format, 'window format');
  const start = windowStart(ctx, cursor?.kind === 'window' ? cursor.initial : undefined, p.stepSeconds);
  const run = `${start}.as(ws, {"start": ws.format(time_layout.RFC3339Nano), "end": (ws + duration("${p.stepSeconds}s")).format(time_layout.RFC3339Nano)})`;
  const complete = 'timestamp(run.end) <= now';
  return {
    run,
    send: {},
    // The next window starts at this one's end: more to fetch while that is before now.
    more: 'timestamp(run.end) < now',
    next: 'run',
    // A complete window moves the cursor to its end. The very first window, when incomplete,
    // still anchors the cursor at its start so that later runs do not slide with `now`.
    cursor:
      cursor?.kind === 'window'
        ? `${complete} ? optional.of({"window_start": run.end}) : has(state.cursor) ? optional.none() : optional.of({"window_start": run.start})`
        : 'optional.none()',
    bindings: [],
    keepsRun: false,
    scope: {
      windowStart: formatInstant('timestamp(run.start)', p.format, layout),
      windowEnd: formatInstant('timestamp(run.end)', p.format, layout),
    },
  };
}

function pagedLogic(
  ctx: CelContext,
  p: Exclude<PaginationIR, { kind: 'time_window' }>,
  cursor: CursorIR | undefined,
): RunLogic {
  const plan: PagePlan = pagePlan(p);
  const fresh = [...plan.fresh];
  const bindings: { name: string; expr: string }[] = [];
  if (p.kind === 'link_header') bindings.push({ name: 'next_links', expr: NEXT_LINKS });
  let next = plan.next;
  let cursorExpr = 'optional.none()';
  let scopeCursor: string | undefined;
  if (cursor?.kind === 'window') {
    ctx.report('E0420', 'error', 'a window cursor needs time-window pagination', cursor.loc);
  } else if (cursor?.kind === 'record_max') {
    const layout = layoutOf(ctx, cursor.format, 'cursor format');
    fresh.unshift({ key: 'since', value: recordMaxSince(ctx, cursor.initial, cursor.format, layout) });
    bindings.push({
      name: 'max',
      expr: recordMax(cursor.field, cursor.format, 'run[?"max"].orValue(run.since)', layout),
    });
    next = `(${next}).with({"max": max})`;
    cursorExpr = 'more ? optional.none() : optional.of({"max": max})';
    scopeCursor = 'run.since';
  }
  return {
    run: `has(state.run) ? state.run : ${celMap(fresh)}`,
    send: plan.send,
    more: plan.more,
    next,
    cursor: cursorExpr,
    bindings,
    keepsRun: true,
    scope: scopeCursor === undefined ? {} : { cursor: scopeCursor },
  };
}

/** Wraps `body` in `.as` bindings, outermost first. */
function bind(bindings: readonly { readonly name: string; readonly expr: string }[], body: string): string {
  let out = body;
  for (const b of [...bindings].reverse()) out = `(\n${indent(b.expr, 2)}\n).as(${b.name},\n${out})`;
  return out;
}

/** The CEL program text for the context's stream. */
export function programText(ctx: CelContext, auth: AuthPlan): string {
  const src = ctx.source;
  const shape: Shape = { pagination: src.pagination, cursor: src.cursor, auth };
  const logic =
    shape.pagination.kind === 'time_window'
      ? windowLogic(ctx, shape.pagination, shape.cursor)
      : pagedLogic(ctx, shape.pagination, shape.cursor);

  const scope = ctx.scope(false, logic.scope);
  const send: RequestParts = {
    ...logic.send,
    headers: [...(logic.send.headers ?? []), ...shape.auth.headers],
    decorate: shape.auth.decorate,
  };
  const request = requestExpr(src.request, scope, ctx.missing('data request', src.loc), send);
  const cap = src.maxPagesPerRun;
  const keepAuth = shape.auth.caches ? ', "auth": auth' : '';
  const dropAuth = shape.auth.caches ? ', "auth": {}' : '';
  const quota = quotaEntry(ctx);
  const quotaField = quota ? `,\n  ?"rate_limit": ${quota.replace(/\n/g, '\n  ')}` : '';
  const what = celString(`${src.request.method} ${ctx.stream.dataset}`);

  const pageResult = [
    logic.keepsRun ? `(more ? state.with({"run": ${logic.next}}) : state.drop("run")).with({` : 'state.with({',
    `  "events": size(events) == 0 && (want || cursor.hasValue() && cursor.value() != state[?"cursor"].orValue({})) ?`,
    `    [{${celString(CONTROL_FIELD)}: "empty_page"}]`,
    `  :`,
    `    events,`,
    `  ?"cursor": cursor,`,
    `  "pages": int(state.pages) + 1,`,
    `  "retries": 0,`,
    `  "want_more": want${keepAuth}${quotaField}`,
    `})`,
  ].join('\n');

  const page = bind(
    [
      { name: 'records', expr: recordsExpr(ctx) },
      ...logic.bindings,
      { name: 'more', expr: logic.more },
      { name: 'want', expr: `more && int(state.pages) + 1 < ${cap}` },
      { name: 'cursor', expr: logic.cursor },
      { name: 'events', expr: eventsExpr(ctx) },
    ],
    pageResult,
  );

  const retry429 = src.rateLimit.retryAfter
    ? [
        `resp.StatusCode == 429 && int(state.retries) < ${src.retry.maxAttempts} ?`,
        `  // The Agent waits for Retry-After (or the quota reset) and evaluates again with this state.`,
        `  state.with({"events": [], "status_code": 429, "header": resp.Header, "retries": int(state.retries) + 1, "want_more": true${keepAuth}${quotaField}})`,
        `:`,
      ]
    : [];

  const httpError = [
    `state.with({`,
    `  "events": {"error": {`,
    `    "code": string(resp.StatusCode),`,
    `    "id": resp.Status,`,
    `    "message": ${what} + ": " + resp.Status + (size(resp.Body) != 0 ? ": " + bytes(resp.Body).to_valid_utf8("?") : ""),`,
    `  }},`,
    `  "retries": 0,`,
    `  "want_more": false${shape.auth.caches ? ',\n  "auth": resp.StatusCode == 401 ? {} : auth' : ''}`,
    `})`,
  ];

  // Only the token exchange acquires something before the request; other kinds skip the step.
  const authStep = shape.auth.caches
    ? [
        `// auth: the cached token, or a new one`,
        `(`,
        indent(shape.auth.acquire, 2),
        `).as(auth,`,
        `has(auth.error) ?`,
        `  state.with({"events": {"error": auth.error}, "want_more": false${dropAuth}})`,
        `:`,
      ]
    : [];
  const closing = ')'.repeat(shape.auth.caches ? 5 : 4);

  const header = [
    `// mapc: ${celComment(ctx.ir.title)} ${celComment(ctx.stream.title)} (${celComment(ctx.stream.dataset)}), generated from ${celComment(ctx.ir.sourceFile)}.`,
    `// auth ${src.auth.kind}; pagination ${src.pagination.kind}; cursor ${src.cursor?.kind ?? 'none'}; split ${src.split ? celComment(src.split.path.join('.')) : 'none'}.`,
  ];

  return [
    ...header,
    `(`,
    `  // The Agent hands back an empty cursor before the first one is published: drop it so that`,
    `  // pages that do not move the cursor persist nothing.`,
    `  state[?"cursor"].orValue({}).size() == 0 ? state.drop("cursor") : state`,
    `).as(state, (`,
    `  // A periodic run starts when the previous evaluation wanted no more: reset the page count.`,
    `  state.?want_more.orValue(false) ? state : state.with({"pages": 0, "retries": 0})`,
    `).as(state,`,
    ...authStep,
    `// the pagination in progress, or a new one`,
    `(`,
    indent(logic.run, 2),
    `).as(run,`,
    `// request`,
    `${request}.do_request().as(resp,`,
    `resp.StatusCode == 200 ?`,
    `  bytes(resp.Body).decode_json().as(body,`,
    indent(page, 2),
    `  )`,
    `:`,
    ...retry429,
    ...httpError,
    closing,
  ].join('\n');
}
