/**
 * What the record-schema tier suites of each engine share (./vrl-tiers.test.ts,
 * ./logstash-tiers.test.ts): the bundled map's IR, records with one declared path set to a
 * violating value, and the tier-2 contract read off the interpreter's documents (module doc of
 * `compiler/ir.ts`, "Record schemas").
 *
 * @module
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { compileFile } from '../../compiler/compile.ts';
import { defaultSettings, mapRecord } from '../../compiler/interpret/index.ts';
import { conversionErrorMessage, type FieldPath, type IntegrationIR, type StreamIR } from '../../compiler/ir.ts';
import type { RecordValidator } from '../../compiler/schema/validate.ts';
import { valueAt } from './classes.ts';

/** The IR of `maps/<vendor>.map`; throws when it does not compile. */
export function compiledMap(vendor: string): IntegrationIR {
  const { ir } = compileFile(`maps/${vendor}.map`);
  if (!ir) throw new Error(`maps/${vendor}.map does not compile`);
  return ir;
}

/** A copy of `record` with `value` at `path` (missing or non-object parents become objects). */
export function withValue(record: Record<string, unknown>, path: FieldPath, value: unknown): Record<string, unknown> {
  const copy = structuredClone(record);
  let parent: Record<string, unknown> = copy;
  for (const segment of path.slice(0, -1)) {
    const next = parent[segment];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) parent[segment] = {};
    parent = parent[segment] as Record<string, unknown>;
  }
  parent[path[path.length - 1] as string] = value;
  return copy;
}

/** A record that violates its schema at `path` by `value`. */
export interface ViolatingCase {
  readonly record: Record<string, unknown>;
  readonly path: FieldPath;
  readonly value: unknown;
}

/**
 * Conforming records with one declared path (not the split path) set to one of `violations`,
 * kept only when the validator reports a violation of that path's declaration.
 */
export function violatingCases(
  stream: StreamIR,
  conforming: fc.Arbitrary<Record<string, unknown>>,
  validator: RecordValidator,
  violations: readonly unknown[],
): fc.Arbitrary<ViolatingCase> {
  const fields = (stream.schema?.fields ?? []).filter(
    (f) => !(stream.source.split && f.path.join('.') === stream.source.split.path.join('.')),
  );
  return fc
    .tuple(conforming, fc.constantFrom(...fields), fc.constantFrom(...violations))
    .map(([record, field, value]) => ({ record: withValue(record, field.path, value), path: field.path, value }))
    .filter(({ record, path }) =>
      validator.violations(record).some((v) => v.field !== undefined && v.field.path.join('.') === path.join('.')),
    );
}

/**
 * The tier-2 contract on the interpreter's document of each case (the engine under test gave
 * the same documents): each unconditional rule reading the violating path failed with its
 * `error.message` text (a null value makes the rule do nothing), and the raw value stays under
 * the namespace unless a redaction (which fails closed) or a `remove` took it, or `drop empty`
 * pruned it (an empty value).
 */
export function expectTier2Contract(ir: IntegrationIR, stream: StreamIR, cases: readonly ViolatingCase[]): void {
  const { mapping } = stream;
  for (const { record, path, value } of cases) {
    const { doc } = mapRecord(stream, JSON.stringify(record), defaultSettings(ir));
    const readers = mapping.rules.filter(
      (r) => r.when === undefined && r.value.kind === 'field' && r.value.path.join('.') === path.join('.'),
    );
    const messages = (doc['error'] as { message?: unknown } | undefined)?.message;
    for (const rule of readers) {
      if (value === null) continue;
      const ruleFailed = Array.isArray(messages) && messages.includes(conversionErrorMessage(rule));
      // A value the declaration forbids but the rule's transforms take still fails (tier 2).
      expect(ruleFailed, `${conversionErrorMessage(rule)} for ${JSON.stringify(value)}`).toBe(true);
      // A failed redaction deletes the value (fails closed): later rules find it missing.
      if (rule.value.kind === 'field' && rule.value.transforms.some((t) => t.kind === 'redact')) break;
    }
    const redacted = readers.some(
      (r) => r.value.kind === 'field' && r.value.transforms.some((t) => t.kind === 'redact'),
    );
    const removed = mapping.remove.some((p) => p.join('.') === path.join('.'));
    // `drop empty` prunes a kept `""`, `[]` or `{}` like any empty value (compiler/ir.ts tier 2).
    const empty =
      value === null || value === '' || (typeof value === 'object' && Object.keys(value as object).length === 0);
    const pruned = mapping.dropEmpty === true && empty;
    if (mapping.keepUnmapped && readers.length > 0 && !redacted && !removed)
      expect(valueAt(doc, [...mapping.namespace, ...path])).toStrictEqual(pruned ? undefined : value);
  }
}

/**
 * `conforming` records, half of them with one path that a rule looks up (`lookup`, after
 * `keyword` or not) set to one of its table's keys, so that tier 1 reads the tables' entries and
 * not only their misses: the key as a JSON integer where the path is declared `integer` and the
 * key is decimal digits (`type | keyword | lookup(event_names)` with `"1000" => ...`), as a string
 * where it is declared `string` without formats; other paths (formats, the split array) are left
 * as drawn.
 */
export function withTableKeys(
  stream: StreamIR,
  conforming: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  const split = stream.source.split?.path.join('.');
  const keyed = stream.mapping.rules.flatMap((rule) => {
    if (rule.value.kind !== 'field' || rule.value.source === undefined) return [];
    const { path, source } = rule.value;
    if (source.formats.length > 0 || (split !== undefined && path.join('.').startsWith(split))) return [];
    const lookup = rule.value.transforms.find((t) => t.kind === 'lookup');
    if (lookup?.kind !== 'lookup') return [];
    const values = lookup.entries.flatMap((e): (string | number)[] => {
      if (source.types.includes('integer') && /^-?[0-9]{1,15}$/.test(e.from)) return [Number(e.from)];
      return source.types.includes('string') ? [e.from] : [];
    });
    return values.length > 0 ? [{ path, values }] : [];
  });
  if (keyed.length === 0) return conforming;
  const hit = fc
    .tuple(conforming, fc.constantFrom(...keyed))
    .chain(([record, k]) => fc.constantFrom(...k.values).map((value) => withValue(record, k.path, value)));
  return fc.oneof(conforming, hit);
}
