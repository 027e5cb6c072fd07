/**
 * Random records shaped like a vendor's: a fixture record with one to four edits, each at a leaf
 * or object of the record, or at a path the map reads (rule sources, conditions, document id,
 * removals), so that the edits hit what the engines actually compute. An edit removes the field,
 * sets it to `null`, or puts an odd value there: wrong JSON types, unicode (astral, combining,
 * case-mapping specials), 10k strings, odd IPs, odd timestamps, big and negative numbers,
 * strings that look like numbers or booleans.
 *
 * Classes the engines cannot agree on (docs/target-differences.md) are made by
 * {@link oddValue} only when `allow` asks for them, never filtered afterwards.
 *
 * @module
 */
import fc from 'fast-check';
import type { ParsedRegex, RegexAlternatives, RegexItem } from '../../dsl/regex.ts';
import type { ConditionIR, FieldPath, StreamIR } from '../../compiler/ir.ts';
import { documentIdFields } from '../../compiler/ir.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const REMOVE = Symbol('remove');
type Edit = Json | typeof REMOVE;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** RFC 3339 texts with 0-9 fraction digits and various offsets, from 1970 to 2099. */
const rfc3339 = fc
  .tuple(
    fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 9 }),
    fc.stringMatching(/^[0-9]{9}$/),
    fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+05:30', '-08:00', '+14:00', '-12:00'),
  )
  .map(
    ([d, digits, fraction, zone]) =>
      d.toISOString().slice(0, 19) + (digits > 0 ? `.${fraction.slice(0, digits)}` : '') + zone,
  );

/** dd/MM/yyyy texts, valid and not (day 00/31/32, month 13, leap days, one-digit fields). */
const ddMMyyyy = fc
  .tuple(fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1900, max: 2100 }))
  .map(([d, m, y]) => `${pad(d)}/${pad(m)}/${y}`);

export const ODD_TIMESTAMPS: readonly string[] = [
  '2024-02-29T12:00:00Z',
  '2023-02-29T12:00:00Z',
  '2100-02-29T00:00:00Z',
  '2000-02-29T23:59:59.999999999Z',
  '2024-04-31T00:00:00Z',
  '2024-11-13T24:00:00Z',
  '2024-11-13T23:59:60Z',
  '2024-11-13T15:30:45',
  '2024-11-13',
  '2024-11-13 15:30:45Z',
  '2024-11-13T15:30:45.Z',
  '2024-11-13T15:30:45,123Z',
  '2024-11-13T15:30:45.123456789+01:00',
  '29/02/2024',
  '29/02/2023',
  '31/04/2024',
  '31/12/1999',
  '01/01/1970',
  '1/3/2024',
  '01/03/24',
  '01/03/2024 ',
  '12/11/2024T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '1700000000000',
  '1700000000',
];
const oddTimestamps = fc.constantFrom(...ODD_TIMESTAMPS);

export const ODD_IPS: readonly string[] = [
  '::ffff:192.0.2.1',
  '::ffff:c000:0201',
  '64:ff9b::10.0.0.1',
  '::192.0.2.1',
  'fe80::1%eth0',
  'fe80::1%25eth0',
  '::',
  '::1',
  '0.0.0.0',
  '255.255.255.255',
  '001.002.003.004',
  '01.2.3.4',
  '1.2.3.04',
  '256.1.1.1',
  '1.2.3.256',
  '1.2.3',
  '1.2.3.4.5',
  '2001:DB8::1',
  '2001:db8:0:0:0:0:0:1',
  '2001:db8::0:1',
  '1::2::3',
  ':::',
  '2001:db8::g',
  '[::1]',
  '1.2.3.4/24',
  '2001:db8:1:2:3:4:5:6:7',
  ' 1.2.3.4',
  '1.2.3.4 ',
  '١٢٣.1.1.1',
];
const oddIps = fc.constantFrom(...ODD_IPS);

