/**
 * The filter section: the mapping semantics of `compiler/ir.ts` (module comment steps 1-7, the
 * TransformIR conversion rules, DocumentIdIR) as Logstash filters. Step 8 needs no filter: the
 * event's creation `@timestamp` stays unless a rule's date filter replaces it.
 *
 * Native filters do the work (json, mutate, date, translate, fingerprint, conditionals). Two `ruby`
 * filters remain: the `+=` write (`./append.ts`, which says why), and one per rule, the *type
 * probe*: it writes the JSON type of each value the rule
 * reads into `@metadata`. It is there because Logstash conditionals see a value only through its
 * string form (`EventCondition`: truthiness is `toString()` non-empty and not `"false"`, `=~`
 * matches `toString()`), so no native construct can tell a missing field from `null`, `false` from
 * `"false"`, or the number `5` from the string `"5"`, all of which the IR's rules distinguish
 * (step 3 "missing or null does nothing"; `convert keyword` fails on 1.5 but not on "1.5").
 *
 * With a record schema (compiler/ir.ts, "Record schemas: two tiers") the lean form of `./lean.ts`
 * replaces the probe per rule by one type check per stream and `+=` of strings by mutate `merge`;
 * rules over a declared string take the direct forms of `./direct.ts`, failing rules collect their
 * texts for one merge into `error.message`, adjacent rules of one source are tested once
 * (`./fuse.ts`), the rules that fail by type alone are reported per block by the type check
 * (`./report.ts`), and adjacent mutates are written as one where their order allows (`./mutates.ts`).
 *
 * Scratch fields: `./scratch.ts`; the probe: `./probe.ts`; transforms: `./transforms.ts`.
 *
 * @module
 */
import type {
  ConditionIR,
  DateFormat,
  FieldPath,
  FieldTypeIR,
  IntegrationIR,
  TransformIR,
  MappingIR,
  RuleIR,
  StreamIR,
} from '../../compiler/ir.ts';
import {
  conversionErrorMessage,
  describeRule,
  RAW_ID_MAX_BYTES,
  RAW_ID_MAX_INTEGER,
  redactedSource,
} from '../../compiler/ir.ts';
import { conditionSettings, mappingConditions } from '../../compiler/rule-paths.ts';
import type { Span } from '../../dsl/diagnostics.ts';
import {
  and,
  eq,
  field,
  ifThen,
  lit,
  matches,
  ne,
  not,
  or,
  plugin,
  str,
  strHash,
  strs,
  type Condition,
  type Statement,
  type Value,
} from './model.ts';
import { POLLER_TARGET } from './http-poller.ts';
import { probe, type NowFormat, type NumberTest, type NowTest, type Probe as ProbePair } from './probe.ts';
import { numberRegex } from './regexes.ts';
import {
  comment,
  envRef,
  envTemplate,
  optionText,
  own,
  regexChars,
  regexLiteral,
  sprintfTemplate,
  sprintfText,
  type FieldRef,
  type OptionText,
  type Site,
  type SprintfText,
  rubyFieldString,
} from './quote.ts';
import {
  condPath,
  COLLECTED,
  DOCUMENT_ID_FIELD,
  ERR,
  ID_PARTS,
  ID_TEXT,
  isType,
  cannotExpress,
  META,
  mutate,
  ref,
  removeFields,
  replace,
  SCRATCH,
  settingField,
  T,
  V,
  word,
  writtenFlag,
} from './scratch.ts';
import { transformFilters } from './transforms.ts';
import { appendFilter } from './append.ts';
import { ERRORS, leanPlan, parentsToCheck, tokensOf, type LeanPlan } from './lean.ts';
import { directRule } from './direct.ts';
import { fuseAdjacent, shareLookupHits } from './fuse.ts';
import { reportCode, reportTypeFailures } from './report.ts';
import { fuseMutates } from './mutates.ts';
import { dropEmptyFilter } from './drop-empty.ts';
import { INTEGRAL_FLOAT_TEXT } from './regexes.ts';
import { enrichFilter, userAgentFilters } from './enrich.ts';
import { elementsFilter, SELECTED, selectFilter } from './select.ts';

export { DOCUMENT_ID_FIELD };

/**
 * Where the record comes from: `message` holds its JSON text (exec input, `mapc collect`), or the
 * http_poller's json codec left it parsed in {@link POLLER_TARGET}, still to be split.
 */
export type RecordSource = 'message' | 'http_poller';

const at = (span: Span, what: string): Site => ({ span, what });
const ruleSite = (rule: RuleIR, what: string): Site => at(rule.loc, what);

/**
 * `collected_at` (compiler/ir.ts ValueIR `collection_time`): the event's `@timestamp` (the time
 * the input created it) as text, set aside before any rule can replace `@timestamp`. A Timestamp
 * converted to a string prints as `yyyy-MM-ddTHH:mm:ss.SSSZ` (elastic/logstash#14299), the IR's
 * date form. The rest of `[@metadata][mapc]` is removed at the end of the section.
 */
function collectionTimeFilters(): Statement[] {
  return [
    plugin(
      'mutate',
      [['copy', strHash([[ref(['@timestamp']), ref(COLLECTED)]])]],
      [comment`collected_at: the event's creation time, kept aside before any rule writes @timestamp.`],
    ),
    plugin('mutate', [['convert', strHash([[ref(COLLECTED), own('string')]])]]),
  ];
}

