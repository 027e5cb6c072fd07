/**
 * The lean lowering of a rule, used when the stream has a record schema (compiler/ir.ts, "Record
 * schemas: two tiers"): one native processor reading the record path itself, instead of a copy
 * into `_mapc.v`, `fail` guards and clean-up steps, as an Elasticsearch engineer writes it:
 *
 * - a consumed copy (`event.id = uuid`, only its rule writes the target and nothing later touches
 *   the path) is one `rename` (the write and step 5's removal at once);
 * - `convert` (keyword, long, boolean, ip) is one `convert` with `target_field`; `date` with text
 *   formats is one `date` with the map's formats; `mask` is one `gsub` with `target_field`;
 *   a typed `lowercase` is the `lowercase` processor, with a params script after it for a value
 *   holding `İ` or `Σ` (the IR's simple mapping per code point, {@link LOWERCASE_WRITE_SCRIPT});
 *   consecutive lookups of one path are one params script ({@link SOURCE_LOOKUPS_SCRIPT}, as an
 *   engineer maps one field through several tables), which also writes that simple lowercase
 *   for one lowercase among them ({@link SOURCE_LOOKUPS_LOWER_SCRIPT}, after the `lowercase`
 *   processor; {@link SOURCE_GROUP_SCRIPT} when the lowercase appends or shares a target);
 * - an append repeating an earlier rule on the same value into a target only that rule writes
 *   (`related.ip += x | ip` after `source.ip = x | ip`) is one `append` copying that target
 *   ({@link derivedRules}), so the earlier rule may consume (`rename`) the path;
 * - each carries a processor-level `on_failure` appending {@link conversionErrorMessage} to
 *   `error.message` (and, for `mask`, removing the source: redaction fails closed). Where the
 *   processor would accept a value the IR rejects (`convert` takes `"0x10"`, `ISO8601` takes
 *   `"2024"`), the processor's `if` tests the IR's shape, once;
 * - an unconditional rule whose outcome shows in the document (a `rename` leaves a violating
 *   value at its source; a `convert`, `date` or typed copy into a target nothing else writes
 *   leaves the target missing; a derived append's earlier target is missing) or that fails only
 *   on its value's class (a copy, `lookup` or `lowercase` into a target that can always be
 *   written, whose `if` skips any other class: {@link typedRule}) reports nothing itself
 *   (`ignore_failure`, or no handler): one *failure report* ({@link reportSource}: one `if` per
 *   rule; {@link REPORT_SCRIPT} when too long; one `append` for a single rule) after a run of
 *   such rules appends their errors in rule order and
 *   deletes their consumed sources (step 5), instead of an `append` per rule re-testing the shape;
 *   the report after the last rule also removes the other consumed paths (with no `remove` step
 *   in the map), instead of a `remove` per path. A run ends before any rule that appends errors
 *   itself, so `error.message` keeps the rule order. One `remove` before the report deletes the
 *   consumed sources when all their targets are written, as an engineer removes them once their
 *   targets are written; the report runs only when a rule failed or a consumed source is still
 *   there ({@link reportProcessors}).
 *   The Agent's `@timestamp` waits in ingest metadata ({@link COLLECTED_ASIDE}) so that a
 *   missing `@timestamp` means the date rule did not write it;
 * - a `mask` of a path an earlier unconditional `hash` read is a String or missing (the hash's
 *   cast fails on anything else and deletes it), so it is not tested again;
 * - the kept record's own segments (the namespace, an object the `json` processor creates) are
 *   never guarded in conditions (`known`, see `./painless.ts` `parentGuards`).
 *
 * Every other rule (lookups, hashes, uppercase, epoch dates, several transforms, `double`, appends
 * with transforms, paths the dotted syntax cannot name) keeps the guarded form of `./pipeline.ts`.
 * The error text is the interpreter's (the IR doc's tier-2 table, Elasticsearch row).
 *
 * Processor options: https://www.elastic.co/guide/en/elasticsearch/reference/8.19/rename-processor.html,
 * .../convert-processor.html, .../date-processor.html, .../gsub-processor.html,
 * .../lowercase-processor.html (OpenSearch 2.19 has the same options; `rename` has no `override`
 * there, so a rename is used only where nothing else writes the target).
 *
 * @module
 */
import {
  conversionErrorMessage,
  type DateFormat,
  type FieldFormat,
  type FieldPath,
  type FieldTypeIR,
  type MappingIR,
  redactedSource,
  type RuleIR,
  type TransformIR,
  type ValueType,
} from '../../compiler/ir.ts';
import { consumedOwners, overlap, samePath } from '../../compiler/rule-paths.ts';
import { LOWER_FIRST_WITH_SIGMA } from '../../compiler/unicode-case.ts';
import {
  and,
  HASH_WRITE_SCRIPT,
  LOOKUP_LIST_WRITE_SCRIPT,
  LOOKUP_TEXT_LIST_WRITE_SCRIPT,
  LOOKUP_TEXT_WRITE_SCRIPT,
  LOOKUP_WRITE_SCRIPT,
  SOURCE_LIST_LOOKUPS_SCRIPT,
  SOURCE_TEXT_LIST_LOOKUPS_SCRIPT,
  SOURCE_GROUP_SCRIPT,
  SOURCE_LOOKUPS_SCRIPT,
  SOURCE_TEXT_LOOKUPS_SCRIPT,
  SOURCE_LOOKUPS_LOWER_SCRIPT,
  LOWERCASE_WRITE_SCRIPT,
  REPORT_SCRIPT,
  FAIL_FUNCTION,
  FAIL_NAME,
  LONG_PATH,
  access,
  painlessString,
  renderCond,
  type Cond,
  type JavaType,
} from './painless.ts';
import {
  accepted,
  CONVERT_TYPE,
  conditionOf,
  dateFormatName,
  dotted,
  fieldTemplate,
  isDottable,
  IP_TEXT_RE,
  isEpoch,
  maskPattern,
  METADATA,
  TIMESTAMP,
  MASK_REPLACEMENT,
  textShape,
  type Builder,
  type Processor,
  setsItsOwnSource,
} from './ingest-steps.ts';
import { ingestString, mustacheText } from './quote.ts';
import { PRESERVE_DUPLICATES_TAG, tagAbsent } from './conventions.ts';

/**
 * Fields the Elastic Agent's event may already hold when the pipeline runs (besides `@timestamp`,
 * set aside, and `message`, removed): a `rename` onto one would fail (no `override` on OpenSearch
 * 2.19), so rules writing there keep `set`.
 */
const AGENT_FIELDS: readonly FieldPath[] = [
  ['agent'],
  ['elastic_agent'],
  ['data_stream'],
  ['ecs'],
  ['input'],
  ['tags'],
  ['message'],
  ['event', 'dataset'],
  ['event', 'original'],
  ['event', 'created'],
  ['event', 'ingested'],
  ['@timestamp'],
];

/**
 * The rules lowered to one `rename`, with the consumed path (record-relative) each deletes: a
 * `set` of a kept record's path without transforms that step 5 consumes into this very target,
 * whose target no other rule writes (at, above or below it) nor the Agent's event holds, and whose
 * path no later rule writes or reads. The target then exists after all rules exactly when the
 * rename ran, so step 5's removal is the rename's own.
 */
