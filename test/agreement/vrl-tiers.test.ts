/**
 * The two tiers of record-schema semantics (module doc of `compiler/ir.ts`, "Record schemas") on
 * the lean Vector remaps (`targets/vector/vrl/lean.ts`) of the bundled maps, which all declare a
 * record schema, on both VRL runtimes (verel = VRL 0.25, the native CLI = VRL 0.38):
 *
 * - tier 1: random records that conform to the stream's schema (ajv agrees) give exactly the
 *   reference interpreter's documents and ids;
 * - tier 2: the same records with one declared path given a value its declaration does not allow
 *   (ajv reports it) give the interpreter's documents and ids too, and the contract holds on
 *   their own: every unconditional rule reading that path appends its `error.message` entry,
 *   and the raw value stays under the vendor namespace unless a rule redacts it.
 *
 * A file of its own (not a part of ./agreement.test.ts): it needs no OpenSearch node. Differences
 * of ./classes.ts for `vrl` are honoured as in ./check.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord } from '../../compiler/interpret/index.ts';
import type { StreamIR } from '../../compiler/ir.ts';
import { recordValidator } from '../../compiler/schema/validate.ts';
import { conformingRecord } from '../compiler/schema/arbitraries.ts';
import { remapOf, RUNTIMES, type VrlRuntime } from '../engines/vrl/harness.ts';
import { without } from './check.ts';
import { exclusionFor } from './classes.ts';
import { canonical, withoutEngineStamp } from './compare.ts';
import { compiledMap, expectTier2Contract, violatingCases, withTableKeys } from './tiers.ts';

const SEED = 8_2026;
/** Records per batch (one VRL compile each) and batches per property. */
const BATCH = 60;
const RUNS = 3;

const MAPS = ['endor_labs', 'entro', 'enpass', 'bitwarden'];

/** Values of every JSON kind and a few texts no format accepts: candidates for a violation. */
const VIOLATIONS: readonly unknown[] = [
  'text',
  '',
  'not a date',
  '2024-13-45T25:61:00Z',
  '10.0.0.256',
  7,
  -3,
  1.5,
  true,
  false,
  { nested: 'object' },
  [],
  ['a', 1],
];

/** Failures of VRL's outputs against the interpreter's (with the schema) for the messages. */
function disagreements(runtime: VrlRuntime, program: string, stream: StreamIR, records: readonly unknown[]): string[] {
  const messages = records.map((r) => JSON.stringify(r));
  const outputs = runtime.runBatch(
    program,
    messages.map((message) => ({ message })),
  );
  const settings = defaultSettingsOf.get(stream) ?? {};
  return records.flatMap((record, i) => {
    const events = outputs[i] ?? [];
    if (events.length !== 1) return [`record ${JSON.stringify(record)}: ${events.length} events`];
    const { _id, ...doc } = events[0] as Record<string, unknown>;
    const want = mapRecord(stream, messages[i] as string, settings);
    const { exclusion } = exclusionFor('vrl', stream, record);
    if (exclusion.whole) return [];
    const fields = exclusion.fields ?? [];
    const a = canonical(without(want.doc, fields));
    const b = canonical(without(withoutEngineStamp({ doc }, { doc: want.doc }).doc, fields));
    const idOk = exclusion.idText ? (want.id === undefined) === (_id === undefined) : want.id === _id;
    return a === b && idOk
      ? []
      : [`record ${JSON.stringify(record)}\n  interpreter: ${a} ${want.id}\n  vrl: ${b} ${String(_id)}`];
  });
}

/**
 * Numbers within the range where VRL and JavaScript read JSON alike: VRL parses some numbers with
 * extreme exponents one unit in the last place away and keeps integers beyond 2^53 exact
 * (test/engines/vrl/semantics.test.ts, "known differences"), in any field, declared or not.
 */
function tame(value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? value : Number(Number.isFinite(value) ? (value % 1e9).toFixed(3) : 0);
  if (Array.isArray(value)) return value.map(tame);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tame(v)]));
  return value;
}

const defaultSettingsOf = new Map<StreamIR, Record<string, unknown>>();

describe.each(MAPS)('record-schema tiers on the Vector remap of maps/%s.map', (vendor) => {
  const ir = compiledMap(vendor);
  const stream = ir.streams[0] as StreamIR;
  const schema = stream.schema;
  if (!schema) throw new Error(`maps/${vendor}.map has no record schema`);
  defaultSettingsOf.set(stream, defaultSettings(ir));
  const program = remapOf(ir);
  const validator = recordValidator(ir.name, stream);
  if (!validator) throw new Error('no validator');
  const conforming = withTableKeys(
    stream,
    conformingRecord(schema, stream.source.split?.path).map((r) => tame(r) as Record<string, unknown>),
  );

  it('the remap is the lean form (the map has a record schema)', () => {
    expect(program).toContain('# Lean form');
  });

  describe.each(RUNTIMES.map((r) => [r.name, r] as const))('on %s', (_name, runtime) => {
    it(`tier 1: conforming records give the interpreter's documents and ids (seed ${SEED})`, () => {
      fc.assert(
        fc.property(fc.array(conforming, { minLength: BATCH, maxLength: BATCH }), (records) => {
          for (const r of records) expect(validator.violations(r)).toEqual([]);
          expect(disagreements(runtime, program, stream, records)).toEqual([]);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });

    it(`tier 2: a violating value at one declared path: the interpreter's documents, the contract (seed ${SEED})`, () => {
      const violating = violatingCases(stream, conforming, validator, VIOLATIONS);
      fc.assert(
        fc.property(fc.array(violating, { minLength: BATCH, maxLength: BATCH }), (cases) => {
          expect(
            disagreements(
              runtime,
              program,
              stream,
              cases.map((c) => c.record),
            ),
          ).toEqual([]);
          // The contract, read off the interpreter's documents (equal to VRL's above).
          expectTier2Contract(ir, stream, cases);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
  });
});
