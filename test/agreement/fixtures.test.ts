/**
 * Engine against engine on the fixtures: every fixture record of every bundled map goes through
 * the reference interpreter, the Vector remap on VRL, the ingest pipeline on a real OpenSearch
 * 2.19 node and on the ingest evaluator, and the Logstash filters on their evaluator; all five
 * give exactly the expected document and id of `fixtures/<vendor>/<stream>/expected.json`, hence
 * the same one. Only the plumbing listed in docs/target-differences.md is stripped (engines.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSearch, type OpenSearchNode } from '../engines/opensearch/node.ts';
import { loadFixtureCases } from '../support/fixtures.ts';
import { canonical } from './compare.ts';
import { ENGINES, LOCAL_ENGINES, opensearch, type Engine, type EngineName } from './engines.ts';
import { bundledMaps } from './maps.ts';

let node: OpenSearchNode | undefined;
beforeAll(async () => {
  node = await startOpenSearch();
});
afterAll(async () => {
  await node?.stop();
});

function engine(name: EngineName): Engine {
  if (name !== 'opensearch') return LOCAL_ENGINES[name];
  if (!node) throw new Error('the OpenSearch node did not start');
  return opensearch(node);
}

const maps = bundledMaps();

it('every bundled map has fixture records for at least one stream', () => {
  expect(maps.map((m) => m.file)).toEqual(expect.arrayContaining(['maps/endor_labs.map', 'maps/enpass.map', 'maps/entro.map']));
  for (const map of maps) expect(map.fixtureStreams.length, map.file).toBeGreaterThan(0);
});

describe.each(maps.flatMap((m) => m.fixtureStreams.map((s) => [`${m.ir.name}.${s}`, m.ir, s] as const)))('fixtures of %s', (_label, ir, stream) => {
  const cases = loadFixtureCases(ir.name, stream);
  const messages = cases.map((c) => c.message);
  const expected = cases.map((c) => canonical(c.expected._id === undefined ? { doc: c.expected.doc } : { _id: c.expected._id, doc: c.expected.doc }));

  it.each(ENGINES)('%s gives every expected document and id', async (name) => {
    expect(cases.length).toBeGreaterThan(0);
    const outputs = await engine(name)(ir, stream, messages);
    expect(outputs.map((o, i) => ({ record: i + 1, output: canonical(o) }))).toEqual(expected.map((e, i) => ({ record: i + 1, output: e })));
  });

  it('all engines give the same document and id, record by record', async () => {
    const all = await Promise.all(ENGINES.map(async (name) => [name, (await engine(name)(ir, stream, messages)).map(canonical)] as const));
    for (let i = 0; i < messages.length; i++) {
      const texts = new Map(all.map(([name, outs]) => [name, outs[i]]));
      expect(new Set(texts.values()).size, `record ${i + 1}: ${JSON.stringify(Object.fromEntries(texts))}`).toBe(1);
    }
  });
});

describe.each(maps.flatMap((m) => m.fixtureStreams.map((s) => [`${m.ir.name}.${s}`, m.ir, s] as const)))('fixtures of %s with every bool setting turned on', (_label, ir, stream) => {
  const cases = loadFixtureCases(ir.name, stream);
  const messages = cases.map((c) => c.message);
  const settings = Object.fromEntries(ir.settings.filter((s) => s.type === 'bool').map((s) => [s.name, true]));
  const original = ir.streams.find((s) => s.name === stream)?.mapping.original;

  it('all engines give the same document and id, with event.original exactly when the map asks for it', async () => {
    const all = await Promise.all(ENGINES.map(async (name) => [name, await engine(name)(ir, stream, messages, settings)] as const));
    for (let i = 0; i < messages.length; i++) {
      const texts = new Map(all.map(([name, outs]) => [name, canonical(outs[i])]));
      expect(new Set(texts.values()).size, `record ${i + 1}: ${JSON.stringify(Object.fromEntries(texts))}`).toBe(1);
      const doc = (all[0]![1][i] as { doc: { event?: { original?: unknown } } }).doc;
      expect(doc.event?.original, `record ${i + 1}`).toBe(original && settings[original.setting] === true ? messages[i] : undefined);
    }
  });
});
