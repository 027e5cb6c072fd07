/**
 * The incremental cursor ({@link CursorIR}) and time windows as CEL.
 *
 * - `record_max`: `state.cursor.max` holds the largest record value seen (its own text). A
 *   pagination snapshots it as `run.since` when it starts (so every page of one pagination sends
 *   the same `{cursor}`), keeps the running maximum in `run.max`, and only the page that ends the
 *   pagination returns `cursor: {"max": run.max}`: the CEL input persists a single cursor object
 *   after all that page's events are published (beats `x-pack/filebeat/input/cel/input.go`), so a
 *   run cut short re-reads from the old cursor (at least once; the document id deduplicates).
 * - `window`: `state.cursor.window_start` (RFC 3339) is the start of the next window. A window is
 *   `[start, start + step)`; a window that ends after `now` is fetched but does not move the
 *   cursor (it is fetched again next interval, until it is complete).
 *
 * The first run starts from the `initial` timestamp setting when set, else now minus the
 * look-back (a duration setting's value when set, else the literal look-back); a window cursor's
 * first window starts there aligned down to a multiple of the step since the epoch.
 *
 * @module
 */
import type { CursorInitial, DateFormat } from '../../../compiler/ir.ts';
import type { CelContext } from './context.ts';
import { formatInstant, parseInstant } from './dates.ts';
import { celOpt } from './text.ts';

/** CEL timestamp expression of the first run's starting point. */
export function initialInstant(ctx: CelContext, initial: CursorInitial): string {
  const literal = initial.lookbackSeconds > 0 ? `(now - duration("${initial.lookbackSeconds}s"))` : 'now';
  // A duration setting holds Go duration text (`1440h`), which CEL's `duration()` parses.
  const fallback =
    initial.lookbackSetting === undefined
      ? literal
      : `(${ctx.setting(initial.lookbackSetting)}).as(d, d == "" ? ${literal} : now - duration(d))`;
  if (initial.setting === undefined) return fallback;
  const value = ctx.setting(initial.setting);
  return `(${value}).as(s, s == "" ? ${fallback} : timestamp(s))`;
}

/** CEL string expression: the stored `record_max` cursor, or the initial instant in the record's format. */
export function recordMaxSince(ctx: CelContext, initial: CursorInitial, format: DateFormat, layout?: string): string {
  return `state[?"cursor"][?"max"].orValue(${formatInstant(initialInstant(ctx, initial), format, layout)})`;
}

/**
 * CEL string expression: the largest of `base` (text) and the records' `field` values, compared as
 * instants; values the format cannot parse are skipped; `base` itself when nothing parses.
 */
export function recordMax(field: readonly string[], format: DateFormat, base: string, layout?: string): string {
  const parse = (v: string): string => parseInstant(v, format, layout);
  return [
    `([${base}] + records.map(r, ${celOpt('r', field)}.orValue(dyn(null))))`,
    `  .filter(v, type(v) != null_type)`,
    // Epoch numbers are kept as their decimal text, as the `{cursor}` placeholder renders them.
    `  .map(v, type(v) == double || type(v) == int ? string(int(v)) : v)`,
    `  .filter(v, !is_error(${parse('v')}))`,
    `  .as(c, size(c) == 0 ? ${base} : c.map(v, ${parse('v')}).max().as(m, c.filter(v, ${parse('v')} == m)[0]))`,
  ].join('\n');
}

/**
 * CEL timestamp expression: the first window's start, `initial` aligned down to a multiple of
 * the step since the epoch, as the collector aligns it (`collector/run.ts`), so a daily window
 * is a UTC day whichever way the first run started.
 */
export function initialWindowStart(ctx: CelContext, initial: CursorInitial, stepSeconds: number): string {
  return `${initialInstant(ctx, initial)}.as(i, timestamp(int(i) - int(i) % ${stepSeconds}))`;
}

/** CEL timestamp expression: the start of the window to fetch now. */
export function windowStart(ctx: CelContext, initial: CursorInitial | undefined, stepSeconds: number): string {
  if (!initial) return `(now - duration("${stepSeconds}s"))`;
  return `state[?"cursor"][?"window_start"].orValue("").as(w, w != "" ? timestamp(w) : ${initialWindowStart(ctx, initial, stepSeconds)})`;
}
