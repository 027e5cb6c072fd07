/**
 * The VRL of one record's mapping: the normative steps 1-8 of `compiler/ir.ts`, in that order,
 * on the event root (`.`), from a variable holding the record's JSON text (and, for step 8, the
 * collection time {@link COLLECTED} read by {@link collectionTimeCode} at the program's start).
 *
 * Layout of the document while mapping: the event root is the ECS document. With `keepUnmapped`
 * the parsed record sits at the namespace and rules read it there (so they see earlier writes);
 * without it the record is the local variable `mapc_rec`, which never reaches the output
 * (step 7 for free). The document id is computed first, from the untouched record, and stored
 * in `._id`, which the Elasticsearch sink's `id_key` moves to the bulk action's `_id` and removes
 * from the body (Vector `src/sinks/elasticsearch/sink.rs`, `process_log`).
 *
 * @module
 */
import {
  conversionErrorMessage,
  describeRule,
  redactedSource,
  type ConditionIR,
  type FieldPath,
  type MappingIR,
  type RuleIR,
  type SettingIR,
} from '../../../compiler/ir.ts';
import { envRef } from '../env.ts';
import { block, type Lines, type VrlCode } from './code.ts';
import { eventPath, pathArray, vrlLiteral, vrlString } from './syntax.ts';
import { transformCode, type ValueKind } from './transforms.ts';

/** The field of the event that carries the document id to the sink (`id_key`). */
export const ID_FIELD = '_id';

/** The variable holding the collection time, already formatted as every date (step 8). */
export const COLLECTED = 'mapc_collected';

/**
 * Step 8 (compiler/ir.ts): the collection time, read before anything replaces the event root.
 * Vector's `exec` and `http_client` sources stamp each event with the time they read it, in the
 * `timestamp` field of the legacy log namespace (`log_schema.timestamp_key`,
 * https://vector.dev/docs/reference/configuration/global-options/#log_schema.timestamp_key);
 * without one (a unit test's input), the time the remap runs. The `get` on a literal object
 * types the value `any`, so `timestamp(...)` stays fallible whatever schema Vector infers.
 */
export function collectionTimeCode(): Lines {
  return [
    "# Step 8: the collection time, the document's @timestamp when no rule writes one.",
    `${COLLECTED} = format_timestamp(timestamp(get({"t": .timestamp}, ["t"]) ?? null) ?? now(), "%Y-%m-%dT%H:%M:%S%.3fZ", timezone: "UTC") ?? null`,
  ];
}

export interface MappingContext {
  readonly code: VrlCode;
  readonly mapping: MappingIR;
  readonly settings: readonly SettingIR[];
  /** `event.dataset` of the stream, for the error document of an unreadable record. */
  readonly dataset: string;
}

/** Where the record lives while rules run. */
interface Location {
  /** `get(<base>, [...])` reads relative paths. */
  readonly base: string;
  /** Absolute event path of the record, or undefined when it is the local `mapc_rec`. */
  readonly prefix?: FieldPath;
}

/**
 * Lines mapping the record whose JSON text is in `textVar` onto the event root. A text that is
 * not a JSON object gives a document with `event.kind: pipeline_error` and an `error.message`,
 * so that nothing is lost silently (the reference interpreter rejects such input with E0701).
 */
