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
 * Scratch fields: `./scratch.ts`; the probe: `./probe.ts`; transforms: `./transforms.ts`.
 *
 * @module
 */
import type { ConditionIR, FieldPath, IntegrationIR, MappingIR, RuleIR, StreamIR } from '../../compiler/ir.ts';
import { conversionErrorMessage, describeRule, redactedSource } from '../../compiler/ir.ts';
import {
  and,
  eq,
  field,
  ifThen,
  lit,
  matches,
  ne,
  not,
  plugin,
  str,
  strHash,
  strs,
  type Condition,
  type Statement,
} from './model.ts';
import { POLLER_TARGET } from './http-poller.ts';
import { probe } from './probe.ts';
import { numberRegex } from './regexes.ts';
import {
  condPath,
  DOCUMENT_ID_FIELD,
  ERR,
  ID_PARTS,
  ID_TEXT,
  isType,
  LogstashLoweringError,
  META,
  mutate,
  ref,
  removeFields,
  replace,
  SCRATCH,
  settingField,
  T,
  V,
  writtenFlag,
} from './scratch.ts';
import { transformFilters } from './transforms.ts';
import { appendFilter } from './append.ts';

export { DOCUMENT_ID_FIELD, LogstashLoweringError };

/**
 * Where the record comes from: `message` holds its JSON text (exec input, `mapc collect`), or the
 * http_poller's json codec left it parsed in {@link POLLER_TARGET}, still to be split.
 */
export type RecordSource = 'message' | 'http_poller';

/** Builds the filter statements of one stream. @throws LogstashLoweringError, ConfigTextError */
export function mappingFilters(ir: IntegrationIR, stream: StreamIR, from: RecordSource = 'message'): Statement[] {
  const { mapping } = stream;
  if (mapping.keepUnmapped && mapping.namespace.length === 0) {
    throw new LogstashLoweringError(
      'an empty namespace would put the record at the event root, where Logstash keeps @timestamp and @metadata',
    );
  }
  const record = mapping.keepUnmapped ? mapping.namespace : [...META, 'record'];
  const flagIndex = writtenFlags(mapping);
  const out: Statement[] = [];

  const where = mapping.keepUnmapped ? 'kept under the namespace' : 'held in @metadata (unmapped drop)';
  const guide = [
    'Reading this section: each mapping rule works in [@metadata][mapc][r] (v: the value, t: its JSON type, or',
    'fail/skip), removed after the rule. The ruby filters are type probes, and the += writes: Logstash conditionals',
    'see values only as text (null, missing, false, "false" and "" are all falsy; 5 and "5" look alike), and the',
    'mapping\'s rules must tell these apart (missing or null does nothing; keyword accepts "5" but not 5.5).',
  ];
  if (from === 'message') {
    out.push(
      plugin(
        'mutate',
        [removeFields(['host'], ['command'], ['@version'], ['event', 'original'])],
        [
          ...guide,
          'Input-side fields: exec adds host and command, Logstash @version; a codec in ECS mode may set event.original.',
        ],
      ),
      plugin(
        'json',
        [
          ['source', str('message')],
          ['target', str(ref(record))],
        ],
        [`Step 1: the record, parsed from message, ${where}.`],
      ),
    );
  } else {
    out.push(
      ifThen(
        { kind: 'in', op: 'in', left: lit('_http_request_failure'), right: field(['tags']) },
        [plugin('drop', [])],
        undefined,
        [
          ...guide,
          'A failed poll arrives as an event tagged _http_request_failure (Logstash logs the error): it is no record.',
        ],
      ),
      plugin(
        'mutate',
        [removeFields(['@version']), ['rename', strHash([[ref([POLLER_TARGET]), ref(record)]])]],
        [`Step 1: the record from the poller, ${where}.`],
      ),
    );
    if (stream.source.split) out.push(...splitFilters(stream.source.split.path, record));
  }
  out.push(...settingFlags(ir, mapping));
  if (mapping.original) {
    out.push(
      ifThen(
        eq(field(settingField(mapping.original.setting)), lit('true')),
        [mutate(['copy', strHash([[ref(['message']), ref(['event', 'original'])]])])],
        undefined,
        [`event.original when setting ${mapping.original.setting} is true.`],
      ),
    );
  }
  out.push(mutate(removeFields(['message'])));
  if (mapping.documentId) out.push(...documentIdFilters(mapping.documentId.fields, record));

  mapping.rules.forEach((rule, i) => {
    out.push(...ruleFilters(rule, i, record, flagIndex, mapping));
  });

  if (mapping.remove.length > 0)
    out.push(
      plugin('mutate', [removeFields(...mapping.remove.map((p) => [...record, ...p]))], ['Step 5: removed paths.']),
    );
  mapping.consumed.forEach((c) => {
    const k = flagIndex.get(c.whenTargetSet.join('\u0000'));
    if (k === undefined) return; // no rule writes the target: it never exists
    out.push(
      ifThen(
        { kind: 'truthy', field: field(writtenFlag(k)) },
        [mutate(removeFields([...record, ...c.path]))],
        undefined,
        [`Step 5: ${c.path.join('.')} consumed once ${c.whenTargetSet.join('.')} is set.`],
      ),
    );
  });
  out.push(
    plugin(
      'mutate',
      [removeFields(META)],
      ['Step 7: scratch fields (and the record when unmapped fields are dropped).'],
    ),
  );
  return out;
}

