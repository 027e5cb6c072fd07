/**
 * The text transforms on every engine: random maps whose rules `split` record fields on random
 * separators (./generate.ts `SPLIT_SEPARATORS`), written with `=` under the vendor namespace and
 * with `+=` into an ECS array field, run on records whose fields hold texts built from those
 * separators (leading, inner and trailing empty pieces, `""`, runs of separators, overlapping
 * ones) or values of other JSON types (the rule fails), through the reference interpreter, VRL,
 * the real OpenSearch node, the ingest evaluator and the Logstash evaluator. Every engine gives
 * the interpreter's document; none crashes.
 *
 * `json` runs the same way on JSON texts of every type (compact and spread over lines), `null` and
 * texts that are not JSON, written with `=` and appended with `+=` under the vendor namespace.
 *
 * `extract` runs random patterns of mapc's regex subset (./generate.ts `extractPattern`: anchors,
 * alternation, classes, ASCII shorthands, greedy and lazy quantifiers) on random texts of
 * characters that are metacharacters somewhere, line breaks, multi-byte and astral ones, one rule
 * chained with `uppercase`.
 *
 * Maps and records are drawn with `fc.sample` and fixed seeds (printed with any failure).
 *
 * @module
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { IntegrationIR, RuleIR, StreamIR } from '../../compiler/ir.ts';
import { failures, runAll } from './check.ts';
import type { Engine, EngineName } from './engines.ts';
import {
  extractMatching,
  extractNamedPattern,
  extractPattern,
  extractText,
  jsonText,
  SPLIT_SEPARATORS,
  splitText,
  type Json,
} from './generate.ts';
import { parseRegex, type ParsedRegex } from '../../dsl/regex.ts';
import { bundledMaps } from './maps.ts';

const SEED = 20261207;
const MAPS = 6;
const RECORDS = 80;
const FIELDS = ['s0', 's1', 's2'] as const;

const KEYWORDS = { ecsType: 'keyword', array: true, vendor: false } as const;
const VENDOR = { ecsType: 'keyword', array: false, vendor: true } as const;

/** A map's rules: each field split on its separator into the namespace, one also appended to `related.user`. */
function splitRules(namespace: readonly string[], separators: readonly string[], loc: RuleIR['loc']): RuleIR[] {
  const rules: RuleIR[] = FIELDS.map((f, i) => ({
    destination: [...namespace, `split_${i}`],
    destinationType: VENDOR,
    op: 'set',
    value: { kind: 'field', path: [f], transforms: [{ kind: 'split', separator: separators[i]! }] },
    loc,
  }));
  rules.push({
    destination: ['related', 'user'],
    destinationType: KEYWORDS,
    op: 'append',
    value: {
      kind: 'field',
      path: ['s0'],
      transforms: [{ kind: 'lowercase' }, { kind: 'split', separator: separators[0]! }],
    },
    loc,
  });
  return rules;
}

function withSplits(ir: IntegrationIR, separators: readonly string[]): IntegrationIR {
  const base = ir.streams[0] as StreamIR;
  const stream: StreamIR = {
    ...base,
    mapping: {
      namespace: base.mapping.namespace,
      keepUnmapped: true,
      rules: splitRules(base.mapping.namespace, separators, base.loc),
      remove: [],
      consumed: [],
    },
  };
  return { ...ir, streams: [stream] };
}

/** A field's value: mostly a text to split on its separator, sometimes another JSON type or none. */
const fieldValue = (separator: string): fc.Arbitrary<Json | undefined> =>
  fc.oneof(
    { weight: 8, arbitrary: splitText(separator) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Json | undefined>(undefined, null, 5, 2.5, true, [], ['a,b'], { a: 'b' }),
    },
  );

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function transformSuite(engine: (name: EngineName) => Engine): void {
  const ir = bundledMaps().find((m) => m.ir.name === 'endor_labs')!.ir;
  const maps = fc.sample(
    fc.array(fc.constantFrom(...SPLIT_SEPARATORS), { minLength: FIELDS.length, maxLength: FIELDS.length }),
    { numRuns: MAPS, seed: SEED },
  );
  it.each(maps.map((m, i) => [i, m] as const))(
    `random splits, map %i: every engine gives the interpreter's document (seed ${SEED})`,
    async (i, separators) => {
      const mapIr = withSplits(ir, separators);
      const stream = mapIr.streams[0] as StreamIR;
      const records = fc
        .sample(fc.tuple(...FIELDS.map((_, k) => fieldValue(separators[k]!))), {
          numRuns: RECORDS,
          seed: SEED + 1 + i,
        })
        .map((values) => {
          const record: Record<string, Json> = { id: 'x' };
          values.forEach((v, k) => {
            if (v !== undefined) record[FIELDS[k]!] = v;
          });
          return record as Json;
        });
      const messages = records.map((r) => JSON.stringify(r));
      const { outputs } = await runAll(engine, mapIr, stream.name, messages);
      const found = failures(stream, records, outputs, new Map());
      expect(
        found,
        `seed ${SEED}, map ${i}: separators ${JSON.stringify(separators)}; ${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`,
      ).toEqual([]);
    },
  );
}

const VENDOR_LIST = { ecsType: 'keyword', array: true, vendor: true } as const;

