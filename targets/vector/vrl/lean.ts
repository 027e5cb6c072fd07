/**
 * The VRL of one record's mapping for a stream with a record schema (module doc of
 * `compiler/ir.ts`, "Record schemas: two tiers"): the same steps 1-8 as `./mapping.ts`, written
 * as a Vector engineer writes a remap, with a test only where it decides something.
 *
 * - **No copies of the record.** The record is parsed straight into its place (the namespace,
 *   or the local `mapc_rec` when it is not kept); VRL passes function arguments by value, so
 *   `get(., path)` or `is_object(record)` would copy the whole document each time. Reads are
 *   path expressions (`.endor_labs.audit.meta.create_time`), which copy only the value read;
 *   the record is known to be an object from its text (`{` after JSON whitespace), not by
 *   passing it to `is_object`.
 * - **Values** (`./typed.ts`): one type test or fallible call per declared type, one error branch.
 * - **Writes**: a target's parents are tested only when an earlier write may have put a
 *   non-object there (an earlier rule's destination above it, or record data under the namespace);
 *   an `append` to a target nothing wrote before is `[value]`, after earlier appends only a
 *   `push` to the array.
 * - **Per event, only what is used**: the collection time is formatted only when no rule wrote
 *   `@timestamp`; each bool setting is read once, in one line.
 *
 * Tier 2 (a violating value) is kept exactly where a guard decides it, and costs nothing on a
 * conforming record: every type test sits in the error branch of the call that reads the value,
 * and a `null` test only on that branch.
 *
 * @module
 */
import {
  conversionErrorMessage,
  describeRule,
  redactedSource,
  type ConditionIR,
  type ConsumedIR,
  type FieldPath,
  type FieldTypeIR,
  type RuleIR,
} from '../../../compiler/ir.ts';
import { conditionTests, parentPaths } from '../../../compiler/rule-paths.ts';
import type { Span } from '../../../dsl/diagnostics.ts';
import { vrlComment, vrlConst, vrlLiteral, vrlPath, vrlPathArray, vrlString } from '../quote.ts';
import { block, compact, ifElseIf, type Lines } from './code.ts';
import {
  appendCode,
  assignCode,
  conditionText,
  dropCode,
  parentsAreObjects,
  constKind,
  deleteCode,
  deleteRecordCode,
  dropEmptyCode,
  existsCode,
  ID_FIELD,
  idAssignCode,
  rawIdCode,
  quietFailure,
  removeWhenCode,
  enrichmentCode,
  type Location,
  type MappingContext,
  selectCode,
  elementsCode,
} from './mapping.ts';
import {
  above,
  belowEarlierDestination,
  groupRules,
  untilRedaction,
  inlineConsumed,
  overlap,
  samePath,
  sameTransforms,
  writeFacts,
  constantObjects,
  type ConstantObject,
  type WriteFacts,
} from './plan.ts';
import { OUTPUT_FORMAT, type Outcomes, type ValueKind } from './functions.ts';
import {
  flatFunction,
  flatRead,
  integerKeywordRead,
  isIntegerKeywordEntry,
  isStringEntry,
  leanValueCode,
  lookupsChain,
  type TableLookup,
  typedChain,
} from './typed.ts';

/** The variable holding the source's `timestamp` as read at the program's start (step 8). */
export const RAW_TIMESTAMP = 'mapc_timestamp';

/**
 * Step 8 (compiler/ir.ts), first half: the source's collection time, read before anything
 * replaces the event root; formatted by {@link collectedExpr} only where it is used. Vector's
 * `exec` and `http_client` sources stamp each event with the time they read it, in `timestamp`
 * (https://vector.dev/docs/reference/configuration/global-options/#log_schema.timestamp_key).
 */
export function leanTimestampCode(): Lines {
  return [`${RAW_TIMESTAMP} = .timestamp`];
}

