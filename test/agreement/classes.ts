/**
 * The input classes on which engines are known to differ, each a predicate over (stream, record),
 * and the exact part of the comparison each one excludes. Every class is listed, with what each
 * engine gives and why, in docs/target-differences.md under the same name; a class marked
 * `open` there is an avoidable difference (a bug routed to the target's owner), not a license.
 *
 * @module
 */
import type { FieldPath, RuleIR, StreamIR, TransformIR } from '../../compiler/ir.ts';
import { documentIdFields } from '../../compiler/ir.ts';
import { applyTransforms } from '../../compiler/interpret/index.ts';
import type { EngineName } from './engines.ts';

type Json = unknown;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `path` of the record, `undefined` when missing (a non-object parent reads as missing). */
export function valueAt(record: Json, path: FieldPath): Json {
  let cur: Json = record;
  for (const segment of path) {
    if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, segment)) return undefined;
    cur = cur[segment];
  }
  return cur;
}

/** What one class excludes for one engine on one record. */
export interface Exclusion {
  /** Do not run the comparison at all (the engine is still required not to crash unless `crashes`). */
  readonly whole?: boolean;
  /** The engine gives no document for the record (documented). */
  readonly crashes?: boolean;
  /** Compare `_id` only as "a SHA-256 hex", not by value. */
  readonly idText?: boolean;
  /** Absolute document paths removed from both documents before comparing. */
  readonly fields?: readonly FieldPath[];
}

export interface DifferenceClass {
  /** The heading of the class in docs/target-differences.md. */
  readonly name: string;
  readonly kind: 'unavoidable' | 'open';
  readonly engines: readonly EngineName[];
  /** The exclusion when the record is in the class, else undefined. */
  applies(stream: StreamIR, record: Json): Exclusion | undefined;
  /**
   * The minimal case of docs/target-differences.md (a record of the first stream of `maps/<map>.map`,
   * on which `engines` really differ from the interpreter), and a near record outside the class.
   */
  readonly example: { readonly map: string; readonly record: Json; readonly near: Json };
}

/** Integers that JSON readers in Java (Jackson) hold as BigInteger: outside the signed 64-bit range. */
function hasBigInteger(v: Json): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && (v >= 2 ** 63 || v < -(2 ** 63));
  if (Array.isArray(v)) return v.some(hasBigInteger);
  if (isObject(v)) return Object.values(v).some(hasBigInteger);
  return false;
}

/**
 * Id text every engine writes alike: missing, null, string, boolean, a safe integer, or a
 * non-integral number printed without exponent by JavaScript, Java (`Double.toString`: 1e-3 ≤ |x| < 1e7),
 * Ruby (`Float#to_s`: 1e-4 ≤ |x| < 1e16) and Rust.
 */
function portableIdValue(v: Json): boolean {
  if (v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number')
    return Number.isSafeInteger(v) || (!Number.isInteger(v) && Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7);
  return false;
}

export const CLASSES: readonly DifferenceClass[] = [
  {
    name: 'Document id over a non-scalar or exponent-printed number',
    kind: 'unavoidable',
    engines: ['vrl', 'opensearch', 'ingest', 'logstash'],
    example: { map: 'enpass', record: { event_id: 1e-7 }, near: { event_id: 0.5 } },
    applies: (stream, record) => {
      const fields = documentIdFields(stream.mapping.documentId);
      return fields.every((f) => portableIdValue(valueAt(record, f))) ? undefined : { idText: true };
    },
  },
  {
    name: 'Integer beyond the signed 64-bit range on OpenSearch',
    kind: 'unavoidable',
    engines: ['opensearch'],
    example: { map: 'enpass', record: { event_id: 'e1', n: 1e20 }, near: { event_id: 'e1', n: 2 ** 53 - 1 } },
    applies: (_stream, record) => (hasBigInteger(record) ? { whole: true, crashes: true } : undefined),
  },
  {
    name: 'Append of a non-string value on OpenSearch (dialect)',
    kind: 'unavoidable',
    engines: ['opensearch'],
    example: {
      map: 'enpass',
      record: { event_id: 'e1', actor: { name: 5 } },
      near: { event_id: 'e1', actor: { name: '5' } },
    },
    applies: (stream, record) => {
      const nonString = (v: Json): boolean => v !== undefined && v !== null && typeof v !== 'string';
      const rules = stream.mapping.rules;
      // A `copy(...)` appends what an earlier rule wrote there: a record field's value as is (a
      // rule without transforms), or a constant.
      const written = (r: RuleIR, from: FieldPath): boolean =>
        r.destination.join('.') === from.join('.') &&
        (r.value.kind === 'const'
          ? typeof r.value.value !== 'string'
          : r.value.kind === 'field' && nonString(valueAt(record, r.value.path)));
      const targets = rules
        .filter((r, i) => {
          if (r.op !== 'append') return false;
          // `split` appends a list, `json` any parsed value: what the rule's transforms yield.
          const yields =
            r.value.kind === 'field' && r.value.transforms.some((t) => t.kind === 'split' || t.kind === 'json');
          if (r.value.kind === 'field' && yields) {
            const out = applyTransforms(valueAt(record, r.value.path), r.value.transforms);
            return out.kind === 'value' && nonString(out.value as Json);
          }
          if (r.value.kind === 'field') return nonString(valueAt(record, r.value.path));
          const from = r.value.kind === 'copy' ? r.value.from : undefined;
          return from !== undefined && rules.slice(0, i).some((w) => written(w, from));
        })
        .map((r) => r.destination);
      return targets.length > 0 ? { fields: targets } : undefined;
    },
  },
  {
    name: '`keyword` of an integral number beyond the signed 64-bit range',
    kind: 'open',
    engines: ['ingest', 'logstash'],
    example: {
      map: 'bitwarden',
      record: { object: 'event', type: 1e21, date: '2024-11-14T08:57:03.207Z' },
      near: { object: 'event', type: 1999, date: '2024-11-14T08:57:03.207Z' },
    },
    applies: (stream, record) => {
      const isKeyword = (t: TransformIR | undefined): boolean => t?.kind === 'convert' && t.to === 'keyword';
      const big = (v: Json): boolean => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 2 ** 63;
      const targets = stream.mapping.rules
        .filter(
          (r) => r.value.kind === 'field' && isKeyword(r.value.transforms[0]) && big(valueAt(record, r.value.path)),
        )
        .map((r) => r.destination);
      return targets.length > 0 ? { fields: [...targets, ['error', 'message']] } : undefined;
    },
  },
];

/** The merged exclusion of every class that applies to the record on this engine. */
export function exclusionFor(
  engine: EngineName,
  stream: StreamIR,
  record: Json,
): { exclusion: Exclusion; classes: string[] } {
  const hits = CLASSES.flatMap((c) => {
    if (!c.engines.includes(engine)) return [];
    const e = c.applies(stream, record);
    return e ? [{ name: c.name, e }] : [];
  });
  return {
    classes: hits.map((h) => h.name),
    exclusion: {
      whole: hits.some((h) => h.e.whole),
      crashes: hits.some((h) => h.e.crashes),
      idText: hits.some((h) => h.e.idText),
      fields: hits.flatMap((h) => h.e.fields ?? []),
    },
  };
}
