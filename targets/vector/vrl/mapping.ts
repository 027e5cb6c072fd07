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
  RAW_ID_MAX_BYTES,
  RAW_ID_MAX_INTEGER,
  type ConditionIR,
  type EnrichIR,
  type FieldPath,
  type MappingIR,
  type RuleIR,
  type SettingIR,
} from '../../../compiler/ir.ts';
import { conditionSettings, mappingConditions, parentPaths } from '../../../compiler/rule-paths.ts';
import type { Span } from '../../../dsl/diagnostics.ts';
import { vrlComment, vrlLiteral, vrlNumber, vrlPath, vrlPathArray, vrlString } from '../quote.ts';
import { block, type Lines, type VrlCode } from './code.ts';
import { belowEarlierDestination } from './plan.ts';
import { enrichCode, userAgentCode } from './enrich.ts';
import { functionCode, type ValueKind } from './functions.ts';
import { nowTestText } from './now.ts';

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
  /** The stream's span, for refusals of text outside any rule. */
  readonly loc: Span;
  /** Variable holding each bool setting's value, read by {@link settingsCode}. */
  readonly settingVars: ReadonlyMap<string, string>;
  /** Bool settings without a variable, read where they are used (the lean remap, `./lean.ts`). */
  readonly inlineSettings?: ReadonlySet<string>;
  /** The enrichment table of each database kind (`../enrich.ts`), for `geoip` / `asn`. */
  readonly enrichTable?: (kind: EnrichIR['database']) => string;
}

/** Step 4a (compiler/ir.ts `EnrichIR`, `UserAgentIR`): each `geoip` / `asn`, then `user_agent`, after every rule (`./enrich.ts`). */
export function enrichmentCode(ctx: Pick<MappingContext, 'mapping' | 'enrichTable' | 'loc'>): Lines {
  const lines = (ctx.mapping.enrich ?? []).flatMap((item) => {
    if (!ctx.enrichTable) throw new Error('internal: a mapping with geoip/asn needs its enrichment tables');
    const read = vrlPath(item.field) ?? `get(., ${vrlPathArray(item.field, ctx.loc)}) ?? null`;
    return enrichCode(item, ctx.enrichTable(item.database), read, assignCode(item.target, 'mapc_enrich_out', ctx.loc));
  });
  // Then `user_agent` (compiler/ir.ts UserAgentIR, `./enrich.ts`).
  const ua = ctx.mapping.userAgent;
  if (ua !== undefined) {
    const read = vrlPath(ua.field) ?? `get(., ${vrlPathArray(ua.field, ctx.loc)}) ?? null`;
    lines.push(...userAgentCode(ua, read, assignCode(ua.target, 'mapc_ua_out', ctx.loc)));
  }
  return lines;
}

/** Names of the bool settings a mapping reads (`when setting.x`, `original when setting.x`). */
export function settingsRead(mapping: MappingIR): string[] {
  const names = new Set<string>();
  if (mapping.original) names.add(mapping.original.setting);
  for (const c of mappingConditions(mapping)) for (const name of conditionSettings(c)) names.add(name);
  return [...names];
}

/**
 * The settings the mapping reads, each lowercased into its variable once per event. Vector reads
 * no variable in its config without `--dangerously-allow-env-var-interpolation` (see
 * `../secrets.ts`); VRL's `get_env_var` reads Vector's environment at run time
 * (https://vector.dev/docs/reference/vrl/functions/#get_env_var; fallible: an unset variable is
 * an error). Unset or empty means the default, as for `mapc collect`.
 */
export function settingsCode(ctx: Pick<MappingContext, 'settings' | 'settingVars' | 'loc'>): Lines {
  const lines: string[] = [];
  for (const [name, variable] of ctx.settingVars) {
    const setting = ctx.settings.find((s) => s.name === name);
    if (!setting) throw new Error(`unknown setting ${name}`);
    const fallback = setting.default === undefined ? '' : String(setting.default);
    lines.push(
      `${variable} = get_env_var(${vrlString(setting.envVar, setting.loc)}) ?? ""`,
      `if ${variable} == "" { ${variable} = ${vrlString(fallback, setting.loc)} }`,
      `${variable} = downcase(${variable})`,
    );
  }
  return lines;
}

