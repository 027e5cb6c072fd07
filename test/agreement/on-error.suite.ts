/**
 * `on_error ignore` (compiler/ir.ts RuleIR.onError) on every engine: each bundled map with a
 * random subset of its rules (drawn with a fixed seed) marked `on_error ignore` runs random
 * vendor-shaped records (./generate.ts: wrong types, odd IPs and dates, so rules fail) on the
 * interpreter, VRL, OpenSearch, the ingest evaluator and the Logstash evaluator, in the fully
 * guarded form (schemas stripped) and the lean form (with the maps' record schemas). Every engine
 * gives the interpreter's document and id (but the classes of ./classes.ts), and an ignored rule's
 * failure appends nothing: the test also counts such failures, so it cannot pass without any.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/compile.ts';
import { conversionErrorMessage, type IntegrationIR, type StreamIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { failures, runAll } from './check.ts';
import type { Engine, EngineName } from './engines.ts';
import { vendorRecords, type Json } from './generate.ts';
import { bundledMaps } from './maps.ts';

const SEED = 20261206;
const RUNS = 200;

/** `ir` with the rules `pick` chooses (by stream and rule index) marked `on_error ignore`. */
function withIgnored(ir: IntegrationIR, pick: (stream: StreamIR, index: number) => boolean): IntegrationIR {
  return {
    ...ir,
    streams: ir.streams.map((s) => ({
      ...s,
      mapping: {
        ...s.mapping,
        rules: s.mapping.rules.map((r, i) => (pick(s, i) ? { ...r, onError: 'ignore' as const } : r)),
      },
    })),
  };
}

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function onErrorSuite(engine: (name: EngineName) => Engine): void {
  const maps = bundledMaps();
  const cases = maps.flatMap((m) =>
    m.fixtureStreams.flatMap((s) => [
      [`${m.ir.name}.${s}`, 'guarded', m.file, s, true] as const,
      [`${m.ir.name}.${s}`, 'lean', m.file, s, false] as const,
    ]),
  );

  describe.each(cases)('%s with rules marked on_error ignore (%s form)', (_label, _form, file, name, strip) => {
    it(`${RUNS} records: same documents and ids on every engine; ignored failures append nothing (seed ${SEED})`, async () => {
      const compiled = compileFile(file).ir!;
      const base = strip ? stripSchemas(compiled) : compiled;
      const stream0 = base.streams.find((s) => s.name === name)!;
      const flags = fc.sample(
        fc.array(fc.boolean(), { minLength: stream0.mapping.rules.length, maxLength: stream0.mapping.rules.length }),
        { numRuns: 1, seed: SEED },
      )[0]!;
      // At least one rule that can fail is ignored, one is not (when the map has two).
      const ir = withIgnored(base, (s, i) => s.name === name && (flags[i] ?? false) !== (i === 0));
      const stream = ir.streams.find((s) => s.name === name)!;
      const templates = loadFixtureRecords(ir.name, name) as { [k: string]: Json }[];
      const records = fc.sample(vendorRecords(stream, templates), { numRuns: RUNS, seed: SEED });
      const messages = records.map((r) => JSON.stringify(r));
      const { outputs } = await runAll(engine, ir, name, messages);
      const found = failures(stream, records, outputs, new Map());
      expect(found, `seed ${SEED}, ${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`).toEqual([]);

      // The same records without on_error: the ignored rules' errors there, never here.
      const plain = await runAll(engine, base, name, messages);
      // The texts only ignored rules append: two rules may share one (Bitwarden's two
      // `event.type += type | ...` lookups), and a rule that is not ignored still appends it.
      const recorded = new Set(
        stream.mapping.rules.filter((r) => r.onError !== 'ignore').map((r) => conversionErrorMessage(r)),
      );
      const ignoredTexts = new Set(
        stream.mapping.rules
          .filter((r) => r.onError === 'ignore')
          .map((r) => conversionErrorMessage(r))
          .filter((m) => !recorded.has(m)),
      );
      const errorsOf = (doc: unknown): string[] =>
        ((doc as { error?: { message?: unknown } }).error?.message as string[] | undefined) ?? [];
      let ignored = 0;
      records.forEach((_, i) => {
        const before = plain.outputs.interpreter[i]!;
        const after = outputs.interpreter[i]!;
        if (before.crash !== undefined || after.crash !== undefined) return;
        const silenced = errorsOf(before.doc).filter((m) => ignoredTexts.has(m));
        ignored += silenced.length;
        expect(
          errorsOf(after.doc).filter((m) => ignoredTexts.has(m)),
          `record ${i}`,
        ).toEqual([]);
      });
      console.log(`on_error ${ir.name}.${name} (${_form}): ${ignored} ignored failures`);
      expect(ignored).toBeGreaterThan(0);
    });
  });
}
