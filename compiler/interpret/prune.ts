/**
 * `drop empty` (`MappingIR.dropEmpty`): the end of step 5 of the record semantics in
 * `compiler/ir.ts`, which says exactly what is removed.
 *
 * @module
 */
import type { FieldPath } from '../ir.ts';
import { isObject, type JsonObject } from './json.ts';

/** `null`, `""`, `[]` and `{}`: the values `drop empty` removes. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

/**
 * Removes every empty value ({@link isEmptyValue}) inside `value`, innermost first, in place.
 * Records are bounded by `MAX_RECORD_DEPTH` before any step runs, so the recursion is too.
 */
function prune(value: unknown): void {
  if (Array.isArray(value)) {
    let kept = 0;
    for (const element of value) {
      prune(element);
      if (!isEmptyValue(element)) value[kept++] = element;
    }
    value.length = kept;
  } else if (isObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      prune(member);
      if (isEmptyValue(member)) delete value[key];
    }
  }
}

/**
 * Prunes the value at `namespace` in `doc`; removes the namespace when nothing is left in it,
 * then each parent that is left an empty object. An empty `namespace` prunes nothing.
 */
export function dropEmptyValues(doc: JsonObject, namespace: FieldPath): void {
  if (namespace.length === 0) return;
  const parents: JsonObject[] = [doc];
  for (const key of namespace.slice(0, -1)) {
    const next = parents.at(-1)![key];
    if (!isObject(next)) return;
    parents.push(next);
  }
  const last = namespace.at(-1)!;
  const value = parents.at(-1)![last];
  if (!Array.isArray(value) && !isObject(value)) return;
  prune(value);
  if (!isEmptyValue(value)) return;
  for (let i = namespace.length - 1; i >= 0; i--) {
    const parent = parents[i]!;
    delete parent[namespace[i]!];
    if (i === 0 || Object.keys(parent).length > 0) return;
  }
}
