/**
 * Shared cases of "redaction fails closed" (compiler/ir.ts, step 4 and TransformIR): one map whose
 * rules redact (`hash`, `mask`) in every layout a map can write, values of every JSON type at the
 * redacted paths, and the facts every engine's document must show. Each engine's test runs the
 * cases through its own adapter (test/agreement/engines.ts) and asserts {@link redactionProblems}
 * is empty; the agreement suite also compares the engines with each other.
 *
 * Each layout reads its own record path (`<layout>.exposed_value`), so the layouts of one record
 * never interfere and one record per input value exercises all of them. The streams paginate so
 * that every target takes one record per event (Vector and Logstash through `mapc collect`), as
 * for the bundled maps.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { compileSource } from '../../compiler/compile.ts';
import { conversionErrorMessage, type FieldPath, type IntegrationIR, type RuleIR } from '../../compiler/ir.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The clear text that must never reach a document once a rule failed to redact it. */
export const SECRET = 'S3cr3t-Zq9-do-not-store';

/** One value placed at every redacted path; `needle` is text that must not appear when it was not redacted. */
export interface RedactionInput {
  readonly label: string;
  /** `undefined`: the path is missing. */
  readonly value: Json | undefined;
  readonly needle?: string;
}

/** Every JSON type: string, integers, float, booleans, objects, arrays, null, missing. */
export const REDACTION_INPUTS: readonly RedactionInput[] = [
  { label: 'string', value: SECRET, needle: SECRET },
  { label: 'integer', value: 4242424242, needle: '4242424242' },
  { label: 'negative integer', value: -987654321, needle: '987654321' },
  { label: 'float', value: 31415.9265, needle: '31415.9265' },
  { label: 'boolean true', value: true },
  { label: 'boolean false', value: false },
  { label: 'object', value: { password: SECRET, n: 1 }, needle: SECRET },
  { label: 'nested object', value: { a: { b: [SECRET] } }, needle: SECRET },
  { label: 'array', value: [SECRET, 4242], needle: SECRET },
  { label: 'array of strings', value: [SECRET], needle: SECRET },
  { label: 'empty object', value: {} },
  { label: 'empty array', value: [] },
  { label: 'empty string', value: '' },
  { label: 'null', value: null },
  { label: 'missing', value: undefined },
];

/** What a layout's rule computes from a string (or, for `keyword | hash`, any value keyword takes). */
type Redact = (value: Json) => string | undefined;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
/** `mask(4)` as compiler/ir.ts words it: more than 8 characters keep 4, else the mask alone. */
const mask4 = (text: string): string => {
  const chars = Array.from(text);
  return chars.length > 8 ? `${chars.slice(0, 4).join('')}********` : '********';
};
const hashString: Redact = (v) => (typeof v === 'string' ? sha256(v) : undefined);
const maskString: Redact = (v) => (typeof v === 'string' ? mask4(v) : undefined);

export interface RedactionLayout {
  /** Also the record key the layout reads: `<key>.exposed_value`. */
  readonly key: string;
  readonly stream: 'kept' | 'dropped';
  /** The rule text in the map. */
  readonly rule: string;
  /** The redacted value for an input it can redact; `undefined`: the rule fails. */
  readonly redact: Redact;
  /** How the target holds a success: `set` (the value) or `append` (a one-element array). */
  readonly op: 'set' | 'append';
  /** Where the source is after a success: replaced (in place), consumed (gone) or kept as is (append is not consumed). */
  readonly afterSuccess: 'replaced' | 'consumed' | 'kept';
  /** A later rule whose `when exists <source>` shows whether later rules see the source: its destination. */
  readonly probe?: FieldPath;
  /** Extra record fields this layout needs. */
  readonly extra?: Readonly<Record<string, Json>>;
}

const NS = ['acme', 'logs'];
const src = (key: string): string => `${key}.exposed_value`;