/** Builds the filter statements of one stream. @throws TargetRefusal */
export function mappingFilters(ir: IntegrationIR, stream: StreamIR, from: RecordSource = 'message'): Statement[] {
  const { mapping } = stream;
  if (mapping.keepUnmapped && mapping.namespace.length === 0) {
    throw cannotExpress(
      'an empty namespace would put the record at the event root, where Logstash keeps @timestamp and @metadata',
      stream.loc,
    );
  }
  const record = mapping.keepUnmapped ? mapping.namespace : [...META, 'record'];
  const recordRef = ref(record, at(stream.loc, 'namespace'));
  const plan = stream.schema ? leanPlan(mapping, (target) => riskyPrefixes(target, mapping)) : undefined;
  const flagIndex = writtenFlags(mapping, plan);
  const out: Statement[] = [];

  const where = mapping.keepUnmapped ? 'kept under the namespace' : 'held in @metadata (unmapped drop)';
  const guide = plan
    ? [
        comment`Reading this section: the record has a schema, so each rule relies on its declared types. One ruby filter`,
        comment`writes the JSON type of every path the rules read (Logstash conditionals see values only as text), so that a`,
        comment`value the schema does not allow fails its rule (error.message) instead of being written.`,
      ]
    : [
        comment`Reading this section: each mapping rule works in [@metadata][mapc][r] (v: the value, t: its JSON type, or`,
        comment`fail/skip), removed after the rule. The ruby filters are type probes, and the += writes: Logstash conditionals`,
        comment`see values only as text (null, missing, false, "false" and "" are all falsy; 5 and "5" look alike), and the`,
        comment`mapping's rules must tell these apart (missing or null does nothing; keyword accepts "5" but not 5.5).`,
      ];
  if (from === 'message') {
    out.push(
      plugin(
        'mutate',
        [removeFields(ref(['host']), ref(['command']), ref(['@version']), ref(['event', 'original']))],
        [
          ...guide,
          comment`Input-side fields: exec adds host and command, Logstash @version; a codec in ECS mode may set event.original.`,
        ],
      ),
      // The settings read no event field: with the schema's lean form, in the same mutate (./mutates.ts).
      ...(plan ? settingFlags(ir, mapping) : []),
      plugin(
        'json',
        [
          ['source', str(own('message'))],
          ['target', str(recordRef)],
        ],
        [comment`Step 1: the record, parsed from message, ${where}.`],
      ),
    );
  } else {
    out.push(
      ifThen(
        { kind: 'in', op: 'in', left: word('_http_request_failure'), right: field(ref(['tags'])) },
        [plugin('drop', [])],
        undefined,
        [
          ...guide,
          comment`A failed poll arrives as an event tagged _http_request_failure (Logstash logs the error): it is no record.`,
        ],
      ),
      plugin(
        'mutate',
        [removeFields(ref(['@version'])), ['rename', strHash([[ref([POLLER_TARGET]), recordRef]])]],
        [comment`Step 1: the record from the poller, ${where}.`],
      ),
    );
    const split = stream.source.split;
    if (split) for (const s of splitFilters(split.path, record, at(split.loc, 'split path'))) out.push(s);
  }
  if (!(plan && from === 'message')) for (const s of settingFlags(ir, mapping)) out.push(s);
  if (mapping.original) {
    out.push(
      ifThen(
        eq(field(ref(settingField(mapping.original.setting))), word('true')),
        [mutate(['copy', strHash([[ref(['message']), ref(['event', 'original'])]])])],
        undefined,
        [comment`event.original when setting ${mapping.original.setting} is true.`],
      ),
    );
  }
  const id = mapping.documentId;
  const collected = mapping.rules.some((r) => r.value.kind === 'collection_time');
  // `message` goes with the id's mutate when that comes next (it reads the parsed record only).
  const messageWithId = id !== undefined && id.kind !== 'raw' && !collected && (mapping.drop ?? []).length === 0;
  if (!messageWithId) out.push(mutate(removeFields(ref(['message']))));
  if (collected) for (const s of collectionTimeFilters()) out.push(s);
  (mapping.drop ?? []).forEach((c, i) => {
    for (const s of dropFilters(c, mapping.dropLoc?.[i] ?? stream.loc, record)) out.push(s);
  });
  const constants = plan ? freeConstants(mapping, flagIndex) : new Set<number>();
  // The free constants read nothing and no later step but the rules' reads their fields: written
  // before the id's mutate, they join it (./mutates.ts). Not `message` (the id's mutate removes it).
  const early =
    messageWithId &&
    constants.size > 0 &&
    [...constants].every((i) => !['message', '@metadata'].includes(mapping.rules[i]?.destination[0] as string));
  if (early) out.push(constantsFilter(mapping, [...constants]));
  if (id?.kind === 'raw') out.push(rawIdFilter(id.field, record, at(id.loc, 'document id field')));
  else if (id)
    for (const s of documentIdFilters(
      id.fields,
      record,
      at(id.loc, 'document id field'),
      messageWithId ? [ref(['message'])] : [],
    ))
      out.push(s);

  const rules: Statement[] = [];
  mapping.rules.forEach((rule, i) => {
    if (constants.has(i)) {
      if (i === Math.min(...constants) && !early) rules.push(constantsFilter(mapping, [...constants]));
      return;
    }
    for (const s of ruleFilters(rule, i, record, flagIndex, mapping, plan)) rules.push(s);
  });
  const fused = plan ? shareLookupHits(fuseAdjacent(rules)) : rules;
  // Type-only failures reported by the type check, per block of rules (./report.ts).
  const { body: lowered, reports } = plan?.deferErrors ? reportTypeFailures(fused) : { body: fused, reports: [] };
  if (plan && plan.checked.length > 0)
    out.push(
      probe(
        plan.checked.map(
          (c) => [ref(c.token), ref([...record, ...c.path], at(stream.loc, 'field name')), c.kind] as const,
        ),
        reports.length > 0
          ? comment`Ruby: the JSON type of each path the rules read, once, and the texts of the rules whose type fails (see the top).`
          : comment`Ruby: the JSON type of each path the rules read, once (see the top of the section).`,
        at(stream.loc, 'field name'),
        reportCode(reports),
      ),
    );
  for (const s of lowered) out.push(s);

  if (plan?.deferErrors && mapping.rules.some((r) => r.onError !== 'ignore')) out.push(deferredErrorsMerge());
  for (const item of mapping.enrich ?? []) out.push(enrichFilter(item));
  if (mapping.userAgent !== undefined) out.push(...userAgentFilters(mapping.userAgent));
  for (const s of removeWhenFilters(mapping, record)) out.push(s);
  if (mapping.remove.length > 0) {
    const refs = mapping.remove.map((p, i) =>
      ref([...record, ...p], at(mapping.removeLoc?.[i] ?? stream.loc, 'removed field')),
    );
    out.push(plugin('mutate', [removeFields(...refs)], [comment`Step 5: removed paths.`]));
  }
  mapping.consumed.forEach((c) => {
    if (plan?.consumedByRule(c)) return; // deleted by a rule, at its write
    const k = flagIndex.get(c.whenDestinationSet.join('\u0000'));
    if (k === undefined) return; // no rule writes the target: it never exists
    // The path is a rule's source, already quoted (and refused, if need be) at that rule.
    const reader = mapping.rules.find(
      (r) => r.value.kind === 'field' && r.value.path.join('\u0000') === c.path.join('\u0000'),
    );
    out.push(
      ifThen(
        { kind: 'truthy', field: field(ref(writtenFlag(k))) },
        [mutate(removeFields(ref([...record, ...c.path], at(reader?.loc ?? stream.loc, 'field name'))))],
        undefined,
        [comment`Step 5: ${c.path.join('.')} consumed once ${c.whenDestinationSet.join('.')} is set.`],
      ),
    );
  });
  if (mapping.dropEmpty && mapping.namespace.length > 0)
    out.push(dropEmptyFilter(mapping.namespace, at(stream.loc, 'field name')));
  out.push(
    plugin(
      'mutate',
      [removeFields(ref(META))],
      [comment`Step 7: scratch fields (and the record when unmapped fields are dropped).`],
    ),
  );
  return plan ? fuseMutates(out) : out;
}

