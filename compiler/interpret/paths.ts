/**
 * Reading, writing and deleting dotted paths (`FieldPath`) in JSON objects.
 *
 * Paths walk objects only: a segment never indexes into an array, so `results.secrets.secret_type`
 * is missing when `results.secrets` is an array (as in an Entro record with no secret).
 *
 * @module
 */
import type { FieldPath } from '../ir.ts';
import { getOwn, isObject, setOwn, type JsonObject } from './json.ts';

/** The value at `path`, or `undefined` when any segment is missing or crosses a non-object. `[]` is `root`. */
export function getPath(root: unknown, path: FieldPath): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (!isObject(current)) return undefined;
    current = getOwn(current, segment);
  }
  return current;
}

/** Present and not `null` (the IR's `exists`, and the "missing or null" test of step 3). */
export function hasValue(root: unknown, path: FieldPath): boolean {
  const value = getPath(root, path);
  return value !== undefined && value !== null;
}

/**
 * Writes `value` at `path` (non-empty), creating missing parent objects.
 * Returns false, writing nothing, when a parent exists but is not an object (a string, an array):
 * the interpreter reports that as a failed rule rather than silently replacing vendor data.
 */
export function setPath(root: JsonObject, path: FieldPath, value: unknown): boolean {
  const parent = parentObject(root, path, true);
  const leaf = path[path.length - 1];
  if (parent === undefined || leaf === undefined) return false;
  setOwn(parent, leaf, value);
  return true;
}

/** Deletes the leaf at `path` if present; parent objects stay, even when left empty (step 5). */
export function deletePath(root: JsonObject, path: FieldPath): void {
  const parent = parentObject(root, path, false);
  const leaf = path[path.length - 1];
  if (parent !== undefined && leaf !== undefined) delete parent[leaf];
}

/** The object holding `path`'s leaf; with `create`, missing parents become `{}`. */
function parentObject(root: JsonObject, path: FieldPath, create: boolean): JsonObject | undefined {
  let current = root;
  for (const segment of path.slice(0, -1)) {
    let next = getOwn(current, segment);
    if (next === undefined && create) {
      next = {};
      setOwn(current, segment, next);
    }
    if (!isObject(next)) return undefined;
    current = next;
  }
  return current;
}
