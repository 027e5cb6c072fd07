/**
 * Selecting an array element by a field value and element fields (docs/language.md "Selecting an
 * array element", "Element fields"; compiler/ir.ts ValueIR `select`, `elements`) on every engine: a map that selects Okta-style `target`
 * elements by a string `type`, by a number and by a boolean, at a nested key and with a nested
 * rest path, the whole element under the vendor namespace, and with transforms after the
 * selection (`lowercase`, `keyword`, a lookup), on curated records and on random arrays drawn
 * with fast-check (a fixed seed): non-objects, missing keys, duplicates (only the first match
 * counts), `null`s, nested objects and arrays, numbers written as `1` and `1.0`, `"1"` for `1`.
 * Engines: the reference interpreter, VRL (verel, VRL 0.25), the real OpenSearch 2.19 node, the
 * ingest evaluator and the Logstash evaluator; with the record schema (lean forms) and without
 * (guarded forms). Every engine gives the interpreter's documents and ids.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { StreamIR } from '../../compiler/ir.ts';
import { baseMap } from '../compiler/helpers.ts';
import type { Json } from './generate.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { CURATED, RANDOM, selectMap } from '../support/select-map.ts';
import { expectAgreement, failures, runAll } from './check.ts';
import { engines } from './engines.ts';

let node: OpenSearchNode | undefined;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

describe('selecting an array element on every engine', () => {
  const lean = selectMap();
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
    const interpreted = await expectAgreement(
      engines(() => node),
      ir,
      [...CURATED, ...RANDOM],
    );
    // The selections selected (not only misses): the first User, the first rank 2, the primary one.
    const docs = interpreted.slice(0, CURATED.length).map((o) => JSON.stringify(o));
    expect(docs[0]).toContain('"target":{"id":"00u1","email":"a@b.c","full_name":"Ann"}');
    expect(docs[1]).toContain('"id":"00u1"');
    // Element fields: renamed, in the listed order, non-objects and missing or null fields left out.
    expect(docs[0]).toContain(
      '"targets":[{"id":"0oa2","type":"AppInstance"},{"id":"00u1","type":"User","alternate_id":"A@B.C","name":"Ann"}]',
    );
    expect(docs[0]).toContain('"target":[{"id":"0oa2","kind":"AppInstance"},{"id":"00u1","kind":"User"}]');
    expect(docs[4]).toContain('"target":[{"kind":"user"},{"kind":["User"]}]');
    expect(docs[5]).toContain('"by_rank":"r1"');
    expect(docs[6]).toContain('"by_rank":"7"');
    expect(docs[7]).toContain('"primary":"p1"');
    expect(docs[9]).toContain('"related":{"user":["g1"]}');
    const hits = interpreted.slice(CURATED.length).filter((o) => JSON.stringify(o).includes('"user":{"target"'));
    expect(hits.length).toBeGreaterThanOrEqual(5);
  });
});

describe('a selection after the rule that consumes its array', () => {
  it('reads the array before step 5 deletes it, on every engine (guarded)', async () => {
    const rules = [
      '    user.name = target',
      '    user.id = target[type == "User"].id',
      '    acme.audit.ids = target[] { id }',
    ].join('\n');
    const { ir, diagnostics } = compileSource(baseMap({ rules }), 'test.map');
    if (!ir) throw new Error(JSON.stringify(diagnostics));
    const stream = ir.streams[0] as StreamIR;
    expect(stream.mapping.consumed.map((c) => c.path.join('.'))).toContain('target');
    const records: Json[] = [
      { created: '2024-11-13T08:21:07.250Z', target: [{ type: 'User', id: 'u1' }, 'x'] },
      { created: '2024-11-13T08:21:07.250Z', target: 'User' },
    ];
    const { outputs } = await runAll(
      engines(() => node),
      ir,
      stream.name,
      records.map((r) => JSON.stringify(r)),
    );
    const found = failures(stream, records, outputs, new Map());
    expect(found, found.slice(0, 4).join('\n')).toEqual([]);
    expect(JSON.stringify(outputs.interpreter[0])).toContain(
      '"user":{"name":[{"type":"User","id":"u1"},"x"],"id":"u1"}',
    );
    expect(JSON.stringify(outputs.interpreter[0])).toContain('"ids":[{"id":"u1"}]');
  });
});
