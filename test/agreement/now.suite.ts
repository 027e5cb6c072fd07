/**
 * `now` tests (compiler/ir.ts `ConditionIR` `now`) on every engine: random maps whose rules write
 * a constant under a random `now` test (every operator, offsets up to 20 years either way, the
 * formats `iso8601`, a date pattern, and both in either order; sometimes under `not`, `and` with
 * an `exists`, and as a `drop when`), run on random records through the reference interpreter
 * (its wall clock), VRL (`now()`), the real OpenSearch node and the ingest evaluator
 * (`_ingest.timestamp`) and the Logstash evaluator (`Time.now`), in the lean forms (the Endor
 * record schema kept) and the fully guarded ones (stripped), alternately.
 *
 * No engine's clock can be fixed, so every readable date is at least ten years from every
 * boundary the tests can draw (now ± 20 years, now being 2026 or later): years before 1996 or
 * after 2066, up to the four-digit-year edges (`0000-01-01T00:00:00Z`, `9999-12-31T23:59:59.999Z`,
 * and instants an offset moves past them, which no engine reads). Beside them: texts no format
 * reads (an impossible day, hour 24, month 13, an offset of 24 hours, no offset, lower-case `t`,
 * a trailing space, a pattern with a missing digit) and values that are no strings. The exact
 * boundary is tested on the interpreter with a fixed clock (test/compiler/interpret/now.test.ts).
 *
 * Maps and records are drawn with `fc.sample` and fixed seeds (printed with any failure).
 *
 * @module
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  datePatternFormat,
  type ConditionIR,
  type DateFormat,
  type IntegrationIR,
  type StreamIR,
} from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { failures, runAll } from './check.ts';
import { conditionRule } from './conditions.ts';
import type { Engine, EngineName } from './engines.ts';
import type { Json } from './generate.ts';
import { bundledMaps } from './maps.ts';

const SEED = 20261207;
const MAPS = 8;
const RECORDS = 100;
const DAY_MS = 86_400_000;

const ISO: DateFormat = { kind: 'iso8601' };
const PATTERN = datePatternFormat('dd/MM/yyyy HH:mm:ss.SSS');
const DAY = datePatternFormat('yyyy.MM.dd');
const FORMATS: readonly (readonly DateFormat[])[] = [[ISO], [PATTERN], [DAY, ISO], [ISO, PATTERN]];

/** A year at least ten years from every instant now ± 20 years can be (now: 2026 or later). */
const farYear = fc.oneof(fc.integer({ min: 1, max: 1995 }), fc.integer({ min: 2067, max: 9998 }));
const two = (n: number): string => String(n).padStart(2, '0');
const four = (n: number): string => String(n).padStart(4, '0');

/** A readable date text (any of the formats), or one of the edge and unreadable texts. */
const dateText: fc.Arbitrary<Json> = fc.oneof(
  fc
    .record({
      y: farYear,
      mo: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 28 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      fraction: fc.constantFrom('', '.5', '.123', '.123456', '.1234567890123'),
      zone: fc.constantFrom('Z', '+00:00', '-05:30', '+14:00', '+23:59'),
      form: fc.constantFrom('iso', 'pattern', 'day'),
    })
    .map(({ y, mo, d, h, mi, s, fraction, zone, form }) =>
      form === 'iso'
        ? `${four(y)}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${fraction}${zone}`
        : form === 'pattern'
          ? `${two(d)}/${two(mo)}/${four(y)} ${two(h)}:${two(mi)}:${two(s)}.${(fraction.slice(1) + '000').slice(0, 3)}`
          : `${four(y)}.${two(mo)}.${two(d)}`,
    ),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '0000-01-01T00:30:00+01:00',
    '9999-12-31T23:59:59.999Z',
    '9999-12-31T23:30:00-01:00',
    '1990-02-29T00:00:00Z',
    '1992-02-29T12:00:00Z',
    '2100-02-29T00:00:00Z',
    '1990-02-30T00:00:00Z',
    '1990-04-31T00:00:00Z',
    '1990-01-01T24:00:00Z',
    '1990-01-01T23:60:00Z',
    '1990-01-01T23:59:60Z',
    '1990-13-01T00:00:00Z',
    '1990-00-10T00:00:00Z',
    '1990-01-00T00:00:00Z',
    '1990-01-01T00:00:00+24:00',
    '1990-01-01T00:00:00+01:60',
    '1990-01-01T00:00:00',
    '1990-01-01t00:00:00Z',
    '1990-01-01T00:00:00Z ',
    '1990-01-01T00:00:00.Z',
    '30/02/1990 00:00:00.000',
    '01/01/2090 00:00:00.00',
    '2090.1.01',
    '2090.02.30',
    '',
    'now',
  ),
  fc.constantFrom<Json>(5, 1700000000000, -1.5, true, null, { a: 1 }, ['1990-01-01T00:00:00Z']),
);

