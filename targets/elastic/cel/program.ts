/**
 * Assembles the CEL program of one stream from the concern modules (auth, request, pagination,
 * incremental state, error events), as one expression of nested `.as(name, ...)` bindings (mito
 * "As" macro).
 *
 * One evaluation fetches one page (or one time window) and returns the next state:
 *
 * ```
 * run start (pages = 0) → pending failure? → URL settings with user information? → auth value
 *   → run (position) → request → no answer?   error event
 *                                200?          page: events + cursor (sequence.ts)
 *                                429?          rate-limited result (Agent waits, re-evaluates)
 *                                4xx on a resumed sequence?  sequence discarded, error event next
 *                                else          error event (cursor unchanged)
 * ```
 *
 * How the Elastic Agent treats the result (beats `x-pack/filebeat/input/cel/input.go`):
 * `events` are published and removed from the state; a single `cursor` object is persisted only
 * once all of them are published, and is the `state.cursor` of the next evaluation; the program
 * runs again at once when `want_more` is true *and* `events` is not empty; `status_code: 429`
 * with the response `header` makes it wait for `Retry-After` and evaluate again; an `events`
 * object (not a list) is an error event, logged at error level, that never advances the cursor.
 * Because an empty `events` ends the run, a page with no record that must still move the cursor
 * or continue emits one control event `{"mapc_control": "empty_page"}`, dropped by the stream's
 * `drop_event` processor before it leaves the Agent.
 *
 * Run-time safety (IR module doc, "Run-time safety and incremental state"):
 * - credentials go to the configured origin only: a next link on another origin is refused
 *   (`sequence.ts`); a URL setting with user information is refused; redirects are refused by the
 *   input's client, `resource.redirect.max_redirects: 0` in `stream-template.ts` (beats
 *   `x-pack/filebeat/input/cel/input.go` `checkRedirect` refuses a hop beyond the maximum, and Go
 *   calls it before the hop is sent). The program cannot refuse a redirect itself: mito's request
 *   map has no redirect option (mito `lib/http.go` v1.24.1, `doRequest` calls the shared client's
 *   `Do`), and Go's client (net/http `client.go`, Go 1.26, `makeHeadersCopier` and
 *   `shouldCopyHeaderOnRedirect`) copies every header of the first request to the hop, stripping
 *   `Authorization`, `Www-Authenticate`, `Cookie`, `Cookie2`, `Proxy-Authorization` and
 *   `Proxy-Authenticate` only when the hop's host name is neither the first one nor a subdomain
 *   of it (ports are not compared), and resends the body on 307/308. Should a client follow a
 *   redirect anyway (an input configured without the option), an answer from another origin is
 *   refused with an error event (`origin.ts` `redirectedElsewhere`), so that API cannot inject
 *   records from an origin of its choice;
 * - error events carry no text of the answer (`failure.ts`), and the only response header the
 *   program hands to the Agent is a well-formed `Retry-After`;
 * - bounds: `max_pages` pages per run, at most {@link EMPTY_PAGE_LIMIT} empty pages in a row that
 *   claim more, loop detection over the last {@link SEEN_LIMIT} positions of a sequence, and
 *   responses of at most `resource.max_body_size` bytes.
 *
 * @module
 */
import type { SourceIR } from '../../../compiler/ir.ts';
import type { AuthPlan } from './auth.ts';
import { CONTROL_FIELD, type CelContext } from './context.ts';
import {
  FAILURE_TABLES,
  REDIRECTED,
  errorEvent,
  fixedErrorEvent,
  httpErrorEvent,
  requestLabel,
  transportErrorEvent,
} from './failure.ts';
import { hasUserinfo, redirectedElsewhere } from './origin.ts';
import { requestExpr, requestUrlExpr, type RequestParts } from './request.ts';
import { EMPTY_PAGE_LIMIT, SEEN_LIMIT, pagedLogic, windowLogic, type Binding, type PageLogic } from './sequence.ts';
import { programSettings } from './stream-template.ts';
import { celOpt, celSet, celString, indent } from './text.ts';
import { templateExpr } from './template.ts';
import { celComment } from '../quote.ts';
import { fleetVariable } from '../vars.ts';

