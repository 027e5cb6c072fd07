/**
 * The ingest document model of the evaluator: a JSON object whose top-level keys are the source
 * fields plus the metadata keys (`_id`, ...), addressed by dotted paths as Elasticsearch's
 * `IngestDocument` does.
 *
 * Behaviours (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/ingest.html#access-source-fields
 * and elastic/elasticsearch `server/src/main/java/org/elasticsearch/ingest/IngestDocument.java`):
 * - a path is split on every `.`; a Map segment reads the key, a List segment an integer index;
 * - reading a missing key, or through a value that is neither Map nor List, throws;
 * - `has` is false instead of throwing, and true for a key whose value is `null`;
 * - `set` creates missing parent Maps, and throws on a non-container (or null) parent;
 * - `remove` throws when the field is missing; removing a leaf keeps its parents.
 *
 * Java types are modelled on JSON values: a Map is a plain object, a List an array, a String a
 * string, Integer/Long an integral number, Double a non-integral number, Boolean a boolean.
 *
 * @module
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonMap = { [key: string]: Json };

export class IngestError extends Error {}

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

function segments(path: string): string[] {
  if (path === '') throw new IngestError('path cannot be null nor empty');
  return path.split('.');
}

function listIndex(list: Json[], key: string, path: string): number {
  if (!/^-?[0-9]+$/.test(key))
    throw new IngestError(`[${key}] is not an integer, cannot be used as an index as part of path [${path}]`);
  const i = Number(key);
  if (i < 0 || i >= list.length)
    throw new IngestError(`[${key}] is out of bounds for array with length [${list.length}] as part of path [${path}]`);
  return i;
}

function typeName(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'java.lang.String';
  if (typeof v === 'boolean') return 'java.lang.Boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'java.lang.Integer' : 'java.lang.Double';
  return Array.isArray(v) ? 'java.util.ArrayList' : 'java.util.HashMap';
}

export function get(doc: JsonMap, path: string): Json {
  let context: Json = doc;
  for (const key of segments(path)) {
    if (isMap(context)) {
      // Own keys only: a key such as `constructor` (a kv processor's key) is not inherited.
      if (!Object.hasOwn(context, key)) throw new IngestError(`field [${key}] not present as part of path [${path}]`);
      context = context[key]!;
    } else if (Array.isArray(context)) {
      context = context[listIndex(context, key, path)]!;
    } else {
      throw new IngestError(
        `cannot resolve [${key}] from object of type [${typeName(context)}] as part of path [${path}]`,
      );
    }
  }
  return context;
}

export function has(doc: JsonMap, path: string): boolean {
  try {
    get(doc, path);
    return true;
  } catch (e) {
    if (e instanceof IngestError) return false;
    throw e;
  }
}

/** Parent container and leaf key of `path`, creating missing parent Maps. */
function parentFor(doc: JsonMap, path: string): { parent: JsonMap | Json[]; key: string } {
  const keys = segments(path);
  let context: Json = doc;
  for (const key of keys.slice(0, -1)) {
    if (isMap(context)) {
      if (!Object.hasOwn(context, key)) setOwn(context, key, {});
      context = context[key]!;
    } else if (Array.isArray(context)) {
      context = context[listIndex(context, key, path)]!;
    } else if (context === null) {
      throw new IngestError(`cannot set [${key}] with null parent as part of path [${path}]`);
    } else {
      throw new IngestError(
        `cannot set [${key}] with parent object of type [${typeName(context)}] as part of path [${path}]`,
      );
    }
  }
  if (!isMap(context) && !Array.isArray(context)) {
    throw new IngestError(
      `cannot set [${keys.at(-1)}] with parent object of type [${typeName(context)}] as part of path [${path}]`,
    );
  }
  return { parent: context, key: keys.at(-1)! };
}

export function set(doc: JsonMap, path: string, value: Json): void {
  const { parent, key } = parentFor(doc, path);
  if (Array.isArray(parent)) parent[listIndex(parent, key, path)] = value;
  else setOwn(parent, key, value);
}

/** `map[key] = value` as a Java Map would do it: `__proto__` is a key like any other. */
function setOwn(map: JsonMap, key: string, value: Json): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

export function remove(doc: JsonMap, path: string): void {
  const keys = segments(path);
  const parentPath = keys.slice(0, -1).join('.');
  const parent = parentPath === '' ? doc : get(doc, parentPath);
  const key = keys.at(-1)!;
  if (isMap(parent)) {
    if (!(key in parent)) throw new IngestError(`field [${key}] not present as part of path [${path}]`);
    delete parent[key];
  } else if (Array.isArray(parent)) {
    parent.splice(listIndex(parent, key, path), 1);
  } else {
    throw new IngestError(`cannot remove [${key}] from object of type [${typeName(parent)}] as part of path [${path}]`);
  }
}

/** Java `Object.equals` over the JSON model (deep for Maps and Lists). */
export function javaEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => javaEquals(x, b[i]!));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && javaEquals(a[k]!, b[k]!));
  }
  return false;
}

/**
 * `appendFieldValue`: a missing field becomes a list of the values, a scalar becomes a list
 * holding it; each value (a list value contributes its elements) is added unless
 * `allowDuplicates` is false and an equal value is already present
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/append-processor.html).
 */
export function append(doc: JsonMap, path: string, value: Json, allowDuplicates: boolean): void {
  const values = Array.isArray(value) ? value : [value];
  const existing: Json = has(doc, path) ? get(doc, path) : (undefined as unknown as Json);
  const list: Json[] = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  for (const v of values) {
    if (allowDuplicates || !list.some((x) => javaEquals(x, v))) list.push(v);
  }
  set(doc, path, list);
}

export function deepCopy<T extends Json>(v: T): T {
  return structuredClone(v);
}

export { typeName };
