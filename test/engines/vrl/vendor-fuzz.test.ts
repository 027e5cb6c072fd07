/**
 * Records shaped like each vendor's (fixture records with one or two leaves replaced, removed or
 * nulled: wrong types, unicode, long strings, odd IPs and timestamps) through each vendor's
 * generated remap on VRL: every document and id equals the reference interpreter's, and nothing
 * crashes. Numbers stay within the range where VRL and JavaScript read JSON alike (see
 * semantics.test.ts, "known differences").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { listFixtureStreams, loadFixtureIR, loadFixtureRecords } from '../../support/fixtures.ts';
import { deploymentEnv, loadVectorConfig, runRemapBatch, withoutCollectionTime } from './harness.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((d) => Number(d.toFixed(3))),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 2000, maxLength: 3000 }),
  fc.constantFrom(
    '',
    'OPERATION_CREATE',
    'USER_LOGIN',
    'operation_delete',
    'İSTANBUL',
    'ß',
    '😀',
    '10.0.0.256',
    '::ffff:10.0.0.1',
    '2001:DB8::1',
    'fe80::1%lo',
    '001.2.3.4',
    '2024-11-13T15:30:45.123456Z',
    '2024-13-01T00:00:00Z',
    '2024-11-13T15:30:45+05:30',
    '31/12/2024',
    '32/12/2024',
    '1700000000000',
    '42',
    '-1',
    '3.14',
    'true',
    'null',
  ),
  fc.constant([] as Json[]),
  fc.array(fc.constantFrom<Json>('a', 1, null), { maxLength: 2 }),
  fc.constant({ nested: 'object' } as Json),
);

/** Every path to a leaf (or to an empty object/array) of a JSON object. */
function leafPaths(value: Json, at: string[] = []): string[][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...at, k]));
  }
  return at.length > 0 ? [at] : [];
}

function withLeaf(record: Json, path: string[], value: Json | undefined): Json {
  const copy = structuredClone(record) as Record<string, Json>;
  let parent: Record<string, Json> = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string, Json>;
  const leaf = path[path.length - 1] as string;
  if (value === undefined) delete parent[leaf];
  else parent[leaf] = value;
  return copy;
}

const streams = listFixtureStreams();

describe.each(streams.map((s) => [`${s.vendor}.${s.stream}`, s] as const))(
  'random %s-shaped records on VRL',
  (_label, { vendor, stream }) => {
    it('agree with the interpreter, document and id', () => {
      const ir = loadFixtureIR(vendor);
      const streamIR = ir.streams.find((s) => s.name === stream);
      if (!streamIR) throw new Error(`no stream ${stream} in ${vendor}`);
      const records = loadFixtureRecords(vendor, stream) as Json[];
      const mutation = fc.tuple(
        fc.nat(),
        fc.nat(),
        fc.option(oddValue, { nil: undefined, freq: 5 }),
        fc.nat(),
        fc.option(oddValue, { nil: undefined, freq: 5 }),
      );
      const variants = fc.sample(mutation, { numRuns: 200, seed: 4242 }).map(([r, p1, v1, p2, v2]) => {
        let record = records[r % records.length] as Json;
        const paths1 = leafPaths(record);
        record = withLeaf(record, paths1[p1 % paths1.length] as string[], v1);
        const paths2 = leafPaths(record);
        return paths2.length > 0 ? withLeaf(record, paths2[p2 % paths2.length] as string[], v2) : record;
      });
      const { files } = vectorBackend.emit(ir, {});
      const config = loadVectorConfig(files.find((f) => f.path === 'vector.yaml')?.content ?? '', deploymentEnv(ir));
      const program = config.transforms[`${ir.name}_${stream}_remap`]?.source ?? '';
      const messages = variants.map((v) => JSON.stringify(v));
      const outputs = runRemapBatch(
        program,
        messages.map((message) => ({ message })),
      );
      const settings = defaultSettings(ir);
      const disagreements = messages.flatMap((message, i) => {
        const expected = mapRecord(streamIR, message, settings);
        const want = expected.id === undefined ? [expected.doc] : [{ ...expected.doc, _id: expected.id }];
        const vrl = (outputs[i] ?? []).map((d, j) => withoutCollectionTime(d, want[j]));
        return JSON.stringify(sortKeys(vrl)) === JSON.stringify(sortKeys(want))
          ? []
          : [{ message, vrl, interpreter: want }];
      });
      expect(disagreements).toEqual([]);
    });
  },
);

/** Key order is not part of a JSON document's meaning (VRL objects are sorted maps). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
