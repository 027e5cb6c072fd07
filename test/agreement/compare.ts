/**
 * Comparing engine outputs: documents are JSON objects, whose key order carries no meaning (VRL
 * objects are sorted maps, Elasticsearch and Logstash keep insertion order), so outputs are
 * compared by a canonical text with keys sorted at every level. Array order is kept: it is part
 * of the document.
 *
 * @module
 */
import { DATE_TEXT, withoutCollectionTime } from '../engines/vrl/harness.ts';

/** JSON text with object keys sorted recursively; `undefined` members are dropped as JSON does. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(object)
        .sort()
        .map((k) => [k, sortKeys(object[k])]),
    );
  }
  return value;
}

/** An engine output or an expected fixture output: a document, or a crash without one. */
type Output = { readonly doc?: unknown; readonly crash?: unknown };

/**
 * Step 8 of compiler/ir.ts: when no rule wrote `@timestamp`, an engine keeps the collection time
 * its pipeline was given or assigned (the Elastic Agent event's, Vector's source `timestamp` or
 * `now()`), while the reference interpreter leaves it unset. So an engine's `@timestamp` is
 * compared only where the interpreter's document has one; elsewhere it is taken out of the
 * engine's document, and only when it is a date in mapc's form `yyyy-MM-ddTHH:mm:ss.SSSZ`
 * (`DATE_TEXT`): any other value stays, so that the comparison shows it.
 *
 * @param reference the interpreter's output (or the expected fixture output) for the record.
 * @returns `output` with its collection time removed where the reference has no `@timestamp`;
 *   outputs without a document (crashes) unchanged.
 */
export function withoutEngineStamp<T extends Output>(output: T, reference: Output | undefined): T {
  if (output.doc === undefined || reference?.doc === undefined) return output;
  return { ...output, doc: withoutCollectionTime(output.doc, reference.doc) };
}

/**
 * The `@timestamp` an engine assigned where the reference has none, when it is not a date in
 * mapc's form; `undefined` when there is no such stamp or it has the form.
 */
export function malformedStamp(output: Output | undefined, reference: Output | undefined): unknown {
  const doc = output?.doc as Record<string, unknown> | undefined;
  const ref = reference?.doc as Record<string, unknown> | undefined;
  if (!doc || !ref || '@timestamp' in ref || !('@timestamp' in doc)) return undefined;
  const stamp = doc['@timestamp'];
  return typeof stamp === 'string' && DATE_TEXT.test(stamp) ? undefined : (stamp ?? null);
}