/**
 * Step 8, second half: the collection time as every date is written, else the time the remap
 * runs. The `get` on a literal object types the value `any`, so `timestamp(...)` stays
 * fallible whatever schema Vector infers for `.timestamp`.
 */
export function collectedExpr(): string {
  return `format_timestamp(timestamp(get({"t": ${RAW_TIMESTAMP}}, ["t"]) ?? null) ?? now(), ${vrlConst(OUTPUT_FORMAT)}, timezone: "UTC") ?? null`;
}

/**
 * A bool setting's value as read from Vector's environment at run time (`get_env_var`,
 * https://vector.dev/docs/reference/vrl/functions/#get_env_var; an unset variable is an
 * error), lowercased. Unset or empty means the default ({@link leanSettingTrue}).
 */
function settingRead(ctx: Pick<MappingContext, 'settings'>, name: string): string {
  const setting = ctx.settings.find((s) => s.name === name);
  if (!setting) throw new Error(`unknown setting ${name}`);
  return `downcase(get_env_var(${vrlString(setting.envVar, setting.loc)}) ?? "")`;
}

/** The bool settings the mapping reads more than once (or in a loop), each into its variable in one line. */
export function leanSettingsCode(ctx: Pick<MappingContext, 'settings' | 'settingVars'>): Lines {
  return [...ctx.settingVars].map(([name, variable]) => `${variable} = ${settingRead(ctx, name)}`);
}

/**
 * A bool setting is true: its value is `true` (any case), or empty or unset with a `true`
 * default. A setting read once per record (`ctx.inlineSettings`) is read right here.
 */
function leanSettingTrue(
  ctx: Pick<MappingContext, 'settings' | 'settingVars' | 'inlineSettings'>,
  name: string,
): string {
  if (ctx.inlineSettings?.has(name)) return `${settingRead(ctx, name)} == "true"`;
  const variable = ctx.settingVars.get(name);
  const setting = ctx.settings.find((s) => s.name === name);
  if (variable === undefined || !setting) throw new Error(`unknown setting ${name}`);
  return String(setting.default).toLowerCase() === 'true'
    ? `(${variable} == "true" || ${variable} == "")`
    : `${variable} == "true"`;
}

/**
 * Lines mapping the record whose JSON text is in `textVar` onto the event root, for a stream
 * with a record schema. A text that is not a JSON object gives a `pipeline_error` document.
 */
