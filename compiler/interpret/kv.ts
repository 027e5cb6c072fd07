/**
 * The `kv` transform (TransformIR in `compiler/ir.ts`).
 *
 * @module
 */
import { kvExcluded } from '../ir.ts';
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

/**
 * A string of `key V value` pairs separated by `F` becomes the object of its pairs (a key given
 * n ≥ 2 times: the list of its values); text outside the shape TransformIR states, and
 * non-strings, fail.
 */
export function kv(value: unknown, fieldSeparator: string, valueSeparator: string): TransformOutcome {
  if (typeof value !== 'string') return FAIL;
  const excluded = kvExcluded({ fieldSeparator, valueSeparator });
  const keyOut = new Set(excluded.key);
  const valueOut = new Set(excluded.value);
  const allowed = (text: string, out: ReadonlySet<number>): boolean => {
    if (text === '') return false;
    for (const c of text) if (out.has(c.codePointAt(0)!)) return false;
    return true;
  };
  const pairs: [string, string][] = [];
  for (const piece of value.split(fieldSeparator)) {
    const at = piece.indexOf(valueSeparator);
    if (at < 0) return FAIL;
    const key = piece.slice(0, at);
    const text = piece.slice(at + valueSeparator.length);
    if (!allowed(key, keyOut) || !allowed(text, valueOut)) return FAIL;
    pairs.push([key, text]);
  }
  const values = new Map<string, string[]>();
  for (const [key, text] of pairs) {
    const list = values.get(key);
    if (list) list.push(text);
    else values.set(key, [text]);
  }
  const object: Record<string, unknown> = {};
  for (const [key, list] of values) {
    // defineProperty: a key such as `__proto__` is an own field like any other.
    Object.defineProperty(object, key, {
      value: list.length === 1 ? list[0] : list,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return ok(object);
}