export function renamedRules(
  mapping: MappingIR,
  owners: ReadonlyMap<RuleIR, { readonly path: FieldPath }> = consumedOwners(mapping),
): Map<RuleIR, FieldPath> {
  const out = new Map<RuleIR, FieldPath>();
  for (const [owner, c] of owners) {
    // An `on_error ignore` rule keeps the guarded form (see `leanRuleSteps`): no rename.
    if (owner.value.kind !== 'field' || owner.value.transforms.length > 0 || owner.onError === 'ignore') continue;
    const path = [...mapping.namespace, ...c.path];
    if (!isDottable(path) || !isDottable(owner.destination)) continue;
    if (AGENT_FIELDS.some((f) => overlap(f, owner.destination)) || overlap(mapping.namespace, owner.destination))
      continue;
    out.set(owner, c.path);
  }
  return out;
}

/**
 * Where the lean pipeline sets the Agent's `@timestamp` aside while the rules run: ingest
 * metadata, which processors read and write by the `_ingest.` prefix and which is never indexed
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.19/ingest.html#access-ingest-metadata;
 * OpenSearch 2.19 alike, checked with `_simulate`), so no clean-up step removes it. It is out of
 * reach of `if` conditions and scripts (their `ctx` is the source and metadata only:
 * elastic/elasticsearch server/src/main/java/org/elasticsearch/ingest/ConditionalProcessor.java
 * `evaluate`, commit 004e31ce35febb9332e436c7ea90e6d1a38e7c26), which is why it holds the
 * collection time and not a rule's outcome.
 */
export const COLLECTED_ASIDE = '_ingest.mapc_collected';

/**
 * One rule whose outcome the stream's failure report reads ({@link REPORT_SCRIPT}) instead of an
 * `append` of its own: absolute paths; no `target` for a rule lowered to `rename` (a value still
 * at its source is one it did not move); `consume`: the report deletes the source once the target
 * exists (step 5), `keepable` unless it is a redacted source.
 */
export interface Reported {
  readonly source: FieldPath;
  readonly target?: FieldPath;
  /** The value classes with which the rule cannot fail (a rule whose processor skips any other). */
  readonly types?: readonly JavaType[];
  readonly message: string;
  readonly consume: boolean;
  readonly keepable: boolean;
}

/** The lean lowering's per-stream facts. */
export interface LeanPlan {
  /** Leading segments of the record's base known to be Maps. */
  readonly known: number;
  /** Rules lowered to one `rename` ({@link renamedRules}). */
  readonly renamed: ReadonlyMap<RuleIR, FieldPath>;
  /** Whether `@timestamp` is set aside in {@link COLLECTED_ASIDE} (a rule writes it or reads `collected_at`). */
  readonly asideCollected: boolean;
  /** Rules the failure report covers, with how it tells their outcome. */
  readonly reported: ReadonlyMap<RuleIR, ReportedRule>;
}

/**
 * How the failure report tells a rule's outcome: `consume`: it deletes the rule's source once the
 * rule succeeded; `types`: the rule fails exactly on a value of another class (see
 * {@link typedRule}); `from`: the rule copies the target of an earlier rule on the same value
 * ({@link derivedRules}) and fails exactly when that one did; `silent`: the rule cannot fail, so
 * the report holds no entry for it.
 */
export interface ReportedRule {
  readonly consume: boolean;
  readonly types?: readonly JavaType[];
  readonly from?: FieldPath;
  readonly silent?: boolean;
}

/** Agent event fields that hold a value that is not an object (a target below one cannot be written). */
const AGENT_LEAVES: readonly FieldPath[] = AGENT_FIELDS.filter(
  (f) => !['agent', 'elastic_agent', 'data_stream', 'ecs', 'input'].includes(f.join('.')),
);

/**
 * Whether a rule's destination can always be written, so that its processor fails only on its
 * value: a dotted path outside the record, metadata and its own source, none of whose proper
 * prefixes is written by a rule or held by the Agent's event as a non-object (the parents a
 * processor creates, or the Agent's objects).
 */
function writable(mapping: MappingIR, rule: RuleIR, source: FieldPath): boolean {
  const d = rule.destination;
  if (!isDottable(d) || METADATA.has(d[0]!) || overlap(mapping.namespace, d) || overlap(source, d)) return false;
  for (let i = 1; i < d.length; i++) {
    const prefix = d.slice(0, i);
    if (mapping.rules.some((r) => samePath(r.destination, prefix))) return false;
    if (AGENT_LEAVES.some((f) => samePath(f, prefix))) return false;
  }
  return true;
}

/**
 * Whether an unconditional `set` of a dotted record path writes a target that holds nothing before
 * it and that its lean processor writes exactly when the rule succeeds: no transform, one
 * `convert` (not `double`) or one lean `date`; no other rule writes at, above or below the target;
 * the Agent's event does not hold it (but for the set-aside `@timestamp`); it is not in the record.
 */
function exclusiveTarget(mapping: MappingIR, rule: RuleIR, base: FieldPath, asideCollected: boolean): boolean {
  if (rule.when || rule.op !== 'set' || rule.value.kind !== 'field') return false;
  const source = [...base, ...rule.value.path];
  if (!isDottable(source) || !isDottable(rule.destination)) return false;
  const [t, ...more] = rule.value.transforms;
  if (more.length > 0) return false;
  if (!t && setsItsOwnSource(rule, source)) return false;
  if (t && !(t.kind === 'convert' && t.to !== 'double') && !(t.kind === 'date' && leanDateFormats(t.formats)))
    return false;
  const stamp = samePath(rule.destination, TIMESTAMP) && asideCollected;
  if (!stamp && AGENT_FIELDS.some((f) => overlap(f, rule.destination))) return false;
  if (overlap(mapping.namespace, rule.destination) || overlap(source, rule.destination)) return false;
  return !mapping.rules.some((r) => r !== rule && overlap(r.destination, rule.destination));
}

/**
 * Appends that repeat an earlier rule on the same value (`user.name = x` then `related.user += x`;
 * `source.ip = x | ip` then `related.ip += x | ip`), each with that earlier rule: both unconditional,
 * the same record path and transforms, the earlier one a `set` into an {@link exclusiveTarget},
 * nothing between them writing the path or that target, and the append's target writable. The
 * append then copies the earlier target (present exactly when the earlier rule succeeded on the
 * same value, which is when this one does), as an engineer appends `{{{user.name}}}`, and the
 * path stays consumable by the earlier rule.
 */
export function derivedRules(mapping: MappingIR, base: FieldPath, asideCollected: boolean): Map<RuleIR, RuleIR> {
  const out = new Map<RuleIR, RuleIR>();
  mapping.rules.forEach((rule, j) => {
    if (
      rule.when ||
      rule.onError === 'ignore' ||
      rule.op !== 'append' ||
      rule.value.kind !== 'field' ||
      rule.value.transforms.length > 1
    )
      return;
    const value = rule.value;
    const source = [...base, ...value.path];
    if (!isDottable(source) || !writable(mapping, rule, source)) return;
    for (let i = j - 1; i >= 0; i--) {
      const a = mapping.rules[i]!;
      if (
        a.value.kind === 'field' &&
        samePath(a.value.path, value.path) &&
        JSON.stringify(a.value.transforms) === JSON.stringify(value.transforms) &&
        exclusiveTarget(mapping, a, base, asideCollected)
      ) {
        out.set(rule, a);
        return;
      }
      if (overlap(a.destination, source)) return;
    }
  });
  return out;
}

