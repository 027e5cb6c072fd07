/**
 * Lowers one stream's {@link MappingIR} to an Elasticsearch ingest pipeline
 * (`data_stream/<stream>/elasticsearch/ingest_pipeline/default.yml`) that implements the record
 * semantics of `compiler/ir.ts` (module comment, steps 1-8) with standard processors, and Painless
 * `script` processors only for what no standard processor computes (document id, SHA-256, simple
 * uppercase mapping).
 *
 * Layout of one pipeline:
 * 0. `terminate` for the Agent's own error events (`error.message`, no `message`: they are indexed
 *    as sent; `./conventions.ts`), then `rename @timestamp` (the Elastic Agent's collection time) to `_mapc.collected`, so that
 *    step 5's "target exists" tests on `@timestamp` see only what a rule wrote: a consumed date
 *    source whose conversion failed stays in the namespace, as the IR orders it;
 * 1. `set event.original` (with `original when`, and only while the tag `preserve_original_event`
 *    is present, which the CEL stream template adds while the map's setting is true:
 *    `./conventions.ts`; every bool setting of a `when setting.x` condition reaches the pipeline
 *    as a `ctx.tags` entry of its own name, see `./cel/stream-template.ts` `pipelineTagSettings`),
 *    `json` parse of `message` into the namespace (or the temporary `_mapc.record`), `remove
 *    message`, a `drop` processor per `drop when` (on the record as received);
 * 2. the document-id `script` (reads the original record before any rule runs);
 * 3. per rule: either one `set`/`append`, or — when the rule has transforms — `set _mapc.v`,
 *    the transform steps on `_mapc.v`, then `set`/`append` of the target from `_mapc.v`. Each
 *    transform step that can fail is preceded by a `fail` guard that rejects what the IR's strict
 *    conversion rules reject but Elasticsearch's processors would accept (e.g. `convert` on a
 *    list converts every element; `Long.decode`-style inputs), and carries an `on_failure` that
 *    drops `_mapc.v` and appends {@link conversionErrorMessage} to `error.message`; for a rule
 *    that redacts (`hash`, `mask`), that handler also removes the rule's source field, and the
 *    target's `set`/`append` carries it too (redaction fails closed, compiler/ir.ts step 4);
 *    With a record schema the lean lowering of `./lean.ts` replaces steps 3-5 rule by rule (its
 *    failure report also deletes consumed sources), sets `@timestamp` aside in ingest metadata
 *    only when a rule writes it, and removes `_mapc` only when a step used it;
 * 3a. per `geoip` / `asn` (compiler/ir.ts step 4a), the `geoip` processor (`./enrich.ts`);
 * 4. `remove` of `mapping.remove` paths, then of consumed source paths whose target exists
 *    (kept while the tag `preserve_duplicate_custom_fields` is present, except the sources of
 *    redacting rules; a consumed copy the lean lowering moved with `rename` is not kept; in the
 *    lean form without `remove` paths the last failure report removes them); with `drop empty`,
 *    the {@link DROP_EMPTY_SCRIPT} `script` over the namespace;
 * 5. step 8: `rename _mapc.collected` back to `@timestamp` when no rule wrote one (the pipeline's
 *    `on_failure` does the same, so a failed document also keeps a `@timestamp` for its data
 *    stream); `remove _mapc`.
 *
 * Where the processors' own semantics differ from the IR's, the pipeline adds steps instead of
 * inheriting the difference: dates run one shape-guarded step per format (the processor's
 * ISO8601 parser is lenient, its UNIX format uses binary floating point), epochs go through an
 * exact decimal script, lowercase pre-maps the two characters whose full case mapping differs
 * from the simple one, uppercase is a per-code-point script, `convert double` rejects infinities.
 * Lookups are one `set` per table entry (standard processors, each entry visible and tagged;
 * tables are small) rather than one script with a params map.
 *
 * Remaining differences from the reference interpreter, all outside the fixtures: document-id
 * text of object, array or exponent-form number values (Java `toString()`); integers beyond
 * ±2^53 (exact here, rounded in JavaScript); a JSON number written `5.0` is a Double here (so
 * `keyword`/`long` reject it) but an integer in JavaScript; year 0000 is refused; Painless's loop
 * limit (1,000,000 iterations) bounds the uppercase and id scripts.
 *
 * Processor options and behaviour: https://www.elastic.co/guide/en/elasticsearch/reference/8.17/processors.html
 * (one page per processor). `append` with `copy_from` needs Elasticsearch 9.2.0 or later
 * (https://github.com/elastic/elasticsearch/pull/132003).
 *
 * Every processor is built as an `estypes.IngestProcessorContainer`, so `tsc` checks each against
 * the official Elasticsearch types (`@elastic/elasticsearch` 9.4.3).
 *
 * Map text reaches the pipeline only through `./quote.ts`: the options Elasticsearch compiles as
 * Mustache (`set`/`append` `field` and `value`, `remove` `field`, `fail` `message`) through
 * {@link mustacheText}, Painless conditions through `painlessString`/`painlessRegexText`, date
 * formats through {@link javaDatePattern}, script parameters and `copy_from` paths through
 * {@link ingestString}. A record path with a segment the dotted field syntax cannot name (one
 * holding `.`, or empty) is read and removed by constant Painless scripts walking `params.path`
 * ({@link READ_SCRIPT}, {@link REMOVE_SCRIPT}); only a rule *target* must be a dotted name.
 *
 * @module
 */