export function leanMappingCode(ctx: MappingContext, textVar: string): Lines {
  const { mapping } = ctx;
  const ns = mapping.keepUnmapped ? vrlPath(mapping.namespace) : undefined;
  // In place: the namespace as a path; else the local `mapc_rec` (moved to the namespace when kept).
  const inPlace = ns !== undefined && mapping.namespace.length > 0;
  const location: Location = inPlace ? { base: '.', prefix: mapping.namespace } : { base: 'mapc_rec' };
  // `object` takes the value `parse_json` returns (no copy) and fails on any other JSON value.
  const parse = `${inPlace ? ns : 'mapc_rec'}, mapc_parse_error = object(parse_json(${textVar}) ?? null)`;
  const early = idWrittenFirst(ctx.mapping);
  const body: string[] = [...documentIdCode(ctx, location, early ? `.${ID_FIELD}` : 'mapc_id')];
  if (mapping.keepUnmapped && !inPlace) {
    body.push(
      mapping.namespace.length === 0
        ? '. = object(mapc_rec) ?? {}'
        : assignCode(mapping.namespace, 'mapc_rec', ctx.loc),
    );
  }
  const kept: Location = mapping.keepUnmapped ? { base: '.', prefix: mapping.namespace } : location;
  const objects = constantObjects(mapping);
  body.push(...objects.map((o) => constantObjectCode(o, ctx.loc)));
  const hoisted = new Set(objects.flatMap((o) => o.rules));
  if (mapping.original) {
    body.push(...compact(`if ${leanSettingTrue(ctx, mapping.original.setting)}`, [`.event.original = ${textVar}`]));
  }
  const errors = errorsHome(mapping);
  if (errors === 'variable') body.push(`${ERRORS_VAR} = []`);
  body.push(...dropCode(ctx, (c, at) => conditionCode(ctx, c, location, at)));
  const groups = groupRules(
    { ...mapping, rules: mapping.rules.filter((r) => !hoisted.has(r)) },
    (rule) =>
      rule.when === undefined &&
      rule.value.kind === 'field' &&
      rule.value.source !== undefined &&
      (isStringEntry(rule.value.source, rule.value.transforms) ||
        isIntegerKeywordEntry(rule.value.source, rule.value.transforms)),
  );
  const plan: Plan = {
    location: kept,
    errors,
    facts: writeFacts(mapping),
    consumed: inlineConsumed(mapping, groups),
  };
  body.push(...rulesCode(ctx, groups, plan));
  body.push(...enrichmentCode(ctx));
  body.push(...removeWhenCode(ctx, kept, (c, at) => conditionCode(ctx, c, kept, at)));
  body.push(...cleanupCode(ctx, plan));
  body.push(...dropEmptyCode(mapping, ctx.loc));
  if (errors === 'variable') body.push(`if length(${ERRORS_VAR}) > 0 { .error.message = ${ERRORS_VAR} }`);
  body.push(`if !exists(."@timestamp") { ."@timestamp" = ${collectedExpr()} }`);
  if (mapping.documentId?.kind === 'raw') body.push(...idAssignCode());
  else if (mapping.documentId && !early) body.push(`.${ID_FIELD} = mapc_id`);
  return [
    '# Step 1: the record parsed into its place in an event of unknown shape (a literal {} rejects writes, E642).',
    '. = object(parse_json("{}") ?? {}) ?? {}',
    parse,
    ...block(
      'if mapc_parse_error != null',
      [
        `. = {"@timestamp": ${collectedExpr()}, "event": {"kind": "pipeline_error", "dataset": ${vrlString(ctx.dataset, ctx.loc)}}, "error": {"message": ["mapc: the record is not the JSON text of an object"]}}`,
      ],
      body,
    ),
  ];
}

/** The object literal of {@link constantObjects}' rules under one top-level field, assigned to it. */
function constantObjectCode(object: ConstantObject, at: Span): string {
  const fields = object.rules.map((rule) => {
    if (rule.value.kind !== 'const') throw new Error('internal: a constant object of a non-constant rule');
    const value = vrlLiteral(rule.value.value, rule.loc);
    return `${vrlString(rule.destination[1] ?? '', rule.loc)}: ${rule.op === 'append' ? `[${value}]` : value}`;
  });
  return assignCode([object.key], `{${fields.join(', ')}}`, at);
}

/** A read of a record path typed `any` (`get`), whatever an earlier write fixed its type to. */
function readAny(location: Location, path: FieldPath, at: Span): string {
  return `(get(${location.base}, ${vrlPathArray([...(location.prefix ?? []), ...path], at)}) ?? null)`;
}

/** A read of a record path as a path expression; a segment path syntax cannot carry goes through `get` from there. */
function readPath(location: Location, path: FieldPath, at: Span): string {
  const full = [...(location.prefix ?? []), ...path];
  const base = location.base === '.' ? '' : location.base;
  for (let cut = full.length; cut >= 0; cut--) {
    const head = cut === 0 ? undefined : vrlPath(full.slice(0, cut));
    if (cut > 0 && head === undefined) continue;
    const prefix = cut === 0 ? (base === '' ? '.' : base) : `${base}${head}`;
    return cut === full.length ? prefix : `(get(${prefix}, ${vrlPathArray(full.slice(cut), at)}) ?? null)`;
  }
  throw new Error('internal: unreachable');
}