/**
 * The classes with which a rule whose only failure is its value's class cannot fail (the report
 * then tells its outcome by the class alone), or `undefined` when the rule fails otherwise too:
 * an unconditional `set`/`append` of a dotted record path into a {@link writable} target, with no
 * transform (a copy) or one `lookup` (a value of the declared type never fails it), whose
 * declaration is classes only (no formats); or one `lowercase` (fails exactly on a non-String)
 * whose declaration allows a String. `[]`: the rule cannot fail (no declaration to violate).
 */
function typedRule(mapping: MappingIR, rule: RuleIR, base: FieldPath): readonly JavaType[] | undefined {
  if (rule.when || rule.value.kind !== 'field' || rule.value.transforms.length > 2) return undefined;
  const source = [...base, ...rule.value.path];
  if (!isDottable(source) || !writable(mapping, rule, source) || setsItsOwnSource(rule, source)) return undefined;
  const conform = conformCond(rule.value.source, source, 0);
  if (conform && conform.kind !== 'instanceOf') return undefined;
  // `keyword | lookup` of a value declared as keyword-convertible classes fails exactly on another class.
  if (rule.value.transforms.length === 2)
    return keyedLookup(rule.value.transforms, conform) ? conform!.types : undefined;
  const t = rule.value.transforms[0];
  if (t?.kind === 'lowercase') return !conform || conform.types.includes('String') ? ['String'] : undefined;
  if (t && t.kind !== 'lookup') return undefined;
  return conform ? conform.types : [];
}

/** The classes whose `convert keyword` is their `toString()` (compiler/ir.ts TransformIR: a String as is, an integer as its decimal digits, a Boolean as `true`/`false`). */
const KEYWORD_CLASSES: readonly JavaType[] = ['String', 'Integer', 'Long', 'Boolean'];

/**
 * The table of a rule's value that is one `lookup` (keyed by the value itself: a String, as the IR
 * says; any other class is no key), or `keyword | lookup` of a value whose declared classes
 * (`conform`, an `instanceof` test) all convert to keyword as their `toString()`
 * ({@link KEYWORD_CLASSES}): then `text` unless the value is declared a String only, and the
 * table is read by the value's text (`1000` reads the entry `"1000"`), which is exactly the IR's
 * keyword conversion followed by the lookup for every value the `if` admits. Undefined otherwise
 * (such a rule keeps the guarded form, which also converts an integral Double).
 */
export function keyedLookup(
  transforms: readonly TransformIR[],
  conform: Cond | undefined,
): { readonly lookup: Extract<TransformIR, { kind: 'lookup' }>; readonly text: boolean } | undefined {
  const [first, second, ...more] = transforms;
  if (first?.kind === 'lookup' && !second) return { lookup: first, text: false };
  if (more.length > 0 || first?.kind !== 'convert' || first.to !== 'keyword' || second?.kind !== 'lookup')
    return undefined;
  if (conform?.kind !== 'instanceOf' || !conform.types.every((c) => KEYWORD_CLASSES.includes(c))) return undefined;
  return { lookup: second, text: !conform.types.every((c) => c === 'String') };
}

/**
 * The params of a lean lookup's table (first entry per key, as the guarded form's first matching
 * `set`): `table` (key to output) and `default`; an output is a List for a list table. Every
 * string through {@link ingestString}.
 */
function tableParams(t: Extract<TransformIR, { kind: 'lookup' }>): {
  table: Record<string, unknown>;
  default?: unknown;
} {
  const out = (to: string | readonly string[]): unknown =>
    typeof to === 'string' ? ingestString(to) : to.map(ingestString);
  const table = new Map<string, unknown>();
  for (const e of t.entries) if (!table.has(e.from)) table.set(e.from, out(e.to));
  return {
    table: Object.fromEntries([...table].map(([from, to]) => [ingestString(from), to])),
    ...(t.default !== undefined ? { default: out(t.default) } : {}),
  };
}

/** Whether `path` (record-relative) is, holds or lies in the source of a redacting rule (never kept as a duplicate). */
export function overlapsRedacted(mapping: MappingIR, path: FieldPath): boolean {
  return mapping.rules.some((r) => {
    const p = redactedSource(r);
    return p !== undefined && overlap(p, path);
  });
}

/**
 * Rules whose failure the report tells from the document, so their processors append nothing:
 * unconditional `set`s of a dotted record path, each either a {@link renamedRules} `rename`, or a
 * copy with a declared type to test, one `convert` (not `double`) or one lean `date`, into an
 * {@link exclusiveTarget}, which the processor writes exactly when the rule succeeds; the
 * {@link derivedRules} appends; rules that fail only on their value's class ({@link typedRule}).
 * Each consumes its source in the report when `owners` says the owner may delete it at once.
 */
function reportedRules(
  mapping: MappingIR,
  base: FieldPath,
  renamed: ReadonlyMap<RuleIR, FieldPath>,
  asideCollected: boolean,
  owners: ReadonlyMap<RuleIR, { readonly path: FieldPath }>,
  derived: ReadonlyMap<RuleIR, RuleIR>,
): Map<RuleIR, ReportedRule> {
  const out = new Map<RuleIR, ReportedRule>();
  for (const rule of mapping.rules) {
    if (rule.when || rule.value.kind !== 'field' || rule.onError === 'ignore') continue;
    const source = [...base, ...rule.value.path];
    const conform = isDottable(source) ? conformCond(rule.value.source, source, 0) : undefined;
    if (renamed.has(rule)) {
      if (conform) out.set(rule, { consume: false });
      continue;
    }
    const from = derived.get(rule);
    if (from) {
      out.set(rule, {
        consume: false,
        from: from.destination,
        silent: !conform && from.value.kind === 'field' && from.value.transforms.length === 0,
      });
      continue;
    }
    if (exclusiveTarget(mapping, rule, base, asideCollected) && (rule.value.transforms.length > 0 || conform)) {
      const owned = owners.get(rule);
      out.set(rule, { consume: owned !== undefined && samePath(owned.path, rule.value.path) });
      continue;
    }
    const types = typedRule(mapping, rule, base);
    if (types) out.set(rule, { consume: false, types, silent: types.length === 0 });
  }
  return out;
}

/** The lean plan of a stream with a record schema (`base`: where the record is kept). */
export function leanPlan(mapping: MappingIR, base: FieldPath): LeanPlan {
  // The Agent's `@timestamp` waits aside when a rule writes it, or reads it (`collected_at`).
  const asideCollected = mapping.rules.some(
    (r) => overlap(r.destination, TIMESTAMP) || r.value.kind === 'collection_time',
  );
  const derived = derivedRules(mapping, base, asideCollected);
  // A derived append reads the earlier rule's target, not the path: that rule may consume it.
  const owners = consumedOwners(mapping, (reader, owner) => derived.get(reader) === owner);
  const renamed = renamedRules(mapping, owners);
  return {
    known: mapping.keepUnmapped ? base.length : 0,
    renamed,
    asideCollected,
    reported: reportedRules(mapping, base, renamed, asideCollected, owners, derived),
  };
}

/** A consumed path the last failure report deletes (compiler/ir.ts step 5): absolute paths. */
export interface ReportConsumed {
  readonly path: FieldPath;
  readonly when: FieldPath;
  readonly keepable: boolean;
}