export const LOOK_LIKE_OTHERS: readonly string[] = [
  '42',
  '-7',
  '007',
  '3.14',
  '-0',
  '1e3',
  '1E+3',
  '.5',
  '5.',
  '0x10',
  '+5',
  ' 1',
  '1 ',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  'true',
  'True',
  'TRUE',
  'false',
  'yes',
  'null',
  'NaN',
  'Infinity',
  '',
];
const lookLikeOthers = fc.constantFrom(...LOOK_LIKE_OTHERS);

/** Unicode: astral, combining, case-mapping specials, controls, RTL, emoji sequences. */
export const UNICODE_TEXTS: readonly string[] = [
  '😀',
  '𝔸𝔹ℂ𝔻',
  'e\u0301',
  'A\u030A\u0323',
  '👩‍👩‍👧‍👦',
  '🇫🇷',
  'İSTANBUL',
  'ß',
  'ﬀ',
  'ǅ',
  'ΟΔΟΣ',
  'ᾳ',
  'Ⅻ',
  '𐐀𐐨',
  'tab\tnew\nline',
  '\u0000nul',
  '\u200Bzero\u200Dwidth',
  'مرحبا',
  'עברית',
  'ÅNGSTRÖM',
  'OPERATION_CREATE',
  'USER_LOGIN',
];
const unicode = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(...UNICODE_TEXTS),
);

/** Numbers and shapes tried at every mapped path by the edge test. */
export const EDGE_VALUES: readonly Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -2.25,
  0.001,
  1e-7,
  1e20,
  -1e20,
  1e21,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  1700000000,
  1700000000123,
  {},
  [],
  { nested: 'object', n: 1 },
  ['a'],
  ['a', 'a'],
  [1, '1'],
  [null, null],
  [{ a: 'x' }],
  [['x']],
  'a'.repeat(10_000),
  '😀'.repeat(10_000),
];

const longString = fc
  .tuple(fc.constantFrom('a', 'é', '😀', '9', 'e\u0301', ' '), fc.integer({ min: 9_990, max: 10_010 }))
  // Cut by code points: cutting a surrogate pair would make a lone surrogate (a separate class).
  .map(([unit, n]) => [...unit.repeat(n)].slice(0, n).join(''));

const numbers = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.double({ min: -1e15, max: 1e15, noNaN: true, noDefaultInfinity: true }).map((d) => Math.round(d * 1000) / 1000),
  fc.constantFrom(
    0,
    -1,
    1.5,
    -2.25,
    0.001,
    1e-7,
    1e20,
    -1e20,
    1e21,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    1700000000,
    1700000000123,
  ),
);

const shapes = fc.oneof(
  fc.constant({} as Json),
  fc.constant([] as Json),
  fc.constant({ nested: 'object', n: 1 } as Json),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -9, max: 9 }), fc.constant(null)), {
    minLength: 1,
    maxLength: 3,
  }),
  fc.constant([{ a: 'x' }] as Json),
  fc.constant([['x']] as Json),
);

/** An odd value for one field. */
export const oddValue: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Edit>(REMOVE) },
  { weight: 3, arbitrary: fc.constant<Edit>(null) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 3, arbitrary: numbers },
  { weight: 3, arbitrary: lookLikeOthers },
  { weight: 3, arbitrary: unicode },
  { weight: 1, arbitrary: longString },
  { weight: 3, arbitrary: fc.oneof(oddIps, fc.ipV4(), fc.ipV6(), fc.ipV4Extended()) },
  { weight: 4, arbitrary: fc.oneof(rfc3339, ddMMyyyy, oddTimestamps) },
  { weight: 3, arbitrary: shapes },
);

/** Every path (relative to the record) a stream's mapping reads. */
export function readPaths(stream: StreamIR): FieldPath[] {
  const out: FieldPath[] = [];
  const fromCondition = (c: ConditionIR | undefined): void => {
    if (!c) return;
    if (c.kind === 'exists' || c.kind === 'equals') out.push(c.path);
    if (c.kind === 'not') fromCondition(c.condition);
  };
  for (const rule of stream.mapping.rules) {
    if (rule.value.kind === 'field') out.push(rule.value.path);
    fromCondition(rule.when);
  }
  out.push(...documentIdFields(stream.mapping.documentId), ...stream.mapping.remove);
  return out;
}