/**
 * SplitIR with the split filter (logstash-filter-split: an array field yields one clone per element
 * with the field replaced, then cancels the original). Only a non-empty array is split: on `[]` the
 * filter would cancel the event and yield none, and on a string it would split text.
 */
function splitFilters(path: FieldPath, record: FieldPath): Statement[] {
  const scratch = [...SCRATCH, 's'];
  return [
    probe(
      [[scratch, [...record, ...path]]],
      `Split ${path.join('.')}: one event per element of a non-empty array. Ruby: type probe.`,
    ),
    ifThen(eq(field(scratch), lit('array')), [plugin('split', [['field', str(ref([...record, ...path]))]])]),
    mutate(removeFields(SCRATCH)),
  ];
}

/** One index per distinct `whenTargetSet` target; rules writing it raise its flag. */
function writtenFlags(mapping: MappingIR): Map<string, number> {
  const index = new Map<string, number>();
  for (const c of mapping.consumed) {
    const key = c.whenTargetSet.join('\u0000');
    if (!index.has(key)) index.set(key, index.size);
  }
  return index;
}

/** `bool` settings read by the mapping, from `${ENV:default}`, lowercased ("TRUE" counts as true). */
function settingFlags(ir: IntegrationIR, mapping: MappingIR): Statement[] {
  const names = new Set<string>();
  if (mapping.original) names.add(mapping.original.setting);
  const visit = (c: ConditionIR): void => {
    if (c.kind === 'setting') names.add(c.name);
    if (c.kind === 'not') visit(c.condition);
  };
  for (const rule of mapping.rules) if (rule.when) visit(rule.when);
  return [...names].map((name) => {
    const setting = ir.settings.find((s) => s.name === name);
    if (!setting) throw new LogstashLoweringError(`unknown setting ${name}`);
    const fallback = setting.default === undefined ? 'false' : String(setting.default);
    return plugin(
      'mutate',
      [replace(settingField(name), `\${${setting.envVar}:${fallback}}`), ['lowercase', strs(ref(settingField(name)))]],
      [`Setting ${name} from the environment (or the keystore).`],
    );
  });
}

/**
 * Step 6: the id text `|path|value|...|` from the original record, then its SHA-256. Each value is
 * sprintf'd alone first: a missing or null field leaves the `%{[...]}` reference as is
 * (https://www.elastic.co/guide/en/logstash/current/event-dependent-configuration.html#sprintf), and
 * a conditional (whose strings are literals, never sprintf'd) turns that back into "".
 */