/**
 * The failure report of the rules gathered since the last one ({@link REPORT_SCRIPT}), with the
 * consumed paths it deletes after them (the last report only); for one rule that consumes nothing
 * and no consumed path, the same test as one `append` (`known`: leading Map segments).
 *
 * The script runs only when its work is not the common case ({@link reportShortcut}): an ingest
 * `script` processor costs far more per document than an `if` (on OpenSearch 2.19, `npm run bench
 * -- --only ingest`, Enpass: an always-running report took the pipeline from 1.1 to 1.4 times the
 * hand-written baseline's ingest time). With consumed sources to delete, one `remove` before it
 * deletes them when all their targets are there (and the preserve tag is not); the script's `if`
 * is "a rule failed, or a consumed source is still there".
 * The last entries failing under one test report after it without the script ({@link failureTail}).
 * Returns the processors in order.
 */
export function reportProcessors(
  b: Pick<Builder, 'tag'>,
  entries: readonly Reported[],
  known: number,
  consumed: readonly ReportConsumed[] = [],
): Processor[] {
  const tail = failureTail(entries, known, consumed);
  if (tail) {
    const rest = entries.slice(0, entries.length - tail.entries.length);
    return [
      ...(rest.length > 0 || consumed.length > 0 ? reportProcessors(b, rest, known, consumed) : []),
      {
        append: {
          tag: b.tag(`error_${dotted(tail.entries[0]!.target ?? tail.entries[0]!.source)}`),
          field: 'error.message',
          value: tail.entries.map((e) => mustacheText(e.message)),
          if: renderCond(tail.failed),
        },
      },
      ...tail.entries.flatMap((e): Processor[] => {
        const tests = e.consume ? deletionTests(e, known) : undefined;
        if (!tests) return [];
        return [
          {
            remove: {
              tag: b.tag(`remove_consumed_${dotted(e.source)}`),
              field: fieldTemplate(e.source),
              ignore_missing: true,
              if: renderCond(and(...tests, e.keepable ? tagAbsent(PRESERVE_DUPLICATES_TAG) : undefined)!),
            },
          },
        ];
      }),
    ];
  }
  const [only, ...others] = entries;
  if (only && others.length === 0 && !only.consume && consumed.length === 0) {
    const failed = failedCond(only, known);
    const target = dotted(only.target ?? only.source);
    return [
      {
        append: {
          tag: b.tag(`error_${target}`),
          field: 'error.message',
          value: mustacheText(only.message),
          if: renderCond(failed),
        },
      },
    ];
  }
  const shortcut = reportShortcut(entries, known, consumed);
  const when = shortcut ? { if: renderCond(shortcut.needed) } : {};
  const source = reportSource(entries, known, consumed);
  const tag = b.tag('report_rule_failures');
  const script: Processor =
    source !== undefined
      ? { script: { tag, lang: 'painless', source, ...when } }
      : { script: { tag, lang: 'painless', source: REPORT_SCRIPT, params: reportParams(entries, consumed), ...when } };
  if (!shortcut?.deleted) return [script];
  const { fields, when: deleting } = shortcut.deleted;
  return [
    {
      remove: {
        tag: b.tag('remove_consumed_sources'),
        field: fields.length === 1 ? fields[0]! : [...fields],
        ignore_missing: true,
        if: renderCond(deleting),
      },
    },
    script,
  ];
}

/**
 * The test under which the report deletes the source of an entry that consumes it, but for the
 * preserve tag and the source's presence: its target present, or its source of one of its types.
 * Undefined for an entry with neither.
 */
function deletionTest(e: Reported, known: number): Cond | undefined {
  if (e.types) return { kind: 'instanceOf', path: e.source, types: e.types, ...(known > 0 ? { known } : {}) };
  return e.target ? { kind: 'present', path: e.target } : undefined;
}

/** {@link deletionTest}, after the source's presence for a target test. */
function deletionTests(e: Reported, known: number): Cond[] | undefined {
  const own = deletionTest(e, known);
  if (!own) return undefined;
  return e.types ? [own] : [{ kind: 'present', path: e.source, ...(known > 0 ? { known } : {}) }, own];
}

/**
 * The `remove` before the failure report ({@link reportSource}) and the report's `if`, so that a
 * document on which every rule succeeded runs no script. `deleted`, when the report deletes any
 * path: `fields`, the deleted paths' field templates in its order, and `when`, every deleted
 * path's own deletion test but its presence (its target present, or its source of one of its
 * types; `ignore_missing` skips a missing path) and the preserve tag absent where a deletion is
 * `keepable`. Under `deleted.when` the `remove` deletes every path as the report would; otherwise
 * it deletes none. `needed`, the report's `if`: an entry that deletes nothing failed, or a path it
 * deletes is still there after the `remove` (the `remove` did not run: one deletion test failed,
 * for this path or another). An entry that deletes fails only when its path is there, and an
 * entry failing exactly when a deleted path is there and its target missing (a derived append of
 * the same value) too, so neither needs a failure test of its own. Undefined when an entry that
 * deletes has neither target nor types, a deleted path cannot be a `remove` field template, or a
 * condition would be longer than {@link MAX_REPORT_SOURCE}.
 *
 * Why the `remove` first: after it, the report needs one presence test per deleted path instead
 * of every deletion test negated (Enpass: 15 condition terms in the two `if`s instead of 26, one
 * `ctx` path read per segment each; on OpenSearch 2.19, 0.02-0.05 of the hand-written baseline's
 * ingest time in two runs beside the earlier pipeline, 30,000 and 120,000 events).
 */
export function reportShortcut(
  entries: readonly Reported[],
  known: number,
  consumed: readonly ReportConsumed[] = [],
):
  | { readonly needed: Cond; readonly deleted?: { readonly when: Cond; readonly fields: readonly string[] } }
  | undefined {
  const k = known > 0 ? { known } : {};
  const unique = (conds: readonly Cond[]): Cond[] => [
    ...new Map(conds.map((c): [string, Cond] => [JSON.stringify(c), c])).values(),
  ];
  const any = (conds: readonly Cond[]): Cond => (conds.length === 1 ? conds[0]! : { kind: 'or', conds });
  const tests: Cond[] = [];
  const paths: FieldPath[] = [];
  let keepable = false;
  for (const e of entries) {
    if (!e.consume) continue;
    const own = deletionTest(e, known);
    if (!own) return undefined;
    tests.push(own);
    paths.push(e.source);
    keepable ||= e.keepable;
  }
  for (const c of consumed) {
    tests.push({ kind: 'present', path: c.when });
    paths.push(c.path);
    keepable ||= c.keepable;
  }
  if (paths.some((p) => !isDottable(p))) return undefined;
  if (keepable) tests.push(tagAbsent(PRESERVE_DUPLICATES_TAG));
  const pairs = consumedPairs(entries, consumed);
  const settled = (e: Reported): boolean =>
    !e.types &&
    e.target !== undefined &&
    pairs.some(([path, target]) => samePath(path, e.source) && samePath(target, e.target!));
  const failing = unique(entries.filter((e) => !e.consume && !settled(e)).map((e) => failedCond(e, known)));
  const left = unique(paths.map((p): Cond => ({ kind: 'present', path: p, ...k })));
  const work = [...failing, ...left];
  if (work.length === 0) return undefined;
  const needed = any(work);
  const deleted =
    paths.length > 0 ? { when: and(...unique(tests))!, fields: [...new Set(paths.map(fieldTemplate))] } : undefined;
  if (renderCond(needed).length > MAX_REPORT_SOURCE) return undefined;
  if (deleted && renderCond(deleted.when).length > MAX_REPORT_SOURCE) return undefined;
  return { needed, ...(deleted ? { deleted } : {}) };
}

