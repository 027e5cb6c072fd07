/**
 * The registry of value transforms (`path | transform | ...`): one entry per transform with its
 * identifier, parameters, documentation and examples, in the spirit of VRL's stdlib
 * (`src/stdlib/*.rs`: `identifier`, `parameters`, `examples`). The parser's messages, the
 * checks, `docs/language.md` (checked by a test) and the editor support read it; nothing else
 * lists transforms.
 *
 * The normative conversion rules are in `TransformIR` (`compiler/ir.ts`); `doc` here is the
 * one-line summary an author sees.
 *
 * @module
 */

/** What a transform takes between its parentheses. */
export type TransformParams =
  /** No parentheses: `ip`. */
  | 'none'
  /** One or more date formats: `date(iso8601, "dd/MM/yyyy")`. */
  | 'formats'
  /** One lookup table name: `lookup(TABLE)`. */
  | 'table'
  /** One non-negative integer: `mask(4)`. */
  | 'count'
  /** One string literal: `split(",")`, `extract("id=([0-9]+)")`. */
  | 'text'
  /** No parentheses (the defaults), or two string literals: `kv(";", ":")`. */
  | 'separators';

/** The JSON type of a value a transform reads; `integer` is a number without a fractional part. */
export type InputType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

/** Date format kinds, as `date(...)` and a record field's `format` write them. */
export type DateFormatKind = 'iso8601' | 'unix_ms' | 'unix' | 'pattern';

/**
 * The input types a transform can take: on a value of any other type it always fails (`lookup`:
 * yields its default, or nothing). `number` includes `integer`; a transform that takes `integer`
 * but not `number` fails on numbers with a fraction. `date` depends on its formats: the union
 * over the formats given.
 */
export type Accepts =
  readonly InputType[] | { readonly perFormat: Readonly<Record<DateFormatKind, readonly InputType[]>> };

export interface TransformSpec {
  /** The name written in a map. */
  readonly identifier: string;
  readonly params: TransformParams;
  /** How it is written, with its parameters: `date(FORMAT, ...)`. */
  readonly signature: string;
  /** One sentence: what it does and when it fails. */
  readonly doc: string;
  /** Map-text examples (`spec.remote_address | ip`). */
  readonly examples: readonly string[];
  /**
   * The input types it can take (the checks compare them with a record schema's declared types,
   * `E0141`); derived from the conversion rules of `TransformIR` in `compiler/ir.ts`.
   */
  readonly accepts: Accepts;
}

