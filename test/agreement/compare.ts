/**
 * Comparing engine outputs: documents are JSON objects, whose key order carries no meaning (VRL
 * objects are sorted maps, Elasticsearch and Logstash keep insertion order), so outputs are
 * compared by a canonical text with keys sorted at every level. Array order is kept: it is part
 * of the document.
 *
 * @module
 */
/** JSON text with object keys sorted recursively; `undefined` members are dropped as JSON does. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(object).sort().map((k) => [k, sortKeys(object[k])]));
  }
  return value;
}