/** Every path to a value of the record (leaves and objects, not array elements). */
export function recordPaths(value: Json, at: string[] = []): string[][] {
  if (!isObject(value)) return at.length > 0 ? [at] : [];
  return [...(at.length > 0 ? [at] : []), ...Object.entries(value).flatMap(([k, v]) => recordPaths(v, [...at, k]))];
}

/** The record with `path` set (creating object parents, replacing a non-object parent) or removed. */
function edited(record: JsonObject, path: readonly string[], edit: Edit): JsonObject {
  const copy = structuredClone(record);
  let parent: JsonObject = copy;
  for (const segment of path.slice(0, -1)) {
    const next = parent[segment];
    if (!isObject(next)) {
      if (edit === REMOVE) return copy;
      parent[segment] = {};
    }
    parent = parent[segment] as JsonObject;
  }
  const leaf = path[path.length - 1] as string;
  if (edit === REMOVE) delete parent[leaf];
  else parent[leaf] = edit;
  return copy;
}

/**
 * Records shaped like `templates` for `stream`: a template with 1-4 edits, half of them at a path
 * the mapping reads. `value` is the arbitrary of edit values (default {@link oddValue}).
 */
export function vendorRecords(
  stream: StreamIR,
  templates: readonly JsonObject[],
  value: fc.Arbitrary<Edit> = oddValue,
): fc.Arbitrary<JsonObject> {
  const mapped = readPaths(stream);
  return fc
    .tuple(
      fc.constantFrom(...templates),
      fc.array(fc.tuple(fc.boolean(), fc.nat(), value), { minLength: 1, maxLength: 4 }),
    )
    .map(([template, edits]) =>
      edits.reduce((record, [atMapped, n, edit]) => {
        const paths = atMapped || recordPaths(record).length === 0 ? mapped : recordPaths(record);
        const path = paths[n % paths.length];
        return path && path.length > 0 ? edited(record, path, edit) : record;
      }, template),
    );
}

export { REMOVE, type Edit };

/** Planted clear texts: `leak-<n>-secret`, searched for in the documents of the redaction property test. */
export const LEAK = /leak-[0-9]{6}-secret/;
const leak = fc.integer({ min: 100_000, max: 999_999 }).map((n) => `leak-${n}-secret`);

/**
 * Values a redaction cannot redact (compiler/ir.ts step 4): every JSON type but string and null —
 * numbers, booleans, and objects and arrays that hold planted clear texts ({@link LEAK}), nested
 * or not, as an API that changed its shape would send them.
 */
export const unredactable: fc.Arbitrary<Json> = fc.oneof(
  { weight: 2, arbitrary: numbers },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: shapes },
  {
    weight: 3,
    arbitrary: fc.dictionary(
      fc.constantFrom('password', 'token', 'value', 'a b', 'é'),
      fc.oneof(leak, numbers, fc.boolean(), fc.constant(null), fc.array(leak, { maxLength: 2 })),
      { minKeys: 1, maxKeys: 3 },
    ),
  },
  { weight: 3, arbitrary: fc.array(fc.oneof(leak, numbers, fc.constant(null)), { minLength: 1, maxLength: 3 }) },
);

/**
 * Records shaped like `templates` ({@link vendorRecords}, with its odd edits) where every path in
 * `redacted` then holds an {@link unredactable} value.
 */
export function redactedRecords(
  stream: StreamIR,
  templates: readonly JsonObject[],
  redacted: readonly FieldPath[],
): fc.Arbitrary<JsonObject> {
  return fc
    .tuple(
      vendorRecords(stream, templates),
      fc.array(unredactable, { minLength: redacted.length, maxLength: redacted.length }),
    )
    .map(([record, values]) => redacted.reduce((r, path, i) => edited(r, path, values[i] as Json), record));
}

/**
 * Deterministic records: every curated odd value (and removal) at every path the mapping reads,
 * each on a template chosen in turn, so that no listed edge depends on the random draw.
 */