export function mappingCode(ctx: MappingContext, textVar: string): Lines {
  const { mapping } = ctx;
  const parsed = 'mapc_parsed';
  const parseError = 'mapc_parse_error';
  const location: Location = mapping.keepUnmapped ? { base: '.', prefix: mapping.namespace } : { base: 'mapc_rec' };
  const body: string[] = [
    'mapc_rec = object(mapc_parsed) ?? {}',
    ...documentIdCode(ctx, 'mapc_rec'),
    '# Step 1. The document starts as an object of unknown shape: VRL rejects nested writes',
    '# under fields it knows to be absent, as in a literal {} (error 642).',
    '. = object(parse_json("{}") ?? {}) ?? {}',
  ];
  if (mapping.keepUnmapped) {
    body.push(mapping.namespace.length === 0 ? '. = mapc_rec' : `${eventPath(mapping.namespace)} = mapc_rec`);
  }
  if (mapping.original) {
    body.push(...block(`if ${settingTrue(ctx, mapping.original.setting)}`, [`.event.original = ${textVar}`]));
  }
  body.push('mapc_errors = []');
  for (const rule of mapping.rules) body.push(...ruleCode(ctx, rule, location));
  body.push(...cleanupCode(ctx, location));
  body.push(...block('if length(mapc_errors) > 0', ['.error.message = mapc_errors']));
  body.push(...block('if !exists(."@timestamp")', [`."@timestamp" = ${COLLECTED}`]));
  if (mapping.documentId) body.push(`.${ID_FIELD} = mapc_id`);
  return [
    `${parsed}, ${parseError} = parse_json(${textVar})`,
    ...block(
      `if ${parseError} != null || !is_object(${parsed})`,
      [
        `. = {"@timestamp": ${COLLECTED}, "event": {"kind": "pipeline_error", "dataset": ${vrlString(ctx.dataset)}}, "error": {"message": ["mapc: the record is not the JSON text of an object"]}}`,
      ],
      body,
    ),
  ];
}

/** `downcase("${ENV:-default}") == "true"`: a bool setting, as the interpreter reads it. */
function settingTrue(ctx: MappingContext, name: string): string {
  const setting = ctx.settings.find((s) => s.name === name);
  if (!setting) throw new Error(`unknown setting ${name}`);
  const fallback = setting.default === undefined ? '' : String(setting.default);
  // The operator's value is spliced into the literal by Vector; a bool setting holds no quote.
  return `downcase("${envRef(setting.envVar, { kind: 'default', text: fallback })}") == "true"`;
}

/** A read of a record path: `get(., ["ns", ..., "a"]) ?? null`, typed `any`. */
function readRecord(location: Location, path: FieldPath): string {
  return `(get(${location.base}, ${pathArray([...(location.prefix ?? []), ...path])}) ?? null)`;
}

/** A record path as a VRL path expression, for `del`: `.ns.a.b` or `mapc_rec.a.b`. */
function recordPath(location: Location, path: FieldPath): string {
  return location.prefix === undefined
    ? `${location.base}${eventPath(path)}`
    : eventPath([...location.prefix, ...path]);
}

function conditionCode(ctx: MappingContext, c: ConditionIR, location: Location): string {
  switch (c.kind) {
    case 'exists':
      return `${readRecord(location, c.path)} != null`;
    case 'equals':
      // VRL compares 1 and 1.0 as equal, and values of different types as unequal, like the IR.
      return `${readRecord(location, c.path)} == ${vrlLiteral(c.value)}`;
    case 'not':
      return `!(${conditionCode(ctx, c.condition, location)})`;
    case 'setting':
      return settingTrue(ctx, c.name);
  }
}

/** Steps 2-4 for one rule; a failing rule that redacts also deletes its source (redaction fails closed). */
function ruleCode(ctx: MappingContext, rule: RuleIR, location: Location): Lines {
  const { code } = ctx;
  const unredacted = redactedSource(rule);
  const error = [
    `mapc_errors = push(mapc_errors, ${vrlString(conversionErrorMessage(rule))})`,
    ...(unredacted && unredacted.length > 0 ? [`del(${recordPath(location, unredacted)})`] : []),
  ];
  const write = (value: string, kind: ValueKind): Lines => writeCode(ctx, rule, value, kind, error);
  let lines: Lines;
  if (rule.value.kind === 'const') {
    lines = write(vrlLiteral(rule.value.value), constKind(rule.value.value));
  } else {
    const input = code.fresh('in');
    const chain = (variable: string, kind: ValueKind, index: number): Lines => {
      const t = (rule.value.kind === 'field' ? rule.value.transforms : [])[index];
      if (!t) return write(variable, kind);
      return transformCode(code, t, variable, kind, { value: (v, k) => chain(v, k, index + 1), fail: error });
    };
    lines = [
      `${input} = ${readRecord(location, rule.value.path)}`,
      ...block(`if ${input} != null`, chain(input, 'any', 0)),
    ];
  }
  const header = `# ${rule.loc.file}:${rule.loc.line}:${rule.loc.column} ${describeRule(rule)}`;
  return rule.when ? [header, ...block(`if ${conditionCode(ctx, rule.when, location)}`, lines)] : [header, ...lines];
}

