/**
 * What the lookup-table suites share (./list-tables.test.ts, ./text-tables.test.ts): a compiled
 * map with its lookups' tables replaced by drawn ones.
 *
 * @module
 */
import type { IntegrationIR, StreamIR, TransformIR } from '../../compiler/ir.ts';

/** A drawn table: entries in order (a repeated key allowed: the first wins), maybe a default. */
export interface DrawnTable<T extends string | readonly string[]> {
  readonly entries: readonly { readonly from: string; readonly to: T }[];
  readonly default?: T | undefined;
}

/**
 * `ir` with the tables of its first stream's lookups replaced by `tables`, in rule order (cycling
 * when there are more lookups than tables); `list` says whether the tables yield lists.
 */
export function withTables<T extends string | readonly string[]>(
  ir: IntegrationIR,
  tables: readonly DrawnTable<T>[],
  list: boolean,
): IntegrationIR {
  const [stream, ...others] = ir.streams as [StreamIR, ...StreamIR[]];
  let i = 0;
  const rules = stream.mapping.rules.map((r) => {
    if (r.value.kind !== 'field') return r;
    const transforms = r.value.transforms.map((t): TransformIR => {
      if (t.kind !== 'lookup') return t;
      const drawn = tables[i++ % tables.length];
      if (!drawn) throw new Error('no drawn tables');
      const { default: _default, defaultLoc: _defaultLoc, list: _list, ...rest } = t;
      return {
        ...rest,
        entries: drawn.entries.map((e) => ({ from: e.from, to: e.to })),
        ...(drawn.default !== undefined ? { default: drawn.default } : {}),
        ...(list ? { list: true } : {}),
      };
    });
    return { ...r, value: { ...r.value, transforms } };
  });
  return { ...ir, streams: [{ ...stream, mapping: { ...stream.mapping, rules } }, ...others] };
}
