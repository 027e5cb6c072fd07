/**
 * The record depth bound of the record semantics (`MAX_RECORD_DEPTH` in `compiler/ir.ts`),
 * measured without recursion so that a record of any depth is judged in bounded stack.
 *
 * @module
 */
import { MAX_RECORD_DEPTH, RECORD_TOO_DEEP_MESSAGE } from '../ir.ts';

/**
 * True when `value` nests objects and arrays more than `max` levels deep (an object or array is
 * level 1, each object or array inside it one more; scalars add nothing). Walks with an explicit
 * stack and stops at the first value past the bound.
 */
export function nestedDeeperThan(value: unknown, max: number = MAX_RECORD_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, level] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (level > max) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, level + 1]);
    }
  }
  return false;
}

/** The document a record nested deeper than the bound becomes (a fresh object each call). */
export function tooDeepDocument(): Record<string, unknown> {
  return { event: { kind: 'pipeline_error' }, error: { message: [RECORD_TOO_DEEP_MESSAGE] } };
}