/**
 * Whether step 6's id (of fields) can be written to the document before the rules run, with no
 * `mapc_id` variable (the document is the same): nothing after it replaces the event root (the
 * record is parsed in place, or not kept) and no rule writes at, above or below `_id` or reads
 * the event being built (`copy`).
 */
function idWrittenFirst(mapping: MappingContext['mapping']): boolean {
  if (mapping.documentId === undefined || mapping.documentId.kind === 'raw') return false;
  if (mapping.keepUnmapped && (mapping.namespace.length === 0 || overlap(mapping.namespace, [ID_FIELD]))) return false;
  return mapping.rules.every((r) => !overlap(r.destination, [ID_FIELD]) && r.value.kind !== 'copy');
}

/**
 * Step 6: `mapc_id` (or `target`) = lowercase hex SHA-256 of `|path|value|...|` over the record as received,
 * in one expression. A value as text: a string as is, a number or boolean as `to_string` writes
 * it (a float as Rust prints it), `null` and missing empty, an object or array as VRL's JSON
 * (keys sorted): the same texts as `./mapping.ts`.
 */
function documentIdCode(ctx: MappingContext, location: Location, target: string): Lines {
  const id = ctx.mapping.documentId;
  if (!id) return [];
  if (id.kind === 'raw') return rawIdCode(readAny(location, id.field, id.loc));
  const parts = id.fields.map((path) => {
    const read = readPath(location, path, id.loc);
    return `${vrlString(`|${path.join('.')}|`, id.loc)} + (to_string(${read}) ?? encode_json(${read}))`;
  });
  return [
    '# The document id, from the record as received.',
    `${target} = sha2(${[...parts, '"|"'].join(' + ')}, variant: "SHA-256")`,
  ];
}

/** The type of a read the IR left untyped (none with a schema; kept total). */
const ANY: FieldTypeIR = { origin: 'undeclared', types: ['any'], optional: true, nullable: true, formats: [] };

function conditionCode(ctx: MappingContext, c: ConditionIR, location: Location, at: Span): string {
  const reads = {
    read: (path: FieldPath) => readPath(location, path, at),
    setting: (name: string) => leanSettingTrue(ctx, name),
    notExistsAsNull: true,
    readAny: (path: FieldPath) => readAny(location, path, at),
  };
  return conditionText(c, reads, at);
}

/**
 * The error lines of failing rules, in one line (`push`, or `append` for several); a rule that
 * redacts also deletes its source (redaction fails closed).
 */
function failCode(rules: readonly RuleIR[], plan: Pick<Plan, 'location' | 'errors'>): Lines {
  const { location } = plan;
  // `on_error ignore` (compiler/ir.ts RuleIR.onError): the failure appends nothing.
  const messages = rules.filter((r) => r.onError !== 'ignore').map((r) => vrlString(conversionErrorMessage(r), r.loc));
  const deletes = rules.flatMap((r) => {
    const unredacted = redactedSource(r);
    return unredacted && unredacted.length > 0 ? [deleteRecordCode(location, unredacted, r.loc)] : [];
  });
  const [list, into] =
    plan.errors === 'document' ? ['array(.error.message) ?? []', '.error.message'] : [ERRORS_VAR, ERRORS_VAR];
  const push =
    messages.length === 0
      ? []
      : messages.length === 1
        ? [`${into} = push(${list}, ${messages[0] ?? ''})`]
        : [`${into} = append(${list}, [${messages.join(', ')}])`];
  return quietFailure([...push, ...new Set(deletes)]);
}

/** The variable collecting `error.message` texts when they cannot go to the document as they come. */
const ERRORS_VAR = 'mapc_errors';

/**
 * Where a failing rule's `error.message` text goes: straight onto the document's
 * `error.message` (`push` onto what is there), or into {@link ERRORS_VAR}, written to the
 * document after the rules. Straight is the same document (nothing before the rules writes
 * `error.message`, the checks refuse it as a destination, E0107) and one assignment and one
 * test less per record, unless a rule writes at or above `error.message` (a later write would
 * replace the texts) or copies from there (it would read texts the interpreter appends only
 * after the rules), or the kept record lies there (its data would take the texts).
 */