/** The layouts: in place under the namespace (the Entro shape), to ECS fields, after other transforms, a target that cannot be written, and the record not kept. */
export const REDACTION_LAYOUTS: readonly RedactionLayout[] = [
  {
    key: 'hash_in_place',
    stream: 'kept',
    rule: `acme.logs.hash_in_place.exposed_value = ${src('hash_in_place')} | hash`,
    redact: hashString,
    op: 'set',
    afterSuccess: 'replaced',
  },
  {
    key: 'mask_in_place',
    stream: 'kept',
    rule: `acme.logs.mask_in_place.exposed_value = ${src('mask_in_place')} | mask(4)`,
    redact: maskString,
    op: 'set',
    afterSuccess: 'replaced',
    probe: ['event', 'action'],
  },
  {
    key: 'hash_ecs',
    stream: 'kept',
    rule: `file.hash.sha256 = ${src('hash_ecs')} | hash`,
    redact: hashString,
    op: 'set',
    afterSuccess: 'consumed',
    probe: ['event', 'kind'],
  },
  {
    key: 'mask_ecs',
    stream: 'kept',
    rule: `user.name = ${src('mask_ecs')} | mask(4)`,
    redact: maskString,
    op: 'set',
    afterSuccess: 'consumed',
  },
  {
    key: 'hash_append',
    stream: 'kept',
    rule: `related.hash += ${src('hash_append')} | hash`,
    redact: hashString,
    op: 'append',
    afterSuccess: 'kept',
  },
  {
    key: 'mask_append',
    stream: 'kept',
    rule: `related.user += ${src('mask_append')} | mask(4)`,
    redact: maskString,
    op: 'append',
    afterSuccess: 'kept',
  },
  {
    key: 'keyword_hash',
    stream: 'kept',
    rule: `file.hash.sha1 = ${src('keyword_hash')} | keyword | hash`,
    // `keyword` takes strings, integers and booleans (compiler/ir.ts TransformIR), then hash.
    redact: (v) =>
      typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))
        ? sha256(String(v))
        : undefined,
    op: 'set',
    afterSuccess: 'consumed',
  },
  {
    key: 'lowercase_mask',
    stream: 'kept',
    rule: `user.full_name = ${src('lowercase_mask')} | lowercase | mask(4)`,
    redact: (v) => (typeof v === 'string' ? mask4(v.toLowerCase()) : undefined),
    op: 'set',
    afterSuccess: 'consumed',
  },
  {
    key: 'unwritable',
    stream: 'kept',
    // `acme.logs.plain` is a string in the record: the hash cannot be written under it.
    rule: `acme.logs.plain.sink = ${src('unwritable')} | hash`,
    redact: () => undefined,
    op: 'set',
    afterSuccess: 'replaced',
    extra: { plain: 'text' },
  },
  {
    key: 'hash_dropped',
    stream: 'dropped',
    rule: `file.hash.sha256 = ${src('hash_dropped')} | hash`,
    redact: hashString,
    op: 'set',
    afterSuccess: 'consumed',
    probe: ['event', 'kind'],
  },
  {
    key: 'mask_dropped',
    stream: 'dropped',
    rule: `user.name = ${src('mask_dropped')} | mask(4)`,
    redact: maskString,
    op: 'set',
    afterSuccess: 'consumed',
    probe: ['event', 'action'],
  },
];

const probeRule = (layout: RedactionLayout): string => {
  const [, leaf] = layout.probe ?? [];
  const value = leaf === 'kind' ? 'alert' : 'redacted';
  return `event.${leaf} = "${value}" when exists ${src(layout.key)}`;
};

function streamText(name: 'kept' | 'dropped'): string {
  const layouts = REDACTION_LAYOUTS.filter((l) => l.stream === name);
  const rules = layouts.flatMap((l) => [l.rule, ...(l.probe ? [probeRule(l)] : [])]);
  return `stream ${name} {
  dataset  "acme.${name}"
  interval 5m
  request  GET "{base_url}/v1/logs"
  records  items
  paginate page_token { token next  send query "page" }
  map {
    namespace acme.${name === 'kept' ? 'logs' : 'dropped'}
    unmapped  ${name === 'kept' ? 'keep' : 'drop'}
    ${rules.join('\n    ')}
  }
}`;
}

/** The map of every layout: stream `kept` (unmapped keep) and `dropped` (unmapped drop). */
export const REDACTION_MAP = `integration acme {
  title       "Acme"
  vendor      "Acme"
  version     "0.1.0"
  description "Redaction cases."
}
setting base_url: url = "https://api.acme.test"
${streamText('kept')}
${streamText('dropped')}
`;