/** Where the record lives while rules run. */
export interface Location {
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
    body.push(mapping.namespace.length === 0 ? '. = mapc_rec' : assignCode(mapping.namespace, 'mapc_rec', ctx.loc));
  }
  if (mapping.original) {
    body.push(...block(`if ${settingTrue(ctx, mapping.original.setting)}`, [`.event.original = ${textVar}`]));
  }
  body.push('mapc_errors = []');
  body.push(...dropCode(ctx, (c, at) => conditionCode(ctx, c, { base: 'mapc_rec' }, at)));
  for (const rule of mapping.rules) body.push(...ruleCode(ctx, rule, location));
  body.push(...enrichmentCode(ctx));
  body.push(...removeWhenCode(ctx, location, (c, at) => conditionCode(ctx, c, location, at)));
  body.push(...cleanupCode(ctx, location));
  body.push(...dropEmptyCode(mapping, ctx.loc));
  body.push(...block('if length(mapc_errors) > 0', ['.error.message = mapc_errors']));
  body.push(...block('if !exists(."@timestamp")', [`."@timestamp" = ${COLLECTED}`]));
  if (mapping.documentId?.kind === 'raw') body.push(...idAssignCode());
  else if (mapping.documentId) body.push(`.${ID_FIELD} = mapc_id`);
  return [
    `${parsed}, ${parseError} = parse_json(${textVar})`,
    ...block(
      `if ${parseError} != null || !is_object(${parsed})`,
      [
        `. = {"@timestamp": ${COLLECTED}, "event": {"kind": "pipeline_error", "dataset": ${vrlString(ctx.dataset, ctx.loc)}}, "error": {"message": ["mapc: the record is not the JSON text of an object"]}}`,
      ],
      body,
    ),
  ];
}

/**
 * `drop when` (compiler/ir.ts `MappingIR.drop`): `abort`, which drops the event because the remap
 * sets `drop_on_abort: true` (https://vector.dev/docs/reference/configuration/transforms/remap/,
 * v0.45: an aborted event is dropped, or sent to the `dropped` output only with
 * `reroute_dropped`). An `abort` in the one remap, rather than a `filter` transform before it,
 * tests the record once, as parsed for the mapping, and keeps one transform per stream.
 * `condition` renders a condition over the record as received.
 */
export function dropCode(
  ctx: Pick<MappingContext, 'mapping' | 'loc'>,
  condition: (c: ConditionIR, at: Span) => string,
): Lines {
  const drops = ctx.mapping.drop ?? [];
  return drops.flatMap((c, i) => {
    const at = ctx.mapping.dropLoc?.[i] ?? ctx.loc;
    return [vrlComment(`${at.file}:${at.line}:${at.column} drop when`), ...block(`if ${condition(c, at)}`, ['abort'])];
  });
}

/** A bool setting, as the interpreter reads it: its value is `true` (any case). */
function settingTrue(ctx: MappingContext, name: string): string {
  const variable = ctx.settingVars.get(name);
  if (variable === undefined) throw new Error(`unknown setting ${name}`);
  return `${variable} == "true"`;
}

/** A read of a record path: `get(., ["ns", ..., "a"]) ?? null`, typed `any`. */
function readRecord(location: Location, path: FieldPath, at: Span): string {
  return `(get(${location.base}, ${vrlPathArray([...(location.prefix ?? []), ...path], at)}) ?? null)`;
}