/**
 * SplitIR with the split filter (logstash-filter-split: an array field yields one clone per element
 * with the field replaced, then cancels the original). Only a non-empty array is split: on `[]` the
 * filter would cancel the event and yield none, and on a string it would split text.
 */
function splitFilters(path: FieldPath, record: FieldPath, site: Site): Statement[] {
  const scratch = ref([...SCRATCH, 's']);
  const target = ref([...record, ...path], site);
  return [
    probe(
      [[scratch, target]],
      comment`Split ${path.join('.')}: one event per element of a non-empty array. Ruby: type probe.`,
      site,
    ),
    ifThen(eq(field(scratch), word('array')), [plugin('split', [['field', str(target)]])]),
    mutate(removeFields(ref(SCRATCH))),
  ];
}

/** One index per distinct `whenDestinationSet` target; rules writing it raise its flag. */
function writtenFlags(mapping: MappingIR, plan?: LeanPlan): Map<string, number> {
  const index = new Map<string, number>();
  for (const c of mapping.consumed) {
    if (plan?.consumedByRule(c)) continue; // deleted by a rule at its write: step 5 reads no flag
    const key = c.whenDestinationSet.join('\u0000');
    if (!index.has(key)) index.set(key, index.size);
  }
  return index;
}

/** `bool` settings read by the mapping, from `${ENV:default}`, lowercased ("TRUE" counts as true). */
function settingFlags(ir: IntegrationIR, mapping: MappingIR): Statement[] {
  const names = new Set<string>();
  if (mapping.original) names.add(mapping.original.setting);
  for (const c of mappingConditions(mapping)) for (const name of conditionSettings(c)) names.add(name);
  return [...names].map((name) => {
    const setting = ir.settings.find((s) => s.name === name);
    if (!setting) throw new Error(`unknown setting ${name}`);
    const fallback = setting.default === undefined ? 'false' : String(setting.default);
    const value = envTemplate(
      [envRef(setting.envVar, fallback, at(setting.loc, 'setting default'))],
      at(setting.loc, 'setting'),
    );
    return plugin(
      'mutate',
      [replace(settingField(name), value), ['lowercase', strs(ref(settingField(name)))]],
      [comment`Setting ${name} from the environment (or the keystore).`],
    );
  });
}

/**
 * Step 6: the id text `|path|value|...|` from the original record, then its SHA-256. One mutate
 * sets every part to "" (`replace`) and then copies each field into its part (`copy`, after
 * `replace` in mutate's documented order,
 * https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-mutate.html#plugins-filters-mutate-proc_order):
 * copy skips a missing or null field (mutate.rb `next if original.nil?`), which so keeps "", the
 * interpreter's text for it; a present value is formatted by sprintf in the id text exactly as a
 * reference to the field itself would be
 * (https://www.elastic.co/guide/en/logstash/8.15/event-dependent-configuration.html#sprintf).
 * The paths are map text inside a formatted string: {@link sprintfTemplate} proves they start no
 * reference.
 */
function documentIdFilters(
  fields: readonly FieldPath[],
  record: FieldPath,
  site: Site,
  also: readonly FieldRef[] = [],
): Statement[] {
  const text: (string | { ref: FieldRef })[] = ['|'];
  const parts = fields.map((path, i) => ({
    part: ref([...ID_PARTS, `p${i}`]),
    source: ref([...record, ...path], site),
  }));
  fields.forEach((path, i) => text.push(`${path.join('.')}|`, { ref: (parts[i] as (typeof parts)[number]).part }, '|'));
  return [
    plugin(
      'mutate',
      [
        ['replace', strHash(parts.map(({ part }) => [part, own('')]))],
        ['copy', strHash(parts.map(({ part, source }) => [source, part]))],
        // add_field, a common option, runs after the mutation: it formats the parts as copied.
        ['add_field', strHash([[ref(ID_TEXT), sprintfTemplate(text, site)]])],
        ...(also.length > 0 ? [removeFields(...also)] : []),
      ],
      [
        comment`Step 6: document id over ${fields.map((f) => f.join('.')).join(', ')} (a missing or null field counts as "").`,
      ],
    ),
    plugin(
      'fingerprint',
      [
        ['source', str(ref(ID_TEXT))],
        ['target', str(ref(DOCUMENT_ID_FIELD))],
        ['method', str(own('SHA256'))],
      ],
      [comment`Without key the fingerprint is the plain hex SHA-256 of the text.`],
    ),
  ];
}

/**
 * Proper prefixes of `target` that may hold a non-object when the rule writes: inside the kept
 * record (vendor data has any shape) or written by some rule. Logstash's Event#set through such a
 * value throws (org.logstash.Accessors#findCreateTarget), where the IR makes the rule fail.
 */
function riskyPrefixes(target: FieldPath, mapping: MappingIR): FieldPath[] {
  const out: FieldPath[] = [];
  for (let n = 1; n < target.length; n++) {
    const prefix = target.slice(0, n);
    const inRecord =
      mapping.keepUnmapped && n > mapping.namespace.length && mapping.namespace.every((seg, i) => prefix[i] === seg);
    const written = mapping.rules.some(
      (r) => r.destination.length === n && r.destination.every((seg, i) => prefix[i] === seg),
    );
    if (inRecord || written) out.push(prefix);
  }
  return out;
}

type Probe = ProbePair;

/** Steps 2-4 for one rule; a construct it cannot lower is reported at the rule. */
function ruleFilters(
  rule: RuleIR,
  index: number,
  record: FieldPath,
  flags: ReadonlyMap<string, number>,
  mapping: MappingIR,
  plan?: LeanPlan,
): Statement[] {
  return plan?.lean(index)
    ? leanRule(rule, index, record, flags, mapping, plan)
    : lowerRule(rule, index, record, flags, mapping, plan);
}

/** A constant rule's body: replace (then convert) the target, or the scratch value then its write. */
function constBody(
  rule: RuleIR & { value: { kind: 'const' } },
  target: FieldRef,
  flags: ReadonlyMap<string, number>,
  guardWrite: (writes: Statement[]) => Statement[],
  append?: 'merge' | 'merge-unless-present',
  index = 0,
): Statement[] {
  const value = rule.value.value;
  // mutate replace formats its value: a string constant is refused if sprintf would read it.
  const text = typeof value === 'string' ? sprintfText(value, ruleSite(rule, 'constant')) : own(String(value));
  const type =
    typeof value === 'boolean'
      ? String(value)
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'float'
        : 'string';
  const conversion = typeof value === 'boolean' ? 'boolean' : type === 'string' ? undefined : type;
  if (rule.op === 'set') {
    if (rule.destination.length === 1 && rule.destination[0] === '@timestamp')
      throw cannotExpress('@timestamp must be written from a date transform in Logstash', rule.loc);
    // A constant needs no scratch value: replace (then convert, in mutate's documented order) the target itself.
    const k = flags.get(rule.destination.join('\u0000'));
    return guardWrite([
      plugin('mutate', [
        ['replace', strHash([[target, text], ...(k === undefined ? [] : [[ref(writtenFlag(k)), own('1')] as const])])],
        ...(conversion ? [['convert', strHash([[target, own(conversion)]])] as const] : []),
      ]),
    ]);
  }
  // A lean `+=` of a string constant: the text in a field of its own (merge reads fields), kept to the end.
  const constant = [...META, 'const', `r${index}`];
  if (append) return guardWrite(mergeFilters(rule, target, ref(constant), flags, append, [replace(constant, text)]));
  return [
    plugin('mutate', [
      [
        'replace',
        strHash([
          [ref(V), text],
          [ref(T), own(type)],
        ]),
      ],
      ...(conversion ? [['convert', strHash([[ref(V), own(conversion)]])] as const] : []),
    ]),
    ...guardWrite(writeFilters(rule, target, flags)),
  ];
}

