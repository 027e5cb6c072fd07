/**
 * Property test across all engines: random records shaped like each vendor's (./generate.ts:
 * fixture records with missing, null, wrong-typed, unicode, 10k, odd-IP, odd-timestamp, big and
 * negative number, number- and boolean-looking values) go through every bundled map on the
 * reference interpreter, VRL, the real OpenSearch node, the ingest evaluator and the Logstash
 * evaluator. No engine crashes and every engine gives the interpreter's document and id, except
 * exactly the classes of ./classes.ts (docs/target-differences.md). For streams that redact,
 * random records also carry a value no redaction can take (numbers, booleans, objects and arrays
 * holding planted clear texts) at every redacted path: the engines agree, and none stores it.
 *
 * Records are drawn with `fc.sample` and a fixed seed (printed with any failure) so that each
 * engine runs them in one batch: VRL compiles the program on every call and `_simulate` takes
 * many documents per request. To replay: `fc.sample(vendorRecords(stream, templates), { numRuns, seed })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conversionErrorMessage,
  redactedSource,
  type FieldPath,
  type RuleIR,
  type StreamIR,
  type TransformIR,
} from '../../compiler/ir.ts';
import { applyTransforms } from '../../compiler/interpret/index.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { exclusionFor, valueAt } from './classes.ts';
import { failures, runAll, without } from './check.ts';
import { canonical, malformedStamp, withoutEngineStamp } from './compare.ts';
import { ENGINES, type Engine, type EngineName } from './engines.ts';
import { LEAK, redactedRecords, vendorRecords, type Json } from './generate.ts';
import { bundledMaps } from './maps.ts';

const SEED = 20261123;
const RUNS = 1000;
const RUNS_WITH_SETTINGS = 300;
const RUNS_REDACTED = 300;

/**
 * Record paths a redaction guards: read first (in rule order) by a rule that redacts and always
 * runs (no `when`), so that a value there is either redacted or deleted (compiler/ir.ts step 4).
 */
function guardedPaths(stream: StreamIR): FieldPath[] {
  const seen = new Set<string>();
  const out: FieldPath[] = [];
  for (const rule of stream.mapping.rules) {
    if (rule.value.kind !== 'field') continue;
    const key = rule.value.path.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    if (redactedSource(rule) && !rule.when) out.push(rule.value.path);
  }
  return out;
}

/** The JSON type of a value, for the counts the redaction property test prints. */
const jsonType = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : Number.isInteger(v)
        ? 'integer'
        : typeof v === 'number'
          ? 'float'
          : typeof v;