/** `exists(.a.b)`, or for a path that path syntax cannot carry, whether the parent holds the key. */
export function existsCode(path: FieldPath, at: Span): string {
  const literal = vrlPath(path);
  if (literal !== undefined) return `exists(${literal})`;
  const parent = vrlPathArray(path.slice(0, -1), at);
  return `includes(keys(object(get(., ${parent}) ?? {}) ?? {}), ${vrlString(path[path.length - 1] ?? '', at, 'the field name')})`;
}

/**
 * Assigns `value` at an absolute event path: path syntax where it can (and not `dynamic`), else
 * `set` with a path array (a write below a parent whose VRL type an earlier write fixed).
 */
export function assignCode(path: FieldPath, value: string, at: Span, dynamic = false): string {
  const literal = dynamic ? undefined : vrlPath(path);
  return literal !== undefined ? `${literal} = ${value}` : `. = set(., ${vrlPathArray(path, at)}, ${value}) ?? .`;
}

/** Deletes an absolute event path (nothing when absent). */
export function deleteCode(path: FieldPath, at: Span): string {
  const literal = vrlPath(path);
  return literal !== undefined ? `del(${literal})` : `. = remove(., ${vrlPathArray(path, at)}) ?? .`;
}

/**
 * Deletes a record path (relative to the record): on the event under the namespace, or in the
 * local `mapc_rec` when the record is not kept, so that later rules see it missing.
 */
export function deleteRecordCode(location: Location, path: FieldPath, at: Span): string {
  if (location.prefix !== undefined) return deleteCode([...location.prefix, ...path], at);
  const literal = vrlPath(path);
  if (literal !== undefined) return `del(${location.base}${literal})`;
  return `${location.base} = object(remove(${location.base}, ${vrlPathArray(path, at)}) ?? ${location.base}) ?? ${location.base}`;
}

/** How a condition reads the record and a `bool` setting, for {@link conditionText}. */
export interface ConditionReads {
  /** The VRL expression of the value at a record path. */
  readonly read: (path: FieldPath) => string;
  /** The VRL expression that is true when the setting is true. */
  readonly setting: (name: string) => string;
  /** `not exists PATH` as `PATH == null` (the lean mapping) rather than `!(PATH != null)`. */
  readonly notExistsAsNull: boolean;
  /**
   * The value at a record path typed `any` (a `get`), for the tests whose VRL functions are
   * fallible on `any` and would be refused on a known type (E651 on `string(x) ?? ""`); default
   * `read`, when that is already a `get`.
   */
  readonly readAny?: (path: FieldPath) => string;
}

/** VRL string functions of the IR's text tests (https://vector.dev/docs/reference/vrl/functions/, v0.25). */
const TEXT_FUNCTION = { prefix: 'starts_with', suffix: 'ends_with', contains: 'contains' } as const;

