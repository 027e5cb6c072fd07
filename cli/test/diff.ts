/**
 * Per-field differences between an expected document (`expected.json`) and the one an engine
 * made, for `mapc test`.
 *
 * Documents are compared as JSON values: object keys in any order, arrays in order. Each
 * difference names the dotted path of the field (array elements as `[i]`, keys that are not
 * plain names quoted, e.g. `labels["a.b"]`), with the expected and the actual value; an object
 * present on one side only is reported as itself, not field by field.
 *
 * @module
 */

/** `missing`: expected, not made; `unexpected`: made, not expected; `changed`: both, unequal. */
export type FieldDifference =
  | { readonly kind: 'changed'; readonly path: string; readonly expected: unknown; readonly actual: unknown }
  | { readonly kind: 'missing'; readonly path: string; readonly expected: unknown }
  | { readonly kind: 'unexpected'; readonly path: string; readonly actual: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether two JSON values are equal (object keys in any order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  // NaN never appears in JSON; numbers, strings, booleans and null compare by value.
  return false;
}

function child(path: string, key: string): string {
  const plain = /^[A-Za-z_@][A-Za-z0-9_@-]*$/.test(key);
  if (path === '') return plain ? key : `[${JSON.stringify(key)}]`;
  return plain ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The differences, in the expected document's field order, then fields only `actual` has. */
export function diffValues(expected: unknown, actual: unknown, path = ''): FieldDifference[] {
  if (jsonEqual(expected, actual)) return [];
  if (isObject(expected) && isObject(actual)) {
    const out: FieldDifference[] = [];
    for (const [key, value] of Object.entries(expected)) {
      const at = child(path, key);
      if (!Object.hasOwn(actual, key)) out.push({ kind: 'missing', path: at, expected: value });
      else out.push(...diffValues(value, actual[key], at));
    }
    for (const [key, value] of Object.entries(actual)) {
      if (!Object.hasOwn(expected, key)) out.push({ kind: 'unexpected', path: child(path, key), actual: value });
    }
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    return expected.flatMap((item, i) => diffValues(item, actual[i], `${path}[${i}]`));
  }
  return [{ kind: 'changed', path: path === '' ? '(document)' : path, expected, actual }];
}

/** A value as one line of JSON, shortened to `max` characters. */
export function showValue(value: unknown, max = 120): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One line per difference: `path  expected X  actual Y` (or `missing`, `not expected`). */
export function renderDifferences(differences: readonly FieldDifference[], indent = '      '): string[] {
  const width = Math.min(40, Math.max(...differences.map((d) => d.path.length)));
  return differences.map((d) => {
    const path = d.path.padEnd(width);
    switch (d.kind) {
      case 'changed':
        return `${indent}${path}  expected ${showValue(d.expected)}  actual ${showValue(d.actual)}`;
      case 'missing':
        return `${indent}${path}  expected ${showValue(d.expected)}  actual (missing)`;
      case 'unexpected':
        return `${indent}${path}  expected (missing)  actual ${showValue(d.actual)}`;
    }
  });
}