function errorsHome(mapping: MappingContext['mapping']): Plan['errors'] {
  const home: FieldPath = ['error', 'message'];
  const touches =
    (mapping.keepUnmapped && overlap(mapping.namespace, home)) ||
    mapping.rules.some((r) => overlap(r.destination, home) || (r.value.kind === 'copy' && overlap(r.value.from, home)));
  return touches ? 'variable' : 'document';
}

/**
 * The rule's place in the map and its text, as a comment above the code of a rule whose code
 * does not read as the rule: one with a condition or functions, or a value other than a
 * constant or a field. A constant or a plain copy (`.event.id = del(.enpass.events.event_id)`)
 * says it all.
 */
function ruleComments(rules: readonly RuleIR[]): Lines {
  return rules
    .filter(
      (r) =>
        r.when !== undefined ||
        !(r.value.kind === 'const' || (r.value.kind === 'field' && r.value.transforms.length === 0)),
    )
    .map((r) => vrlComment(`${r.loc.file}:${r.loc.line}:${r.loc.column} ${describeRule(r)}`));
}

/** What {@link groupCode} needs besides the rules. */
interface Plan {
  readonly location: Location;
  /** Where rule failures write their `error.message` texts ({@link errorsHome}). */
  readonly errors: 'document' | 'variable';
  readonly facts: ReadonlyMap<RuleIR, WriteFacts>;
  readonly consumed: ReadonlyMap<RuleIR, ConsumedIR>;
}

/**
 * Steps 2-4 for a group of rules (`./plan.ts`): one rule as is; several rules reading the same
 * string read it once (`if is_string(x) { s = string(x) ?? "" ... }`), and rules with the same functions convert it once.
 */
function groupCode(ctx: MappingContext, group: readonly RuleIR[], plan: Plan): Lines {
  const [first] = group;
  if (!first) return [];
  if (group.length === 1) return [...ruleComments(group), ...ruleCode(ctx, first, plan)];
  const { location } = plan;
  if (first.value.kind !== 'field') throw new Error('internal: a group of constants');
  const { path } = first.value;
  const read = readPath(location, path, first.loc);
  // Integers read once as their decimal text (`keyword`), then each rule's other functions.
  const integer =
    first.value.source !== undefined && isIntegerKeywordEntry(first.value.source, first.value.transforms)
      ? integerKeywordRead(ctx.code, read)
      : undefined;
  const s = integer?.text ?? ctx.code.fresh('s');
  // All rules with the same functions and a first one that is one test: folded into the read's test.
  const transforms0 = first.value.transforms;
  const allSame = group.every((r) => r.value.kind === 'field' && sameTransforms(r.value.transforms, transforms0));
  const flat = allSame ? flatFunction(ctx.code, transforms0[0], s, first.loc) : undefined;
  if (flat) {
    const entry = flatRead(s, read, flat);
    const success = typedChain(
      ctx.code,
      transforms0,
      1,
      flat.value,
      {
        value: (v, kind) => group.flatMap((r) => writeCode(ctx, r, v, kind, failCode([r], plan), plan, read)),
        fail: failCode(untilRedaction(group), plan),
      },
      first.loc,
    );
    return [
      ...ruleComments(group),
      ...entry.lines,
      ...ifElseIf(`if ${entry.cond}`, success, `if ${read} != null`, failCode(untilRedaction(group), plan)),
    ];
  }
  const success: string[] = integer ? [...integer.success] : [`${s} = string(${read}) ?? ""`];
  const start = integer ? 1 : 0;
  // Consecutive rules with the same functions: the functions once, the value written by each.
  const runs = sameTransformRuns(group).map((same) => {
    const head = same[0] as RuleIR;
    const transforms = head.value.kind === 'field' ? head.value.transforms : [];
    const outcomes: Outcomes = {
      value: (v, kind) => same.flatMap((r) => writeCode(ctx, r, v, kind, failCode([r], plan), plan, read)),
      fail: failCode(same, plan),
    };
    return { head, transforms, outcomes };
  });
  for (let i = 0; i < runs.length;) {
    const { head, transforms, outcomes } = runs[i] as (typeof runs)[number];
    // Consecutive runs that are each one lookup (other tables): one chain over their keys.
    const lookups: TableLookup[] = [];
    for (const next of runs.slice(i)) {
      const [t, ...more] = next.transforms.slice(start);
      if (t?.kind !== 'lookup' || more.length > 0) break;
      lookups.push({ t, outcomes: next.outcomes });
    }
    const chain = lookupsChain(ctx.code, lookups, s, head.loc);
    if (chain) {
      success.push(...chain.lines);
      i += chain.used;
      continue;
    }
    success.push(...typedChain(ctx.code, transforms, start, s, outcomes, head.loc));
    i++;
  }
  return [
    ...ruleComments(group),
    ...(integer?.lines ?? []),
    ...ifElseIf(
      integer ? `if ${integer.cond}` : `if is_string(${read})`,
      success,
      `if ${read} != null`,
      failCode(untilRedaction(group), plan),
    ),
  ];
}