function constKind(value: string | number | boolean): ValueKind {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return Number.isInteger(value) ? 'integer' : 'float';
}

/**
 * `set` overwrites; `append` turns the target into an array (a present scalar becomes its first
 * element) and adds each new value not already there. Either fails, like the interpreter's
 * `setPath`, when a parent of the target exists but is not an object.
 */
function writeCode(ctx: MappingContext, rule: RuleIR, variable: string, kind: ValueKind, error: Lines): Lines {
  // `variable` is a variable name or, for constants, a literal.
  const parents = rule.target.slice(0, -1).map((_, i) => eventPath(rule.target.slice(0, i + 1)));
  const parentsOk = parents.map((p) => `(!exists(${p}) || is_object(${p}))`).join(' && ');
  const target = eventPath(rule.target);
  let assign: Lines;
  if (rule.op === 'set') {
    assign = [`${target} = ${variable}`];
  } else {
    const list = ctx.code.fresh('list');
    const current = ctx.code.fresh('cur');
    const add = (item: string): string => `if !includes(${list}, ${item}) { ${list} = push(${list}, ${item}) }`;
    const item = ctx.code.fresh('item');
    assign = [
      `${current} = get(., ${pathArray(rule.target)}) ?? null`,
      `${list} = []`,
      `if is_array(${current}) { ${list} = array(${current}) ?? [] } else if ${current} != null { ${list} = [${current}] }`,
      // A value read as is may itself be an array: each element is appended.
      ...(kind === 'any'
        ? block(
            `if is_array(${variable})`,
            [`for_each(array(${variable}) ?? []) -> |_index, ${item}| { ${add(item)} }`],
            [add(variable)],
          )
        : [add(variable)]),
      `${target} = ${list}`,
    ];
  }
  return parents.length === 0 ? assign : block(`if ${parentsOk}`, assign, error);
}

/** Step 5 (record paths removed, then consumed paths whose target is set), on the kept record only. */
function cleanupCode(ctx: MappingContext, location: Location): Lines {
  const { mapping } = ctx;
  if (location.prefix === undefined) return []; // the record is the local variable: nothing to clean
  const prefix = location.prefix;
  const lines: string[] = [];
  if (mapping.remove.length > 0 || mapping.consumed.length > 0) lines.push('# Step 5.');
  for (const path of mapping.remove) lines.push(`del(${eventPath([...prefix, ...path])})`);
  for (const c of mapping.consumed) {
    lines.push(`if exists(${eventPath(c.whenTargetSet)}) { del(${eventPath([...prefix, ...c.path])}) }`);
  }
  return lines;
}

/**
 * Step 6: `mapc_id` = lowercase hex SHA-256 of `|path|value|...|` over the original record.
 * Values as text: a string as is, an integer or boolean as JSON, a float as Rust prints it
 * (JSON's form except beyond 1e21 or below 1e-6, where JSON uses an exponent), an object or
 * array as VRL's JSON (keys sorted), missing or null as empty.
 */
function documentIdCode(ctx: MappingContext, record: string): Lines {
  const id = ctx.mapping.documentId;
  if (!id) return [];
  const lines: string[] = ['# Step 6, computed on the record as received.', 'mapc_id_text = "|"'];
  for (const path of id.fields) {
    const v = ctx.code.fresh('idv');
    lines.push(
      `${v} = get(${record}, ${pathArray(path)}) ?? null`,
      `mapc_id_text = mapc_id_text + ${vrlString(`${path.join('.')}|`)}`,
      `if is_string(${v}) {`,
      `  mapc_id_text = mapc_id_text + (string(${v}) ?? "")`,
      `} else if is_float(${v}) {`,
      `  mapc_id_text = mapc_id_text + to_string(float(${v}) ?? 0.0)`,
      `} else if ${v} != null {`,
      `  mapc_id_text = mapc_id_text + encode_json(${v})`,
      `}`,
      'mapc_id_text = mapc_id_text + "|"',
    );
  }
  lines.push('mapc_id = sha2(mapc_id_text, variant: "SHA-256")');
  return lines;
}