/**
 * The last entries of a report when two or more of them fail under one test (a rule and the
 * derived append of the same value: `source.ip = x | ip`, `related.ip += x | ip`): then one
 * `append` of their messages (in rule order, after the report's own) under that test, and a
 * `remove` of each consumed source among them under its {@link deletionTests}, do their part of
 * the report without a script, so that a document on which only they fail runs no script. Each
 * entry that deletes has a target and no types, and no other deletion of the report lies at,
 * above or below their sources (the report, which runs first, must leave them as the rules did).
 */
function failureTail(
  entries: readonly Reported[],
  known: number,
  consumed: readonly ReportConsumed[],
): { readonly entries: readonly Reported[]; readonly failed: Cond } | undefined {
  const last = entries.at(-1);
  if (!last) return undefined;
  const failed = failedCond(last, known);
  const key = JSON.stringify(failed);
  let start = entries.length;
  while (start > 0 && JSON.stringify(failedCond(entries[start - 1]!, known)) === key) start--;
  const tail = entries.slice(start);
  if (tail.length < 2 || tail.some((e) => e.consume && (e.types || !e.target || !isDottable(e.source))))
    return undefined;
  const others = [
    ...entries
      .slice(0, start)
      .filter((e) => e.consume)
      .map((e) => e.source),
    ...consumed.map((c) => c.path),
  ];
  if (tail.some((e) => others.some((p) => overlap(p, e.source)))) return undefined;
  return { entries: tail, failed };
}

/** The (deleted path, target) pairs of the report's deletions that test a target. */
function consumedPairs(entries: readonly Reported[], consumed: readonly ReportConsumed[]): [FieldPath, FieldPath][] {
  return [
    ...entries.flatMap((e): [FieldPath, FieldPath][] =>
      e.consume && !e.types && e.target ? [[e.source, e.target]] : [],
    ),
    ...consumed.map((c): [FieldPath, FieldPath] => [c.path, c.when]),
  ];
}

/**
 * When a reported rule failed (`known`: leading Map segments of its source): its source is present
 * and of none of its `types`; else its `target` is missing; else (a `rename` left it) present.
 */
function failedCond(e: Reported, known: number): Cond {
  const k = known > 0 ? { known } : {};
  return and(
    { kind: 'present', path: e.source, ...k },
    e.types
      ? { kind: 'not', cond: { kind: 'instanceOf', path: e.source, types: e.types, ...k } }
      : e.target
        ? { kind: 'not', cond: { kind: 'present', path: e.target } }
        : undefined,
  )!;
}

/** The params of {@link REPORT_SCRIPT} for the report's entries and consumed paths (see there). */
export function reportParams(
  entries: readonly Reported[],
  consumed: readonly ReportConsumed[] = [],
): Record<string, unknown> {
  return {
    preserve: PRESERVE_DUPLICATES_TAG,
    rules: entries.map((e) => ({
      source: e.source.map(ingestString),
      ...(e.types ? { types: [...e.types] } : e.target ? { target: e.target.map(ingestString) } : {}),
      message: ingestString(e.message),
      consume: e.consume,
      keepable: e.keepable,
    })),
    ...(consumed.length > 0
      ? {
          consumed: consumed.map((c) => ({
            path: c.path.map(ingestString),
            when: c.when.map(ingestString),
            keepable: c.keepable,
          })),
        }
      : {}),
  };
}

/**
 * Largest generated report (characters); a longer one, or one reading a path longer than
 * {@link LONG_PATH}, is the constant {@link REPORT_SCRIPT} with its params instead. Elasticsearch
 * refuses scripts over `script.max_size_in_bytes` (65,535 bytes by default:
 * https://www.elastic.co/guide/en/elasticsearch/reference/8.19/modules-scripting-using.html).
 */
const MAX_REPORT_SOURCE = 16_384;

/**
 * The failure report as straight-line Painless: {@link REPORT_SCRIPT}'s outcome for the same
 * entries and consumed paths, each rule one `if` over its own paths (rendered by `renderCond`, map
 * text only as Painless string literals) instead of a loop walking `params` lists: on OpenSearch
 * 2.19 (`npm run bench -- --only ingest`, Enpass) the constant script cost about 2.5 times this one.
 * Per entry, in rule order: `if (<source present and the rule failed>) { mapcFail(ctx, '<message>'); }`
 * (failed: a value of none of `types`; else a missing `target`; else any value, which a `rename`
 * did not move), then for a consuming rule `else if (<source present>[ and not the preserve tag,
 * when keepable]) { <parent>.remove('<key>'); }`; then per consumed path `if (<when present, parent
 * a Map>[ and not the preserve tag]) { <parent>.remove('<key>'); }`. Undefined when too long
 * ({@link MAX_REPORT_SOURCE}) or reading a long path.
 */
export function reportSource(
  entries: readonly Reported[],
  known: number,
  consumed: readonly ReportConsumed[] = [],
): string | undefined {
  const paths = [
    ...entries.flatMap((e) => [e.source, ...(e.target ? [e.target] : [])]),
    ...consumed.flatMap((c) => [c.path, c.when]),
  ];
  if (paths.some((p) => p.length > LONG_PATH || p.length === 0)) return undefined;
  const k = known > 0 ? { known } : {};
  const notKept = tagAbsent(PRESERVE_DUPLICATES_TAG);
  const remove = (path: FieldPath): string => `${access(path.slice(0, -1))}.remove(${painlessString(path.at(-1)!)});`;
  const statements = [FAIL_FUNCTION];
  for (const e of entries) {
    const present: Cond = { kind: 'present', path: e.source, ...k };
    let statement = `if (${renderCond(failedCond(e, known))}) { ${FAIL_NAME}(ctx, ${painlessString(e.message)}); }`;
    if (e.consume)
      statement += ` else if (${renderCond(e.keepable ? and(present, notKept)! : present)}) { ${remove(e.source)} }`;
    statements.push(statement);
  }
  for (const c of consumed) {
    const parent: Cond | undefined =
      c.path.length > 1 ? { kind: 'instanceOf', path: c.path.slice(0, -1), types: ['Map'], ...k } : undefined;
    const when = and({ kind: 'present', path: c.when }, parent, c.keepable ? notKept : undefined)!;
    statements.push(`if (${renderCond(when)}) { ${remove(c.path)} }`);
  }
  // One statement per line, as a reviewer reads a script (a YAML block scalar in the pipeline file).
  const source = statements.join('\n');
  return source.length <= MAX_REPORT_SOURCE ? source : undefined;
}

/**
 * Whether a `mask` rule's source is a String or missing whenever it runs: an earlier unconditional
 * lean `hash` rule read the same path (its cast fails on anything else, and the failure deletes
 * the source: redaction fails closed) and no rule between writes at, above or below it.
 */
function hashedBefore(mapping: MappingIR, rule: RuleIR, base: FieldPath): boolean {
  if (rule.value.kind !== 'field') return false;
  const path = rule.value.path;
  const source = [...base, ...path];
  for (let j = mapping.rules.indexOf(rule) - 1; j >= 0; j--) {
    const r = mapping.rules[j]!;
    const t = r.value.kind === 'field' && r.value.transforms.length === 1 ? r.value.transforms[0] : undefined;
    if (
      !r.when &&
      r.value.kind === 'field' &&
      samePath(r.value.path, path) &&
      t?.kind === 'redact' &&
      t.mode === 'hash'
    ) {
      // Lowered lean (`leanRuleSteps`): a string or undeclared source, a target it can write.
      const conform = conformCond(r.value.source, source, 0);
      const lean = conform === undefined || JSON.stringify(conform) === JSON.stringify(stringAt(source, 0));
      return lean && isDottable(source) && isDottable(r.destination) && !METADATA.has(r.destination[0]!);
    }
    if (overlap(r.destination, source)) return false;
  }
  return false;
}