/** A group's rules as runs of consecutive rules with the same functions, in order. */
function sameTransformRuns(group: readonly RuleIR[]): RuleIR[][] {
  const runs: RuleIR[][] = [];
  for (const rule of group) {
    const last = runs.at(-1)?.[0];
    const same =
      last?.value.kind === 'field' &&
      rule.value.kind === 'field' &&
      sameTransforms(rule.value.transforms, last.value.transforms);
    if (same) runs.at(-1)?.push(rule);
    else runs.push([rule]);
  }
  return runs;
}

/**
 * Steps 2-4 for all groups, in order, except that a constant rule whose condition is that of an
 * earlier constant rule, or its negation (`when exists x` / `when not exists x`), joins that
 * rule's `if` (or its `else`), as an engineer tests a field once for the values it decides
 * ({@link mergedConstant} says when that is the same document).
 */
function rulesCode(ctx: MappingContext, groups: readonly (readonly RuleIR[])[], plan: Plan): Lines {
  const lines: string[] = [];
  const used = new Set<number>();
  groups.forEach((group, i) => {
    if (used.has(i)) return;
    const [head] = group;
    if (!head || group.length > 1 || head.when === undefined || head.value.kind !== 'const') {
      lines.push(...groupCode(ctx, group, plan));
      return;
    }
    const when = head.when;
    const same: RuleIR[] = [head];
    const negated: RuleIR[] = [];
    for (let j = i + 1; j < groups.length; j++) {
      const [rule] = groups[j] ?? [];
      if (!rule || used.has(j) || groups[j]?.length !== 1 || rule.when === undefined) continue;
      const side = sameCondition(when, rule.when) ? same : negation(when, rule.when) ? negated : undefined;
      const between = groups
        .slice(i + 1, j)
        .flat()
        .filter((r) => !same.includes(r) && !negated.includes(r));
      if (side && mergedConstant(ctx.mapping, plan, rule, when, between)) {
        side.push(rule);
        used.add(j);
      }
    }
    if (same.length === 1 && negated.length === 0) {
      lines.push(...groupCode(ctx, group, plan));
      return;
    }
    const body = (rules: readonly RuleIR[]): Lines => rules.flatMap((r) => ruleBody(ctx, r, plan));
    lines.push(
      ...ruleComments([...same, ...negated]),
      ...compact(`if ${conditionCode(ctx, when, plan.location, head.loc)}`, body(same), body(negated)),
    );
  });
  return lines;
}

/** The same condition (structurally: the same tests of the same paths and literals). */
function sameCondition(a: ConditionIR, b: ConditionIR): boolean {
  return JSON.stringify(stripLocations(a)) === JSON.stringify(stripLocations(b));
}