import {
  conversionErrorMessage,
  RAW_ID_MAX_BYTES,
  RAW_ID_MAX_INTEGER,
  redactedSource,
  type FieldPath,
  type IntegrationIR,
  type RuleIR,
  type StreamIR,
  type TransformIR,
  selectText,
} from '../../compiler/ir.ts';

import { LOWER_FIRST_WITH_SIGMA } from '../../compiler/unicode-case.ts';
import { conditionTests, mappingConditions, overlap, samePath } from '../../compiler/rule-paths.ts';
import { commentText } from '../shared/prose.ts';
import {
  and,
  DOC_ID_SCRIPT,
  DROP_EMPTY_SCRIPT,
  RAW_ID_SCRIPT,
  READ_SCRIPT,
  REMOVE_SCRIPT,
  SHA256_SCRIPT,
  UPPERCASE_SCRIPT,
  renderCond,
  SELECT_SCRIPT,
  ELEMENTS_SCRIPT,
  type Cond,
} from './painless.ts';
import {
  COLLECTED_ASIDE,
  conformCond,
  leanPlan,
  leanRuleSteps,
  sourceGroup,
  sourceGroupSteps,
  overlapsRedacted,
  reportProcessors,
  type LeanPlan,
  type Reported,
  type ReportConsumed,
} from './lean.ts';
import { enrichProcessors, userAgentProcessor } from './enrich.ts';
import { dataCollectionTerminate, PRESERVE_DUPLICATES_TAG, PRESERVE_ORIGINAL_TAG, tagAbsent } from './conventions.ts';
import { grokExtract, ingestString, javaDatePattern, javaLiteralRegex, located, mustacheText } from './quote.ts';

/**
 * A lookup output as a `set` value: a string as a Mustache template of its text, a list table's
 * list as a list of them (the `set` processor renders each string of a list value as a template:
 * https://www.elastic.co/guide/en/elasticsearch/reference/8.19/set-processor.html).
 */
function lookupValue(to: string | readonly string[]): string | string[] {
  return typeof to === 'string' ? mustacheText(to) : to.map(mustacheText);
}
import {
  TEMP_ROOT,
  TEMP_VALUE,
  TEMP_EXTRACT,
  TEMP_LOOKUP,
  TEMP_COLLECTED,
  TIMESTAMP,
  restoreCollected,
  maskPattern,
  MASK_REPLACEMENT,
  METADATA,
  Builder,
  isDottable,
  dotted,
  readInto,
  removal,
  recordBase,
  conditionOf,
  nowStep,
  write,
  dateSteps,
  accepted,
  CONVERT_TYPE,
  type Processor,
  type PipelineResult,
  setsItsOwnSource,
} from './ingest-steps.ts';

const transformName = (t: TransformIR): string =>
  t.kind === 'convert' ? t.to : t.kind === 'redact' ? `redact ${t.mode}` : t.kind;