/** Steps 2-4 for one rule: probe, condition, read, transforms, then write or report. */
function lowerRule(
  rule: RuleIR,
  index: number,
  record: FieldPath,
  flags: ReadonlyMap<string, number>,
  mapping: MappingIR,
  plan?: LeanPlan,
): Statement[] {
  const names = ruleSite(rule, 'field name');
  const target = ref(rule.destination, names);
  const probes: Probe[] = [];
  // `copy(FIELD)` reads the event being built (an absolute path), a field its record path.
  const source =
    rule.value.kind === 'field'
      ? ref([...record, ...rule.value.path], names)
      : rule.value.kind === 'select' || rule.value.kind === 'elements'
        ? ref(SELECTED)
        : rule.value.kind === 'copy'
          ? ref(rule.value.from, names)
          : rule.value.kind === 'collection_time'
            ? ref(COLLECTED)
            : undefined;
  if (source) probes.push([ref(T), source]);
  const parentChecks = riskyPrefixes(rule.destination, mapping).map((prefix, k) => {
    const scratch = [...SCRATCH, `p${k}`];
    probes.push([ref(scratch), ref(prefix, names), 'slot']);
    // The IR creates missing parents but fails on any present non-object, null included.
    return isType(scratch, 'object', 'missing');
  });
  const parentsOk = parentChecks.length > 0 ? and(...parentChecks) : undefined;
  const guardWrite = (writes: Statement[]): Statement[] =>
    parentsOk ? [ifThen(parentsOk, writes, failFilters(rule, record, plan))] : writes;
  const { typeOf: probeOf, numberTest } = probedReads(probes, record, names);
  const condition = rule.when
    ? lowerCondition(rule.when, rule.loc, record, { typeOf: probeOf, numberTest })
    : undefined;

  const body: Statement[] = [];
  if (rule.value.kind === 'const') {
    for (const s of constBody(rule as RuleIR & { value: { kind: 'const' } }, target, flags, guardWrite)) body.push(s);
  } else {
    const inner: Statement[] = [mutate(['copy', strHash([[source as FieldRef, ref(V)]])])];
    for (const s of transformsAndWrite(rule, record, target, flags, guardWrite, plan)) inner.push(s);
    body.push(ifThen(ne(field(ref(T)), word('null')), inner));
  }

  const out: Statement[] = [];
  const where = `${rule.loc.file}:${rule.loc.line}:${rule.loc.column}`;
  // A selection first puts the selected value where the probe and the copy read it.
  if (rule.value.kind === 'select')
    out.push(selectFilter(rule.value, ref([...record, ...rule.value.array], names), ref(SELECTED), rule.loc));
  if (rule.value.kind === 'elements')
    out.push(elementsFilter(rule.value, ref([...record, ...rule.value.array], names), ref(SELECTED), rule.loc));
  if (probes.length > 0)
    out.push(
      probe(
        probes,
        comment`Rule ${index + 1} (${where}): ${describeRule(rule)}. Ruby: type probe (see the top of the section).`,
        names,
      ),
    );
  const guarded = condition ? [ifThen(condition, body)] : body;
  if (probes.length === 0 && guarded[0])
    guarded[0] = { ...guarded[0], comments: [comment`Rule ${index + 1} (${where}): ${describeRule(rule)}.`] };
  for (const s of guarded) out.push(s);
  const usesScratch = probes.length > 0 || rule.value.kind !== 'const' || rule.op === 'append';
  if (usesScratch) out.push(mutate(removeFields(ref(SCRATCH))));
  return out;
}

/**
 * The transforms of a field rule over the scratch value `v` (its type token in `t`), then the
 * failure, the skip (a lookup miss) or the write. `first`: the statements of the first transform,
 * when the caller already knows the value's type.
 */
function transformsAndWrite(
  rule: RuleIR,
  record: FieldPath,
  target: FieldRef,
  flags: ReadonlyMap<string, number>,
  guardWrite: (writes: Statement[]) => Statement[],
  plan?: LeanPlan,
  write: Statement[] = guardWrite(writeFilters(rule, target, flags)),
  known?: string,
): Statement[] {
  const out: Statement[] = [];
  const transforms = rule.value.kind === 'field' || rule.value.kind === 'select' ? rule.value.transforms : [];
  if (known === 'string' && transforms.every(stringToString)) {
    // Text in, text out, never a failure (compiler/ir.ts TransformIR): only a lookup miss skips.
    const notSkipped = ne(field(ref(T)), word('skip'));
    transforms.forEach((t, i) => {
      const steps = transformFilters(t, rule, i === transforms.length - 1, 'string');
      if (transforms.slice(0, i).some(mayMiss)) out.push(ifThen(notSkipped, steps));
      else for (const s of steps) out.push(s);
    });
    if (transforms.some(mayMiss)) out.push(ifThen(notSkipped, write));
    else for (const s of write) out.push(s);
    return out;
  }
  const live = and(ne(field(ref(T)), word('fail')), ne(field(ref(T)), word('skip')));
  transforms.forEach((t, i) => {
    const steps = transformFilters(t, rule, i === transforms.length - 1, i === 0 ? known : undefined);
    // After the first transform, a failed or skipped value must not reach the next one.
    if (i === 0) for (const s of steps) out.push(s);
    else out.push(ifThen(live, steps));
  });
  if (transforms.length === 0) return [...out, ...write];
  out.push({
    kind: 'if',
    branches: [
      { condition: eq(field(ref(T)), word('fail')), body: failFilters(rule, record, plan) },
      { condition: ne(field(ref(T)), word('skip')), body: write },
    ],
  });
  return out;
}

/** A transform that turns any string into a string and never fails (compiler/ir.ts, TransformIR). */
const stringToString = (t: TransformIR): boolean =>
  t.kind === 'redact' ||
  t.kind === 'lowercase' ||
  t.kind === 'uppercase' ||
  t.kind === 'lookup' ||
  (t.kind === 'convert' && t.to === 'keyword');