/** `path` holds a String. */
const stringAt = (path: FieldPath, known: number): Cond => ({
  kind: 'instanceOf',
  path,
  types: ['String'],
  ...(known > 0 ? { known } : {}),
});

/** The anchored regex of a string in one of the formats (alternatives in one `==~`). */
function formatRegex(formats: readonly FieldFormat[]): string {
  const regexes = formats.map((f) =>
    f.kind === 'ip' ? IP_TEXT_RE : (textShape(f, [], 0) as { readonly regex: string }).regex,
  );
  return regexes.length === 1 ? regexes[0]! : regexes.map((r) => `(?:${r})`).join('|');
}

const JAVA_TYPES: Record<Exclude<ValueType, 'any' | 'string'>, readonly JavaType[]> = {
  integer: ['Integer', 'Long'],
  number: ['Integer', 'Long', 'Double', 'Float'],
  boolean: ['Boolean'],
  object: ['Map'],
  array: ['List'],
};

/**
 * The Painless test that a present value at `path` has its declared type (compiler/ir.ts tier 2:
 * a rule on a value its declaration does not allow fails), or `undefined` when any value does.
 * The `json` processor gives JSON integers as Integer/Long and other numbers as Double; strings
 * with formats are tested by the formats' whole-string shapes (the processor that reads a date or
 * an IP then fails on a value of the right shape that does not parse, as the interpreter's
 * conformance check does). Not tested here (documented gaps, outside the bundled maps): array
 * elements, the formats of numbers, `1.0` as an integer, the split path's `[]` beyond being a List.
 */
export function conformCond(type: FieldTypeIR | undefined, path: FieldPath, known: number): Cond | undefined {
  if (type === undefined || type.types.includes('any')) return undefined;
  const k = known > 0 ? { known } : {};
  const conds: Cond[] = [];
  const java = new Set<JavaType>();
  for (const t of type.types) {
    if (t === 'string') {
      if (type.formats.length === 0) java.add('String');
      else conds.push({ kind: 'matches', path, regex: formatRegex(type.formats), ...k });
    } else if (t !== 'any') for (const j of JAVA_TYPES[t]) java.add(j);
  }
  if (type.emptySplit) java.add('List');
  if (java.size > 0) conds.unshift({ kind: 'instanceOf', path, types: [...java], ...k });
  return conds.length === 1 ? conds[0] : { kind: 'or', conds };
}

/**
 * `a ∧ b`, leaving out a test implied by the other (the same test, `instanceof String` before a
 * string shape, or an `instanceof` test of classes all among those `accept` admits).
 */
function both(conform: Cond | undefined, accept: Cond | undefined): Cond | undefined {
  if (!conform) return accept;
  if (!accept) return conform;
  if (JSON.stringify(conform) === JSON.stringify(accept)) return accept;
  if (
    conform.kind === 'instanceOf' &&
    accept.kind === 'instanceOf' &&
    samePath(conform.path, accept.path) &&
    conform.types.every((c) => accept.types.includes(c))
  )
    return conform;
  const stringOnly = conform.kind === 'instanceOf' && conform.types.length === 1 && conform.types[0] === 'String';
  const stringShape =
    accept.kind === 'matches' || (accept.kind === 'instanceOf' && accept.types.every((t) => t === 'String'));
  if (stringOnly && stringShape) return accept;
  return { kind: 'and', conds: [conform, accept] };
}

/** Whether the ES date processor, given the formats in order, parses a value exactly as the IR does (see below). */
function leanDateFormats(formats: readonly DateFormat[]): boolean {
  // Each text format's `if` shape admits only its own strings; the processor tries every format on
  // each value, so a lenient parser must not see another format's shape first: `ISO8601` (lenient)
  // only alone or last. Java patterns parse their literals strictly. Epoch formats need the exact
  // decimal script of the guarded form.
  if (formats.some(isEpoch)) return false;
  const iso = formats.findIndex((f) => f.kind === 'iso8601');
  return iso < 0 || iso === formats.length - 1;
}

/**
 * The lean processors of one rule (after its destination was checked), or `undefined` when the rule
 * keeps the guarded form. `known`: the leading segments of `base` known to be Maps.
 */