/** The processors of one transform on `_mapc.v`; each runs only while `_mapc.v` holds a value. */
function transformSteps(b: Builder, rule: RuleIR, t: TransformIR, onFailure: () => Processor[]): Processor[] {
  const field = dotted(TEMP_VALUE);
  const active: Cond = { kind: 'present', path: TEMP_VALUE };
  const steps: Processor[] = [];
  const target = rule.destination.join('.');
  const guard = accepted(t);
  if (guard) {
    steps.push({
      fail: {
        tag: b.tag(`reject_${t.kind}_${target}`),
        message: mustacheText(`mapc: value of ${valueText(rule)} does not fit ${transformName(t)}`),
        if: renderCond({ kind: 'and', conds: [active, { kind: 'not', cond: guard }] }),
        on_failure: onFailure(),
      },
    });
  }
  // Every guard implies a value is present (`instanceof` is false on null).
  const when = renderCond(guard ?? active);
  switch (t.kind) {
    case 'convert':
      steps.push({
        convert: {
          tag: b.tag(`convert_${t.to}_${target}`),
          field,
          type: CONVERT_TYPE[t.to]!,
          if: when,
          on_failure: onFailure(),
        },
      });
      if (t.to === 'double') {
        // `Double.parseDouble("1e999")` is Infinity, which the IR rejects (and JSON cannot hold).
        steps.push({
          fail: {
            tag: b.tag(`reject_infinite_${target}`),
            message: 'mapc: the value is beyond the double range',
            if: renderCond({
              kind: 'and',
              conds: [active, { kind: 'beyond', path: TEMP_VALUE, limit: Number.MAX_VALUE }],
            }),
            on_failure: onFailure(),
          },
        });
        // `-0` parses to -0.0, which the IR (and JSON) write as 0.
        steps.push({
          set: {
            tag: b.tag(`unsigned_zero_${target}`),
            field,
            value: 0,
            if: renderCond({ kind: 'equals', path: TEMP_VALUE, value: 0 }),
          },
        });
      }
      break;
    case 'date':
      steps.push(...dateSteps(b, target, t.formats, onFailure));
      break;
    case 'lowercase':
      // The processor's `String.toLowerCase(Locale.ROOT)` is the full mapping; it differs from the
      // IR's simple mapping only for U+0130 (full: `i` + U+0307) and the context-dependent final
      // sigma (SpecialCasing.txt, https://www.unicode.org/Public/15.1.0/ucd/SpecialCasing.txt).
      // Mapping those two to their simple lowercase first leaves nothing for the rules to change.
      for (const [from, to] of LOWER_FIRST_WITH_SIGMA) {
        steps.push({
          gsub: {
            tag: b.tag(`simple_lowercase_${target}`),
            field,
            pattern: from,
            replacement: to,
            if: when,
            on_failure: onFailure(),
          },
        });
      }
      steps.push({ lowercase: { tag: b.tag(`lowercase_${target}`), field, if: when, on_failure: onFailure() } });
      break;
    case 'uppercase':
      steps.push({
        script: {
          tag: b.tag(`uppercase_${target}`),
          lang: 'painless',
          source: UPPERCASE_SCRIPT,
          if: when,
          on_failure: onFailure(),
        },
      });
      break;
    case 'redact':
      if (t.mode === 'hash') {
        steps.push({
          script: {
            tag: b.tag(`hash_${target}`),
            lang: 'painless',
            source: SHA256_SCRIPT,
            if: when,
            on_failure: onFailure(),
          },
        });
      } else {
        steps.push({
          gsub: {
            tag: b.tag(`mask_${target}`),
            field,
            pattern: maskPattern(t.keep),
            replacement: MASK_REPLACEMENT,
            if: when,
            on_failure: onFailure(),
          },
        });
      }
      break;
    case 'lookup': {
      // One `set` per table entry (into `_mapc.l`, so an entry's output can never match a later
      // entry's key), then the default, then `_mapc.l` replaces `_mapc.v`. Standard processors
      // keep every entry visible and tagged; a table is small, and each condition is one equality.
      for (const [i, entry] of t.entries.entries()) {
        steps.push({
          set: {
            tag: b.tag(`lookup_${t.table}_${i + 1}_${target}`),
            field: dotted(TEMP_LOOKUP),
            value: lookupValue(entry.to),
            if: renderCond({ kind: 'equals', path: TEMP_VALUE, value: entry.from }),
          },
        });
      }
      if (t.default !== undefined) {
        steps.push({
          set: {
            tag: b.tag(`lookup_${t.table}_default_${target}`),
            field: dotted(TEMP_LOOKUP),
            value: lookupValue(t.default),
            if: renderCond({
              kind: 'and',
              conds: [active, { kind: 'not', cond: { kind: 'present', path: TEMP_LOOKUP } }],
            }),
          },
        });
      }
      steps.push({ remove: { tag: b.tag(`lookup_${t.table}_drop_input_${target}`), field, ignore_missing: true } });
      steps.push({
        rename: {
          tag: b.tag(`lookup_${t.table}_result_${target}`),
          field: dotted(TEMP_LOOKUP),
          target_field: field,
          ignore_missing: true,
        },
      });
      break;
    }
    case 'json':
      // The processor parses the String in place into a Map, List, String, Number or Boolean, or
      // null for the text `null`, which the write then skips (a null value is no value).
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/json-processor.html
      steps.push({ json: { tag: b.tag(`json_${target}`), field, if: when, on_failure: onFailure() } });
      break;
    case 'extract': {
      // The grok processor (Joni, Ruby syntax; the pattern as `grokExtract` writes it) searches the
      // String for the leftmost match; no match fails it, and a non-String too. Its capture goes to
      // `_mapc.x` (absent when the group took no part in the match); an absent or empty capture
      // fails the rule, else it replaces `_mapc.v`. Grok matches run under the ingest node's
      // watchdog (`ingest.grok.watchdog.max_execution_time`, 1 s by default).
      // https://docs.opensearch.org/docs/2.19/ingest-pipelines/processors/grok/
      const grok = located(t.loc, () => grokExtract(t.regex, 'MAPC_EXTRACT', dotted(TEMP_EXTRACT)));
      // Named groups: each capture under `_mapc.x.<name>`; an empty one is removed, and the rule
      // fails when none is left.
      const names = t.regex.names;
      const nonEmpty = (path: FieldPath): Cond => ({
        kind: 'and',
        conds: [
          { kind: 'present', path },
          { kind: 'not', cond: { kind: 'equals', path, value: '' } },
        ],
      });
      const captured: Cond =
        names === undefined
          ? nonEmpty(TEMP_EXTRACT)
          : { kind: 'or', conds: names.map((n) => ({ kind: 'present', path: [...TEMP_EXTRACT, n] }) as Cond) };
      steps.push({
        remove: { tag: b.tag(`extract_clear_${target}`), field: dotted(TEMP_EXTRACT), ignore_missing: true },
      });
      steps.push({
        grok: {
          tag: b.tag(`extract_${target}`),
          field,
          patterns: [grok.pattern],
          pattern_definitions: grok.definitions,
          if: when,
          on_failure: onFailure(),
        },
      });
      for (const n of names ?? []) {
        steps.push({
          remove: {
            tag: b.tag(`extract_empty_${n}_${target}`),
            field: dotted([...TEMP_EXTRACT, n]),
            if: renderCond({ kind: 'equals', path: [...TEMP_EXTRACT, n], value: '' }),
          },
        });
      }
      steps.push({
        fail: {
          tag: b.tag(`extract_empty_${target}`),
          message: mustacheText(`mapc: value of ${valueText(rule)} does not fit extract`),
          if: renderCond({ kind: 'and', conds: [active, { kind: 'not', cond: captured }] }),
          on_failure: onFailure(),
        },
      });
      steps.push({ remove: { tag: b.tag(`extract_input_${target}`), field, if: renderCond(captured) } });
      steps.push({
        rename: {
          tag: b.tag(`extract_result_${target}`),
          field: dotted(TEMP_EXTRACT),
          target_field: field,
          if: renderCond(captured),
        },
      });
      break;
    }
    case 'kv': {
      // On the text the guard lets through (`javaKvShape`), the kv processor gives the IR's object:
      // it splits on the field separator (a Java regex of the literal text, `String.split`: no
      // empty piece remains), each piece at the first value separator (limit 2), and appends a
      // repeated key's values in order. Its keys go under `_mapc.x`, which then replaces `_mapc.v`.
      // https://docs.opensearch.org/docs/2.19/ingest-pipelines/processors/kv/
      steps.push({ remove: { tag: b.tag(`kv_clear_${target}`), field: dotted(TEMP_EXTRACT), ignore_missing: true } });
      steps.push({
        kv: {
          tag: b.tag(`kv_${target}`),
          field,
          field_split: located(t.loc, () => javaLiteralRegex(t.fieldSeparator)),
          value_split: located(t.loc, () => javaLiteralRegex(t.valueSeparator)),
          target_field: dotted(TEMP_EXTRACT),
          if: when,
          on_failure: onFailure(),
        },
      });
      const parsed: Cond = { kind: 'present', path: TEMP_EXTRACT };
      steps.push({ remove: { tag: b.tag(`kv_input_${target}`), field, if: renderCond(parsed) } });
      steps.push({
        rename: {
          tag: b.tag(`kv_result_${target}`),
          field: dotted(TEMP_EXTRACT),
          target_field: field,
          if: renderCond(parsed),
        },
      });
      break;
    }
    case 'split': {
      // The processor splits with `String.split(separator)` (Java regex, no limit: trailing empty
      // pieces dropped, as the IR), but gives `[""]` for `""`, where the IR gives `[]`: the empty
      // string becomes `[]` first, which the processor's `if` (a String) then skips.
      // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/split-processor.html
      steps.push({
        set: {
          tag: b.tag(`split_empty_${target}`),
          field,
          value: [],
          if: renderCond({ kind: 'equals', path: TEMP_VALUE, value: '' }),
        },
      });
      steps.push({
        split: {
          tag: b.tag(`split_${target}`),
          field,
          separator: located(t.loc, () => javaLiteralRegex(t.separator)),
          if: when,
          on_failure: onFailure(),
        },
      });
      break;
    }
  }
  return steps;
}

