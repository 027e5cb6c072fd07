/**
 * Where the records are in a response page, for `mapc init --response`: the first array of
 * objects, breadth first (shallower paths first, then key order), `[]` when the page itself is
 * one.
 *
 * @module
 */
import type { FieldPath } from '../ir.ts';

function isObjectArray(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
  );
}

/** The path of the first non-empty array of objects in `page`, or undefined when there is none. */
export function findRecordsPath(page: unknown): FieldPath | undefined {
  let level: { path: FieldPath; value: unknown }[] = [{ path: [], value: page }];
  while (level.length > 0) {
    for (const { path, value } of level) if (isObjectArray(value)) return path;
    const next: { path: FieldPath; value: unknown }[] = [];
    for (const { path, value } of level) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      for (const [key, child] of Object.entries(value)) next.push({ path: [...path, key], value: child });
    }
    level = next;
  }
  return undefined;
}
