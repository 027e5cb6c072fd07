/**
 * Engine against engine on the fixtures: every fixture record of every bundled map goes through
 * the reference interpreter, the Vector remap on VRL, the ingest pipeline on a real OpenSearch
 * 2.19 node and on the ingest evaluator, and the Logstash filters on their evaluator; all five
 * give exactly the expected document and id of `fixtures/<vendor>/<stream>/expected.json`, hence
 * the same one. Only the plumbing listed in docs/target-differences.md is stripped (engines.ts).
 */
import { describe, expect, it } from 'vitest';
import { DATE_TEXT } from '../engines/vrl/harness.ts';
import { loadFixtureCases, loadFixtureRecords } from '../support/fixtures.ts';
import { canonical, withoutEngineStamp } from './compare.ts';
import { ENGINES, type Engine, type EngineName } from './engines.ts';
import { bundledMaps } from './maps.ts';

/** Registers the fixture tests; `engine` gives each engine's adapter (./agreement.test.ts). */
export function fixtureSuite(engine: (name: EngineName) => Engine): void {
  const maps = bundledMaps();

  it('every bundled map has fixture records for at least one stream', () => {
    expect(maps.map((m) => m.file)).toEqual(
      expect.arrayContaining(['maps/endor_labs.map', 'maps/enpass.map', 'maps/entro.map']),
    );
    for (const map of maps) expect(map.fixtureStreams.length, map.file).toBeGreaterThan(0);
  });

  describe.each(maps.flatMap((m) => m.fixtureStreams.map((s) => [`${m.ir.name}.${s}`, m.ir, s] as const)))(
    'fixtures of %s',
    (_label, ir, stream) => {
      const cases = loadFixtureCases(ir.name, stream);
      const messages = cases.map((c) => c.message);
      const expected = cases.map((c) =>
        canonical(
          c.expected._id === undefined ? { doc: c.expected.doc } : { _id: c.expected._id, doc: c.expected.doc },
        ),
      );

      it.each(ENGINES)('%s gives every expected document and id', async (name) => {
        expect(cases.length).toBeGreaterThan(0);
        const outputs = await engine(name)(ir, stream, messages);
        expect(
          outputs.map((o, i) => ({ record: i + 1, output: canonical(withoutEngineStamp(o, cases[i]!.expected)) })),
        ).toEqual(expected.map((e, i) => ({ record: i + 1, output: e })));
      });

      it('all engines give the same document and id, record by record', async () => {
        const all = await Promise.all(
          ENGINES.map(
            async (name) =>
              [
                name,
                (await engine(name)(ir, stream, messages)).map((o, i) =>
                  canonical(withoutEngineStamp(o, cases[i]!.expected)),
                ),
              ] as const,
          ),
        );
        for (let i = 0; i < messages.length; i++) {
          const texts = new Map(all.map(([name, outs]) => [name, outs[i]]));
          expect(new Set(texts.values()).size, `record ${i + 1}: ${JSON.stringify(Object.fromEntries(texts))}`).toBe(1);
        }
      });
    },
  );

  describe.each(maps.flatMap((m) => m.fixtureStreams.map((s) => [`${m.ir.name}.${s}`, m.ir, s] as const)))(
    'fixtures of %s with every bool setting turned on',
    (_label, ir, stream) => {
      const cases = loadFixtureCases(ir.name, stream);
      const messages = cases.map((c) => c.message);
      const settings = Object.fromEntries(ir.settings.filter((s) => s.type === 'bool').map((s) => [s.name, true]));
      const original = ir.streams.find((s) => s.name === stream)?.mapping.original;

      it('all engines give the same document and id, with event.original exactly when the map asks for it', async () => {
        const all = await Promise.all(
          ENGINES.map(async (name) => [name, await engine(name)(ir, stream, messages, settings)] as const),
        );
        for (let i = 0; i < messages.length; i++) {
          const texts = new Map(
            all.map(([name, outs]) => [name, canonical(withoutEngineStamp(outs[i]!, cases[i]!.expected))]),
          );
          expect(new Set(texts.values()).size, `record ${i + 1}: ${JSON.stringify(Object.fromEntries(texts))}`).toBe(1);
          const doc = (all[0]![1][i] as { doc: { event?: { original?: unknown } } }).doc;
          expect(doc.event?.original, `record ${i + 1}`).toBe(
            original && settings[original.setting] === true ? messages[i] : undefined,
          );
        }
      });
    },
  );

  describe.each(maps.flatMap((m) => m.fixtureStreams.slice(0, 1).map((s) => [`${m.ir.name}.${s}`, m.ir, s] as const)))(
    '%s: a record no @timestamp rule writes (compiler/ir.ts step 8)',
    (_label, ir, stream) => {
      const mapping = ir.streams.find((s) => s.name === stream)!.mapping;
      // The first fixture record without the sources of every rule that writes @timestamp.
      const record = structuredClone(loadFixtureRecords(ir.name, stream)[0]) as Record<string, unknown>;
      for (const rule of mapping.rules) {
        if (rule.destination.join('.') !== '@timestamp' || rule.value.kind !== 'field') continue;
        let parent: unknown = record;
        for (const segment of rule.value.path.slice(0, -1))
          parent = (parent as Record<string, unknown> | undefined)?.[segment];
        if (parent !== null && typeof parent === 'object')
          delete (parent as Record<string, unknown>)[rule.value.path.at(-1)!];
      }

      it("the interpreter leaves it unset; VRL and the ingest pipeline keep a collection time in mapc's date form; otherwise all agree", async () => {
        const outputs = Object.fromEntries(
          await Promise.all(
            ENGINES.map(
              async (name) => [name, (await engine(name)(ir, stream, [JSON.stringify(record)]))[0]!] as const,
            ),
          ),
        );
        const want = outputs['interpreter']!;
        if (want.crash !== undefined) throw new Error(want.crash);
        const docOf = (name: EngineName): Record<string, unknown> => {
          const out = outputs[name]!;
          if (out.crash !== undefined) throw new Error(`${name}: ${out.crash}`);
          return out.doc;
        };
        expect(want.doc).not.toHaveProperty('@timestamp');
        for (const name of ['vrl', 'opensearch', 'ingest'] as const) {
          expect(docOf(name)['@timestamp'], name).toMatch(DATE_TEXT);
        }
        // The Logstash evaluator drops the event's untouched creation time (docs/target-differences.md).
        expect(docOf('logstash'), 'logstash').not.toHaveProperty('@timestamp');
        const texts = Object.entries(outputs).map(
          ([name, o]) => [name, canonical(withoutEngineStamp(o, want))] as const,
        );
        expect(new Set(texts.map(([, t]) => t)).size, JSON.stringify(Object.fromEntries(texts))).toBe(1);
      });
    },
  );
}
