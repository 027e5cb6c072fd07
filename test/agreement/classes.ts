/**
 * The input classes on which engines are known to differ, each a predicate over (stream, record),
 * and the exact part of the comparison each one excludes. Every class is listed, with what each
 * engine gives and why, in docs/target-differences.md under the same name; a class marked
 * `open` there is an avoidable difference (a bug routed to the target's owner), not a license.
 *
 * @module
 */
import type { DateFormat, FieldPath, RuleIR, StreamIR } from '../../compiler/ir.ts';
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

const fieldRules = (stream: StreamIR, op: RuleIR['op']): (RuleIR & { value: { kind: 'field' } })[] =>
  stream.mapping.rules.filter((r): r is RuleIR & { value: { kind: 'field' } } => r.op === op && r.value.kind === 'field');

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
  if (typeof v === 'number') return Number.isSafeInteger(v) || (!Number.isInteger(v) && Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7);
  return false;
}

/** RFC 3339 `date-time` (section 5.6): `T`/`t` or the space its note allows, `Z`/`z` or `±hh:mm`. */
const RFC3339 = /^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$/;
/** The same with upper-case `T` and `Z` only. */
const RFC3339_UPPER_T = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
/**
 * Joda `ISODateTimeFormat.dateTimeParser()` (Logstash `ISO8601`): a date, optional time of 1-3
 * fields, `.`/`,` fraction, optional offset `Z`/`±hh[[:]mm]`, no offset = UTC.
 */
