/**
 * Records the collector cannot pass on: a record nested deeper than {@link MAX_RECORD_DEPTH}
 * levels, or one the mapping (`--mapped`) cannot process, becomes one error event instead (IR
 * doc, "Run-time safety and incremental state", §5), and the run goes on:
 *
 * ```json
 * {"@timestamp":"…","event":{"kind":"pipeline_error","dataset":"endor_labs.audit"},
 *  "error":{"code":"E0811","message":["mapc collect: record 3 of page 2 is nested deeper than 64 levels"]},
 *  "mapc":{"collect":{"stream":"audit","page":2,"index":3}}}
 * ```
 *
 * `page` is the page's number in its page sequence (1 = the sequence's first page, counted
 * across resumed runs), `index` the record's 0-based position in that page's records array and,
 * with `split`, `element` the split element's. No record content is ever copied into the event.
 *
 * @module
 */

/** Deepest nesting passed on: the record object itself is level 1 (SEMANTICS §5). */
export const MAX_RECORD_DEPTH = 64;

/**
 * True when `value` nests objects/arrays more than `limit` levels (a scalar is level 0, an object
 * or array one more than its deepest member). Recursive, but never deeper than `limit + 1` calls:
 * it stops at the first path past the limit, so a record nested a million levels costs no more
 * stack than one nested `limit + 1` levels, and little time. Called on every record a run passes
 * on, so it allocates nothing (no work list, no `Object.values` array).
 */
export function deeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit < 1) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const c: unknown = value[i];
      if (typeof c === 'object' && c !== null && deeperThan(c, limit - 1)) return true;
    }
    return false;
  }
  const o = value as Record<string, unknown>;
  // Records come from JSON.parse: every enumerable key is an own key.
  for (const k in o) {
    const c = o[k];
    if (typeof c === 'object' && c !== null && deeperThan(c, limit - 1)) return true;
  }
  return false;
}

/** Where a record sat: see the module doc. */
export interface RecordPosition {
  readonly stream: string;
  readonly page: number;
  readonly index: number;
  readonly element?: number;
}

/**
 * The NDJSON text of an error event for the record at `position`; `reason` is the collector's
 * own text (never record content), `nowMs` the collection time.
 */
export function errorEvent(dataset: string, position: RecordPosition, reason: string, nowMs: number): string {
  const where =
    position.element === undefined
      ? `record ${position.index} of page ${position.page}`
      : `element ${position.element} of record ${position.index} of page ${position.page}`;
  return JSON.stringify({
    '@timestamp': new Date(nowMs).toISOString(),
    event: { kind: 'pipeline_error', dataset },
    error: { code: 'E0811', message: [`mapc collect: ${where} ${reason}`] },
    mapc: { collect: position },
  });
}
