/**
 * Selecting an array element by a field value (docs/language.md "Selecting an array element";
 * compiler/ir.ts ValueIR `select`) on every engine: a map that selects Okta-style `target`
 * elements by a string `type`, by a number and by a boolean, at a nested key and with a nested
 * rest path, the whole element under the vendor namespace, and with transforms after the
 * selection (`lowercase`, `keyword`, a lookup), on curated records and on random arrays drawn
 * with fast-check (a fixed seed): non-objects, missing keys, duplicates (only the first match
 * counts), `null`s, nested objects and arrays, numbers written as `1` and `1.0`, `"1"` for `1`.
 * Engines: the reference interpreter, VRL (verel, VRL 0.25), the real OpenSearch 2.19 node, the
 * ingest evaluator and the Logstash evaluator; with the record schema (lean forms) and without
 * (guarded forms). Every engine gives the interpreter's documents and ids.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { baseMap } from '../compiler/helpers.ts';
import { failures, runAll } from './check.ts';
import { engines } from './engines.ts';
import type { Json } from './generate.ts';

const RULES = [
  '    user.target.id = target[type == "User"].id',
  '    user.target.email = target[type == "User"].alternateId | lowercase',
  '    user.target.full_name = target[type == "User"].detail.name',
  '    acme.audit.app = target[type == "AppInstance"]',
  '    acme.audit.by_rank = target[rank == 2].id | keyword',
  '    acme.audit.primary = target[meta.primary == true].id',
  '    event.kind = target[type == "User"].type | lookup(kinds)',
  '    related.user += target[type == "User"].id, target[type == "Group"].id | keyword',
].join('\n');

const RECORD = `  record {
    created string optional format iso8601
    target  array of object optional nullable
  }`;

function compiled(): IntegrationIR {
  const { ir, diagnostics } = compileSource(baseMap({ rules: RULES, streamItems: RECORD }), 'test.map');
  if (!ir) throw new Error(`the selection map does not compile: ${JSON.stringify(diagnostics)}`);
  return ir;
}

const user = { id: '00u1', type: 'User', alternateId: 'A@B.C', displayName: 'A', detail: { name: 'Ann' } };
const CURATED: Json[] = (
  [
    { target: [{ id: '0oa2', type: 'AppInstance' }, user] },
    { target: [user, { id: '00u2', type: 'User', alternateId: 'x@y' }] },
    { target: [{ type: 'User' }, user] },
    { target: [{ type: 'User', id: null }, user] },
    { target: [1, 'User', null, ['User'], { type: 'user' }, { type: ['User'] }] },
    {
      target: [
        { id: 'r1', rank: 2.0 },
        { id: 'r2', rank: 2 },
      ],
    },
    {
      target: [
        { id: 'r0', rank: '2' },
        { id: 7, rank: 2 },
      ],
    },
    {
      target: [
        { id: 'p0', meta: { primary: 'true' } },
        { id: 'p1', meta: { primary: true } },
      ],
    },
    { target: [{ type: 'User', id: 'u9', alternateId: 5, detail: 'x' }] },
    {
      target: [
        { type: 'Group', id: 'g1' },
        { type: 'User', id: 'g1' },
      ],
    },
    { target: { type: 'User', id: 'not-an-array' } },
    { target: 'User' },
    { target: null },
    { target: [] },
    {},
  ] as unknown as Record<string, Json>[]
).map((r) => ({ created: '2024-11-13T08:21:07.250Z', ...r }));

/** Random `target` arrays: elements of every JSON kind, objects with some of the keys the map selects by. */
const scalar = fc.constantFrom<Json>(null, '', 'User', 'user', 'AppInstance', 'Group', 0, 1, 2, 2.5, '2', true, false);
const element: fc.Arbitrary<Json> = fc.oneof(
  { weight: 1, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
  {
    weight: 5,
    arbitrary: fc.record(
      {
        type: fc.oneof(scalar, fc.constant<Json>({ x: 'User' })),
        id: fc.oneof(scalar, fc.constantFrom<Json>('00u1', '0oa2', { v: 1 }, [1, 2])),
        alternateId: fc.constantFrom<Json>('A@B.C', 'É@x', 5, null),
        rank: scalar,
        meta: fc.oneof(fc.record({ primary: scalar }, { requiredKeys: [] }), scalar),
        detail: fc.oneof(fc.record({ name: scalar }, { requiredKeys: [] }), scalar),
      },
      { requiredKeys: [] },
    ),
  },
);
const SEED = 10_2026;
const RANDOM: Json[] = fc
  .sample(fc.oneof({ weight: 6, arbitrary: fc.array(element, { maxLength: 6 }) }, { weight: 1, arbitrary: scalar }), {
    seed: SEED,
    numRuns: 120,
  })
  .map((target) => ({ created: '2024-11-13T08:21:07.250Z', target }));

let node: OpenSearchNode | undefined;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

describe('selecting an array element on every engine', () => {
  const lean = compiled();
  const forms = [
    ['lean (record schema)', lean],
    ['guarded (no schema)', stripSchemas(lean)],
  ] as const;
  it('the map lowers its selections as such', () => {
    const selects = lean.streams[0]!.mapping.rules.filter((r) => r.value.kind === 'select');
    expect(selects).toHaveLength(9);
    // A selection consumes nothing: the array stays in the namespace.
    expect(lean.streams[0]!.mapping.consumed.some((c) => c.path[0] === 'target')).toBe(false);
  });
  it.each(forms)('%s: curated and random arrays (seed 10_2026) give the interpreter documents', async (_n, ir) => {
    const stream = ir.streams[0] as StreamIR;
    const records = [...CURATED, ...RANDOM];
    const { outputs } = await runAll(
      engines(() => node),
      ir,
      stream.name,
      records.map((r) => JSON.stringify(r)),
    );
    const found = failures(stream, records, outputs, new Map());
    expect(found, `${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`).toEqual([]);
    // The selections selected (not only misses): the first User, the first rank 2, the primary one.
    const docs = outputs.interpreter.slice(0, CURATED.length).map((o) => JSON.stringify(o));
    expect(docs[0]).toContain('"target":{"id":"00u1","email":"a@b.c","full_name":"Ann"}');
    expect(docs[1]).toContain('"id":"00u1"');
    expect(docs[5]).toContain('"by_rank":"r1"');
    expect(docs[6]).toContain('"by_rank":"7"');
    expect(docs[7]).toContain('"primary":"p1"');
    expect(docs[9]).toContain('"related":{"user":["g1"]}');
    const hits = outputs.interpreter
      .slice(CURATED.length)
      .filter((o) => JSON.stringify(o).includes('"user":{"target"'));
    expect(hits.length).toBeGreaterThanOrEqual(5);
  });
});
