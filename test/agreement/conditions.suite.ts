/**
 * Record conditions and `drop when` on every engine: random maps whose rules each write a constant
 * under one random condition (every `ConditionIR` kind, nested), some with random `drop when`s,
 * run on random records (./conditions.ts) through the reference interpreter, VRL, the real
 * OpenSearch node, the ingest evaluator and the Logstash evaluator. Every engine writes exactly
 * the interpreter's rules and drops exactly the records it drops; none crashes. No difference
 * class applies (./classes.ts: the records here reach none).
 *
 * Maps and records are drawn with `fc.sample` and fixed seeds (printed with any failure).
 *
 * @module
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { ConditionIR, IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { failures, runAll } from './check.ts';
import { conditionArbitrary, conditionRecord, conditionRule } from './conditions.ts';
import type { Engine, EngineName } from './engines.ts';
import { bundledMaps } from './maps.ts';

const SEED = 20261206;
const MAPS = 16;
const RECORDS = 120;

/** The map's stream with its constant rules, then `rules` condition rules and the `drop`s. */
function withConditions(ir: IntegrationIR, when: readonly ConditionIR[], drop: readonly ConditionIR[]): IntegrationIR {
  const base = ir.streams[0] as StreamIR;
  const loc = base.loc;
  const constants = base.mapping.rules.filter((r) => r.value.kind === 'const' && !r.when).slice(0, 2);
  const stream: StreamIR = {
    ...base,
    mapping: {
      namespace: base.mapping.namespace,
      keepUnmapped: true,
      rules: [...constants, ...when.map((c, i) => conditionRule(i, c, loc))],
      remove: [],
      consumed: [],
      ...(drop.length > 0 ? { drop, dropLoc: drop.map(() => loc) } : {}),
    },
  };
  return { ...ir, streams: [stream] };
}

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function conditionSuite(engine: (name: EngineName) => Engine): void {
  const ir = bundledMaps().find((m) => m.ir.name === 'endor_labs')!.ir;
  const setting = ir.settings.find((s) => s.type === 'bool')?.name;
  const maps = fc.sample(
    fc.record({
      when: fc.array(conditionArbitrary(setting), { minLength: 3, maxLength: 6 }),
      drop: fc.array(conditionArbitrary(setting), { minLength: 0, maxLength: 2 }),
      settingOn: fc.boolean(),
    }),
    { numRuns: MAPS, seed: SEED },
  );

  it.each(maps.map((m, i) => [i, m] as const))(
    `random conditions, map %i: every engine writes and drops as the interpreter (seed ${SEED})`,
    async (i, { when, drop, settingOn }) => {
      const mapIr = withConditions(ir, when, drop);
      const stream = mapIr.streams[0] as StreamIR;
      const records = fc.sample(conditionRecord, { numRuns: RECORDS, seed: SEED + 1 + i });
      const settings = setting ? { [setting]: settingOn } : {};
      const { outputs } = await runAll(
        engine,
        mapIr,
        stream.name,
        records.map((r) => JSON.stringify(r)),
        settings,
      );
      const dropped = outputs.interpreter.filter((o) => o.crash === undefined && o.dropped).length;
      const written = outputs.interpreter.filter((o) => o.crash === undefined && !o.dropped && o.doc.labels).length;
      console.log(
        `conditions map ${i}: ${records.length} records, ${dropped} dropped, ${written} with a conditional write; drop ${JSON.stringify(drop)}`,
      );
      const found = failures(stream, records, outputs, new Map());
      expect(
        found,
        `seed ${SEED}, map ${i}: when ${JSON.stringify(when)}; drop ${JSON.stringify(drop)}; ${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`,
      ).toEqual([]);
    },
  );
}
