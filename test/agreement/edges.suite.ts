/**
 * Curated edges on every engine: every listed odd value of ./generate.ts (timestamps, IPs,
 * number- and boolean-looking strings, unicode, numbers, shapes, 10k strings) and the removal
 * of the field, at every path each bundled map reads, through the reference interpreter, VRL,
 * the real OpenSearch node, the ingest evaluator and the Logstash evaluator. No engine crashes
 * and all agree, except exactly the classes of ./classes.ts (docs/target-differences.md). Unlike
 * the random property test, no listed edge here depends on a draw.
 */
import { describe, expect, it } from 'vitest';
import type { StreamIR } from '../../compiler/ir.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { failures, runAll } from './check.ts';
import type { Engine, EngineName } from './engines.ts';
import { edgeRecords, type Json } from './generate.ts';
import { bundledMaps } from './maps.ts';

/** Registers the curated-edge tests; `engine` gives each engine's adapter (./agreement.test.ts). */
export function edgeSuite(engine: (name: EngineName) => Engine): void {
  const streams = bundledMaps().flatMap((m) => m.fixtureStreams.map((s) => [`${m.ir.name}.${s}`, m.ir, s] as const));

  describe.each(streams)('curated edge values at every path %s reads, on every engine', (_label, ir, name) => {
    const stream = ir.streams.find((s) => s.name === name) as StreamIR;
    const templates = loadFixtureRecords(ir.name, name) as { [k: string]: Json }[];

    it('no crash, same documents and ids', async () => {
      const records = edgeRecords(stream, templates);
      const { outputs, ms } = await runAll(
        engine,
        ir,
        name,
        records.map((r) => JSON.stringify(r)),
      );
      const counts = new Map<string, number>();
      const found = failures(stream, records, outputs, counts);
      console.log(
        `edges ${ir.name}.${name}: ${records.length} records per engine; ms ${JSON.stringify(ms)}; in a difference class: ${JSON.stringify(Object.fromEntries(counts))}`,
      );
      expect(found, `${found.length} failure(s):\n${found.slice(0, 8).join('\n')}`).toEqual([]);
    });
  });
}