const nowTest: fc.Arbitrary<ConditionIR> = fc
  .record({
    op: fc.constantFrom('lt', 'le', 'gt', 'ge' as const),
    days: fc.integer({ min: -7300, max: 7300 }),
    formats: fc.constantFrom(...FORMATS),
  })
  .map(({ op, days, formats }) => ({ kind: 'now', op, path: ['d'], formats, offsetMs: days * DAY_MS }));

const condition: fc.Arbitrary<ConditionIR> = fc.oneof(
  { weight: 4, arbitrary: nowTest },
  { weight: 1, arbitrary: nowTest.map((c): ConditionIR => ({ kind: 'not', condition: c })) },
  {
    weight: 1,
    arbitrary: nowTest.map((c): ConditionIR => ({ kind: 'and', all: [{ kind: 'exists', path: ['e'] }, c] })),
  },
);

/** The map's stream with its constant rules, then one rule per condition, and `drop` when given. */
function withNowTests(ir: IntegrationIR, when: readonly ConditionIR[], drop: readonly ConditionIR[]): IntegrationIR {
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
export function nowSuite(engine: (name: EngineName) => Engine): void {
  const ir = bundledMaps().find((m) => m.ir.name === 'endor_labs')!.ir;
  const maps = fc.sample(
    fc.record({
      when: fc.array(condition, { minLength: 3, maxLength: 5 }),
      drop: fc.array(nowTest, { minLength: 0, maxLength: 1 }),
    }),
    { numRuns: MAPS, seed: SEED },
  );

  it.each(maps.map((m, i) => [i, m] as const))(
    `random now tests, map %i: every engine writes and drops as the interpreter (seed ${SEED})`,
    async (i, { when, drop }) => {
      // Even maps keep the Endor record schema (the lean forms), odd ones lose it (the guarded forms).
      const mapIr = i % 2 === 0 ? withNowTests(ir, when, drop) : stripSchemas(withNowTests(ir, when, drop));
      const stream = mapIr.streams[0] as StreamIR;
      const records = fc.sample(fc.record({ d: dateText, e: fc.constantFrom<Json>(1, null) }, { requiredKeys: [] }), {
        numRuns: RECORDS,
        seed: SEED + 1 + i,
      }) as Json[];
      const messages = records.map((r) => JSON.stringify(r));
      const { outputs } = await runAll(engine, mapIr, stream.name, messages);
      const interpreted = outputs.interpreter.filter((o) => o.crash === undefined);
      const dropped = interpreted.filter((o) => o.dropped).length;
      const written = interpreted.filter((o) => !o.dropped && o.doc.labels).length;
      console.log(`now map ${i}: ${records.length} records, ${dropped} dropped, ${written} with a conditional write`);
      // The draw reaches both outcomes of the tests.
      expect(written).toBeGreaterThan(0);
      const found = failures(stream, records, outputs, new Map());
      expect(
        found,
        `seed ${SEED}, map ${i}: when ${JSON.stringify(when)}; drop ${JSON.stringify(drop)}; ${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`,
      ).toEqual([]);
    },
  );
}
