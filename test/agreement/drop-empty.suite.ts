/**
 * `drop empty` (compiler/ir.ts step 5, `MappingIR.dropEmpty`) on every engine: `maps/endor_labs.map`
 * with `drop empty`, on its fixture records with random subtrees of empty and non-empty values
 * added under the namespace (`null`, `""`, `" "`, `[]`, `{}`, numbers, booleans, nested) and with
 * some of its own fields emptied. Drawn with `fc.sample` and a fixed seed; with the record schema
 * (lean output) and without (fully guarded output). The namespace `endor_labs.audit` has a
 * parent, so an emptied namespace also removes `endor_labs`.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { bundledMapWith } from '../support/bundled-map.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { failures, runAll } from './check.ts';
import type { Engine, EngineName } from './engines.ts';
import type { Json } from './generate.ts';

const SEED = 4207;
const RECORDS = 60;

/** Small JSON trees rich in empty values; keys of letters (no key is special to any engine). */
const tree: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Json>(null, '', ' ', 'x', 0, 1.5, false, true, [], {}),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,3}$/), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function withEmpties(templates: readonly Record<string, Json>[]): Record<string, Json>[] {
  const edits = fc.sample(
    fc.record({
      template: fc.nat(templates.length - 1),
      extra: fc.dictionary(fc.stringMatching(/^x[a-z]{1,3}$/), tree, { maxKeys: 3 }),
      emptied: fc.subarray(['context', 'spec', 'tenant_meta'], { maxLength: 2 }),
      to: fc.constantFrom<Json>(null, '', [], {}),
    }),
    { numRuns: RECORDS, seed: SEED },
  );
  return edits.map(({ template, extra, emptied, to }) => {
    const record: Record<string, Json> = { ...structuredClone(templates[template]!), ...extra };
    for (const key of emptied) if (key in record) record[key] = to;
    return record;
  });
}

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function dropEmptySuite(engine: (name: EngineName) => Engine): void {
  it.each([
    ['with its record schema (lean output)', false],
    ['without (fully guarded output)', true],
  ])('drops null, "", [] and {} under the namespace alike on every engine, %s', async (_label, strip) => {
    const withOption = bundledMapWith('endor_labs', '    namespace endor_labs.audit', ['    drop empty']);
    const ir = strip ? stripSchemas(withOption) : withOption;
    const stream = ir.streams[0]!;
    expect(stream.mapping.dropEmpty).toBe(true);
    const fixtures = loadFixtureRecords('endor_labs', stream.name) as Record<string, Json>[];
    const records = [...fixtures, ...withEmpties(fixtures), { ghost: null, empty: {} } as Record<string, Json>];
    const { outputs } = await runAll(
      engine,
      ir,
      stream.name,
      records.map((r) => JSON.stringify(r)),
    );
    // The interpreter pruned: no empty value is left under the namespace.
    const empty = (v: unknown): boolean =>
      v === null ||
      v === '' ||
      (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0);
    const anyEmpty = (v: unknown): boolean =>
      empty(v) || (typeof v === 'object' && v !== null && Object.values(v).some(anyEmpty));
    let pruned = 0;
    outputs.interpreter.forEach((out, i) => {
      if (out.crash !== undefined) throw new Error(`interpreter: ${out.crash}`);
      const ns = (out.doc as { endor_labs?: { audit?: unknown } }).endor_labs?.audit;
      if (ns !== undefined) expect(anyEmpty(ns), `record ${i}`).toBe(false);
      if (JSON.stringify(records[i]).match(/null|""|\[\]|\{\}/)) pruned++;
    });
    expect(pruned).toBeGreaterThan(RECORDS / 2);
    // A record of empty values only leaves no namespace and no `endor_labs` parent.
    const last = outputs.interpreter.at(-1)!;
    expect(last.crash === undefined && (last.doc as Record<string, unknown>)['endor_labs']).toBeUndefined();
    expect(failures(stream, records as never, outputs, new Map())).toEqual([]);
  });
}
