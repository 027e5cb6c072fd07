/**
 * The two tiers of record-schema semantics (module doc of `compiler/ir.ts`, "Record schemas") on
 * the lean ingest pipelines (`targets/elastic/lean.ts`) of the bundled maps, run on the OpenSearch
 * 2.19 node of test/engines/opensearch with `_simulate`, each record sent as the Elastic Agent
 * sends it (`message`, the Agent's `@timestamp`, the default tags):
 *
 * - tier 1: random records that conform to the stream's schema (ajv agrees) give exactly the
 *   reference interpreter's documents and ids;
 * - tier 2: the same records with one declared path given a value its declaration does not allow
 *   (ajv reports it) give the interpreter's documents and ids too (`error.message` in rule order),
 *   and the contract holds on their own.
 *
 * Where the interpreter's document has no `@timestamp`, the engine's must be the Agent's own
 * (step 8). Differences of ./classes.ts for `opensearch` are honoured as in ./check.ts.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord } from '../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { recordValidator } from '../../compiler/schema/validate.ts';
import { defaultTags } from '../../targets/elastic/devtests.ts';
import { buildPipeline } from '../../targets/elastic/pipeline.ts';
import { conformingRecord } from '../compiler/schema/arbitraries.ts';
import { toOpenSearch } from '../engines/opensearch/dialect.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { without } from './check.ts';
import { exclusionFor } from './classes.ts';
import { canonical } from './compare.ts';
import { compiledMap, expectTier2Contract, violatingCases, withTableKeys } from './tiers.ts';

const SEED = 8_2027;
const RECORDS = 150;
const RUNS = 2;
const MAPS = ['endor_labs', 'entro', 'enpass', 'bitwarden'];
/** The Agent's collection time on every event. */
const COLLECTED = '2030-01-02T03:04:05.678Z';

/** Values of every JSON kind and a few texts no format accepts: candidates for a violation. */
const VIOLATIONS: readonly unknown[] = [
  'text',
  '',
  'not a date',
  '2024-13-45T25:61:00Z',
  '31/02/2024',
  '2024-11-13',
  '1/3/2024',
  '10.0.0.256',
  '0x10',
  '+5',
  7,
  -3,
  1.5,
  true,
  false,
  { nested: 'object' },
  [],
  ['a', 'b'],
  ['a', 1],
];

let node: OpenSearchNode;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

interface SimulateDoc {
  readonly doc?: { readonly _id: string; readonly _source: Record<string, unknown> };
  readonly error?: unknown;
}

/** Whether every integer in `v` is exact in JavaScript. */
function safeNumbers(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isInteger(v) || Number.isSafeInteger(v);
  if (Array.isArray(v)) return v.every(safeNumbers);
  return v === null || typeof v !== 'object' || Object.values(v).every(safeNumbers);
}

/** Differences between the pipeline's documents and ids on OpenSearch and the interpreter's (with the schema). */
async function disagreements(ir: IntegrationIR, stream: StreamIR, records: readonly unknown[]): Promise<string[]> {
  const { pipeline } = buildPipeline(ir, stream);
  const tags = defaultTags(ir);
  // Integers beyond 2^53 are a documented difference (targets/elastic/pipeline.ts: exact in Java,
  // rounded in JavaScript); beyond a long, the `json` processor's BigInteger fails `_simulate`.
  const portable = records.filter(safeNumbers);
  const messages = portable.map((r) => JSON.stringify(r));
  const { status, json } = await node.request('POST', '/_ingest/pipeline/_simulate', {
    pipeline: {
      processors: toOpenSearch(pipeline.processors as never),
      on_failure: toOpenSearch(pipeline.on_failure as never),
    },
    docs: messages.map((message) => ({
      _source: { '@timestamp': COLLECTED, message, ...(tags.length > 0 ? { tags } : {}) },
    })),
  });
  if (status !== 200) return [`_simulate: ${status} ${JSON.stringify(json).slice(0, 500)}`];
  const docs = (json as { docs: SimulateDoc[] }).docs;
  const settings = defaultSettings(ir);
  return messages.flatMap((message, i) => {
    const want = mapRecord(stream, message, settings);
    const { exclusion } = exclusionFor('opensearch', stream, portable[i] as never);
    if (exclusion.whole) return [];
    const result = docs[i]!;
    if (!result.doc) return [`record ${message}: ${JSON.stringify(result.error).slice(0, 300)}`];
    const got = { ...result.doc._source };
    if (tags.length > 0) delete got['tags'];
    if (!('@timestamp' in want.doc)) {
      if (got['@timestamp'] !== COLLECTED) return [`record ${message}: the Agent's @timestamp is lost`];
      delete got['@timestamp'];
    }
    const fields = exclusion.fields ?? [];
    const a = canonical(without(want.doc, fields));
    const b = canonical(without(got, fields));
    const idOk = exclusion.idText ? (want.id === undefined) === (result.doc._id === '_id') : want.id === result.doc._id;
    return a === b && idOk
      ? []
      : [`record ${message}\n  interpreter: ${a} ${want.id}\n  opensearch: ${b} ${result.doc._id}`];
  });
}

describe.each(MAPS)('record-schema tiers on the ingest pipeline of maps/%s.map (OpenSearch)', (vendor) => {
  const ir = compiledMap(vendor);
  const stream = ir.streams[0] as StreamIR;
  const schema = stream.schema;
  if (!schema) throw new Error(`maps/${vendor}.map has no record schema`);
  const validator = recordValidator(ir.name, stream);
  if (!validator) throw new Error('no validator');
  const conforming = withTableKeys(stream, conformingRecord(schema, stream.source.split?.path));

  it('the pipeline is the lean form, with a failure report script', () => {
    const { pipeline } = buildPipeline(ir, stream);
    expect(JSON.stringify(pipeline.processors)).toContain('report_rule_failures');
  });

  it(`tier 1: conforming records give the interpreter's documents and ids (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(conforming, { minLength: RECORDS, maxLength: RECORDS }), async (records) => {
        for (const r of records) expect(validator.violations(r)).toEqual([]);
        expect(await disagreements(ir, stream, records)).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it(`tier 2: a violating value at one declared path: the interpreter's documents, the contract (seed ${SEED})`, async () => {
    const violating = violatingCases(stream, conforming, validator, VIOLATIONS);
    await fc.assert(
      fc.asyncProperty(fc.array(violating, { minLength: RECORDS, maxLength: RECORDS }), async (cases) => {
        expect(
          await disagreements(
            ir,
            stream,
            cases.map((c) => c.record),
          ),
        ).toEqual([]);
        expectTier2Contract(ir, stream, cases);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
