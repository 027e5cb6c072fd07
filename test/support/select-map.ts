/**
 * The selection map of the agreement and VRL tests (docs/language.md "Selecting an array
 * element"): Okta-style `target` elements selected by a string `type`, by a number and by a
 * boolean, at a nested key and with a nested rest path, the whole element under the vendor
 * namespace, transforms after the selection, and two selections appended to one array field; then
 * element fields (`target[] { ... }`), into a new field and in place of the array; its
 * curated records and random arrays drawn with fast-check (seed {@link SELECT_SEED}).
 */
import fc from 'fast-check';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import type { Json } from '../agreement/generate.ts';
import { baseMap } from '../compiler/helpers.ts';

const RULES = [
  '    user.target.id = target[type == "User"].id',
  '    user.target.email = target[type == "User"].alternateId | lowercase',
  '    user.target.full_name = target[type == "User"].detail.name',
  '    acme.audit.app = target[type == "AppInstance"]',
  '    acme.audit.by_rank = target[rank == 2].id | keyword',
  '    acme.audit.primary = target[meta.primary == true].id',
  '    event.kind = target[type == "User"].type | lookup(kinds)',
  '    related.user += target[type == "User"].id, target[type == "Group"].id | keyword',
  '    acme.audit.targets = target[] { id, type, alternate_id = alternateId, name = detail.name, "the rank" = rank }',
  // In place, after the selections: the record's array becomes the new one.
  '    acme.audit.target = target[] { id, kind = type }',
].join('\n');

const RECORD = `  record {
    created string optional format iso8601
    target  array of object optional nullable
  }`;

export function selectMap(): IntegrationIR {
  const { ir, diagnostics } = compileSource(baseMap({ rules: RULES, streamItems: RECORD }), 'test.map');
  if (!ir) throw new Error(`the selection map does not compile: ${JSON.stringify(diagnostics)}`);
  return ir;
}

const user = { id: '00u1', type: 'User', alternateId: 'A@B.C', displayName: 'A', detail: { name: 'Ann' } };
export const CURATED: Json[] = (
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
export const SELECT_SEED = 10_2026;
export const RANDOM: Json[] = fc
  .sample(fc.oneof({ weight: 6, arbitrary: fc.array(element, { maxLength: 6 }) }, { weight: 1, arbitrary: scalar }), {
    seed: SELECT_SEED,
    numRuns: 120,
  })
  .map((target) => ({ created: '2024-11-13T08:21:07.250Z', target }));