/** A lookup without default: a miss makes the rule write nothing. */
const mayMiss = (t: TransformIR): boolean => t.kind === 'lookup' && t.default === undefined;

/**
 * Steps 2-4 for one rule of a stream with a schema ({@link LeanPlan}): the stream's type check
 * settles the type, so a value the declaration allows goes straight to its transforms and write,
 * a present value it does not allow fails the rule (tier 2), and a missing or null one does nothing.
 */
function leanRule(
  rule: RuleIR,
  index: number,
  record: FieldPath,
  flags: ReadonlyMap<string, number>,
  mapping: MappingIR,
  plan: LeanPlan,
): Statement[] {
  const names = ruleSite(rule, 'field name');
  const target = ref(rule.destination, names);
  const tokenOf = (path: FieldPath): FieldPath => {
    const token = plan.valueToken(path);
    if (!token) throw new Error(`no type check for ${path.join('.')}`);
    return token;
  };
  const risky = riskyPrefixes(rule.destination, mapping);
  const parents = mapping.keepUnmapped ? parentsToCheck(rule, mapping.namespace, risky) : risky;
  const parentChecks = parents.map((prefix) => {
    const token = plan.slotToken(prefix.slice(mapping.namespace.length));
    if (!token) throw new Error(`no type check for ${prefix.join('.')}`);
    // The IR creates missing parents but fails on any present non-object, null included.
    return isType(token, 'object', 'missing');
  });
  const parentsOk = parentChecks.length > 0 ? and(...parentChecks) : undefined;
  const guardWrite = (writes: Statement[]): Statement[] =>
    parentsOk ? [ifThen(parentsOk, writes, failFilters(rule, record, plan))] : writes;
  // A numeric test has no type token: a probe of its own, before the rule, into [@metadata][mapc][cmp].
  const tests: Probe[] = [];
  const numberTest = (path: FieldPath, test: NumberTest | NowTest): FieldPath => {
    const scratch = [...COMPARE_SCRATCH, `c${tests.length}`];
    tests.push([ref(scratch), ref([...record, ...path], names), test]);
    return scratch;
  };
  const condition = rule.when
    ? lowerCondition(rule.when, rule.loc, record, { typeOf: tokenOf, numberTest })
    : undefined;
  const append = rule.op === 'append' ? plan.append(index) : undefined;
  const consumeHere = plan.consumesAtWrite(index);
  // As the last reader of a consumed path (./lean.ts consumedAtReader), the rule's write deletes it.
  const readerConsumes = plan.consumedAtReader(index);
  const alsoConsume = (writes: Statement[]): Statement[] =>
    readerConsumes ? withRemoval(writes, ref([...record, ...readerConsumes], names)) : writes;

  let body: Statement[];
  if (rule.value.kind === 'const') {
    body = constBody(rule as RuleIR & { value: { kind: 'const' } }, target, flags, guardWrite, append, index);
  } else if (
    rule.value.kind === 'copy' ||
    rule.value.kind === 'collection_time' ||
    rule.value.kind === 'select' ||
    rule.value.kind === 'elements'
  ) {
    throw new Error('internal: a copy, collected_at or selection rule is never lean (./lean.ts)');
  } else {
    const path = rule.value.path;
    const declared = rule.value.source as FieldTypeIR;
    const source = ref([...record, ...path], names);
    const token = tokenOf(path);
    const allowed = tokensOf(declared.types);
    const transforms = rule.value.transforms;
    const toTimestamp = rule.destination.length === 1 && rule.destination[0] === '@timestamp';
    const only = transforms.length === 1 ? transforms[0] : undefined;
    const k = flags.get(rule.destination.join('\u0000'));
    const flag = k === undefined ? [] : [replace(writtenFlag(k), own('1'))];
    const direct =
      allowed !== 'any' && only && (only.kind === 'date' || !toTimestamp)
        ? directRule(
            {
              rule,
              index,
              source,
              token,
              target,
              toTimestamp,
              consume: consumeHere,
              fail: () => failFilters(rule, record, plan),
              write: (value, before = []) => {
                if (append) return alsoConsume(guardWrite(mergeFilters(rule, target, value, flags, append, before)));
                if (rule.op !== 'set') return undefined;
                const attrs = combined([
                  ...before,
                  // Consumed here: this rule alone writes the target, so no later step reads its flag (./lean.ts).
                  ...(consumeHere ? [] : flag),
                  ...(value === target ? [] : [['copy', strHash([[value, target]])] as const]),
                  // remove_field, a common option, runs after the mutation (LogStash::Filters::Base#filter_matched).
                  ...(consumeHere ? [removeFields(source)] : []),
                ]);
                return alsoConsume(guardWrite([plugin('mutate', attrs)]));
              },
              writeSource: () => {
                if (append) return alsoConsume(guardWrite(mergeFilters(rule, target, source, flags, append)));
                if (rule.op !== 'set') return undefined;
                return alsoConsume(
                  guardWrite(
                    consumeHere
                      ? [plugin('mutate', [['rename', strHash([[source, target]])]])]
                      : writeFilters(rule, target, flags, source),
                  ),
                );
              },
            },
            only,
            allowed,
          )
        : undefined;
    if (direct) body = direct;
    else {
      const inner: Statement[] = [];
      if (transforms.length === 0 && rule.op === 'set') {
        // Consumed here: rename moves the value (mutate.rb #rename: nothing when the source is absent).
        const write = consumeHere
          ? [plugin('mutate', [['rename', strHash([[source, target]])]])]
          : writeFilters(rule, target, flags, source);
        for (const s of alsoConsume(guardWrite(write))) inner.push(s);
      } else if (transforms.length === 0 && append) {
        for (const s of alsoConsume(guardWrite(mergeFilters(rule, target, source, flags, append)))) inner.push(s);
      } else {
        const known = allowed !== 'any' && allowed.length === 1 ? allowed[0] : undefined;
        // The scratch value and its type, both set afresh: lean rules leave the scratch fields in
        // place (each sets v and t before reading them; d, l and hit are removed where they are set).
        inner.push(
          plugin('mutate', [
            // A string through string-only transforms needs its type only for a lookup miss.
            ...(known !== undefined &&
            !(known === 'string' && transforms.every(stringToString) && !transforms.some(mayMiss))
              ? [replace(T, own(known))]
              : []),
            ['copy', strHash([[source, ref(V)], ...(known === undefined ? [[ref(token), ref(T)] as const] : [])])],
          ]),
        );
        const write = alsoConsume(
          guardWrite(
            append
              ? mergeFilters(rule, target, ref(V), flags, append)
              : consumeHere
                ? // remove_field, a common option, runs after the mutation (LogStash::Filters::Base#filter_matched).
                  [plugin('mutate', [['copy', strHash([[ref(V), target]])], removeFields(source)])]
                : writeFilters(rule, target, flags),
          ),
        );
        for (const s of transformsAndWrite(rule, record, target, flags, guardWrite, plan, write, known)) inner.push(s);
      }
      if (allowed === 'any') body = [ifThen(ne(field(ref(token)), word('null')), inner)];
      else {
        const ok = allowed.flatMap((t): Condition[] =>
          t === 'integer' && !allowed.includes('float')
            ? [
                eq(field(ref(token)), word(t)),
                and(eq(field(ref(token)), word('float')), matches(field(source), INTEGRAL_FLOAT_TEXT)),
              ]
            : [eq(field(ref(token)), word(t))],
        );
        body = [
          {
            kind: 'if',
            branches: [
              { condition: or(...ok), body: inner },
              { condition: ne(field(ref(token)), word('null')), body: failFilters(rule, record, plan) },
            ],
          },
        ];
      }
    }
  }

  const where = `${rule.loc.file}:${rule.loc.line}:${rule.loc.column}`;
  const out = condition ? [ifThen(condition, body)] : body;
  if (out[0]) out[0] = { ...out[0], comments: [comment`Rule ${index + 1} (${where}): ${describeRule(rule)}.`] };
  if (tests.length === 0) return out;
  return [
    probe(
      tests,
      comment`Rule ${index + 1} (${where}): numeric tests of its condition. Ruby: see the top of the section.`,
      names,
    ),
    ...out,
    mutate(removeFields(ref(COMPARE_SCRATCH))),
  ];
}

