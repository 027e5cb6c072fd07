/**
 * Record conditions and `drop when` on every engine: random maps whose rules each write a constant
 * under one random condition (every `ConditionIR` kind, nested), some with random `drop when`s,
 * run on random records (./conditions.ts) through the reference interpreter, VRL, the real
 * OpenSearch node, the ingest evaluator and the Logstash evaluator. Every engine writes exactly
 * the interpreter's rules and drops exactly the records it drops; none crashes.
 *
 * Each map also draws the write constructs (./conditions.ts `writesArbitrary`, docs/language.md
 * "Writes"), each about half the time: `id raw` of a field (records then carry an `id` of every
 * JSON type, strings around the 512-byte limit, integers around ±(2^53 − 1), floats written
 * `1.0`, `-0.0`, `1e3`), `copy(...)` of fields earlier rules wrote, several sources in one `+=`
 * and `remove ... when`. Every engine gives the interpreter's id, or none where it gives none.
 * The only difference class the records reach is the append of a non-string value on
 * OpenSearch (./classes.ts), for `+=` of a record field.
 *
 * Maps and records are drawn with `fc.sample` and fixed seeds (printed with any failure).
 *
 * @module
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { ConditionIR, ConsumedIR, IntegrationIR, RuleIR, StreamIR } from '../../compiler/ir.ts';
import { failures, runAll } from './check.ts';
import {
  conditionArbitrary,
  conditionRecord,
  conditionRule,
  idCase,
  messageWithId,
  writesArbitrary,
  type Writes,
} from './conditions.ts';
import type { Engine, EngineName } from './engines.ts';
import type { Json } from './generate.ts';
import { bundledMaps } from './maps.ts';

const SEED = 20261206;
const MAPS = 16;
const RECORDS = 120;

const KEYWORD = { ecsType: 'keyword', array: false, vendor: false } as const;
const KEYWORDS = { ecsType: 'keyword', array: true, vendor: false } as const;

/**
 * The rules of the write constructs, after the condition rules (`labels.cond_<i>`), as lowering
 * makes them (compiler/lower/mapping.ts: one append rule per source; a copy never consumes):
 * `labels.copied = copy(labels.cond_0)`, `user.name = s`, `related.user += copy(labels.cond_1),
 * copy(user.name)`, then `related.user += <sources> [| lowercase]`.
 */
function writeRules(writes: Writes, loc: RuleIR['loc']): { rules: RuleIR[]; consumed: ConsumedIR[] } {
  const rules: RuleIR[] = [];
  const consumed: ConsumedIR[] = [];
  if (writes.copy) {
    rules.push(
      {
        destination: ['labels', 'copied'],
        destinationType: KEYWORD,
        op: 'set',
        value: { kind: 'copy', from: ['labels', 'cond_0'] },
        loc,
      },
      {
        destination: ['user', 'name'],
        destinationType: KEYWORD,
        op: 'set',
        value: { kind: 'field', path: ['s'], transforms: [] },
        loc,
      },
      {
        destination: ['related', 'user'],
        destinationType: KEYWORDS,
        op: 'append',
        value: { kind: 'copy', from: ['labels', 'cond_1'] },
        loc,
      },
      {
        destination: ['related', 'user'],
        destinationType: KEYWORDS,
        op: 'append',
        value: { kind: 'copy', from: ['user', 'name'] },
        loc,
      },
    );
    consumed.push({ path: ['s'], whenDestinationSet: ['user', 'name'] });
  }
  for (const path of writes.sources) {
    const transforms = writes.lowercase ? [{ kind: 'lowercase' } as const] : [];
    rules.push({
      destination: ['related', 'user'],
      destinationType: KEYWORDS,
      op: 'append',
      value: { kind: 'field', path, transforms },
      loc,
    });
  }
  return { rules, consumed };
}

/** The map's stream with its constant rules, then `rules` condition rules, the write constructs and the `drop`s. */
function withConditions(
  ir: IntegrationIR,
  when: readonly ConditionIR[],
  drop: readonly ConditionIR[],
  writes: Writes,
): IntegrationIR {
  const base = ir.streams[0] as StreamIR;
  const loc = base.loc;
  const constants = base.mapping.rules.filter((r) => r.value.kind === 'const' && !r.when).slice(0, 2);
  const { rules, consumed } = writeRules(writes, loc);
  const stream: StreamIR = {
    ...base,
    mapping: {
      namespace: base.mapping.namespace,
      keepUnmapped: true,
      rules: [...constants, ...when.map((c, i) => conditionRule(i, c, loc)), ...rules],
      remove: [],
      consumed,
      ...(drop.length > 0 ? { drop, dropLoc: drop.map(() => loc) } : {}),
      ...(writes.rawId ? { documentId: { kind: 'raw', field: writes.rawId, loc } } : {}),
      ...(writes.removeWhen.length > 0
        ? { removeWhen: writes.removeWhen.map((r) => ({ ...r, pathLocs: r.paths.map(() => loc), loc })) }
        : {}),
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
  // Drawn apart (own seed), so that the maps' conditions and records stay those of the seed above.
  const writes = fc.sample(writesArbitrary(setting), { numRuns: MAPS, seed: SEED + 100 });

  it.each(maps.map((m, i) => [i, m] as const))(
    `random conditions, map %i: every engine writes and drops as the interpreter (seed ${SEED})`,
    async (i, { when, drop, settingOn }) => {
      const w = writes[i]!;
      const mapIr = withConditions(ir, when, drop, w);
      const stream = mapIr.streams[0] as StreamIR;
      const uses = w.rawId !== undefined || w.sources.length > 0 || w.removeWhen.length > 0;
      const ids = uses ? fc.sample(fc.option(idCase, { freq: 8 }), { numRuns: RECORDS, seed: SEED + 200 + i }) : [];
      const messages = fc
        .sample(conditionRecord, { numRuns: RECORDS, seed: SEED + 1 + i })
        .map((r, k) => messageWithId(r, ids[k] ?? undefined));
      // The records as every engine reads them (a number written `1.0` is the number 1 here).
      const records = messages.map((m) => JSON.parse(m) as Json);
      const settings = setting ? { [setting]: settingOn } : {};
      const { outputs } = await runAll(engine, mapIr, stream.name, messages, settings);
      const dropped = outputs.interpreter.filter((o) => o.crash === undefined && o.dropped).length;
      const written = outputs.interpreter.filter((o) => o.crash === undefined && !o.dropped && o.doc.labels).length;
      const withId = outputs.interpreter.filter((o) => o.crash === undefined && o._id !== undefined).length;
      console.log(
        `conditions map ${i}: ${records.length} records, ${dropped} dropped, ${written} with a conditional write, ${withId} with an id; drop ${JSON.stringify(drop)}; writes ${JSON.stringify(w)}`,
      );
      const found = failures(stream, records, outputs, new Map());
      expect(
        found,
        `seed ${SEED}, map ${i}: when ${JSON.stringify(when)}; drop ${JSON.stringify(drop)}; writes ${JSON.stringify(w)}; ${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`,
      ).toEqual([]);
    },
  );
}