const COMPARE_OPERATOR = { lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/** A rule's `when` condition as a VRL boolean expression (the full and the lean mapping). */
export function conditionText(c: ConditionIR, reads: ConditionReads, at: Span): string {
  switch (c.kind) {
    case 'exists':
      return `${reads.read(c.path)} != null`;
    case 'equals':
      // VRL compares 1 and 1.0 as equal, and values of different types as unequal, like the IR.
      return `${reads.read(c.path)} == ${vrlLiteral(c.value, at)}`;
    case 'in': {
      const read = reads.read(c.path);
      const tests = c.values.map((v, i) => `${read} == ${vrlLiteral(v, c.loc?.[i] ?? at)}`);
      return tests.length === 1 ? tests[0]! : `(${tests.join(' || ')})`;
    }
    case 'compare': {
      // A number of either VRL type, compared as a float (as the interpreter's doubles); a string
      // never compares. `to_float` of an integer is exact up to 2^53, as JSON in JavaScript.
      const value = (reads.readAny ?? reads.read)(c.path);
      return `((is_integer(${value}) || is_float(${value})) && (to_float(${value}) ?? 0.0) ${COMPARE_OPERATOR[c.op]} ${vrlNumber(c.value, true)})`;
    }
    case 'text': {
      // Byte-wise on UTF-8, which for a valid string is by code points, as the IR says.
      const value = (reads.readAny ?? reads.read)(c.path);
      return `(is_string(${value}) && ${TEXT_FUNCTION[c.op]}(string(${value}) ?? "", ${vrlString(c.value, c.loc ?? at, 'the condition text')}))`;
    }
    case 'now':
      return nowTestText(c, (reads.readAny ?? reads.read)(c.path), at);
    case 'not':
      return reads.notExistsAsNull && c.condition.kind === 'exists'
        ? `${reads.read(c.condition.path)} == null`
        : `!(${conditionText(c.condition, reads, at)})`;
    case 'and':
      return `(${c.all.map((x) => conditionText(x, reads, at)).join(' && ')})`;
    case 'or':
      return `(${c.any.map((x) => conditionText(x, reads, at)).join(' || ')})`;
    case 'setting':
      return reads.setting(c.name);
  }
}

function conditionCode(ctx: MappingContext, c: ConditionIR, location: Location, at: Span): string {
  const reads = {
    read: (path: FieldPath) => readRecord(location, path, at),
    setting: (name: string) => settingTrue(ctx, name),
    notExistsAsNull: false,
  };
  return conditionText(c, reads, at);
}

/**
 * A rule's failure lines, never none: a failure with nothing to do (`on_error ignore`, no
 * redaction) is the statement `null`, since VRL refuses an empty block (syntax error 203 on VRL
 * 0.25 and 0.38).
 */
export function quietFailure(lines: Lines): Lines {
  return lines.length > 0 ? lines : ['null'];
}

/** Steps 2-4 for one rule; a failing rule that redacts also deletes its source (redaction fails closed). */
function ruleCode(ctx: MappingContext, rule: RuleIR, location: Location): Lines {
  const { code } = ctx;
  const at = rule.loc;
  const unredacted = redactedSource(rule);
  const error = quietFailure([
    // `on_error ignore` (compiler/ir.ts RuleIR.onError): the failure appends nothing.
    ...(rule.onError === 'ignore'
      ? []
      : [`mapc_errors = push(mapc_errors, ${vrlString(conversionErrorMessage(rule), at)})`]),
    ...(unredacted && unredacted.length > 0 ? [deleteRecordCode(location, unredacted, at)] : []),
  ]);
  const write = (value: string, kind: ValueKind): Lines => writeCode(ctx, rule, value, kind, error);
  let lines: Lines;
  if (rule.value.kind === 'const') {
    lines = write(vrlLiteral(rule.value.value, at), constKind(rule.value.value));
  } else if (rule.value.kind === 'collection_time') {
    // `collected_at`: the source's `timestamp` (else now), formatted once at the program's start.
    const input = code.fresh('in');
    lines = [`${input} = ${COLLECTED}`, ...block(`if ${input} != null`, write(input, 'any'))];
  } else {
    const input = code.fresh('in');
    const chain = (variable: string, kind: ValueKind, index: number): Lines => {
      const t = (rule.value.kind === 'field' || rule.value.kind === 'select' ? rule.value.transforms : [])[index];
      if (!t) return write(variable, kind);
      return functionCode(code, t, variable, kind, { value: (v, k) => chain(v, k, index + 1), fail: error }, at);
    };
    // `copy(FIELD)` reads the event being built (an absolute path), a field its record path.
    const value = rule.value;
    const read =
      value.kind === 'select'
        ? selectCode(code, value, location, input, at)
        : value.kind === 'elements'
          ? elementsCode(code, value, location, input, at)
          : [
              `${input} = ${value.kind === 'copy' ? readRecord({ base: '.' }, value.from, at) : readRecord(location, value.path, at)}`,
            ];
    lines = [...read, ...block(`if ${input} != null`, chain(input, 'any', 0))];
  }
  const header = vrlComment(`${rule.loc.file}:${rule.loc.line}:${rule.loc.column} ${describeRule(rule)}`);
  return rule.when
    ? [header, ...block(`if ${conditionCode(ctx, rule.when, location, at)}`, lines)]
    : [header, ...lines];
}

/**
 * A selection (compiler/ir.ts ValueIR `select`) into the variable `input`: `for_each` over the
 * array (`array(...) ?? []`: anything but an array walks nothing), and the first element that is
 * an object whose key equals the literal (VRL's `==`: `1` equals `1.0`, values of different
 * types differ, as the IR's strict JSON equality) gives its value at `rest`; `null` otherwise.
 * VRL's `for_each` cannot stop early, so a flag keeps the first match.
 * https://vector.dev/docs/reference/vrl/functions/#for_each (VRL 0.25).
 */
export function selectCode(
  code: VrlCode,
  value: Extract<RuleIR['value'], { kind: 'select' }>,
  location: Location,
  input: string,
  at: Span,
): Lines {
  const found = code.fresh('found');
  const element = code.fresh('el');
  const key = `(get(${element}, ${vrlPathArray(value.key, at)}) ?? null)`;
  const literal = vrlLiteral(value.equals, value.equalsLoc ?? at);
  const rest = value.rest.length === 0 ? element : `(get(${element}, ${vrlPathArray(value.rest, at)}) ?? null)`;
  return [
    `${input} = null`,
    `${found} = false`,
    ...block(
      `for_each(array(${readRecord(location, value.array, at)}) ?? []) -> |_index, ${element}|`,
      block(`if !${found} && is_object(${element}) && ${key} == ${literal}`, [`${found} = true`, `${input} = ${rest}`]),
    ),
  ];
}

/**
 * Element fields (compiler/ir.ts ValueIR `elements`) into the variable `input`: when the value
 * is an array, a new array built by `for_each` (`push`) of one new object per object element,
 * each listed field `set` from the element's non-null value at its path; `null` otherwise.
 * https://vector.dev/docs/reference/vrl/functions/#for_each (VRL 0.25).
 */
export function elementsCode(
  code: VrlCode,
  value: Extract<RuleIR['value'], { kind: 'elements' }>,
  location: Location,
  input: string,
  at: Span,
): Lines {
  const array = code.fresh('arr');
  const list = code.fresh('list');
  const element = code.fresh('el');
  const object = code.fresh('obj');
  const field = code.fresh('f');
  const sets = value.fields.flatMap((f, i) => {
    const name = value.nameLocs?.[i] ?? at;
    return [
      `${field} = get(${element}, ${vrlPathArray(f.from, at)}) ?? null`,
      `if ${field} != null { ${object} = set(${object}, [${vrlString(f.name, name, 'the element field name')}], ${field}) ?? ${object} }`,
    ];
  });
  return [
    `${input} = null`,
    `${array} = ${readRecord(location, value.array, at)}`,
    ...block(`if is_array(${array})`, [
      `${list} = []`,
      ...block(
        `for_each(array(${array}) ?? []) -> |_index, ${element}|`,
        block(`if is_object(${element})`, [`${object} = {}`, ...sets, `${list} = push(${list}, ${object})`]),
      ),
      `${input} = ${list}`,
    ]),
  ];
}

export function constKind(value: string | number | boolean): ValueKind {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return Number.isInteger(value) ? 'integer' : 'float';
}

/**
 * The VRL test that each of `parents` is absent or an object, joined with `&&` (the interpreter's
 * `setPath` fails when a parent exists and is not an object); `parents` must not be empty.
 */
export function parentsAreObjects(parents: readonly FieldPath[], at: Span): string {
  return parents
    .map((p) => {
      const literal = vrlPath(p);
      return literal !== undefined
        ? `(!exists(${literal}) || is_object(${literal}))`
        : `(!${existsCode(p, at)} || is_object(get(., ${vrlPathArray(p, at)}) ?? null))`;
    })
    .join(' && ');
}

/**
 * `set` overwrites; `append` turns the target into an array (a present scalar becomes its first
 * element) and adds each new value not already there. Either fails, like the interpreter's
 * `setPath`, when a parent of the target exists but is not an object.
 */
function writeCode(ctx: MappingContext, rule: RuleIR, variable: string, kind: ValueKind, error: Lines): Lines {
  // `variable` is a variable name or, for constants, a literal.
  const at = rule.loc;
  const parents = parentPaths(rule.destination);
  const dynamic = belowEarlierDestination(ctx.mapping.rules, rule);
  const assign =
    rule.op === 'set'
      ? [assignCode(rule.destination, variable, at, dynamic)]
      : appendCode(ctx.code, rule, variable, kind, dynamic);
  return parents.length === 0 ? assign : block(`if ${parentsAreObjects(parents, at)}`, assign, error);
}

/**
 * `append` whatever the target holds: it becomes an array (a present scalar its first element)
 * and gains each new value not already there; a value of kind `any` that is an array appends
 * each element.
 */
export function appendCode(
  code: VrlCode,
  rule: Pick<RuleIR, 'destination' | 'loc'>,
  variable: string,
  kind: ValueKind,
  dynamic = false,
): Lines {
  const at = rule.loc;
  const list = code.fresh('list');
  const current = code.fresh('cur');
  const add = (item: string): string => `if !includes(${list}, ${item}) { ${list} = push(${list}, ${item}) }`;
  const item = code.fresh('item');
  return [
    `${current} = get(., ${vrlPathArray(rule.destination, at)}) ?? null`,
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
    assignCode(rule.destination, list, at, dynamic),
  ];
}

/** Step 5 (record paths removed, then consumed paths whose target is set), on the kept record only. */
export function cleanupCode(ctx: Pick<MappingContext, 'mapping' | 'loc'>, location: Location): Lines {
  const { mapping } = ctx;
  if (location.prefix === undefined) return []; // the record is the local variable: nothing to clean
  const prefix = location.prefix;
  const lines: string[] = [];
  if (mapping.remove.length > 0 || mapping.consumed.length > 0) lines.push('# Step 5.');
  for (const path of mapping.remove) lines.push(deleteCode([...prefix, ...path], ctx.loc));
  for (const c of mapping.consumed) {
    lines.push(`if ${existsCode(c.whenDestinationSet, ctx.loc)} { ${deleteCode([...prefix, ...c.path], ctx.loc)} }`);
  }
  return lines;
}

/**
 * `drop empty` (compiler/ir.ts step 5, `MappingIR.dropEmpty`): VRL's `compact` with its defaults
 * (`recursive`, `null`, `string`, `object`, `array`: true) removes exactly `null`, `""`, `[]` and
 * `{}`, innermost first, so a container left empty goes too (vectordotdev/vrl
 * `src/stdlib/compact.rs`, the same in VRL 0.25 and 0.38: test/engines/vrl); then the namespace,
 * when left empty, and each parent left an empty object are deleted.
 */
export function dropEmptyCode(mapping: MappingIR, at: Span): Lines {
  const ns = mapping.namespace;
  if (!mapping.dropEmpty || ns.length === 0) return [];
  const read = (path: FieldPath): string => vrlPath(path) ?? `(get(., ${vrlPathArray(path, at)}) ?? null)`;
  const removal = (depth: number): Lines => {
    const path = ns.slice(0, depth);
    const test = depth === ns.length ? `${read(path)} == {} || ${read(path)} == []` : `${read(path)} == {}`;
    return block(`if ${test}`, [deleteCode(path, at), ...(depth > 1 ? removal(depth - 1) : [])]);
  };
  return [
    '# Step 5: drop empty: null, "", [] and {} under the namespace, innermost first.',
    `mapc_ns = ${read(ns)}`,
    `if is_object(mapc_ns) { ${assignCode(ns, 'compact(object!(mapc_ns))', at)} } else if is_array(mapc_ns) { ${assignCode(ns, 'compact(array!(mapc_ns))', at)} }`,
    ...removal(ns.length),
  ];
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
  if (id.kind === 'raw') return rawIdCode(`get(${record}, ${vrlPathArray(id.field, id.loc)}) ?? null`);
  const lines: string[] = ['# Step 6, computed on the record as received.', 'mapc_id_text = "|"'];
  for (const path of id.fields) {
    const v = ctx.code.fresh('idv');
    lines.push(
      `${v} = get(${record}, ${vrlPathArray(path, id.loc)}) ?? null`,
      `mapc_id_text = mapc_id_text + ${vrlString(`${path.join('.')}|`, id.loc)}`,
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

/**
 * `id raw PATH` (compiler/ir.ts `RawDocumentIdIR`): `mapc_id` is the value as is (a string of 1
 * to 512 UTF-8 bytes: VRL's `strlen` counts characters, so the bytes are those of
 * `encode_base16`, two hex digits each) or the digits of an integral number within ±(2^53 − 1)
 * (an integer, or a float equal to its `floor`); otherwise `null`, and {@link idAssignCode} sets no
 * id, so the sink's `id_key` finds none and Elasticsearch assigns one.
 * `read` is the value's expression (typed `any`).
 */
export function rawIdCode(read: string): Lines {
  return [
    '# Step 6, the vendor id as is, on the record as received.',
    `mapc_idv = ${read}`,
    'mapc_id = null',
    'if is_string(mapc_idv) {',
    '  mapc_ids = string(mapc_idv) ?? ""',
    `  mapc_idn = length(encode_base16(mapc_ids))`,
    `  if mapc_idn >= 2 && mapc_idn <= ${RAW_ID_MAX_BYTES * 2} { mapc_id = mapc_ids }`,
    '} else if is_integer(mapc_idv) {',
    '  mapc_idi = int(mapc_idv) ?? 0',
    `  if mapc_idi <= ${RAW_ID_MAX_INTEGER} && mapc_idi >= -${RAW_ID_MAX_INTEGER} { mapc_id = to_string(mapc_idi) }`,
    '} else if is_float(mapc_idv) {',
    '  mapc_idf = float(mapc_idv) ?? 0.5',
    `  if floor(mapc_idf) == mapc_idf && mapc_idf <= ${RAW_ID_MAX_INTEGER}.0 && mapc_idf >= -${RAW_ID_MAX_INTEGER}.0 { mapc_id = to_string(to_int(mapc_idf)) }`,
    '}',
  ];
}

/** The id into the event for the sink's `id_key`, when there is one (a raw id may have none). */
export function idAssignCode(): Lines {
  return [`if mapc_id != null { .${ID_FIELD} = mapc_id }`];
}

/**
 * `remove ... when` (compiler/ir.ts `MappingIR.removeWhen`) on the kept record: every condition
 * into a variable first (the record as the rules left it), then each item's removals. Nothing for
 * a record that is not kept (it never reaches the event). `condition` renders a condition over
 * the record after the rules.
 */
export function removeWhenCode(
  ctx: Pick<MappingContext, 'mapping'>,
  location: Location,
  condition: (c: ConditionIR, at: Span) => string,
): Lines {
  const items = ctx.mapping.removeWhen ?? [];
  const prefix = location.prefix;
  if (items.length === 0 || prefix === undefined) return [];
  return [
    '# Step 5: remove ... when, every condition before any removal.',
    ...items.map((r, i) => `mapc_rm${i} = ${condition(r.when, r.loc)}`),
    ...items.flatMap((r, i) =>
      block(
        `if mapc_rm${i}`,
        r.paths.map((p, j) => deleteCode([...prefix, ...p], r.pathLocs[j] ?? r.loc)),
      ),
    ),
  ];
}