export function leanRuleSteps(
  b: Builder,
  rule: RuleIR,
  base: FieldPath,
  plan: LeanPlan,
  report: (entry: Reported) => void,
): Processor[] | undefined {
  // `on_error ignore` keeps the guarded form of ./pipeline.ts (its failures append nothing).
  if (rule.value.kind !== 'field' || rule.onError === 'ignore') return undefined;
  const { known, renamed } = plan;
  const mapping = b.stream.mapping;
  const reported = plan.reported.get(rule);
  const source = [...base, ...rule.value.path];
  if (!isDottable(source)) return undefined;
  const k = known > 0 ? { known } : {};
  const when = rule.when ? conditionOf(rule.when, base, known) : undefined;
  const present: Cond = { kind: 'present', path: source, ...k };
  const target = dotted(rule.destination);
  const field = dotted(source);
  const ifOf = (c: Cond | undefined): { if?: string } => (c ? { if: renderCond(c) } : {});

  const conform = conformCond(rule.value.source, source, known);
  const message = mustacheText(conversionErrorMessage(rule));
  const error = (cond?: Cond): Processor => ({
    append: { tag: b.tag(`error_${target}`), field: 'error.message', value: message, ...ifOf(cond) },
  });
  /** The error of a present value outside `shape` (nothing when every value is inside). */
  const reject = (shape: Cond | undefined): Processor[] =>
    shape ? [error(and(present, when, { kind: 'not', cond: shape }))] : [];
  /**
   * A reported rule's entry in the stream's failure report (`target`: none for a rename; a typed
   * rule's entry tests the value's class instead; a rule that cannot fail has none).
   */
  const toReport = (target: FieldPath | undefined): void => {
    if (reported?.silent) return;
    report({
      source,
      ...(reported?.types ? { types: reported.types } : target ? { target } : {}),
      message: conversionErrorMessage(rule),
      consume: reported?.consume ?? false,
      keepable: !overlapsRedacted(mapping, rule.value.kind === 'field' ? rule.value.path : []),
    });
  };

  if (reported?.from) {
    // A derived append (`derivedRules`): the earlier rule's target, present exactly when that rule
    // succeeded on the same value; this rule failed exactly when the value is present and that
    // target is not.
    toReport(reported.from);
    return [
      {
        append: {
          tag: b.tag(`append_${target}`),
          field: fieldTemplate(rule.destination),
          copy_from: dotted(reported.from),
          allow_duplicates: false,
          ...ifOf(and({ kind: 'present', path: reported.from }, when)),
        },
      },
    ];
  }

  if (rule.value.transforms.length === 0) {
    const cond = and(conform ?? present, when);
    if (renamed.has(rule)) {
      return [
        {
          rename: {
            tag: b.tag(`rename_${target}`),
            field,
            target_field: target,
            ...ifOf(cond),
            // A target the event already holds (a field an Agent processor added) makes `rename`
            // fail: then the rule's own semantics, overwrite and consume, as the guarded form does.
            on_failure: [
              { set: { tag: b.tag(`set_${target}`), field: fieldTemplate(rule.destination), copy_from: field } },
              { remove: { tag: b.tag(`consume_${field}`), field: fieldTemplate(source), ignore_missing: true } },
            ],
          },
        },
        ...(reported ? (toReport(undefined), []) : reject(conform)),
      ];
    }
    // The value is already at its destination: only the error of a violating value.
    if (setsItsOwnSource(rule, source)) return [...reject(conform)];
    const copy = { field: fieldTemplate(rule.destination), copy_from: field, ...ifOf(cond) };
    const write: Processor =
      rule.op === 'append'
        ? { append: { tag: b.tag(`append_${target}`), ...copy, allow_duplicates: false } }
        : { set: { tag: b.tag(`set_${target}`), ...copy } };
    if (reported) {
      // A typed copy skips a value of another class (its `if`); the report tells it by the class.
      toReport(rule.destination);
      return [write];
    }
    return [write, ...reject(conform)];
  }
  const keyed = keyedLookup(rule.value.transforms, conform);
  if (rule.value.transforms.length !== 1 && !keyed) return undefined;
  const t = keyed?.lookup ?? rule.value.transforms[0]!;
  const scripted = t.kind === 'lookup' || t.kind === 'lowercase' || (t.kind === 'redact' && t.mode === 'hash');
  if (rule.op !== 'set' && !scripted) return undefined;
  const scriptWrite = {
    source: source.map(ingestString),
    target: rule.destination.map(ingestString),
    append: rule.op === 'append',
  };
  const isString: Cond = { kind: 'instanceOf', path: source, types: ['String'], ...k };
  /** The processor, and the error of a present value its `if` shape (with the declared type) leaves out. */
  const guarded = (accept: Cond, processor: (cond: string) => Processor): Processor[] => {
    const shape = both(conform, accept)!;
    return [processor(renderCond(and(shape, when)!)), ...reject(shape)];
  };
  /**
   * A reported rule's processor reports nothing itself: it skips a value outside its shape and
   * ignores its own failure; the report then finds the target missing and appends the error.
   */
  const failure = (): { on_failure: Processor[] } | { ignore_failure: true } =>
    reported ? { ignore_failure: true } : { on_failure: [error()] };
  const guardedOrReported = (accept: Cond, processor: (cond: string) => Processor): Processor[] => {
    if (!reported) return guarded(accept, processor);
    toReport(rule.destination);
    return [processor(renderCond(and(both(conform, accept)!, when)!))];
  };
  switch (t.kind) {
    case 'convert': {
      if (t.to === 'double') return undefined;
      const shape = accepted(t, source, known)!;
      return guardedOrReported(shape, (cond) => ({
        convert: {
          tag: b.tag(`convert_${t.to}_${target}`),
          field,
          target_field: target,
          type: CONVERT_TYPE[t.to]!,
          if: cond,
          ...failure(),
        },
      }));
    }
    case 'date': {
      if (!leanDateFormats(t.formats)) return undefined;
      // One `==~` over the alternatives (each anchored) rather than one test per format.
      const shape: Cond = { kind: 'matches', path: source, regex: formatRegex(t.formats), ...k };
      return guardedOrReported(shape, (cond) => ({
        date: {
          tag: b.tag(`date_${target}`),
          field,
          target_field: target,
          formats: t.formats.map(dateFormatName),
          if: cond,
          ...failure(),
        },
      }));
    }
    case 'lowercase': {
      // One script ({@link LOWERCASE_WRITE_SCRIPT}: the simple mapping per code point), whose `if`
      // admits strings only (the `lowercase` processor maps a List element-wise and would write
      // it: checked on OpenSearch 2.19). A typed rule (`typedRule`: its target can always be
      // written) reports through the stream's report; any other reports its own failure.
      const shape = both(conform, isString)!;
      const script = (cond: string, handler: { on_failure?: Processor[] }): Processor => ({
        script: {
          tag: b.tag(`lowercase_${target}`),
          lang: 'painless',
          source: LOWERCASE_WRITE_SCRIPT,
          params: scriptWrite,
          if: cond,
          ...handler,
        },
      });
      if (reported?.types && rule.op === 'append') {
        toReport(rule.destination);
        return [script(renderCond(and(shape, when)!), {})];
      }
      if (reported?.types) {
        // The `lowercase` processor (`String.toLowerCase(Locale.ROOT)`, the full mapping) gives the
        // simple mapping but for U+0130 and the final sigma: for a value holding either, the
        // script after it writes the simple mapping over the processor's
        // (https://www.unicode.org/Public/15.1.0/ucd/SpecialCasing.txt).
        toReport(rule.destination);
        const special: Cond = {
          kind: 'or',
          conds: LOWER_FIRST_WITH_SIGMA.map(([from]) => ({
            kind: 'text',
            path: source,
            method: 'contains',
            text: from,
            ...k,
          })),
        };
        return [
          {
            lowercase: {
              tag: b.tag(`lowercase_${target}`),
              field,
              target_field: target,
              if: renderCond(and(shape, when)!),
            },
          },
          script(renderCond(and(shape, when, special)!), {}),
        ];
      }
      return guarded(isString, (cond) => script(cond, { on_failure: [error()] }));
    }
    case 'lookup': {
      // One script with the table as a params Map (first entry per key, as the guarded form's
      // first matching `set`), compiled once and shared by every table: an engineer's lookup.
      const cond = and(conform ?? present, when);
      return [
        {
          script: {
            tag: b.tag(`lookup_${t.table}_${target}`),
            lang: 'painless',
            source: t.list
              ? keyed?.text
                ? LOOKUP_TEXT_LIST_WRITE_SCRIPT
                : LOOKUP_LIST_WRITE_SCRIPT
              : keyed?.text
                ? LOOKUP_TEXT_WRITE_SCRIPT
                : LOOKUP_WRITE_SCRIPT,
            params: { ...scriptWrite, ...tableParams(t) },
            ...ifOf(cond),
            ...(reported?.types ? {} : { on_failure: [error()] }),
          },
        },
        ...(reported?.types ? (toReport(rule.destination), []) : reject(conform)),
      ];
    }
    case 'redact': {
      const stringOrAny = conform === undefined || JSON.stringify(conform) === JSON.stringify(isString);
      if (t.mode === 'hash' && !stringOrAny) return undefined;
      if (t.mode === 'hash') {
        // One script: the cast fails for any value that is not a String (no guard needed), as does
        // a target that cannot be written; both delete the source (redaction fails closed).
        return [
          {
            script: {
              tag: b.tag(`hash_${target}`),
              lang: 'painless',
              source: HASH_WRITE_SCRIPT,
              params: scriptWrite,
              ...ifOf(and(present, when)),
              on_failure: [
                error(),
                {
                  remove: {
                    tag: b.tag(`drop_unredacted_${field}`),
                    field: fieldTemplate(source),
                    ignore_missing: true,
                  },
                },
              ],
            },
          },
        ];
      }
      // Redaction fails closed (compiler/ir.ts step 4): a value that is not a string, or a target
      // that cannot be written, deletes the source.
      const drop = (cond?: Cond): Processor => ({
        remove: {
          tag: b.tag(`drop_unredacted_${field}`),
          field: fieldTemplate(source),
          ignore_missing: true,
          ...ifOf(cond),
        },
      });
      const maskFailure = [error(), drop()];
      const mask = (cond: Cond | undefined): Processor => ({
        gsub: {
          tag: b.tag(`mask_${target}`),
          field,
          target_field: target,
          pattern: maskPattern(t.keep),
          replacement: MASK_REPLACEMENT,
          ...ifOf(cond),
          on_failure: maskFailure,
        },
      });
      // A String or missing here: no type test, no error of a violating value (the hash reported it).
      if (hashedBefore(mapping, rule, base)) return [mask(and(present, when))];
      const shape = both(conform, isString)!;
      return [mask(and(shape, when)), ...reject(shape), drop(and(present, when, { kind: 'not', cond: shape }))];
    }
    default:
      return undefined;
  }
}