export { EMPTY_PAGE_LIMIT, SEEN_LIMIT } from './sequence.ts';

export { CONTROL_FIELD } from './context.ts';

/** A `Retry-After` value the Agent can read (RFC 9110 §10.2.3: delta-seconds or an IMF-fixdate). */
const RETRY_AFTER = '^([0-9]{1,10}|[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT)$';

/** Canonical MIME header key, as Go's `textproto.CanonicalMIMEHeaderKey` (mito response `Header` keys). */
export function canonicalHeader(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((w) => (w === '' ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join('-');
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
  const integer = (v: string): string => `size(${v}) > 0 && string(${v}[0]).matches("^-?[0-9]{1,18}$")`;
  return [
    `resp.Header[?${celString(canonicalHeader(rl.remainingHeader))}].orValue([]).as(rem,`,
    `resp.Header[?${celString(canonicalHeader(rl.resetHeader))}].orValue([]).as(rst,`,
    // Header values are Go strings: string() makes them CEL strings for int(); a value that is not
    // an integer is ignored (its text must not reach an evaluation error).
    `  ${integer('rem')} && ${integer('rst')} && int(string(rem[0])) <= 0 ?`,
    `    optional.of({"rate": 0.0, "burst": 1, "next": ${next}, "reset": timestamp(int(string(rst[0]))).format(time_layout.RFC3339)})`,
    `  :`,
    `    optional.none()))`,
  ].join('\n');
}

function recordsExpr(ctx: CelContext): string {
  const path = ctx.source.records;
  const at = path.length === 0 ? 'body' : `(type(body) == map ? ${celOpt('body', path)}.orValue([]) : [])`;
  return `${at}.as(r, type(r) == list ? r : [])`;
}

function eventsExpr(ctx: CelContext): string {
  const split = ctx.source.split;
  const toEvent = '.map(r, {"message": r.encode_json()})';
  if (!split) return `records${toEvent}`;
  return [
    `records.map(r, type(r) != map ? [r] : ${celOpt('r', split.path)}.orValue(dyn(null)).as(s,`,
    `  type(s) == list && size(s) > 0 ? s.map(e, ${celSet('r', split.path, 'e')}) : [r]`,
    `)).flatten()${toEvent}`,
  ].join('\n');
}

/** `(expr).as(name, body)`, one binding per line. */
function bind(bindings: readonly Binding[], body: string): string {
  let out = body;
  for (const b of [...bindings].reverse()) out = `(\n${indent(b.expr, 2)}\n).as(${b.name},\n${out})`;
  return out;
}

/** CEL string list of the URL settings (with the base URL) whose value carries user information. */
function userinfoSettings(ctx: CelContext, auth: AuthPlan): string {
  const urls = programSettings(ctx, auth)
    .filter((s) => s.type === 'url')
    .map((s) => [s.name, ctx.setting(s.name)] as const);
  if (ctx.urlSetting) urls.unshift([fleetVariable(ctx.ir, ctx.urlSetting), 'state.url']);
  if (urls.length === 0) return '[]';
  const pairs = urls.map(([name, value]) => `[${celString(name)}, ${value}]`).join(', ');
  return `[${pairs}].filter(p, ${hasUserinfo('p[1]')}).map(p, p[0])`;
}

interface Parts {
  readonly src: SourceIR;
  readonly logic: PageLogic;
  readonly label: string;
  readonly keepAuth: string;
  readonly quotaField: string;
}

/** The state returned for a 200 answer. */
function pageResult(ctx: CelContext, p: Parts): string {
  const result = [
    'state.with({',
    '  "events": size(events) == 0 && (want || failure.hasValue() ||',
    '      cursor.hasValue() && cursor.value() != state[?"cursor"].orValue({})) ?',
    `    [{${celString(CONTROL_FIELD)}: "empty_page"}]`,
    '  :',
    '    events,',
    '  ?"cursor": cursor,',
    '  ?"failure": failure,',
    '  "pages": int(state.pages) + 1,',
    '  "retries": 0,',
    `  "want_more": want || failure.hasValue()${p.keepAuth}${p.quotaField}`,
    '})',
  ].join('\n');
  return bind(
    [{ name: 'records', expr: recordsExpr(ctx) }, ...p.logic.bindings, { name: 'events', expr: eventsExpr(ctx) }],
    result,
  );
}

/** The branches for an answer that is not 200: 429, a refused resumed sequence, any other error. */
function errorBranches(ctx: CelContext, p: Parts, dropAuthOn401: string): string[] {
  const out: string[] = [];
  if (p.src.rateLimit.retryAfter) {
    out.push(
      `resp.StatusCode == 429 && int(state.retries) < ${p.src.retry.maxAttempts} ?`,
      `  // The Agent waits for Retry-After (or the quota reset) and evaluates again with this state.`,
      `  state.with({"events": [], "status_code": 429, "retries": int(state.retries) + 1, "want_more": true${p.keepAuth}${p.quotaField},`,
      `    "header": {"Retry-After": resp.Header[?"Retry-After"].orValue([]).filter(v, string(v).matches(${celString(RETRY_AFTER)}))}})`,
      `:`,
    );
  }
  const restart = p.logic.restart;
  if (restart) {
    // SEMANTICS §1.3: a resumed request refused with a 4xx other than 401/403/429 (an expired page
    // token) discards the sequence; the next run starts it again at its first page.
    out.push(
      `resp.StatusCode >= 400 && resp.StatusCode < 500 && !(resp.StatusCode in [401, 403, 429]) && ${restart.resumed} ?`,
      `  state.with({`,
      `    "events": [{${celString(CONTROL_FIELD)}: "sequence_restart"}],`,
      `    "cursor": ${restart.cursor},`,
      `    "failure": ${indent(httpErrorEvent(p.label, 'resp', 'the resumed page sequence is discarded and starts again at its first page'), 4).trimStart()},`,
      `    "retries": 0,`,
      `    "want_more": true${p.keepAuth}`,
      `  })`,
      `:`,
    );
  }
  out.push(
    `state.with({`,
    `  "events": ${indent(httpErrorEvent(p.label, 'resp'), 2).trimStart()},`,
    `  "retries": 0,`,
    `  "want_more": false${dropAuthOn401}`,
    `})`,
  );
  return out;
}

/** The CEL program text for the context's stream. */
export function programText(ctx: CelContext, auth: AuthPlan): string {
  const src = ctx.source;
  const label = requestLabel(src.request.method, src.request.url);
  const onMissing = ctx.missing('data request', src.loc);
  const baseUrl = templateExpr(src.request.url, ctx.scope(false), () => undefined);
  const logic =
    src.pagination.kind === 'time_window'
      ? windowLogic(ctx, src.pagination, src.cursor)
      : pagedLogic(ctx, src.pagination, src.cursor, auth, label, baseUrl);

  const scope = ctx.scope(false, logic.scope);
  const send: RequestParts = { ...logic.send, headers: [...(logic.send.headers ?? []), ...auth.headers] };
  const pageUrl = requestUrlExpr(src.request, scope, onMissing, send);
  const request = requestExpr(src.request, 'page_url', scope, onMissing, send);
  const keepAuth = auth.caches ? ', "auth": auth' : '';
  const quota = quotaEntry(ctx);
  const parts: Parts = {
    src,
    logic,
    label,
    keepAuth,
    quotaField: quota ? `,\n  ?"rate_limit": ${quota.replace(/\n/g, '\n  ')}` : '',
  };
  const dropAuthOn401 = auth.caches ? ',\n  "auth": resp.StatusCode == 401 ? {} : auth' : '';

  // Only the token kinds acquire something before the request; other kinds skip the step.
  const authStep = auth.caches
    ? [
        `// auth: the cached token, or a new one`,
        `(`,
        indent(auth.acquire, 2),
        `).as(auth,`,
        `has(auth.error) ?`,
        `  state.with({"events": auth, "want_more": false, "auth": {}})`,
        `:`,
      ]
    : [];

  // SEMANTICS §1.6: the first run saves the initial cursor before its first request.
  const initialStep = logic.initial
    ? [
        `// First run: the initial cursor is saved before the first request, so later runs do not slide with now.`,
        `!has(state.cursor) ?`,
        `  state.with({"events": [{${celString(CONTROL_FIELD)}: "initial_cursor"}], "cursor": ${logic.initial}, "want_more": true})`,
        `:`,
      ]
    : [];

  const header = [
    `// mapc: ${celComment(ctx.ir.title)} ${celComment(ctx.stream.title)} (${celComment(ctx.stream.dataset)}), generated from ${celComment(ctx.ir.sourceFile)}.`,
    `// auth ${src.auth.kind}; pagination ${src.pagination.kind}; cursor ${src.cursor?.kind ?? 'none'}; split ${src.split ? celComment(src.split.path.join('.')) : 'none'}.`,
  ];

  const body = [
    ...header,
    `(`,
    `  // The Agent hands back an empty cursor before the first one is published: drop it so that`,
    `  // pages that do not move the cursor persist nothing.`,
    `  state[?"cursor"].orValue({}).size() == 0 ? state.drop("cursor") : state`,
    `).as(state, (`,
    `  // A periodic run starts when the previous evaluation wanted no more: reset the page count.`,
    `  state.?want_more.orValue(false) ? state : state.with({"pages": 0, "retries": 0})`,
    `).as(state,`,
    `// tables for error events`,
    ...FAILURE_TABLES.map((t) => `${t.expr}.as(${t.name},`),
    `// An error found after the previous evaluation published its page and cursor: publish it now.`,
    `has(state.failure) ?`,
    `  state.drop("failure").with({"events": state.failure, "want_more": false})`,
    `:`,
    `// A URL setting with user information is refused: credentials belong in secrets.`,
    `${userinfoSettings(ctx, auth)}.as(userinfo, size(userinfo) > 0 ?`,
    `  state.with({"events": ${errorEvent(label, '"URL settings with user information are refused (put credentials in secrets): " + userinfo.join(", ")')}, "want_more": false})`,
    `:`,
    ...initialStep,
    ...authStep,
    `// the position of the page to fetch`,
    `(`,
    indent(logic.run, 2),
    `).as(run,`,
    `(`,
    indent(pageUrl, 2),
    `).as(page_url,`,
    `${request}.do_request().as(resp,`,
    `is_error(resp) ?`,
    `  state.with({"events": ${indent(transportErrorEvent(label, 'resp'), 2).trimStart()}, "retries": 0, "want_more": false${keepAuth}})`,
    `: ${indent(redirectedElsewhere('resp', 'page_url'), 2).trimStart()} ?`,
    `  state.with({"events": ${fixedErrorEvent(label, REDIRECTED)}, "retries": 0, "want_more": false${keepAuth}})`,
    `: resp.StatusCode == 200 ?`,
    `  bytes(resp.Body).decode_json().as(body, is_error(body) ?`,
    `    state.with({"events": ${indent(httpErrorEvent(label, 'resp', 'the body is not JSON'), 4).trimStart()}, "retries": 0, "want_more": false${keepAuth}})`,
    `  :`,
    indent(pageResult(ctx, parts), 2),
    `  )`,
    `:`,
    ...errorBranches(ctx, parts, dropAuthOn401),
  ];
  const closing = ')'.repeat((auth.caches ? 7 : 6) + FAILURE_TABLES.length);
  return body.join('\n') + closing;
}