/**
 * The unconditional constant `=` rules that commute with every other rule: outside the record, no
 * other rule writes, copies or reads their destination or a path above or below it, no consumed
 * path waits for it, and no parent of it can hold a non-object. Written together where the first of
 * them stands, each document gets the same fields.
 */
function freeConstants(mapping: MappingIR, flags: ReadonlyMap<string, number>): Set<number> {
  const related = (a: FieldPath, b: FieldPath): boolean => {
    const n = Math.min(a.length, b.length);
    return a.slice(0, n).every((s, i) => b[i] === s);
  };
  const ns = mapping.namespace;
  const out = new Set<number>();
  mapping.rules.forEach((rule, i) => {
    const d = rule.destination;
    if (rule.op !== 'set' || rule.value.kind !== 'const' || rule.when) return;
    if (d.length === 1 && d[0] === '@timestamp') return;
    if (mapping.keepUnmapped && related(d, ns)) return;
    if (flags.has(d.join('\u0000')) || riskyPrefixes(d, mapping).length > 0) return;
    const others = mapping.rules.filter((_, j) => j !== i);
    if (others.some((r) => related(r.destination, d) || (r.value.kind === 'copy' && related(r.value.from, d)))) return;
    out.add(i);
  });
  return out;
}

/** The free constants ({@link freeConstants}) in one mutate: replace, then convert (mutate's order). */
function constantsFilter(mapping: MappingIR, rules: readonly number[]): Statement {
  const replaces: (readonly [FieldRef, SprintfText | OptionText])[] = [];
  const converts: (readonly [FieldRef, OptionText])[] = [];
  for (const i of rules) {
    const rule = mapping.rules[i] as RuleIR & { value: { kind: 'const' } };
    const value = rule.value.value;
    const target = ref(rule.destination, ruleSite(rule, 'field name'));
    // mutate replace formats its value: a string constant is refused if sprintf would read it.
    replaces.push([
      target,
      typeof value === 'string' ? sprintfText(value, ruleSite(rule, 'constant')) : own(String(value)),
    ]);
    const conversion =
      typeof value === 'boolean'
        ? 'boolean'
        : typeof value === 'number'
          ? Number.isInteger(value)
            ? 'integer'
            : 'float'
          : undefined;
    if (conversion) converts.push([target, own(conversion)]);
  }
  return plugin(
    'mutate',
    [['replace', strHash(replaces)], ...(converts.length > 0 ? [['convert', strHash(converts)] as const] : [])],
    rules.map((i) => {
      const rule = mapping.rules[i] as RuleIR;
      return comment`Rule ${i + 1} (${rule.loc.file}:${rule.loc.line}:${rule.loc.column}): ${describeRule(rule)}.`;
    }),
  );
}

/**
 * A rule's write with the deletion of `path` added to its (last, only) mutate: `remove_field`, a
 * common option, runs after the mutation (LogStash::Filters::Base#filter_matched).
 */
function withRemoval(writes: Statement[], path: FieldRef): Statement[] {
  const last = writes.at(-1);
  // A write that is not one mutate (a merge behind its `not in` test): the deletion after it.
  if (writes.length !== 1 || last?.kind !== 'plugin' || last.name !== 'mutate')
    return [...writes, mutate(removeFields(path))];
  const removal = last.attributes.find((a) => a.name === 'remove_field');
  const items = removal?.value.kind === 'array' ? removal.value.items : [];
  return [
    {
      ...last,
      attributes: [
        ...last.attributes.filter((a) => a.name !== 'remove_field'),
        { name: 'remove_field', value: { kind: 'array', items: [...items, str(path)] } },
      ],
    },
  ];
}

/** Mutate attributes with the hashes of one name merged into one (a mutate option is given once). */
function combined(attrs: readonly (readonly [string, Value])[]): (readonly [string, Value])[] {
  const out: (readonly [string, Value])[] = [];
  for (const [name, value] of attrs) {
    const i = out.findIndex(([n]) => n === name);
    const earlier = out[i]?.[1];
    if (earlier?.kind === 'hash' && value.kind === 'hash')
      out[i] = [name, { kind: 'hash', entries: [...earlier.entries, ...value.entries] }];
    else if (i >= 0) throw new Error(`internal: mutate option ${name} twice`);
    else out.push([name, value]);
  }
  return out;
}

/** Where a lean rule's numeric tests are written (removed after the rule). */
const COMPARE_SCRATCH = [...META, 'cmp'];

/**
 * A `+=` of a string by mutate `merge` (https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-mutate.html#plugins-filters-mutate-merge,
 * plugin v3.5.8: a missing destination becomes `[value]`, an array gains the value): exact when the
 * target holds only strings the earlier `+=` rules wrote ({@link LeanPlan.append}), since `in`
 * then compares strings with strings. `before`: mutations run in the same filter, before the merge
 * (mutate's documented order: replace, ..., merge, copy).
 */
function mergeFilters(
  rule: RuleIR,
  target: FieldRef,
  value: FieldRef,
  flags: ReadonlyMap<string, number>,
  mode: 'merge' | 'merge-unless-present',
  before: (readonly [string, Value])[] = [],
): Statement[] {
  const k = flags.get(rule.destination.join('\u0000'));
  const flag = k === undefined ? [] : [replace(writtenFlag(k), own('1'))];
  const merge = ['merge', strHash([[target, value]])] as const;
  if (mode === 'merge') return [plugin('mutate', combined([...before, ...flag, merge]))];
  const present: Condition = { kind: 'in', op: 'not in', left: field(value), right: field(target) };
  return [
    ...(before.length > 0 ? [plugin('mutate', before)] : []),
    ifThen(present, [plugin('mutate', [...flag, merge])]),
  ];
}