/**
 * The processors of one rule; map text that cannot be carried is refused at the rule. `lean`: the
 * stream's lean plan (`./lean.ts`, present when it has a record schema); `report` gathers the
 * rule's entry in the failure report when the plan reports it.
 */
function ruleProcessors(
  b: Builder,
  rule: RuleIR,
  base: FieldPath,
  lean: LeanPlan | undefined,
  report: (entry: Reported) => void,
): Processor[] {
  return located(rule.loc, () => ruleSteps(b, rule, base, lean, report));
}

function ruleSteps(
  b: Builder,
  rule: RuleIR,
  base: FieldPath,
  lean: LeanPlan | undefined,
  report: (entry: Reported) => void,
): Processor[] {
  if (!b.checkPath(rule.destination, rule.loc, true)) return [];
  const leanSteps = lean ? leanRuleSteps(b, rule, base, lean, report) : undefined;
  if (leanSteps) return leanSteps;
  const known = lean?.known ?? 0;
  const when = rule.when ? conditionOf(rule.when, base, known) : undefined;
  if (rule.value.kind === 'const') return [quiet(rule, write(b, rule, { value: rule.value.value }, when))];
  if (rule.value.kind === 'collection_time') return collectionTimeSteps(b, rule, lean, when);
  if (rule.value.kind === 'copy') {
    // `copy(FIELD)`: the document's own field (an ECS path, always dottable), missing or null does nothing.
    const from = rule.value.from;
    return [quiet(rule, write(b, rule, { copy: from }, and({ kind: 'present', path: from }, when)))];
  }
  if (rule.value.kind === 'select') {
    // A selected element (compiler/ir.ts ValueIR `select`): one script finds it and reads its
    // value into the scratch value, with the array, key, literal and rest path as params.
    const { array, key, equals, rest } = rule.value;
    const read: Processor = {
      script: {
        tag: b.tag(`select_${rule.destination.join('.')}`),
        lang: 'painless',
        source: SELECT_SCRIPT,
        params: {
          array: [...base, ...array].map(ingestString),
          key: key.map(ingestString),
          value: located(rule.value.equalsLoc ?? rule.loc, () =>
            typeof equals === 'string' ? ingestString(equals) : equals,
          ),
          rest: rest.map(ingestString),
        },
        ...(when ? { if: renderCond(when) } : {}),
      },
    };
    return readThenWrite(b, rule, base, undefined, read);
  }
  if (rule.value.kind === 'elements') {
    // Element fields (compiler/ir.ts ValueIR `elements`): one script builds the new array into
    // the scratch value, with the array path, names and paths as params.
    const { array, fields, nameLocs } = rule.value;
    const read: Processor = {
      script: {
        tag: b.tag(`elements_${rule.destination.join('.')}`),
        lang: 'painless',
        source: ELEMENTS_SCRIPT,
        params: {
          array: [...base, ...array].map(ingestString),
          names: fields.map((f, i) => located(nameLocs?.[i] ?? rule.loc, () => ingestString(f.name))),
          from: fields.map((f) => f.from.map(ingestString)),
        },
        ...(when ? { if: renderCond(when) } : {}),
      },
    };
    return readThenWrite(b, rule, base, undefined, read);
  }
  const source = [...base, ...rule.value.path];
  const present: Cond = { kind: 'present', path: source, ...(known > 0 ? { known } : {}) };
  if (rule.value.transforms.length === 0 && isDottable(source)) {
    if (setsItsOwnSource(rule, source)) return [];
    // An `on_error ignore` rule of the lean form comes here (./lean.ts leaves it): a value its
    // declaration does not allow is not written, and fails quietly (tier 2).
    const conform = lean && rule.onError === 'ignore' ? conformCond(rule.value.source, source, known) : undefined;
    return [quiet(rule, write(b, rule, { copy: source }, and(conform ?? present, when)))];
  }

  const read = readInto(b, source, and(present, when), `read_${rule.value.path.join('.')}`);
  // With a record schema, a value its declaration does not allow fails the rule (compiler/ir.ts, tier 2).
  const conform = lean ? conformCond(rule.value.source, TEMP_VALUE, 0) : undefined;
  return readThenWrite(b, rule, base, conform, read);
}