const JODA_ISO = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}(:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$/;

/**
 * The text shape of a `pattern` date format: `yyyy` four digits, `SSS` three, the other letters
 * two (or, `lenient`, one or two as Joda reads them), punctuation as is.
 */
function patternShape(pattern: string, lenient = false): RegExp {
  const body = (pattern.match(/([A-Za-z])\1*|[^A-Za-z]/g) ?? [])
    .map((run) => {
      if (!/^[A-Za-z]/.test(run)) return run.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
      if (run === 'yyyy' || run === 'SSS' || !lenient) return `[0-9]{${run.length}}`;
      return '[0-9]{1,2}';
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** Rules with a `date` transform, and its formats. */
function dateRules(stream: StreamIR): { rule: RuleIR & { value: { kind: 'field' } }; formats: readonly DateFormat[] }[] {
  return stream.mapping.rules.flatMap((rule) => {
    if (rule.value.kind !== 'field') return [];
    const date = rule.value.transforms.find((t) => t.kind === 'date');
    return date && date.kind === 'date' ? [{ rule: rule as RuleIR & { value: { kind: 'field' } }, formats: date.formats }] : [];
  });
}

/** Logstash `in`/`merge` compare by text: a string as is, anything else as JSON. */
const lsText = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v));

export const CLASSES: readonly DifferenceClass[] = [
  {
    name: 'Document id over a non-scalar or exponent-printed number',
    kind: 'unavoidable',
    engines: ['vrl', 'opensearch', 'ingest', 'logstash'],
    example: { map: 'enpass', record: { event_id: 1e-7 }, near: { event_id: 0.5 } },
    applies: (stream, record) => {
      const fields = stream.mapping.documentId?.fields ?? [];
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
    example: { map: 'enpass', record: { event_id: 'e1', actor: { name: 5 } }, near: { event_id: 'e1', actor: { name: '5' } } },
    applies: (stream, record) => {
      const targets = fieldRules(stream, 'append')
        .filter((r) => {
          const v = valueAt(record, r.value.path);
          return v !== undefined && v !== null && typeof v !== 'string';
        })
        .map((r) => r.target);
      return targets.length > 0 ? { fields: targets } : undefined;
    },
  },
  {
    name: 'Logstash append of objects, duplicate-text arrays and same-text values',
    kind: 'open',
    engines: ['logstash'],
    example: { map: 'enpass', record: { event_id: 'e1', actor: { name: { a: 1 } } }, near: { event_id: 'e1', actor: { name: 'a', email: 'b' } } },
    applies: (stream, record) => {
      // Per target: the values appended to it, each tagged with the rule that appended it.
      const byTarget = new Map<string, { rule: number; item: Json }[]>();
      fieldRules(stream, 'append').forEach((r, rule) => {
        const v = valueAt(record, r.value.path);
        if (v === undefined || v === null) return;
        const key = r.target.join('.');
        byTarget.set(key, [...(byTarget.get(key) ?? []), ...(Array.isArray(v) ? v : [v]).map((item) => ({ rule, item }))]);
      });
      const targets = [...byTarget].filter(([, items]) =>
        items.some((a, i) =>
          isObject(a.item) || Array.isArray(a.item) ||
          // Same text, and either from one array value or of different JSON types.
          items.some((b, j) => j > i && lsText(a.item) === lsText(b.item) && (a.rule === b.rule || typeof a.item !== typeof b.item)),
        ),
      );
      return targets.length > 0 ? { fields: targets.map(([t]) => t.split('.')) } : undefined;
    },
  },
  {
    name: 'Logstash full Unicode case mapping',
    kind: 'open',
    engines: ['logstash'],
    example: { map: 'enpass', record: { event_id: 'e1', activity: 'İSTANBUL' }, near: { event_id: 'e1', activity: 'ISTANBUL' } },
    applies: (stream, record) => {
      const targets = stream.mapping.rules
        .filter((r) => {
          if (r.value.kind !== 'field') return false;
          const kinds = r.value.transforms.map((t) => t.kind);
          const v = valueAt(record, r.value.path);
          if (typeof v !== 'string') return false;
          // A character whose full mapping (Ruby, and JavaScript's toLowerCase/toUpperCase) is not
          // one code point, where the IR asks for the simple mapping (UnicodeData.txt).
          return [...v].some(
            (c) => (kinds.includes('lowercase') && [...c.toLowerCase()].length !== 1) || (kinds.includes('uppercase') && [...c.toUpperCase()].length !== 1),
          );
        })
        .map((r) => r.target);
      return targets.length > 0 ? { fields: targets } : undefined;
    },
  },
  {
    name: 'Logstash ISO 8601 forms that differ from RFC 3339',
    kind: 'open',
    engines: ['logstash'],
    example: { map: 'enpass', record: { event_id: 'e1', created_at: '2024-11-13' }, near: { event_id: 'e1', created_at: '2024-11-13T00:00:00Z' } },
    applies: (stream, record) => {
      const targets = dateRules(stream)
        .filter(({ rule, formats }) => {
          const v = valueAt(record, rule.value.path);
          if (typeof v !== 'string' || !formats.some((f) => f.kind === 'iso8601')) return false;
          if (formats.some((f) => f.kind === 'pattern' && patternShape(f.pattern).test(v))) return false;
          // Forms one side accepts and the other does not: date-only, no offset, partial times,
          // `,` fractions, `±hhmm` offsets (Joda only); space or lower-case separators (RFC 3339 only).
          return JODA_ISO.test(v) !== RFC3339.test(v) || RFC3339.test(v) !== RFC3339_UPPER_T.test(v);
        })
        .map(({ rule }) => rule.target);
      // A date that does (not) parse also decides error.message and whether the source is consumed.
      return targets.length > 0 ? { whole: true } : undefined;
    },
  },
  {
    name: 'Logstash one-digit date pattern fields',
    kind: 'open',
    engines: ['logstash'],
    example: { map: 'entro', record: { date: '1/3/2024' }, near: { date: '01/03/2024' } },
    applies: (stream, record) => {
      const hit = dateRules(stream).some(({ rule, formats }) => {
        const v = valueAt(record, rule.value.path);
        return typeof v === 'string' && formats.some((f) => f.kind === 'pattern' && !patternShape(f.pattern).test(v) && patternShape(f.pattern, true).test(v));
      });
      return hit ? { whole: true } : undefined;
    },
  },
  {
    name: 'OpenSearch reads non-ASCII decimal digits in IPv4',
    kind: 'open',
    engines: ['opensearch'],
    example: { map: 'enpass', record: { event_id: 'e1', ip_address: '١٢٣.1.1.1' }, near: { event_id: 'e1', ip_address: '123.1.1.1' } },
    applies: (stream, record) => {
      const hit = stream.mapping.rules.some((r) => {
        if (r.value.kind !== 'field' || !r.value.transforms.some((t) => t.kind === 'convert' && t.to === 'ip')) return false;
        const v = valueAt(record, r.value.path);
        return typeof v === 'string' && /[^0-9]/u.test(v.replace(/[^\p{Nd}]/gu, ''));
      });
      return hit ? { whole: true } : undefined;
    },
  },
  {
    name: 'Evaluators read years 0000-0099 as 1900-1999',
    kind: 'open',
    engines: ['ingest'],
    example: { map: 'enpass', record: { event_id: 'e1', created_at: '0001-01-01T00:00:00Z' }, near: { event_id: 'e1', created_at: '2001-01-01T00:00:00Z' } },
    applies: (stream, record) => {
      const hit = dateRules(stream).some(({ rule }) => {
        const v = valueAt(record, rule.value.path);
        return typeof v === 'string' && (/^00[0-9]{2}-/.test(v) || /\/00[0-9]{2}$/.test(v));
      });
      return hit ? { whole: true } : undefined;
    },
  },
];

/** The merged exclusion of every class that applies to the record on this engine. */
export function exclusionFor(engine: EngineName, stream: StreamIR, record: Json): { exclusion: Exclusion; classes: string[] } {
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