/** Registers the random-record and uncoercible-value tests; `engine` gives each engine's adapter (./agreement.test.ts). */
export function propertySuite(engine: (name: EngineName) => Engine): void {
  const maps = bundledMaps();
  const streams = maps.flatMap((m) => m.fixtureStreams.map((s) => [`${m.ir.name}.${s}`, m.ir, s] as const));

  describe.each(streams)('random %s-shaped records on every engine', (_label, ir, name) => {
    const stream = ir.streams.find((s) => s.name === name) as StreamIR;
    const templates = loadFixtureRecords(ir.name, name) as { [k: string]: Json }[];

    it(`${RUNS} records: no crash, same documents and ids (seed ${SEED})`, async () => {
      const records = fc.sample(vendorRecords(stream, templates), { numRuns: RUNS, seed: SEED });
      const { outputs, ms } = await runAll(
        engine,
        ir,
        name,
        records.map((r) => JSON.stringify(r)),
      );
      console.log(
        `agreement ${ir.name}.${name}: ${records.length} records per engine; ms per engine ${JSON.stringify(ms)}`,
      );
      const counts = new Map<string, number>();
      const found = failures(stream, records, outputs, counts);
      console.log(
        `agreement ${ir.name}.${name}: records in a difference class, per engine: ${JSON.stringify(Object.fromEntries(counts))}`,
      );
      expect(found, `seed ${SEED}, ${found.length} failure(s):\n${found.slice(0, 8).join('\n')}`).toEqual([]);
    });

    it(`${RUNS_WITH_SETTINGS} records with every bool setting on: no crash, same documents and ids (seed ${SEED + 1})`, async () => {
      const settings = Object.fromEntries(ir.settings.filter((s) => s.type === 'bool').map((s) => [s.name, true]));
      const records = fc.sample(vendorRecords(stream, templates), { numRuns: RUNS_WITH_SETTINGS, seed: SEED + 1 });
      const { outputs } = await runAll(
        engine,
        ir,
        name,
        records.map((r) => JSON.stringify(r)),
        settings,
      );
      const found = failures(stream, records, outputs, new Map());
      expect(
        found,
        `seed ${SEED + 1}, settings ${JSON.stringify(settings)}, ${found.length} failure(s):\n${found.slice(0, 8).join('\n')}`,
      ).toEqual([]);
    });
  });

  const redacting = streams.filter(
    ([, ir, name]) => guardedPaths(ir.streams.find((s) => s.name === name) as StreamIR).length > 0,
  );

  describe.each(redacting)('random %s-shaped records with unredactable values at redacted paths', (_l, ir, name) => {
    const stream = ir.streams.find((s) => s.name === name) as StreamIR;
    const templates = loadFixtureRecords(ir.name, name) as { [k: string]: Json }[];
    const guarded = guardedPaths(stream);

    it(`${RUNS_REDACTED} records: same documents and ids; no engine stores a value it could not redact (seed ${SEED + 2})`, async () => {
      const records = fc.sample(redactedRecords(stream, templates, guarded), {
        numRuns: RUNS_REDACTED,
        seed: SEED + 2,
      });
      const types = new Map<string, number>();
      for (const r of records)
        for (const p of guarded) types.set(jsonType(valueAt(r, p)), (types.get(jsonType(valueAt(r, p))) ?? 0) + 1);
      const planted = records.filter((r) => JSON.stringify(r).match(LEAK)).length;
      console.log(
        `redaction ${ir.name}.${name}: ${records.length} records, types at ${guarded.map((p) => p.join('.')).join(', ')}: ${JSON.stringify(Object.fromEntries(types))}; ${planted} with planted clear texts`,
      );
      const { outputs } = await runAll(
        engine,
        ir,
        name,
        records.map((r) => JSON.stringify(r)),
      );
      const found = failures(stream, records, outputs, new Map());
      expect(found, `seed ${SEED + 2}, ${found.length} failure(s):\n${found.slice(0, 8).join('\n')}`).toEqual([]);
      const leaks: string[] = [];
      for (const e of ENGINES) {
        outputs[e].forEach((out, i) => {
          if (out.crash !== undefined) return;
          const text = JSON.stringify(out.doc);
          if (LEAK.test(text)) leaks.push(`${e} record ${i}: planted text in ${text.slice(0, 500)}`);
          for (const p of guarded) {
            const kept = stream.mapping.keepUnmapped
              ? valueAt(out.doc, [...stream.mapping.namespace, ...p])
              : undefined;
            if (kept !== undefined) leaks.push(`${e} record ${i}: ${p.join('.')} kept as ${JSON.stringify(kept)}`);
          }
        });
      }
      expect(leaks, `seed ${SEED + 2}: ${leaks.slice(0, 8).join('\n')}`).toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------------

  /** A value the transform list cannot convert (IR TransformIR rules), or undefined when it cannot fail. */
  function uncoercible(transforms: readonly TransformIR[]): Json | undefined {
    const first = transforms.find((t) => t.kind !== 'lookup');
    if (!first) return undefined;
    switch (first.kind) {
      case 'convert':
        return { ip: '256.1.1.1', long: '4x2', double: '1.2.3', boolean: 'yes', keyword: { not: 'a scalar' } }[
          first.to
        ];
      case 'date':
        return '31/02/2024x';
      default:
        return true; // case mapping and redaction take strings only
    }
  }

  describe.each(maps.map((m) => [m.ir.name, m] as const))(
    '%s: a value that cannot be coerced, on every engine',
    (_name, map) => {
      const cases = map.fixtureStreams.flatMap((name) => {
        const stream = map.ir.streams.find((s) => s.name === name) as StreamIR;
        const template = (loadFixtureRecords(map.ir.name, name) as { [k: string]: Json }[])[0] as { [k: string]: Json };
        return stream.mapping.rules.flatMap((rule) => {
          if (rule.value.kind !== 'field' || rule.when) return [];
          const bad = uncoercible(rule.value.transforms);
          if (bad === undefined) return [];
          const record = structuredClone(template);
          let parent: { [k: string]: Json } = record;
          for (const segment of rule.value.path.slice(0, -1)) {
            if (parent[segment] === null || typeof parent[segment] !== 'object' || Array.isArray(parent[segment]))
              parent[segment] = {};
            parent = parent[segment] as { [k: string]: Json };
          }
          parent[rule.value.path[rule.value.path.length - 1] as string] = bad;
          return [{ stream, rule: rule as RuleIR & { value: { kind: 'field' } }, bad, record }];
        });
      });

      it('leaves the target unset, appends the fixed error.message and keeps the value under the namespace (deletes it when the rule redacts), identically everywhere', async () => {
        expect(cases.length).toBeGreaterThan(0);
        for (const { stream, rule, bad, record } of cases) {
          const { outputs } = await runAll(engine, map.ir, stream.name, [JSON.stringify(record)]);
          const label = `${map.ir.name}.${stream.name} ${rule.destination.join('.')} = ${rule.value.path.join('.')} on ${JSON.stringify(bad)}`;
          const otherWriters = stream.mapping.rules.filter(
            (r) => r !== rule && r.destination.join('.') === rule.destination.join('.'),
          );
          // An earlier rule that redacts the same path, always runs and fails on `bad` deletes it first.
          const deleter = stream.mapping.rules
            .slice(0, stream.mapping.rules.indexOf(rule))
            .find(
              (r) =>
                !r.when &&
                redactedSource(r)?.join('.') === rule.value.path.join('.') &&
                r.value.kind === 'field' &&
                applyTransforms(bad, r.value.transforms).kind === 'fail',
            );
          for (const name of ENGINES) {
            const out = outputs[name][0];
            if (!out || out.crash !== undefined) throw new Error(`${label}: ${name} crashed: ${out?.crash}`);
            const want = outputs.interpreter[0]!;
            // The collection time an engine keeps when no rule wrote @timestamp (step 8) is no target.
            expect(malformedStamp(out, want), `${label}: ${name} collection time`).toBeUndefined();
            // A difference class (./classes.ts) excludes the same fields here as in every comparison.
            const { exclusion } = exclusionFor(name, stream, record);
            const excluded = exclusion.fields ?? [];
            const isExcluded = (path: readonly string[]): boolean =>
              excluded.some((p) => p.join('.') === path.join('.'));
            const doc = without(withoutEngineStamp(out, want).doc, excluded);
            // Every engine, not only against the interpreter: the three observable effects.
            const inPlace = rule.destination.join('.') === [...stream.mapping.namespace, ...rule.value.path].join('.');
            // A redacting rule deletes the value it could not redact (compiler/ir.ts step 4), so a
            // later rule reading that path sees it missing: it writes nothing and reports nothing.
            const redacts = redactedSource(rule) !== undefined || deleter !== undefined;
            // A rule rewriting its own source in the namespace leaves the value as it was, unless it redacts.
            if (inPlace)
              expect(valueAt(doc, rule.destination), `${label}: ${name} target`).toEqual(redacts ? undefined : bad);
            else if (otherWriters.length === 0)
              expect(valueAt(doc, rule.destination), `${label}: ${name} target`).toBeUndefined();
            expect(valueAt(doc, ['error', 'message']), `${label}: ${name} error.message`).toContain(
              conversionErrorMessage(deleter ?? rule),
            );
            if (deleter)
              expect(valueAt(doc, ['error', 'message']), `${label}: ${name} error.message`).not.toContain(
                conversionErrorMessage(rule),
              );
            const kept = [...stream.mapping.namespace, ...rule.value.path];
            if (
              stream.mapping.keepUnmapped &&
              !stream.mapping.remove.some((p) => p.join('.') === rule.value.path.join('.')) &&
              !isExcluded(kept)
            ) {
              expect(valueAt(doc, kept), `${label}: ${name} kept value`).toEqual(redacts ? undefined : bad);
            }
            // An id over a value engines print differently (an object: Bitwarden's id reads `type`)
            // is compared as a SHA-256 hex, as in every comparison (./check.ts).
            const wantId = (want as { _id?: string })._id;
            const idOf = (id: string | undefined): string | undefined =>
              exclusion.idText && id !== undefined && /^[0-9a-f]{64}$/.test(id) ? '<sha-256>' : id;
            expect({ engine: name, doc: canonical(doc), _id: idOf(out._id) }, label).toEqual({
              engine: name,
              doc: canonical(want.crash === undefined ? without(want.doc, excluded) : null),
              _id: idOf(wantId),
            });
          }
        }
      });
    },
  );
}