/** The map's text of a rule's value, for messages: its path or selection, or `constant`. */
function valueText(rule: RuleIR): string {
  if (rule.value.kind === 'field') return rule.value.path.join('.');
  return rule.value.kind === 'select' ? selectText(rule.value) : 'constant';
}

/**
 * The general form of a rule that reads a value: `read` puts it in the scratch value (nothing
 * when missing or null), `conform` (with a schema) fails a value its declaration does not allow,
 * then each transform, the write, and the scratch value cleared.
 */
function readThenWrite(
  b: Builder,
  rule: RuleIR,
  base: FieldPath,
  conform: Cond | undefined,
  read: Processor,
): Processor[] {
  const message = mustacheText(conversionErrorMessage(rule));
  const target = dotted(rule.destination);
  // Redaction fails closed (compiler/ir.ts step 4): a failing rule that redacts also deletes its source.
  const unredacted = redactedSource(rule);
  const onFailure = (): Processor[] => [
    { remove: { tag: b.tag(`drop_failed_${target}`), field: dotted(TEMP_VALUE), ignore_missing: true } },
    // `on_error ignore` (compiler/ir.ts RuleIR.onError): the failure appends nothing.
    ...(rule.onError === 'ignore'
      ? []
      : [{ append: { tag: b.tag(`error_${target}`), field: 'error.message', value: message } }]),
    ...(unredacted
      ? [
          {
            remove: {
              tag: b.tag(`drop_unredacted_${dotted(unredacted)}`),
              field: dotted([...base, ...unredacted]),
              ignore_missing: true,
            },
          },
        ]
      : []),
  ];
  const out: Processor[] = [read];
  if (conform) {
    out.push({
      fail: {
        tag: b.tag(`reject_undeclared_type_${target}`),
        message: 'mapc: the value does not have its declared type',
        if: renderCond({
          kind: 'and',
          conds: [
            { kind: 'present', path: TEMP_VALUE },
            { kind: 'not', cond: conform },
          ],
        }),
        on_failure: onFailure(),
      },
    });
  }
  const transforms = rule.value.kind === 'field' || rule.value.kind === 'select' ? rule.value.transforms : [];
  for (const t of transforms) out.push(...transformSteps(b, rule, t, onFailure));
  // For a redacting rule, a target that cannot be written (a parent is not an object) fails the
  // rule, as the IR says, rather than the whole document, so that the rule deletes its source.
  out.push(
    quiet(
      rule,
      write(b, rule, { copy: TEMP_VALUE }, { kind: 'present', path: TEMP_VALUE }, unredacted ? onFailure() : undefined),
    ),
  );
  out.push({ remove: { tag: b.tag(`clear_${target}`), field: dotted(TEMP_VALUE), ignore_missing: true } });
  return out;
}

