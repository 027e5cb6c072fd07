/**
 * The two tiers of record-schema semantics (module doc of `compiler/ir.ts`, "Record schemas") on
 * the lean Logstash pipelines (`targets/logstash/lean.ts`) of the bundled maps, which all declare a
 * record schema, run on the Logstash evaluator (test/emulated/logstash):
 *
 * - tier 1: random records that conform to the stream's schema (ajv agrees) give exactly the
 *   reference interpreter's documents and ids;
 * - tier 2: the same records with one declared path given a value its declaration does not allow
 *   (ajv reports it) give the interpreter's documents and ids too, and the contract holds on
 *   their own: every unconditional rule reading that path appends its `error.message` entry,
 *   and the raw value stays under the vendor namespace unless a rule redacts it.
 *
 * A file of its own (not a part of ./agreement.test.ts, which compares the engines on the maps
 * without their schemas, ./maps.ts). Differences of ./classes.ts for `logstash` are honoured as in
 * ./check.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord } from '../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { recordValidator } from '../../compiler/schema/validate.ts';
import { logstashBackend, pipelineFile } from '../../targets/logstash/index.ts';
import { conformingRecord } from '../compiler/schema/arbitraries.ts';
import { runPipeline } from '../emulated/logstash/support.ts';
import { without } from './check.ts';
import { exclusionFor } from './classes.ts';
import { canonical, withoutEngineStamp } from './compare.ts';
import { compiledMap, expectTier2Contract, violatingCases, withTableKeys } from './tiers.ts';

const SEED = 8_2026;
const RECORDS = 150;
const RUNS = 3;

const MAPS = ['endor_labs', 'entro', 'enpass', 'bitwarden'];

/** Values of every JSON kind and a few texts no format accepts: candidates for a violation. */
const VIOLATIONS: readonly unknown[] = [
  'text',
  '',
  'not a date',
  '2024-13-45T25:61:00Z',
  '2024-11-13',
  '1/3/2024',
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

/** Differences between the pipeline's documents and ids and the interpreter's (with the schema). */
function disagreements(ir: IntegrationIR, conf: string, stream: StreamIR, records: readonly unknown[]): string[] {
  const settings = defaultSettings(ir);
  return records.flatMap((record) => {
    const message = JSON.stringify(record);
    const want = mapRecord(stream, message, settings);
    const { exclusion } = exclusionFor('logstash', stream, record as never);
    if (exclusion.whole) return [];
    let got: { _id?: string; doc: Record<string, unknown> };
    try {
      got = runPipeline(conf, message);
    } catch (error) {
      return [`record ${message}: ${String(error)}`];
    }
    const fields = exclusion.fields ?? [];
    const a = canonical(without(want.doc, fields));
    const b = canonical(without(withoutEngineStamp({ doc: got.doc }, { doc: want.doc }).doc, fields));
    const idOk = exclusion.idText ? (want.id === undefined) === (got._id === undefined) : want.id === got._id;
    return a === b && idOk ? [] : [`record ${message}\n  interpreter: ${a} ${want.id}\n  logstash: ${b} ${got._id}`];
  });
}

/**
 * Ruby filters beyond the stream's type check: Bitwarden's `drop empty`, one `ruby` filter
 * (`targets/logstash/drop-empty.ts`: no native filter prunes nested fields).
 */
const EXTRA_RUBY: Readonly<Record<string, number>> = { bitwarden: 1 };

describe.each(MAPS)('record-schema tiers on the Logstash pipeline of maps/%s.map', (vendor) => {
  const ir = compiledMap(vendor);
  const stream = ir.streams[0] as StreamIR;
  const schema = stream.schema;
  if (!schema) throw new Error(`maps/${vendor}.map has no record schema`);
  const conf = logstashBackend.emit(ir, {}).files.find((f) => f.path === pipelineFile(ir, stream))?.content ?? '';
  const validator = recordValidator(ir.name, stream);
  if (!validator) throw new Error('no validator');
  const conforming = withTableKeys(stream, conformingRecord(schema, stream.source.split?.path));

  it('the pipeline is the lean form: one ruby filter, the stream type check', () => {
    expect(conf.match(/^\s*ruby \{/gm)?.length).toBe(1 + (EXTRA_RUBY[vendor] ?? 0));
    expect(conf).toContain('the JSON type of each path the rules read, once');
  });

  it(`tier 1: conforming records give the interpreter's documents and ids (seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.array(conforming, { minLength: RECORDS, maxLength: RECORDS }), (records) => {
        for (const r of records) expect(validator.violations(r)).toEqual([]);
        expect(disagreements(ir, conf, stream, records)).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it(`tier 2: a violating value at one declared path: the interpreter's documents, the contract (seed ${SEED})`, () => {
    const violating = violatingCases(stream, conforming, validator, VIOLATIONS);
    fc.assert(
      fc.property(fc.array(violating, { minLength: RECORDS, maxLength: RECORDS }), (cases) => {
        expect(
          disagreements(
            ir,
            conf,
            stream,
            cases.map((c) => c.record),
          ),
        ).toEqual([]);
        // The contract, read off the interpreter's documents (equal to the pipeline's above).
        expectTier2Contract(ir, stream, cases);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