/**
 * `drop when` (compiler/ir.ts `MappingIR.drop`), on the record as received: its type probe, then
 * `drop {}` (https://www.elastic.co/guide/en/logstash/8.17/plugins-filters-drop.html: the event
 * goes no further, no output sees it).
 */
/**
 * `remove ... when` (compiler/ir.ts `MappingIR.removeWhen`): each condition (with its own type
 * probe) sets a flag, every one before any removal; then each item whose flag is set removes its
 * paths. Nothing for a record that is not kept: it never reaches the output.
 */
function removeWhenFilters(mapping: MappingIR, record: FieldPath): Statement[] {
  const items = mapping.removeWhen ?? [];
  if (items.length === 0 || !mapping.keepUnmapped) return [];
  const flag = (i: number): FieldPath => [...META, 'rm', `i${i}`];
  const out: Statement[] = [];
  items.forEach((item, i) => {
    const names = at(item.loc, 'field name');
    const probes: Probe[] = [];
    const condition = lowerCondition(item.when, item.loc, record, probedReads(probes, record, names));
    const where = `${item.loc.file}:${item.loc.line}:${item.loc.column}`;
    if (probes.length > 0)
      out.push(probe(probes, comment`Remove when (${where}). Ruby: type probe (see the top of the section).`, names));
    out.push(
      ifThen(condition, [mutate(replace(flag(i), own('1')))], undefined, [
        comment`Step 5: remove when (${where}), tested after the rules and before any removal.`,
      ]),
    );
    if (probes.length > 0) out.push(mutate(removeFields(ref(SCRATCH))));
  });
  items.forEach((item, i) => {
    const refs = item.paths.map((p, j) => ref([...record, ...p], at(item.pathLocs[j] ?? item.loc, 'removed field')));
    out.push(ifThen({ kind: 'truthy', field: field(ref(flag(i))) }, [mutate(removeFields(...refs))]));
  });
  out.push(mutate(removeFields(ref([...META, 'rm']))));
  return out;
}

/**
 * `id raw PATH` (compiler/ir.ts `RawDocumentIdIR`) in Ruby, on the record as received: a String
 * of 1 to 512 bytes (`bytesize`: UTF-8 in Logstash events) as is, an integral number within
 * ±(2^53 − 1) (an Integer, or a Float or BigDecimal equal to its `floor`) as its digits, into
 * the document id field; otherwise nothing, and the output sends no `document_id`
 * (`./io.ts`). The field names reach Ruby as quoted strings (`rubyFieldString`), as in the probe.
 */
function rawIdFilter(path: FieldPath, record: FieldPath, site: Site): Statement {
  const source = rubyFieldString(ref([...record, ...path], site));
  const target = rubyFieldString(ref(DOCUMENT_ID_FIELD));
  const code =
    `mapc_v = (event.get(${source}) rescue nil); ` +
    `mapc_id = if mapc_v.is_a?(String) then ((1..${RAW_ID_MAX_BYTES}).cover?(mapc_v.bytesize) ? mapc_v : nil) ` +
    `elsif mapc_v.is_a?(Numeric) && (mapc_v.is_a?(Integer) || mapc_v.to_f.finite?) && mapc_v == mapc_v.floor && mapc_v.abs <= ${RAW_ID_MAX_INTEGER} then mapc_v.to_i.to_s ` +
    'else nil end; ' +
    `event.set(${target}, mapc_id) unless mapc_id.nil?`;
  return plugin(
    'ruby',
    [['code', str(optionText(code, site))]],
    [comment`Step 6: the document id is the vendor's ${path.join('.')} as is (a string, or an integer as its digits).`],
  );
}

function dropFilters(c: ConditionIR, loc: Span, record: FieldPath): Statement[] {
  const names = at(loc, 'field name');
  const probes: Probe[] = [];
  const condition = lowerCondition(c, loc, record, probedReads(probes, record, names));
  const where = `${loc.file}:${loc.line}:${loc.column}`;
  const why = comment`Drop when (${where}): the record becomes no document.`;
  if (probes.length === 0) return [ifThen(condition, [plugin('drop', [])], undefined, [why])];
  return [
    probe(probes, comment`Drop when (${where}). Ruby: type probe (see the top of the section).`, names),
    ifThen(condition, [plugin('drop', [])]),
    mutate(removeFields(ref(SCRATCH))),
  ];
}

/**
 * How a condition reads the record: the type token of a path (a probe's scratch field, or the
 * lean plan's token) and, for a numeric test, a scratch field the probe sets to `true`/`false`
 * (`undefined` where no probe can be added: the lean plan, which leaves such rules to the full form).
 */
interface ConditionReads {
  readonly typeOf: (path: FieldPath) => FieldPath;
  readonly numberTest?: (path: FieldPath, test: NumberTest | NowTest) => FieldPath;
}

/**
 * The reads of a condition lowered with probes: each path read (its type token) or numeric test
 * appends a probe to `probes`, into the next scratch field (`condPath(probes.length)`).
 */
function probedReads(probes: Probe[], record: FieldPath, names: Parameters<typeof ref>[1]): Required<ConditionReads> {
  const probeInto = (path: FieldPath, test?: NumberTest | NowTest): FieldPath => {
    const scratch = condPath(probes.length);
    probes.push(
      test === undefined
        ? [ref(scratch), ref([...record, ...path], names)]
        : [ref(scratch), ref([...record, ...path], names), test],
    );
    return scratch;
  };
  return { typeOf: (path) => probeInto(path), numberTest: probeInto };
}