/** `json` of two fields with `=`, one of them also appended with `+=`, under the vendor namespace. */
function withJson(ir: IntegrationIR): IntegrationIR {
  const base = ir.streams[0] as StreamIR;
  const ns = base.mapping.namespace;
  const loc = base.loc;
  const rule = (destination: string, op: 'set' | 'append', path: string): RuleIR => ({
    destination: [...ns, destination],
    destinationType: op === 'set' ? VENDOR : VENDOR_LIST,
    op,
    value: { kind: 'field', path: [path], transforms: [{ kind: 'json' }] },
    loc,
  });
  const stream: StreamIR = {
    ...base,
    mapping: {
      namespace: ns,
      keepUnmapped: true,
      rules: [rule('json_0', 'set', 'j0'), rule('json_1', 'set', 'j1'), rule('json_list', 'append', 'j0')],
      remove: [],
      consumed: [],
    },
  };
  return { ...ir, streams: [stream] };
}

/** Registers the `json` part of the suite. */
export function jsonSuite(engine: (name: EngineName) => Engine): void {
  const ir = withJson(bundledMaps().find((m) => m.ir.name === 'endor_labs')!.ir);
  const stream = ir.streams[0] as StreamIR;
  const value = fc.oneof(
    { weight: 8, arbitrary: jsonText },
    { weight: 1, arbitrary: fc.constantFrom<Json | undefined>(undefined, null, 5, true, ['{}'], { a: '{}' }) },
  );
  it.each([0, 1])(
    `random JSON texts, batch %i: every engine gives the interpreter's document (seed ${SEED})`,
    async (i) => {
      const records = fc.sample(fc.tuple(value, value), { numRuns: RECORDS * 2, seed: SEED + 50 + i }).map(([a, b]) => {
        const record: Record<string, Json> = { id: 'x' };
        if (a !== undefined) record['j0'] = a;
        if (b !== undefined) record['j1'] = b;
        return record as Json;
      });
      const { outputs } = await runAll(
        engine,
        ir,
        stream.name,
        records.map((r) => JSON.stringify(r)),
      );
      const found = failures(stream, records, outputs, new Map());
      expect(found, `seed ${SEED}, batch ${i}: ${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`).toEqual(
        [],
      );
    },
  );
}

/** `extract` of three fields on random patterns, one chained with `uppercase`, under the vendor namespace. */
function withExtracts(
  ir: IntegrationIR,
  patterns: readonly ParsedRegex[],
  sources: readonly string[],
  chain = true,
): IntegrationIR {
  const base = ir.streams[0] as StreamIR;
  const ns = base.mapping.namespace;
  const rules: RuleIR[] = FIELDS.map((f, i) => ({
    destination: [...ns, `extract_${i}`],
    destinationType: VENDOR,
    op: 'set',
    value: {
      kind: 'field',
      path: [f],
      transforms: [
        { kind: 'extract', pattern: sources[i]!, regex: patterns[i]! },
        ...(chain && i === 2 ? [{ kind: 'uppercase' } as const] : []),
      ],
    },
    loc: base.loc,
  }));
  return {
    ...ir,
    streams: [{ ...base, mapping: { namespace: ns, keepUnmapped: true, rules, remove: [], consumed: [] } }],
  };
}

/** Registers the `extract` part of the suite: random patterns of the subset on random texts. */
export function extractSuite(engine: (name: EngineName) => Engine): void {
  const ir = bundledMaps().find((m) => m.ir.name === 'endor_labs')!.ir;
  const pick = (arbitrary: fc.Arbitrary<string>, seed: number) =>
    fc
      .sample(arbitrary, { numRuns: 400, seed })
      .map((p) => [p, parseRegex(p)] as const)
      .filter((x): x is readonly [string, ParsedRegex] => x[1].kind === 'regex');
  const unnamed = pick(extractPattern, SEED + 100);
  const named = pick(extractNamedPattern, SEED + 300);
  const maps = [
    ...Array.from(
      { length: MAPS },
      (_, i) => ['unnamed', i, unnamed.slice(i * FIELDS.length, (i + 1) * FIELDS.length)] as const,
    ),
    ...Array.from(
      { length: 3 },
      (_, i) => ['named', i, named.slice(i * FIELDS.length, (i + 1) * FIELDS.length)] as const,
    ),
  ];
  const value = (regex: ParsedRegex): fc.Arbitrary<Json | undefined> =>
    fc.oneof(
      { weight: 8, arbitrary: extractMatching(regex) },
      { weight: 4, arbitrary: extractText },
      { weight: 1, arbitrary: fc.constantFrom<Json | undefined>(undefined, null, 5, true, ['a'], { a: 'b' }) },
    );
  it.each(maps)(
    `random extract patterns (%s groups), map %i: every engine gives the interpreter's document (seed ${SEED})`,
    async (kind, i, chosen) => {
      expect(chosen).toHaveLength(FIELDS.length);
      const mapIr = withExtracts(
        ir,
        chosen.map(([, r]) => r),
        chosen.map(([p]) => p),
        kind === 'unnamed',
      );
      const stream = mapIr.streams[0] as StreamIR;
      const records = fc
        .sample(fc.tuple(...chosen.map(([, r]) => value(r))), {
          numRuns: RECORDS,
          seed: SEED + (kind === 'named' ? 400 : 200) + i,
        })
        .map((values) => {
          const record: Record<string, Json> = { id: 'x' };
          values.forEach((v, k) => {
            if (v !== undefined) record[FIELDS[k]!] = v;
          });
          return record as Json;
        });
      const { outputs } = await runAll(
        engine,
        mapIr,
        stream.name,
        records.map((r) => JSON.stringify(r)),
      );
      const found = failures(stream, records, outputs, new Map());
      expect(
        found,
        `seed ${SEED}, ${kind} map ${i}: patterns ${JSON.stringify(chosen.map(([p]) => p))}; ${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`,
      ).toEqual([]);
    },
  );
}