/** The compiled {@link REDACTION_MAP}. @throws Error when it does not compile. */
export function redactionIR(): IntegrationIR {
  const { ir, diagnostics } = compileSource(REDACTION_MAP, 'redaction.map');
  if (!ir) throw new Error(`redaction.map: ${diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return ir;
}

/** The record of one input for a stream: the value at every layout's path of that stream. */
export function redactionRecord(stream: 'kept' | 'dropped', input: RedactionInput): Record<string, Json> {
  const record: Record<string, Json> = { id: 'r1' };
  for (const layout of REDACTION_LAYOUTS.filter((l) => l.stream === stream)) {
    record[layout.key] = input.value === undefined ? { other: 1 } : { exposed_value: input.value, other: 1 };
    Object.assign(record, layout.extra ?? {});
  }
  return record;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `path`; `undefined` when missing or under a non-object. */
export function valueAt(doc: unknown, path: FieldPath): unknown {
  let cur: unknown = doc;
  for (const segment of path) {
    if (!isObject(cur) || !Object.hasOwn(cur, segment)) return undefined;
    cur = cur[segment];
  }
  return cur;
}

function ruleOf(ir: IntegrationIR, layout: RedactionLayout): RuleIR {
  const stream = ir.streams.find((s) => s.name === layout.stream)!;
  const found = stream.mapping.rules.find(
    (r) => r.value.kind === 'field' && r.value.path.join('.') === src(layout.key),
  );
  if (!found) throw new Error(`no rule reads ${src(layout.key)}`);
  return found;
}

/**
 * What is wrong with `doc`, the document one engine made of `redactionRecord(stream, input)`, for
 * every layout of the stream (an empty list when nothing is): a rule that could not redact wrote
 * nothing, appended its `error.message` and deleted its source, later rules saw the source
 * missing, and the clear value appears nowhere in the serialized document; a rule that redacted
 * wrote the redacted value; a missing or null source changed nothing.
 */
export function redactionProblems(
  ir: IntegrationIR,
  stream: 'kept' | 'dropped',
  input: RedactionInput,
  doc: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  const text = JSON.stringify(doc);
  const errors = (valueAt(doc, ['error', 'message']) as unknown[] | undefined) ?? [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(`${input.label}: ${what}`);
  };
  for (const layout of REDACTION_LAYOUTS.filter((l) => l.stream === stream)) {
    const rule = ruleOf(ir, layout);
    const message = conversionErrorMessage(rule);
    const kept = stream === 'kept' ? [...NS, layout.key, 'exposed_value'] : undefined;
    const at = `${layout.key} (${layout.rule})`;
    const probe = layout.probe ? valueAt(doc, layout.probe) : undefined;
    if (input.value === undefined || input.value === null) {
      check(!errors.includes(message), `${at}: no error for a missing or null source`);
      if (kept && layout.afterSuccess !== 'replaced')
        check(valueAt(doc, kept) === input.value, `${at}: the source stays as it was`);
      if (layout.probe) check(probe === undefined, `${at}: the later rule sees no value`);
      continue;
    }
    const redacted = layout.redact(input.value);
    if (redacted === undefined) {
      check(errors.includes(message), `${at}: error.message has ${JSON.stringify(message)}`);
      check(valueAt(doc, rule.destination) === undefined, `${at}: target ${rule.destination.join('.')} is not written`);
      if (kept) check(valueAt(doc, kept) === undefined, `${at}: the source ${kept.join('.')} is deleted`);
      if (layout.probe) check(probe === undefined, `${at}: the later rule sees the source missing`);
      continue;
    }
    check(!errors.includes(message), `${at}: no error when the value is redacted`);
    const target = valueAt(doc, rule.destination);
    check(
      JSON.stringify(target) === JSON.stringify(layout.op === 'append' ? [redacted] : redacted),
      `${at}: target ${rule.destination.join('.')} holds ${JSON.stringify(redacted)}, got ${JSON.stringify(target)}`,
    );
    if (kept) {
      const after = valueAt(doc, kept);
      const want = { replaced: redacted, consumed: undefined, kept: input.value }[layout.afterSuccess];
      check(JSON.stringify(after) === JSON.stringify(want), `${at}: the source is ${layout.afterSuccess}`);
    }
    if (layout.probe) check(probe !== undefined, `${at}: the later rule sees the redacted source`);
  }
  // An appended redaction keeps its source as is (append does not consume, compiler/ir.ts MappingIR):
  // the clear text is searched for whenever no append layout redacted this input.
  const keepsClear = REDACTION_LAYOUTS.some(
    (l) => l.stream === stream && l.afterSuccess === 'kept' && l.redact(input.value ?? null) !== undefined,
  );
  if (input.needle && !keepsClear)
    check(!text.includes(input.needle), `${JSON.stringify(input.needle)} appears nowhere in the document`);
  return problems;
}

/** Runs one record per input through an engine adapter (test/agreement/engines.ts `Engine`). */
export type RedactionEngine = (
  ir: IntegrationIR,
  stream: string,
  messages: readonly string[],
) => Promise<
  readonly ({ readonly doc: Record<string, unknown>; readonly crash?: undefined } | { readonly crash: string })[]
>;

/**
 * Every input on every layout of both streams through `engine`: for each, the engine's document,
 * or a crash; `problems` lists what {@link redactionProblems} finds, per stream and input.
 */
export async function runRedactionCases(
  engine: RedactionEngine,
  ir: IntegrationIR = redactionIR(),
): Promise<{ docs: Map<string, Record<string, unknown>>; problems: string[] }> {
  const docs = new Map<string, Record<string, unknown>>();
  const problems: string[] = [];
  for (const stream of ['kept', 'dropped'] as const) {
    const outputs = await engine(
      ir,
      stream,
      REDACTION_INPUTS.map((input) => JSON.stringify(redactionRecord(stream, input))),
    );
    REDACTION_INPUTS.forEach((input, i) => {
      const out = outputs[i];
      if (!out || out.crash !== undefined) {
        problems.push(`${stream} ${input.label}: crash ${out?.crash ?? 'no output'}`);
        return;
      }
      docs.set(`${stream} ${input.label}`, out.doc);
      problems.push(...redactionProblems(ir, stream, input, out.doc).map((p) => `${stream} ${p}`));
    });
  }
  return { docs, problems };
}