export const TRANSFORMS: readonly TransformSpec[] = [
  {
    identifier: 'keyword',
    params: 'none',
    signature: 'keyword',
    doc: 'A string as is, an integer as its digits, a boolean as true/false; anything else fails.',
    examples: ['user.id = account_id | keyword'],
    accepts: ['string', 'integer', 'boolean'],
  },
  {
    identifier: 'long',
    params: 'none',
    signature: 'long',
    doc: 'An integer, or a string of decimal digits within ±2^63; anything else fails.',
    examples: ['log.origin.file.line = line_number | long'],
    accepts: ['integer', 'string'],
  },
  {
    identifier: 'double',
    params: 'none',
    signature: 'double',
    doc: 'A number, or a decimal string such as "3.5" or "1e3"; anything else fails.',
    examples: ['event.risk_score = score | double'],
    accepts: ['number', 'string'],
  },
  {
    identifier: 'boolean',
    params: 'none',
    signature: 'boolean',
    doc: 'true/false, or the strings "true"/"false" in any case; anything else fails.',
    examples: ['endor_labs.audit.success = spec.payload.success | boolean'],
    accepts: ['boolean', 'string'],
  },
  {
    identifier: 'ip',
    params: 'none',
    signature: 'ip',
    doc: 'A string holding an IPv4 dotted quad or an IPv6 address, kept as written; anything else fails.',
    examples: ['source.ip = spec.remote_address | ip'],
    accepts: ['string'],
  },
  {
    identifier: 'date',
    params: 'formats',
    signature: 'date(FORMAT, ...)',
    doc: 'The first format that parses wins (iso8601, unix_ms, unix, or a pattern such as "dd/MM/yyyy"); written as a UTC timestamp with milliseconds.',
    examples: ['@timestamp = meta.create_time | date(iso8601)', '@timestamp = date | date("dd/MM/yyyy", iso8601)'],
    accepts: {
      perFormat: {
        iso8601: ['string'],
        pattern: ['string'],
        unix_ms: ['number', 'string'],
        unix: ['number', 'string'],
      },
    },
  },
  {
    identifier: 'lowercase',
    params: 'none',
    signature: 'lowercase',
    doc: 'A string in lower case (Unicode simple case mapping); anything else fails.',
    examples: ['event.action = spec.operation | lowercase'],
    accepts: ['string'],
  },
  {
    identifier: 'uppercase',
    params: 'none',
    signature: 'uppercase',
    doc: 'A string in upper case (Unicode simple case mapping); anything else fails.',
    examples: ['labels.region = region | uppercase'],
    accepts: ['string'],
  },
  {
    identifier: 'lookup',
    params: 'table',
    signature: 'lookup(TABLE)',
    doc: "A string found in the table becomes its value (a list table: its list of values); otherwise the table's default, or nothing.",
    examples: ['event.type += spec.operation | lookup(operation_types)'],
    accepts: ['string'],
  },
  {
    identifier: 'hash',
    params: 'none',
    signature: 'hash',
    doc: 'A string becomes the lowercase hex SHA-256 of its UTF-8 bytes; anything else is never stored.',
    examples: ['related.hash += results.secrets.exposed_value | hash'],
    accepts: ['string'],
  },
  {
    identifier: 'mask',
    params: 'count',
    signature: 'mask(N)',
    doc: 'A string keeps its first N characters followed by ********, or ******** alone when it has at most 2 × N; anything else is never stored.',
    examples: ['entro.audit.results.secrets.exposed_value = results.secrets.exposed_value | mask(4)'],
    accepts: ['string'],
  },
  {
    identifier: 'split',
    params: 'text',
    signature: 'split("SEP")',
    doc: 'A string becomes the list of its pieces between the separator (literal text, not a pattern), left to right; trailing empty pieces are dropped, so "" gives []; anything else fails.',
    examples: ['related.user += spec.approvers | split(",")'],
    accepts: ['string'],
  },
  {
    identifier: 'json',
    params: 'none',
    signature: 'json',
    doc: 'A string holding JSON text becomes the value it encodes (object, array, string, number or boolean; null writes nothing); text that is not JSON, or anything else, fails.',
    examples: ['okta.system.debug_context.debug_data = debug_context.debug_data | json'],
    accepts: ['string'],
  },
  {
    identifier: 'kv',
    params: 'separators',
    signature: 'kv("FIELD_SEP", "VALUE_SEP")',
    doc: 'A string of key=value pairs (kv alone: split on a space and on =) becomes the object of its pairs, a repeated key the list of its values; text with an empty piece, key or value, a quote, a backslash, whitespace or a dotted key, or anything else, fails.',
    examples: ['okta.details = detail | kv', 'vendor.attributes = attributes | kv(";", ":")'],
    accepts: ['string'],
  },
  {
    identifier: 'extract',
    params: 'text',
    signature: 'extract("REGEX")',
    doc: "A string becomes the text of the pattern's one capturing group at the first match (mapc's portable regex subset), or the object of its named groups (?<name>...); no match, an empty capture, or anything else fails.",
    examples: ['source.ip = message | extract("from ([0-9.]+) port") | ip'],
    accepts: ['string'],
  },
];

/** The input types `spec` takes; for `date`, those of the given format kinds (all kinds when none is given). */
export function acceptedInputs(spec: TransformSpec, formats?: readonly DateFormatKind[]): readonly InputType[] {
  const { accepts } = spec;
  if (!('perFormat' in accepts)) return accepts;
  const kinds = formats ?? (Object.keys(accepts.perFormat) as DateFormatKind[]);
  return [...new Set(kinds.flatMap((k) => accepts.perFormat[k]))];
}

/**
 * How a transform that takes `accepted` treats values of the declared type `type`: `all` of them
 * can convert, `some` (a `number` where only `integer` is taken: numbers with a fraction fail),
 * or `none` (always fails).
 */
export function takes(accepted: readonly InputType[], type: InputType): 'all' | 'some' | 'none' {
  if (accepted.includes(type)) return 'all';
  if (type === 'integer' && accepted.includes('number')) return 'all';
  if (type === 'number' && accepted.includes('integer')) return 'some';
  return 'none';
}

/** `string, integer or boolean` (for `date`: `string; number with unix or unix_ms`). */
export function acceptsPhrase(spec: TransformSpec): string {
  const { accepts } = spec;
  if (!('perFormat' in accepts)) return orList(accepts);
  const numeric = (Object.keys(accepts.perFormat) as DateFormatKind[]).filter((k) =>
    accepts.perFormat[k].includes('number'),
  );
  return `string; number with ${orList(numeric)}`;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Every transform identifier, in registry order. */
export const TRANSFORM_NAMES: readonly string[] = TRANSFORMS.map((t) => t.identifier);

/** The transform with this identifier, if any. */
export function transformSpec(identifier: string): TransformSpec | undefined {
  return TRANSFORMS.find((t) => t.identifier === identifier);
}

/**
 * The phrase parser messages use for "a transform": `a transform (keyword, long, ..., mask(N))`.
 * `short` writes parameters as `(...)` (the chevrotain label), otherwise as in {@link TransformSpec.signature}.
 */
export function transformsPhrase(short = false): string {
  const names = TRANSFORMS.map((t) => (short && t.params !== 'none' ? `${t.identifier}(...)` : t.signature));
  return `a transform (${names.join(', ')})`;
}