const COMPARE_OPERATOR = { lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/**
 * A record condition (compiler/ir.ts ConditionIR) as a Logstash conditional. `loc`: the rule or
 * `drop when` it belongs to (field names and texts are refused there). Text tests are native
 * regex matches (`=~`) of a value whose type token is `string`, the text written literally by
 * `regexChars` (no `${...}` or `%{...}` can form in a regex literal); Logstash regexes match by
 * characters, as the IR's code points.
 */
function lowerCondition(c: ConditionIR, loc: Span, record: FieldPath, reads: ConditionReads): Condition {
  const names = at(loc, 'field name');
  switch (c.kind) {
    case 'exists':
      return ne(field(ref(reads.typeOf(c.path))), word('null'));
    case 'equals':
      return equalsCondition(reads.typeOf(c.path), ref([...record, ...c.path], names), c.value, loc);
    case 'in': {
      const type = reads.typeOf(c.path);
      const source = ref([...record, ...c.path], names);
      return or(...c.values.map((v, i) => equalsCondition(type, source, v, c.loc?.[i] ?? loc)));
    }
    case 'compare': {
      if (!reads.numberTest) throw new Error('internal: a numeric test without a probe');
      const test = reads.numberTest(c.path, { op: COMPARE_OPERATOR[c.op], value: c.value });
      return eq(field(ref(test)), word('true'));
    }
    case 'now': {
      // Like a numeric test, a probe of its own (./probe.ts NOW_INIT): no native filter compares with now.
      if (!reads.numberTest) throw new Error('internal: a now test without a probe');
      const test = reads.numberTest(c.path, {
        now: true,
        op: c.op,
        offsetMs: c.offsetMs,
        formats: c.formats.map(nowFormat),
      });
      return eq(field(ref(test)), word('true'));
    }
    case 'text': {
      const text = regexChars(c.value);
      const body = c.op === 'prefix' ? `\\A${text}` : c.op === 'suffix' ? `${text}\\z` : text;
      return and(
        eq(field(ref(reads.typeOf(c.path))), word('string')),
        matches(field(ref([...record, ...c.path], names)), regexLiteral(body === '' ? '\\A' : body)),
      );
    }
    case 'not':
      return not(lowerCondition(c.condition, loc, record, reads));
    case 'and':
      return and(...c.all.map((x) => lowerCondition(x, loc, record, reads)));
    case 'or':
      return or(...c.any.map((x) => lowerCondition(x, loc, record, reads)));
    case 'setting':
      return eq(field(ref(settingField(c.name))), word('true'));
  }
}

/**
 * A date format of a `now` test as the probe reads it (./probe.ts NowFormat): the interpreter's
 * readings (compiler/interpret/date.ts), RFC 3339 with any fraction and `Z` or an offset, or a
 * pattern's fields each exactly its width in ASCII digits and its literals as themselves (the
 * separators the checks allow, a metacharacter among them as a one-character class).
 */
function nowFormat(format: DateFormat): NowFormat {
  if (format.kind === 'iso8601') {
    return {
      regex:
        '([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:[.]([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})',
      fields: 'yMdHmsSo',
    };
  }
  if (format.kind === 'pattern') {
    let regex = '';
    let fields = '';
    for (const token of format.pattern.tokens) {
      if (token.kind === 'literal')
        regex += [...token.text].map((ch) => (/[A-Za-z0-9 _,;:/-]/.test(ch) ? ch : `[${ch}]`)).join('');
      else {
        regex += `([0-9]{${token.width}})`;
        fields += token.letter;
      }
    }
    return { regex, fields };
  }
  throw new Error(`internal: a now test reads ${format.kind}`);
}

/** Strict JSON equality of the value at `source` (its type token at `type`) with a literal. */
function equalsCondition(type: FieldPath, source: FieldRef, value: string | number | boolean, loc: Span): Condition {
  if (typeof value === 'boolean') return eq(field(ref(type)), word(String(value)));
  if (typeof value === 'number')
    return and(isType(type, 'integer', 'float'), matches(field(source), numberRegex(value, loc)));
  // A conditional's string operand: substituted (whole string, elastic/logstash#13608), never formatted.
  return and(
    eq(field(ref(type)), word('string')),
    eq(field(source), lit(optionText(value, at(loc, 'condition value')))),
  );
}

/**
 * Step 4, a failing rule: its error, then, for a rule that redacts, the removal of its source
 * path from the record (redaction fails closed: the value it could not redact is never stored).
 */
function failFilters(rule: RuleIR, record: FieldPath, plan?: LeanPlan): Statement[] {
  const unredacted = redactedSource(rule);
  // The stream's type check read the deleted value: later rules must see it missing.
  const token = unredacted ? plan?.valueToken(unredacted) : undefined;
  const removal = unredacted
    ? [
        ...(token ? [replace(token, own('null'))] : []),
        removeFields(ref([...record, ...unredacted], ruleSite(rule, 'field name'))),
      ]
    : [];
  // `on_error ignore` (compiler/ir.ts RuleIR.onError): the failure appends nothing.
  if (rule.onError === 'ignore') return removal.length > 0 ? [plugin('mutate', removal)] : [];
  // Deferred: the text by add_field (a common option, after the mutation and before remove_field,
  // LogStash::Filters::Base#filter_matched), in the same mutate as the removal.
  if (plan?.deferErrors)
    return [plugin('mutate', [...removal.slice(0, -1), deferredError(rule), ...removal.slice(-1)])];
  return [errorFilter(rule), ...(removal.length > 0 ? [plugin('mutate', removal)] : [])];
}

/** `add_field` of a failing rule's text to {@link ERRORS}: the first makes a string, later ones an array. */
function deferredError(rule: RuleIR): readonly [string, Value] {
  return [
    'add_field',
    strHash([[ref(ERRORS), sprintfText(conversionErrorMessage(rule), ruleSite(rule, 'field name'))]]),
  ];
}

/**
 * After the rules of a plan that defers errors: the collected texts appended to `error.message`
 * by one merge (a string or an array into the array; the merge makes it an array). Only when
 * there is one: merge of a missing field would set `[]` (mutate.rb `Array(nil).concat(...)`).
 */
function deferredErrorsMerge(): Statement {
  return ifThen(
    { kind: 'truthy', field: field(ref(ERRORS)) },
    [mutate(['merge', strHash([[ref(['error', 'message']), ref(ERRORS)]])])],
    undefined,
    [comment`Step 4: the texts of the rules that failed, in rule order, into error.message.`],
  );
}

/** Step 4: `mapc: cannot map ...` appended to the `error.message` array (merge makes the array). */
function errorFilter(rule: RuleIR): Statement {
  // mutate replace formats the text, which holds the rule's paths.
  return plugin('mutate', [
    replace(ERR, sprintfText(conversionErrorMessage(rule), ruleSite(rule, 'field name'))),
    ['merge', strHash([[ref(['error', 'message']), ref(ERR)]])],
  ]);
}

function writeFilters(
  rule: RuleIR,
  target: FieldRef,
  flags: ReadonlyMap<string, number>,
  value: FieldRef = ref(V),
): Statement[] {
  const k = flags.get(rule.destination.join('\u0000'));
  const flag = k === undefined ? [] : [replace(writtenFlag(k), own('1'))];
  if (rule.op === 'set') {
    if (rule.destination.length === 1 && rule.destination[0] === '@timestamp') {
      const last =
        rule.value.kind === 'field' || rule.value.kind === 'select' ? rule.value.transforms.at(-1) : undefined;
      if (last?.kind !== 'date')
        throw cannotExpress('@timestamp must be written from a date transform in Logstash', rule.loc);
    }
    return [plugin('mutate', [...flag, ['copy', strHash([[value, target]])]])];
  }
  return [
    ...(flag.length > 0 ? [plugin('mutate', flag)] : []),
    appendFilter(target, value, ruleSite(rule, 'field name')),
  ];
}