function documentIdFilters(fields: readonly FieldPath[], record: FieldPath): Statement[] {
  const out: Statement[] = [];
  const partRefs: string[] = [];
  fields.forEach((path, i) => {
    const part = [...ID_PARTS, `p${i}`];
    const reference = `%{${ref([...record, ...path])}}`;
    out.push(mutate(replace(part, reference)));
    out.push(ifThen(eq(field(part), lit(reference)), [mutate(replace(part, ''))]));
    partRefs.push(`${path.join('.')}|%{${ref(part)}}|`);
  });
  out.push(mutate(replace(ID_TEXT, `|${partRefs.join('')}`)));
  out.push(
    plugin(
      'fingerprint',
      [
        ['source', strs(ref(ID_TEXT))],
        ['target', str(ref(DOCUMENT_ID_FIELD))],
        ['method', str('SHA256')],
      ],
      ['Without key the fingerprint is the plain hex SHA-256 of the text.'],
    ),
  );
  (out[0] as { comments?: readonly string[] }).comments = [
    `Step 6: document id over ${fields.map((f) => f.join('.')).join(', ')}.`,
  ];
  return out;
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
    const written = mapping.rules.some((r) => r.target.length === n && r.target.every((seg, i) => prefix[i] === seg));
    if (inRecord || written) out.push(prefix);
  }
  return out;
}

/** Steps 2-4 for one rule: probe, condition, read, transforms, then write or report. */
function ruleFilters(
  rule: RuleIR,
  index: number,
  record: FieldPath,
  flags: ReadonlyMap<string, number>,
  mapping: MappingIR,
): Statement[] {
  const probes: [FieldPath, FieldPath, ('value' | 'slot')?][] = [];
  if (rule.value.kind === 'field') probes.push([T, [...record, ...rule.value.path]]);
  const parentChecks = riskyPrefixes(rule.target, mapping).map((prefix, k) => {
    const scratch = [...SCRATCH, `p${k}`];
    probes.push([scratch, prefix, 'slot']);
    // The IR creates missing parents but fails on any present non-object, null included.
    return isType(scratch, 'object', 'missing');
  });
  const parentsOk = parentChecks.length > 0 ? and(...parentChecks) : undefined;
  const guardWrite = (writes: Statement[]): Statement[] =>
    parentsOk ? [ifThen(parentsOk, writes, failFilters(rule, record))] : writes;
  const condition = rule.when ? lowerCondition(rule.when, record, probes) : undefined;

  const body: Statement[] = [];
  if (rule.value.kind === 'const') {
    const value = rule.value.value;
    if (typeof value === 'string' && value.includes('%{'))
      throw new LogstashLoweringError('a constant containing %{ would be sprintf-expanded', rule);
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
      if (rule.target.length === 1 && rule.target[0] === '@timestamp')
        throw new LogstashLoweringError('@timestamp must be written from a date transform in Logstash', rule);
      // A constant needs no scratch value: replace (then convert, in mutate's documented order) the target itself.
      const k = flags.get(rule.target.join('\u0000'));
      body.push(
        ...guardWrite([
          plugin('mutate', [
            [
              'replace',
              strHash([
                [ref(rule.target), String(value)],
                ...(k === undefined ? [] : [[ref(writtenFlag(k)), '1'] as const]),
              ]),
            ],
            ...(conversion ? [['convert', strHash([[ref(rule.target), conversion]])] as const] : []),
          ]),
        ]),
      );
    } else {
      body.push(
        plugin('mutate', [
          [
            'replace',
            strHash([
              [ref(V), String(value)],
              [ref(T), type],
            ]),
          ],
          ...(conversion ? [['convert', strHash([[ref(V), conversion]])] as const] : []),
        ]),
        ...guardWrite(writeFilters(rule, flags)),
      );
    }
  } else {
    const inner: Statement[] = [mutate(['copy', strHash([[ref([...record, ...rule.value.path]), ref(V)]])])];
    const transforms = rule.value.transforms;
    transforms.forEach((t, i) => {
      const steps = transformFilters(t, rule, i === transforms.length - 1);
      // After the first transform, a failed or skipped value must not reach the next one.
      inner.push(...(i === 0 ? steps : [ifThen(and(ne(field(T), lit('fail')), ne(field(T), lit('skip'))), steps)]));
    });
    const canFail = transforms.length > 0;
    if (canFail) {
      inner.push({
        kind: 'if',
        branches: [
          { condition: eq(field(T), lit('fail')), body: failFilters(rule, record) },
          { condition: ne(field(T), lit('skip')), body: guardWrite(writeFilters(rule, flags)) },
        ],
      });
    } else {
      inner.push(...guardWrite(writeFilters(rule, flags)));
    }
    body.push(ifThen(ne(field(T), lit('null')), inner));
  }

  const out: Statement[] = [];
  const where = `${rule.loc.file}:${rule.loc.line}:${rule.loc.column}`;
  if (probes.length > 0)
    out.push(
      probe(
        probes,
        `Rule ${index + 1} (${where}): ${describeRule(rule)}. Ruby: type probe (see the top of the section).`,
      ),
    );
  const guarded = condition ? [ifThen(condition, body)] : body;
  if (probes.length === 0 && guarded[0])
    (guarded[0] as { comments?: readonly string[] }).comments = [
      `Rule ${index + 1} (${where}): ${describeRule(rule)}.`,
    ];
  const usesScratch = probes.length > 0 || rule.value.kind === 'field' || rule.op === 'append';
  out.push(...guarded, ...(usesScratch ? [mutate(removeFields(SCRATCH))] : []));
  return out;
}