/** `b` is `not a`, or `a` is `not b`. */
function negation(a: ConditionIR, b: ConditionIR): boolean {
  return (b.kind === 'not' && sameCondition(a, b.condition)) || (a.kind === 'not' && sameCondition(a.condition, b));
}

function stripLocations(c: ConditionIR): unknown {
  return JSON.parse(JSON.stringify(c, (key, value: unknown) => (key === 'loc' ? undefined : value)));
}

/**
 * Whether constant `rule` (later in the map) may be written at the place of an earlier rule
 * with condition `when` (or its negation), before the rules `between` them, giving the same
 * document: it reads nothing and cannot fail, its destination is outside the kept record and touches no
 * destination or `copy` source of a rule between, and no rule between changes a record path the
 * condition reads (a write under the namespace, the inline delete of a consumed path, or a
 * failed redaction's delete), so the condition holds at the earlier place exactly when it holds
 * at the later one. Its write facts (`./plan.ts`) hold at the earlier place too: fewer writes
 * came before it there, none of them at, above or below its destination.
 */
function mergedConstant(
  mapping: MappingContext['mapping'],
  plan: Plan,
  rule: RuleIR,
  when: ConditionIR,
  between: readonly RuleIR[],
): boolean {
  if (rule.value.kind !== 'const') return false;
  // A write that may fail (a parent that may hold a non-object) would report before the rules
  // between, out of rule order.
  if ((plan.facts.get(rule)?.parentsToTest.length ?? 1) > 0) return false;
  const ns = mapping.namespace;
  if (mapping.keepUnmapped && overlap(ns, rule.destination)) return false;
  const read = conditionTests(when).map((t) => t.path);
  const recordPath = (destination: FieldPath): FieldPath | undefined =>
    mapping.keepUnmapped && above(ns, destination) ? destination.slice(ns.length) : undefined;
  return between.every((r) => {
    if (overlap(r.destination, rule.destination)) return false;
    if (r.value.kind === 'copy' && overlap(r.value.from, rule.destination)) return false;
    const changed = [recordPath(r.destination), plan.consumed.get(r)?.path, redactedSource(r)];
    if (mapping.keepUnmapped && overlap(ns, r.destination) && !above(ns, r.destination)) return false;
    return changed.every((p) => p === undefined || read.every((q) => !overlap(p, q)));
  });
}

/** `collected_at`: the source's `timestamp` (else now) as every date is written; never fails. */
function collectionTimeRule(ctx: MappingContext, write: (value: string, kind: ValueKind) => Lines): Lines {
  const input = ctx.code.fresh('in');
  return [`${input} = ${collectedExpr()}`, ...block(`if ${input} != null`, write(input, 'any'))];
}

/** Steps 2-4 for one rule. */
function ruleCode(ctx: MappingContext, rule: RuleIR, plan: Plan): Lines {
  const lines = ruleBody(ctx, rule, plan);
  return rule.when ? compact(`if ${conditionCode(ctx, rule.when, plan.location, rule.loc)}`, lines) : lines;
}