/**
 * How a rule may join a {@link sourceGroup}, by the key its table reads: a typed `lookup` or
 * `keyword | lookup` (`typedRule`; {@link keyedLookup}: `text` when the table is read by the
 * value's text), or a typed `lowercase` of a path declared a String (so that the group's one
 * `if`, the declared type, is also the lowercase's: `value`); undefined when it may not.
 */
function groupable(rule: RuleIR, plan: LeanPlan): 'value' | 'text' | undefined {
  if (plan.reported.get(rule)?.types === undefined || rule.value.kind !== 'field') return undefined;
  const conform = conformCond(rule.value.source, rule.value.path, 0);
  const keyed = keyedLookup(rule.value.transforms, conform);
  if (keyed) return keyed.text ? 'text' : 'value';
  const t = rule.value.transforms.length === 1 ? rule.value.transforms[0] : undefined;
  const lower =
    t?.kind === 'lowercase' &&
    conform?.kind === 'instanceOf' &&
    conform.types.length === 1 &&
    conform.types[0] === 'String';
  return lower ? 'value' : undefined;
}

/**
 * The rules from `rules[i]` on that one script maps ({@link SOURCE_GROUP_SCRIPT}): two or more
 * consecutive {@link groupable} rules of the same record path whose tables read the same key (the
 * value, or its text: one script converts it once for all; none writes what another reads: their
 * targets are outside the record); `[]` otherwise.
 */
export function sourceGroup(rules: readonly RuleIR[], i: number, plan: LeanPlan): readonly RuleIR[] {
  const first = rules[i]!;
  const key = groupable(first, plan);
  if (!key || first.value.kind !== 'field') return [];
  const path = first.value.path;
  // A list table's output needs the list-capable write, which the lowercase scripts lack.
  const isList = (r: RuleIR): boolean =>
    r.value.kind === 'field' && r.value.transforms.some((t) => t.kind === 'lookup' && t.list === true);
  const isLower = (r: RuleIR): boolean =>
    r.value.kind === 'field' && r.value.transforms.some((t) => t.kind === 'lowercase');
  let lists = isList(first);
  let lower = isLower(first);
  let j = i + 1;
  while (j < rules.length) {
    const r = rules[j]!;
    if (groupable(r, plan) !== key || r.value.kind !== 'field' || !samePath(r.value.path, path)) break;
    lists ||= isList(r);
    lower ||= isLower(r);
    if (lists && lower) break;
    j++;
  }
  return j - i >= 2 ? rules.slice(i, j) : [];
}

/**
 * One script for a {@link sourceGroup}: the value is read once and mapped by each rule (its table,
 * or the simple lowercase) into its target, in rule order; each rule's report entry in rule order
 * (each fails exactly on a value of another class, which the script's `if` skips).
 */
export function sourceGroupSteps(
  b: Builder,
  rules: readonly RuleIR[],
  base: FieldPath,
  plan: LeanPlan,
  report: (entry: Reported) => void,
): Processor[] {
  const first = rules[0]!;
  if (first.value.kind !== 'field') return [];
  const source = [...base, ...first.value.path];
  const conform = conformCond(first.value.source, source, plan.known);
  const names: string[] = [];
  let text = false;
  let lists = false;
  const maps = rules.map((rule) => {
    const keyed =
      rule.value.kind === 'field'
        ? keyedLookup(rule.value.transforms, conformCond(rule.value.source, source, plan.known))
        : undefined;
    if (keyed?.text) text = true;
    const t = keyed?.lookup ?? (rule.value.kind === 'field' ? rule.value.transforms[0] : undefined);
    const r = plan.reported.get(rule);
    if (r && !r.silent)
      report({
        source,
        types: r.types!,
        message: conversionErrorMessage(rule),
        consume: false,
        keepable: !overlapsRedacted(b.stream.mapping, first.value.kind === 'field' ? first.value.path : []),
      });
    const write = { target: rule.destination.map(ingestString), append: rule.op === 'append' };
    if (t?.kind === 'lowercase') {
      names.push('lowercase');
      return { lowercase: true, ...write };
    }
    if (t?.kind !== 'lookup') throw new Error('sourceGroupSteps: neither a lookup nor a lowercase');
    names.push(t.table);
    if (t.list) lists = true;
    return { ...tableParams(t), ...write };
  });
  const groupIf = conform ?? { kind: 'present', path: source, ...(plan.known > 0 ? { known: plan.known } : {}) };
  const lowered = loweredApart(rules, source);
  if (lowered) {
    // The `lowercase` processor for the one lowercase, then the lookups and its fix-up in one
    // script ({@link SOURCE_LOOKUPS_LOWER_SCRIPT}, which overwrites the processor's full lowercase
    // of a value holding İ or Σ).
    const target = lowered.destination;
    return [
      {
        lowercase: {
          tag: b.tag(`lowercase_${dotted(target)}`),
          field: dotted(source),
          target_field: dotted(target),
          if: renderCond(groupIf),
        },
      },
      {
        script: {
          tag: b.tag(`map_${names.join('_')}`),
          lang: 'painless',
          source: SOURCE_LOOKUPS_LOWER_SCRIPT,
          params: {
            source: source.map(ingestString),
            maps: maps.filter((m) => !('lowercase' in m)),
            lower: target.map(ingestString),
          },
          if: renderCond(groupIf),
        },
      },
    ];
  }
  return [
    {
      script: {
        tag: b.tag(`map_${names.join('_')}`),
        lang: 'painless',
        source: text
          ? lists
            ? SOURCE_TEXT_LIST_LOOKUPS_SCRIPT
            : SOURCE_TEXT_LOOKUPS_SCRIPT
          : lists
            ? SOURCE_LIST_LOOKUPS_SCRIPT
            : maps.some((m) => 'lowercase' in m)
              ? SOURCE_GROUP_SCRIPT
              : SOURCE_LOOKUPS_SCRIPT,
        params: { source: source.map(ingestString), maps },
        if: renderCond(groupIf),
      },
    },
  ];
}

/**
 * The group's one `lowercase` rule when it can be the `lowercase` processor with
 * {@link SOURCE_LOOKUPS_LOWER_SCRIPT} after it: a plain `set`, into a dotted target that no other
 * rule of the group writes (at, above or below it), so its place among the group's writes does
 * not matter; undefined otherwise (the group keeps {@link SOURCE_GROUP_SCRIPT}).
 */
function loweredApart(rules: readonly RuleIR[], source: FieldPath): RuleIR | undefined {
  const lowers = rules.filter((r) => r.value.kind === 'field' && r.value.transforms[0]?.kind === 'lowercase');
  if (lowers.length !== 1) return undefined;
  const lower = lowers[0]!;
  if (lower.op !== 'set' || !isDottable(lower.destination) || !isDottable(source)) return undefined;
  const apart = rules.every((r) => r === lower || !overlap(r.destination, lower.destination));
  return apart ? lower : undefined;
}