export function edgeRecords(stream: StreamIR, templates: readonly JsonObject[]): JsonObject[] {
  const values: Edit[] = [REMOVE, ...ODD_TIMESTAMPS, ...ODD_IPS, ...LOOK_LIKE_OTHERS, ...UNICODE_TEXTS, ...EDGE_VALUES];
  const paths = [...new Map(readPaths(stream).map((p) => [p.join('\u0000'), p])).values()].filter((p) => p.length > 0);
  let turn = 0;
  return paths.flatMap((path) =>
    values.map((value) => edited(templates[turn++ % templates.length] as JsonObject, path, value)),
  );
}

/**
 * `split` separators every target carries (a single space is refused on Logstash, E0600; a
 * backslash has no portable Logstash form, E0602; `${...}` would be substituted, E0603): one and
 * several characters, regex and Mustache syntax, multi-byte and astral, and self-overlapping
 * ones (`aa`, `::`), whose left-to-right matching the engines must share.
 */
export const SPLIT_SEPARATORS: readonly string[] = [
  ',',
  ', ',
  '|',
  '.',
  '.*',
  'aa',
  '::',
  'é',
  '😀',
  '{{',
  '%{a}',
  '"',
  '[',
  '$',
  '-->',
  'a',
];

/**
 * Texts to split on `separator`: pieces (empty, letters that may overlap the separator, its own
 * characters, unicode, spaces) joined by the separator, often with separators at both ends and
 * in runs, so that leading, inner and trailing empty pieces all occur; and the empty string.
 */
export function splitText(separator: string): fc.Arbitrary<string> {
  const [first = '', ...rest] = Array.from(separator);
  const piece = fc.constantFrom('', '', 'a', 'b', ' ', 'x y', 'é', '😀', first, rest.join(''), 'aaa');
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constant(separator.repeat(3)) },
    { weight: 8, arbitrary: fc.array(piece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(separator)) },
  );
}

/** A JSON value every engine parses alike: safe integers, short decimals, unicode strings, nesting. */
const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Json>(true, false, 0, -7, 42, 2.5, -0.125, 1700000000000, '', 'a', 'é😀', 'x"y\\z', ' '),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'k e y', 'é', '😀'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Texts every engine refuses as JSON (no comments or trailing text: ingest's parser reads those leniently). */
export const NOT_JSON: readonly string[] = [
  '',
  '  ',
  '{',
  '{"a":}',
  'abc',
  "{'a':1}",
  '[1,]',
  '{"a" 1}',
  'tru',
  '"open',
  '}',
];

/**
 * Texts for `json`: a value's JSON text, compact or with whitespace around and inside (space, tab,
 * line feed), the text `null`, and texts that are not JSON ({@link NOT_JSON}).
 */
export const jsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: jsonValue.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: jsonValue.map((v) => ` \n${JSON.stringify(v, null, '\t')}\t `) },
  { weight: 1, arbitrary: fc.constant('null') },
  { weight: 2, arbitrary: fc.constantFrom(...NOT_JSON) },
);

/**
 * The characters of random `extract` patterns and texts: ASCII letters and digits, space, tab and
 * line feed, punctuation that is a metacharacter somewhere (`.`, `$`, `{`, `%`, `-`), and a
 * two-byte and an astral character (code points, not UTF-16 units).
 */
export const EXTRACT_ALPHABET: readonly string[] = [
  'a',
  'b',
  'c',
  'A',
  '1',
  '2',
  ' ',
  '\t',
  '\n',
  '.',
  '$',
  '{',
  '%',
  '-',
  'é',
  '😀',
];

const regexChar = (c: string): string => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : /[.${}%-]/.test(c) ? `\\${c}` : c);

const extractAtom: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EXTRACT_ALPHABET).map(regexChar) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '.',
      '\\d',
      '\\w',
      '\\s',
      '\\D',
      '\\W',
      '\\S',
      '[a-c]',
      '[^a]',
      '[\\d.]',
      '[^\\s]',
      '[é😀-]',
      '[A-Za-z]',
    ),
  },
);

