/**
 * The `lookup` transform: a table inlined in the IR.
 *
 * @module
 */
import type { TransformIR } from '../ir.ts';
import { ok, SKIP, type TransformOutcome } from './outcome.ts';

type Lookup = Extract<TransformIR, { kind: 'lookup' }>;

/**
 * A string equal to a `from` key becomes its `to` (the first entry wins if keys repeat); any other
 * value, strings and non-strings alike, becomes `default`, or, without a default, makes the rule
 * write nothing and report nothing. A list table's `to` is a list, which the rule's write sets as
 * it is or appends element by element (`+=`, each value not already there).
 */
export function lookup(value: unknown, table: Lookup): TransformOutcome {
  if (typeof value === 'string') {
    const entry = table.entries.find((e) => e.from === value);
    if (entry) return ok(entry.to);
  }
  return table.default === undefined ? SKIP : ok(table.default);
}