function lowerCondition(
  c: ConditionIR,
  record: FieldPath,
  probes: [FieldPath, FieldPath, ('value' | 'slot')?][],
): Condition {
  const probeOf = (path: FieldPath): FieldPath => {
    const scratch = condPath(probes.length);
    probes.push([scratch, [...record, ...path]]);
    return scratch;
  };
  switch (c.kind) {
    case 'exists':
      return ne(field(probeOf(c.path)), lit('null'));
    case 'equals': {
      const type = probeOf(c.path);
      const source = field([...record, ...c.path]);
      if (typeof c.value === 'boolean') return eq(field(type), lit(String(c.value)));
      if (typeof c.value === 'number')
        return and(isType(type, 'integer', 'float'), matches(source, numberRegex(c.value)));
      return and(eq(field(type), lit('string')), eq(source, lit(c.value)));
    }
    case 'not':
      return not(lowerCondition(c.condition, record, probes));
    case 'setting':
      return eq(field(settingField(c.name)), lit('true'));
  }
}

/**
 * Step 4, a failing rule: its error, then, for a rule that redacts, the removal of its source
 * path from the record (redaction fails closed: the value it could not redact is never stored).
 */
function failFilters(rule: RuleIR, record: FieldPath): Statement[] {
  const unredacted = redactedSource(rule);
  return unredacted ? [errorFilter(rule), mutate(removeFields([...record, ...unredacted]))] : [errorFilter(rule)];
}

/** Step 4: `mapc: cannot map ...` appended to the `error.message` array (merge makes the array). */
function errorFilter(rule: RuleIR): Statement {
  return plugin('mutate', [
    replace(ERR, conversionErrorMessage(rule)),
    ['merge', strHash([[ref(['error', 'message']), ref(ERR)]])],
  ]);
}

function writeFilters(rule: RuleIR, flags: ReadonlyMap<string, number>): Statement[] {
  const k = flags.get(rule.target.join('\u0000'));
  const flag = k === undefined ? [] : [replace(writtenFlag(k), '1')];
  const target = ref(rule.target);
  if (rule.op === 'set') {
    if (rule.target.length === 1 && rule.target[0] === '@timestamp') {
      const last = rule.value.kind === 'field' ? rule.value.transforms.at(-1) : undefined;
      if (last?.kind !== 'date')
        throw new LogstashLoweringError('@timestamp must be written from a date transform in Logstash', rule);
    }
    return [plugin('mutate', [...flag, ['copy', strHash([[ref(V), target]])]])];
  }
  return [...(flag.length > 0 ? [plugin('mutate', flag)] : []), appendFilter(rule.target, V)];
}