const extractPiece: fc.Arbitrary<string> = fc
  .tuple(extractAtom, fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?', '??', '{1,2}?'))
  .map(([a, q]) => a + q);

const extractSeq = (max: number, min = 0): fc.Arbitrary<string> =>
  fc.array(extractPiece, { minLength: min, maxLength: max }).map((p) => p.join(''));

/** True about one time in `n` (fast-check's own booleans lean to one side in small samples). */
const oneIn = (n: number): fc.Arbitrary<boolean> => fc.integer({ min: 0, max: n - 1 }).map((k) => k === 0);

/**
 * Random `extract` patterns of mapc's subset (`dsl/regex.ts`; candidates outside it are dropped by
 * the caller): anchors, alternation inside and around the capturing group, a repeated plain group,
 * greedy and lazy quantifiers, ASCII shorthands and classes with ranges and negation.
 */
export const extractPattern: fc.Arbitrary<string> = fc
  .tuple(
    oneIn(4),
    extractSeq(2),
    fc.oneof(
      extractSeq(3, 1),
      fc.tuple(extractSeq(2, 1), extractSeq(2)).map(([a, b]) => `${a}|${b}`),
    ),
    extractSeq(2),
    oneIn(4),
    fc.constantFrom('', '', '', '(?:ab)+', '(?:a|1)', '|b'),
  )
  .map(
    ([start, before, group, after, end, extra]) =>
      `${start ? '^' : ''}${before}(${group})${after}${end ? '$' : ''}${extra}`,
  );

/**
 * Random `extract` patterns with two named groups: one always in the match path, one in an
 * alternative (so it may take no part) or possibly empty.
 */
export const extractNamedPattern: fc.Arbitrary<string> = fc
  .tuple(extractSeq(2), extractSeq(2, 1), extractSeq(1), extractSeq(2), extractSeq(1, 1), oneIn(2))
  .map(([a, first, c, second, other, alt]) =>
    alt
      ? `${a}(?<first>${first})${c}(?:(?<second>${second})|${other})`
      : `${a}(?<first>${first})(?<second>${second})${c}`,
  );

/** Texts to search: runs of {@link EXTRACT_ALPHABET}, empty included. */
export const extractText: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...EXTRACT_ALPHABET), { minLength: 0, maxLength: 12 })
  .map((cs) => cs.join(''));

/**
 * Texts the pattern matches (or nearly): one text the pattern's items produce (a random
 * alternative, a repeat count from its minimum up to two more, a character of each class from
 * {@link EXTRACT_ALPHABET} or its ranges), between random texts, so that matches, captures of
 * every length, ignored anchors and near misses all occur.
 */
export function extractMatching(regex: ParsedRegex): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.nat(), { minLength: 24, maxLength: 24 }), extractText, extractText, oneIn(2), oneIn(2))
    .map(([choices, before, after, pre, post]) => {
      let k = 0;
      const next = (n: number): number => (n <= 0 ? 0 : (choices[k++ % choices.length] ?? 0) % n);
      return `${pre ? [...before].slice(0, 3).join('') : ''}${produce(regex.body, next)}${post ? [...after].slice(0, 3).join('') : ''}`;
    });
}

function produce(alts: RegexAlternatives, next: (n: number) => number): string {
  const seq = alts[next(alts.length)] ?? [];
  return seq.map((i) => produceItem(i, next)).join('');
}

function produceItem(i: RegexItem, next: (n: number) => number): string {
  const inRanges = (c: string, ranges: readonly (readonly [number, number])[]): boolean =>
    ranges.some(([lo, hi]) => c.codePointAt(0)! >= lo && c.codePointAt(0)! <= hi);
  switch (i.kind) {
    case 'char':
      return String.fromCodePoint(i.cp);
    case 'any': {
      const pool = EXTRACT_ALPHABET.filter((c) => c !== '\n');
      return pool[next(pool.length)]!;
    }
    case 'class': {
      const pool = EXTRACT_ALPHABET.filter((c) => inRanges(c, i.ranges) !== i.negated);
      return pool.length === 0 ? '' : pool[next(pool.length)]!;
    }
    case 'anchor':
      return '';
    case 'group':
      return produce(i.body, next);
    case 'repeat': {
      const count = i.min + next(Math.min(i.max ?? i.min + 3, i.min + 3) - i.min + 1);
      return Array.from({ length: count }, () => produceItem(i.item, next)).join('');
    }
  }
}