/**
 * `collected_at` (compiler/ir.ts ValueIR `collection_time`): the Agent event's `@timestamp`, which
 * the pipeline set aside before the rules ({@link COLLECTED_ASIDE} in the lean form, else
 * `_mapc.collected`). A `set` of the aside's text into the scratch value (a Mustache template:
 * ingest metadata is readable there, and `ignore_empty_value` makes a missing aside write nothing,
 * https://www.elastic.co/guide/en/elasticsearch/reference/8.19/set-processor.html), then the
 * rule's write as for a record value. Beats write `@timestamp` as `yyyy-MM-ddTHH:mm:ss.SSSZ`
 * (libbeat's event time encoding), the IR's date form, so the text is written as is.
 */
function collectionTimeSteps(
  b: Builder,
  rule: RuleIR,
  lean: LeanPlan | undefined,
  when: Cond | undefined,
): Processor[] {
  const aside = lean ? COLLECTED_ASIDE : dotted(TEMP_COLLECTED);
  const target = dotted(rule.destination);
  return [
    {
      set: {
        tag: b.tag(`read_collection_time_${target}`),
        field: dotted(TEMP_VALUE),
        value: `{{{${aside}}}}`,
        ignore_empty_value: true,
        ...(when ? { if: renderCond(when) } : {}),
      },
    },
    quiet(rule, write(b, rule, { copy: TEMP_VALUE }, { kind: 'present', path: TEMP_VALUE })),
    { remove: { tag: b.tag(`clear_${target}`), field: dotted(TEMP_VALUE), ignore_missing: true } },
  ];
}

/**
 * `on_error ignore` (compiler/ir.ts RuleIR.onError): a rule's write whose target cannot be written
 * (a parent holds a value that is not an object) is skipped (`ignore_failure`,
 * https://www.elastic.co/guide/en/elasticsearch/reference/8.19/ingest.html#handling-pipeline-failures)
 * instead of failing the document; a write with its own `on_failure` (a redacting rule) keeps it.
 */
function quiet(rule: RuleIR, processor: Processor): Processor {
  if (rule.onError !== 'ignore') return processor;
  const [kind, options] = Object.entries(processor as object)[0] as [string, Record<string, unknown>];
  if ('on_failure' in options) return processor;
  return { [kind]: { ...options, ignore_failure: true } } as Processor;
}