/** Steps 3-4 for one rule, without its condition. */
function ruleBody(ctx: MappingContext, rule: RuleIR, plan: Plan): Lines {
  const at = rule.loc;
  const { location } = plan;
  const fail = failCode([rule], plan);
  // A selection's value is found first, into a variable (./mapping.ts selectCode): any type.
  const selected = rule.value.kind === 'select' || rule.value.kind === 'elements' ? ctx.code.fresh('in') : undefined;
  const select =
    rule.value.kind === 'select' && selected
      ? selectCode(ctx.code, rule.value, location, selected, at)
      : rule.value.kind === 'elements' && selected
        ? elementsCode(ctx.code, rule.value, location, selected, at)
        : [];
  // `copy(FIELD)` reads the event being built (an absolute path, any type), a field its record path.
  const read = selected
    ? selected
    : rule.value.kind === 'field'
      ? readPath(location, rule.value.path, at)
      : rule.value.kind === 'copy'
        ? readAny({ base: '.' }, rule.value.from, at)
        : '';
  const write = (value: string, kind: ValueKind): Lines => writeCode(ctx, rule, value, kind, fail, plan, read);
  const lines =
    rule.value.kind === 'const'
      ? write(vrlLiteral(rule.value.value, at), constKind(rule.value.value))
      : rule.value.kind === 'collection_time'
        ? collectionTimeRule(ctx, write)
        : [
            ...select,
            ...leanValueCode(
              ctx.code,
              { read, type: rule.value.kind === 'field' ? (rule.value.source ?? ANY) : ANY },
              rule.value.kind === 'field' || rule.value.kind === 'select' ? rule.value.transforms : [],
              { value: write, fail },
              at,
            ),
          ];
  return lines;
}

/**
 * `set` overwrites; `append` adds each new value (./mapping.ts `appendCode`); parents tested
 * where an earlier write may have put a non-object (`./plan.ts`). A rule that consumes its
 * source deletes it right after its write (`read` is the path it read).
 */
function writeCode(
  ctx: MappingContext,
  rule: RuleIR,
  value: string,
  kind: ValueKind,
  fail: Lines,
  plan: Plan,
  read: string,
): Lines {
  const at = rule.loc;
  const facts = plan.facts.get(rule);
  const consumed = plan.consumed.get(rule);
  const dynamic = belowEarlierDestination(ctx.mapping.rules, rule);
  let assign: Lines;
  if (rule.op === 'set') {
    const isPath = !read.includes('(');
    if (consumed && isPath && value === read) {
      assign = [assignCode(rule.destination, `del(${read})`, at, dynamic)];
    } else {
      assign = [
        assignCode(rule.destination, value, at, dynamic),
        ...(consumed ? [deleteRecordCode(plan.location, consumed.path, at)] : []),
      ];
    }
  } else {
    const literal = vrlPath(rule.destination);
    if (kind !== 'any' && facts?.append === 'absent') {
      assign = [assignCode(rule.destination, `[${value}]`, at, dynamic)];
    } else if (kind !== 'any' && facts?.append === 'array' && literal !== undefined && !dynamic) {
      const list = ctx.code.fresh('list');
      assign = [
        `${list} = array(${literal}) ?? []`,
        `if !includes(${list}, ${value}) { ${literal} = push(${list}, ${value}) }`,
      ];
    } else {
      assign = appendCode(ctx.code, rule, value, kind, dynamic);
    }
  }
  const inPlace =
    rule.value.kind === 'field' &&
    plan.location.prefix !== undefined &&
    samePath(rule.destination, [...plan.location.prefix, ...rule.value.path]);
  const parents = inPlace || !facts ? (facts ? [] : parentPaths(rule.destination)) : facts.parentsToTest;
  if (parents.length === 0) return assign;
  return compact(`if ${parentsAreObjects(parents, at)}`, assign, fail);
}

/**
 * Step 5 on the kept record: `remove` paths, then each consumed path its rule did not delete
 * already (`./plan.ts`), when its destination exists.
 */
function cleanupCode(ctx: MappingContext, plan: Plan): Lines {
  const { mapping } = ctx;
  const prefix = plan.location.prefix;
  if (!mapping.keepUnmapped || prefix === undefined) return [];
  const inline = new Set(plan.consumed.values());
  const lines: string[] = [];
  for (const path of mapping.remove) lines.push(deleteCode([...prefix, ...path], ctx.loc));
  for (const c of mapping.consumed) {
    if (inline.has(c)) continue;
    lines.push(`if ${existsCode(c.whenDestinationSet, ctx.loc)} { ${deleteCode([...prefix, ...c.path], ctx.loc)} }`);
  }
  return lines;
}
