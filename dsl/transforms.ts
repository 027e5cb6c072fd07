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
  | 'count';

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
}

export const TRANSFORMS: readonly TransformSpec[] = [
  {
    identifier: 'keyword',
    params: 'none',
    signature: 'keyword',
    doc: 'A string as is, an integer as its digits, a boolean as true/false; anything else fails.',
    examples: ['user.id = account_id | keyword'],
  },
  {
    identifier: 'long',
    params: 'none',
    signature: 'long',
    doc: 'An integer, or a string of decimal digits within ±2^63; anything else fails.',
    examples: ['log.origin.file.line = line_number | long'],
  },
  {
    identifier: 'double',
    params: 'none',
    signature: 'double',
    doc: 'A number, or a decimal string such as "3.5" or "1e3"; anything else fails.',
    examples: ['event.risk_score = score | double'],
  },
  {
    identifier: 'boolean',
    params: 'none',
    signature: 'boolean',
    doc: 'true/false, or the strings "true"/"false" in any case; anything else fails.',
    examples: ['endor_labs.audit.success = spec.payload.success | boolean'],
  },
  {
    identifier: 'ip',
    params: 'none',
    signature: 'ip',
    doc: 'A string holding an IPv4 dotted quad or an IPv6 address, kept as written; anything else fails.',
    examples: ['source.ip = spec.remote_address | ip'],
  },
  {
    identifier: 'date',
    params: 'formats',
    signature: 'date(FORMAT, ...)',
    doc: 'The first format that parses wins (iso8601, unix_ms, unix, or a pattern such as "dd/MM/yyyy"); written as a UTC timestamp with milliseconds.',
    examples: ['@timestamp = meta.create_time | date(iso8601)', '@timestamp = date | date("dd/MM/yyyy", iso8601)'],
  },
  {
    identifier: 'lowercase',
    params: 'none',
    signature: 'lowercase',
    doc: 'A string in lower case (Unicode simple case mapping); anything else fails.',
    examples: ['event.action = spec.operation | lowercase'],
  },
  {
    identifier: 'uppercase',
    params: 'none',
    signature: 'uppercase',
    doc: 'A string in upper case (Unicode simple case mapping); anything else fails.',
    examples: ['labels.region = region | uppercase'],
  },
  {
    identifier: 'lookup',
    params: 'table',
    signature: 'lookup(TABLE)',
    doc: "A string found in the table becomes its value; otherwise the table's default, or nothing.",
    examples: ['event.type += spec.operation | lookup(operation_types)'],
  },
  {
    identifier: 'hash',
    params: 'none',
    signature: 'hash',
    doc: 'A string becomes the lowercase hex SHA-256 of its UTF-8 bytes; anything else is never stored.',
    examples: ['related.hash += results.secrets.exposed_value | hash'],
  },
  {
    identifier: 'mask',
    params: 'count',
    signature: 'mask(N)',
    doc: 'A string keeps its first N characters followed by ********, or ******** alone when it has at most 2 × N; anything else is never stored.',
    examples: ['entro.audit.results.secrets.exposed_value = results.secrets.exposed_value | mask(4)'],
  },
];

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