/** Builds the ingest pipeline of one stream. Errors (E0400) name the construct that has no ingest form. */
export function buildPipeline(ir: IntegrationIR, stream: StreamIR): PipelineResult {
  const b = new Builder(ir, stream);
  const mapping = stream.mapping;
  const base = recordBase(stream);
  const processors: Processor[] = [];
  // With a record schema (compiler/ir.ts, two tiers): the lean lowering of `./lean.ts`; the kept
  // record's base is an object the `json` processor creates.
  const lean: LeanPlan | undefined = stream.schema ? leanPlan(mapping, base) : undefined;
  const renamedPaths = [...(lean?.renamed.values() ?? [])];
  // Where the Agent's `@timestamp` waits while the rules run: `_mapc.collected`, or in the lean
  // form ingest metadata (no clean-up), and only when a rule writes `@timestamp`.
  const aside = lean ? (lean.asideCollected ? COLLECTED_ASIDE : undefined) : dotted(TEMP_COLLECTED);

  if (mapping.keepUnmapped) b.checkPath(mapping.namespace, stream.loc, true);
  processors.push(dataCollectionTerminate());
  if (aside) {
    processors.push({
      rename: {
        tag: b.tag('set_aside_collection_timestamp'),
        field: dotted(TIMESTAMP),
        target_field: aside,
        ignore_missing: true,
      },
    });
  }
  if (mapping.original) {
    // Only when the operator asked for it (the tag): no later removal, on success or failure.
    processors.push({
      set: {
        tag: b.tag('set_event_original'),
        field: 'event.original',
        copy_from: 'message',
        if: renderCond({ kind: 'tag', name: PRESERVE_ORIGINAL_TAG }),
      },
    });
  }
  // The time `now` tests compare with (compiler/ir.ts ConditionIR `now`), kept where Painless reads it.
  if (mappingConditions(mapping).some((c) => conditionTests(c).some((t) => t.kind === 'now'))) {
    processors.push(nowStep(b));
  }
  processors.push({ json: { tag: b.tag('parse_message'), field: 'message', target_field: dotted(base) } });
  processors.push({ remove: { tag: b.tag('remove_message'), field: 'message', ignore_missing: true } });
  // `drop when` (compiler/ir.ts MappingIR.drop): on the record as received, before any rule. The
  // `drop` processor stops the pipeline and indexes nothing
  // (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/drop-processor.html).
  for (const [i, c] of (mapping.drop ?? []).entries()) {
    const when = located(mapping.dropLoc?.[i], () => renderCond(conditionOf(c, base, lean?.known ?? 0)));
    processors.push({ drop: { tag: b.tag(`drop_record_${i + 1}`), if: when } });
  }

  const id = mapping.documentId;
  if (id?.kind === 'raw') {
    // The vendor id as is (compiler/ir.ts RawDocumentIdIR); the path is a parameter, data only.
    const path = located(id.loc, () => [...base, ...id.field].map(ingestString));
    processors.push({
      script: {
        tag: b.tag('set_document_id'),
        lang: 'painless',
        source: RAW_ID_SCRIPT,
        params: { path, max_bytes: RAW_ID_MAX_BYTES, max_integer: RAW_ID_MAX_INTEGER },
      },
    });
  } else if (id) {
    // Parameters are data: any segment text works (DOC_ID_SCRIPT walks `path`).
    const fields = located(id.loc, () =>
      id.fields.map((path) => ({
        name: ingestString(path.join('.')),
        path: [...base, ...path].map(ingestString),
      })),
    );
    processors.push({
      script: { tag: b.tag('set_document_id'), lang: 'painless', source: DOC_ID_SCRIPT, params: { fields } },
    });
  }

  // The lean form's failure report (`./lean.ts`): the entries of reported rules since the last
  // report, written before a rule that appends errors itself (so `error.message` keeps rule order)
  // or writes a path an entry reads, and after the last rule.
  const pending: Reported[] = [];
  const flush = (consumed: readonly ReportConsumed[] = []): void => {
    if (pending.length > 0) processors.push(...reportProcessors(b, pending.splice(0), lean?.known ?? 0, consumed));
  };
  for (let i = 0; i < mapping.rules.length; i++) {
    const rule = mapping.rules[i]!;
    if (lean && pending.length > 0) {
      // A copy (`copy(ECS.FIELD)`) reads the document being built: the report goes first.
      const quiet =
        rule.value.kind === 'const' ||
        (rule.value.kind === 'field' &&
          rule.value.transforms.length === 0 &&
          conformCond(rule.value.source, rule.value.path, 0) === undefined);
      // A rule writing what an entry reads, or a `rename` moving an entry's source (the value the
      // entry's rule failed on must still be there).
      const moved = lean.renamed.has(rule) && rule.value.kind === 'field' ? [...base, ...rule.value.path] : undefined;
      const touches = pending.some(
        (p) =>
          overlap(p.source, rule.destination) ||
          (p.target !== undefined && overlap(p.target, rule.destination)) ||
          (moved !== undefined && overlap(p.source, moved)),
      );
      if (touches || !(quiet || lean.reported.has(rule))) flush();
    }
    const group = lean ? sourceGroup(mapping.rules, i, lean) : [];
    if (lean && group.length > 0 && group.every((r) => b.checkPath(r.destination, r.loc, true))) {
      processors.push(
        ...located(rule.loc, () => sourceGroupSteps(b, group, base, lean, (entry) => pending.push(entry))),
      );
      i += group.length - 1;
      continue;
    }
    processors.push(...ruleProcessors(b, rule, base, lean, (entry) => pending.push(entry)));
  }
  const reportConsumed = mapping.rules.flatMap((r) =>
    lean?.reported.get(r)?.consume && r.value.kind === 'field' ? [r.value.path] : [],
  );
  // The consumed paths step 5 removes (below), unless the last report deletes them: with no
  // `remove` step in the map, it runs after every rule, so its test of each target is step 5's.
  const consumedRemovals = mapping.keepUnmapped
    ? mapping.consumed.filter(
        (c) =>
          // A target that cannot be written was refused with its rule; its source stays.
          c.path.length > 0 &&
          isDottable(c.whenDestinationSet) &&
          !METADATA.has(c.whenDestinationSet[0]!) &&
          // A rule lowered to `rename` deleted it already.
          !renamedPaths.some((p) => samePath(p, c.path)) &&
          // A failure report deleted it already.
          !reportConsumed.some((p) => samePath(p, c.path)),
      )
    : [];
  const inReport =
    lean !== undefined && pending.length > 0 && mapping.remove.length === 0 && (mapping.removeWhen ?? []).length === 0;
  flush(
    inReport
      ? consumedRemovals.map((c) => ({
          path: [...base, ...c.path],
          when: c.whenDestinationSet,
          keepable: !overlapsRedacted(mapping, c.path),
        }))
      : [],
  );

  // Step 4a: `geoip` / `asn` after every rule (compiler/ir.ts EnrichIR, `./enrich.ts`).
  for (const item of mapping.enrich ?? []) processors.push(...enrichProcessors(b, item));
  if (mapping.userAgent !== undefined) processors.push(userAgentProcessor(b, mapping.userAgent));

  // `remove ... when` (compiler/ir.ts MappingIR.removeWhen): the condition once, as a flag, so
  // that removing one path cannot change the test for the next of the same item.
  (mapping.removeWhen ?? []).forEach((item, i) => {
    const flag: FieldPath = [TEMP_ROOT, `rm${i + 1}`];
    processors.push(
      located(item.loc, () => ({
        set: {
          tag: b.tag(`remove_when_${i + 1}`),
          field: dotted(flag),
          value: true,
          if: renderCond(conditionOf(item.when, base, lean?.known ?? 0)),
        },
      })),
    );
    item.paths.forEach((path, j) => {
      if (path.length === 0) return;
      processors.push(
        located(item.pathLocs[j] ?? item.loc, () =>
          removal(b, [...base, ...path], `remove_${path.join('.')}`, { kind: 'present', path: flag }),
        ),
      );
    });
    processors.push({
      remove: { tag: b.tag(`clear_remove_when_${i + 1}`), field: dotted(flag), ignore_missing: true },
    });
  });
  for (const path of mapping.remove) {
    if (path.length === 0) continue;
    processors.push(removal(b, [...base, ...path], `remove_${path.join('.')}`, undefined));
  }
  // Sources of redacting rules (and their parents and children) are never kept as duplicates:
  // a hash's source is the value in clear (`overlapsRedacted`).
  if (!inReport) {
    for (const c of consumedRemovals) {
      processors.push(
        removal(
          b,
          [...base, ...c.path],
          `remove_consumed_${c.path.join('.')}`,
          and(
            { kind: 'present', path: c.whenDestinationSet },
            overlapsRedacted(mapping, c.path) ? undefined : tagAbsent(PRESERVE_DUPLICATES_TAG),
          ),
        ),
      );
    }
  }
  if (mapping.dropEmpty && mapping.namespace.length > 0) {
    processors.push({
      script: {
        tag: b.tag('drop_empty_values'),
        lang: 'painless',
        source: DROP_EMPTY_SCRIPT,
        params: { ns: mapping.namespace.map(ingestString) },
      },
    });
  }
  if (aside) processors.push(restoreCollected(b.tag('restore_collection_timestamp'), aside));
  // The lean form removes `_mapc` only when a step used it (a rule kept in the guarded form, a
  // record not kept); a map text holding `_mapc` only adds this harmless removal.
  const scratch = !lean || JSON.stringify(processors).includes(TEMP_ROOT);
  if (scratch)
    processors.push({ remove: { tag: b.tag('remove_temporary_fields'), field: TEMP_ROOT, ignore_missing: true } });

  const on_failure: Processor[] = [
    {
      append: {
        tag: 'append_pipeline_error',
        field: 'error.message',
        value:
          'Processor {{{_ingest.on_failure_processor_type}}} with tag {{{_ingest.on_failure_processor_tag}}} ' +
          'in pipeline {{{_ingest.on_failure_pipeline}}} failed with message: {{{_ingest.on_failure_message}}}',
      },
    },
    { set: { tag: 'set_pipeline_error_event_kind', field: 'event.kind', value: 'pipeline_error' } },
    ...(aside ? [restoreCollected('restore_collection_timestamp_on_failure', aside)] : []),
    ...(scratch
      ? [{ remove: { tag: 'remove_temporary_fields_on_failure', field: TEMP_ROOT, ignore_missing: true } }]
      : []),
  ];

  return {
    pipeline: {
      description: commentText(
        `Pipeline for ${ir.title} ${stream.title.toLowerCase()} (generated by mapc from ${ir.sourceFile}).`,
        Infinity,
      ),
      processors,
      on_failure,
    },
    diagnostics: b.diagnostics,
  };
}
