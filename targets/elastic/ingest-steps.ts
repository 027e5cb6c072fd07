/**
 * The building blocks of the ingest pipeline of `pipeline.ts` and `lean.ts`: processor types,
 * the scratch fields, the `Builder` that tags processors and reports refusals, conditions, and the
 * read/write/date/transform helpers shared by the guarded and the lean lowering. Kept apart from
 * `pipeline.ts` so that the lean lowering and the pipeline builder do not import each other.
 *
 * @module
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  MASK_SUFFIX,
  type ConditionIR,
  type DateFormat,
  type DatePatternIR,
  type FieldPath,
  type IntegrationIR,
  type RuleIR,
  type SourceSpan,
  type StreamIR,
  type TransformIR,
} from '../../compiler/ir.ts';
import { samePath } from '../../compiler/rule-paths.ts';
import { diagnostic, type Diagnostic } from '../../dsl/diagnostics.ts';
import { commentText } from '../shared/prose.ts';
import {
  EPOCH_MS_SCRIPT,
  LIST_APPEND_SCRIPT,
  READ_SCRIPT,
  REMOVE_SCRIPT,
  renderCond,
  type Cond,
  type NowFormat,
} from './painless.ts';
import { ingestString, javaDatePattern, javaKvShape, mustacheText, type MustacheTemplate } from './quote.ts';

export type Processor = estypes.IngestProcessorContainer;

/** The content of `default.yml`. */
export interface IngestPipeline {
  readonly description: string;
  readonly processors: Processor[];
  readonly on_failure: Processor[];
}

export interface PipelineResult {
  readonly pipeline: IngestPipeline;
  readonly diagnostics: Diagnostic[];
}

/** Root of every temporary field; removed at the end of the pipeline. */
export const TEMP_ROOT = '_mapc';
export const TEMP_VALUE: FieldPath = [TEMP_ROOT, 'v'];
export const TEMP_LOOKUP: FieldPath = [TEMP_ROOT, 'l'];
/** The capture of an `extract` (the grok processor's target). */
export const TEMP_EXTRACT: FieldPath = [TEMP_ROOT, 'x'];
export const TEMP_EPOCH_MS: FieldPath = [TEMP_ROOT, 'ms'];
export const TEMP_DATE: FieldPath = [TEMP_ROOT, 'd'];
export const TEMP_RECORD: FieldPath = [TEMP_ROOT, 'record'];
/** The Elastic Agent's `@timestamp`, set aside while the rules and step 5 run. */
export const TEMP_COLLECTED: FieldPath = [TEMP_ROOT, 'collected'];
export const TIMESTAMP: FieldPath = ['@timestamp'];

/**
 * Step 8: the collection time goes back to `@timestamp` only when no rule wrote one; `from`: where
 * it was set aside (`_mapc.collected`, or ingest metadata in the lean form).
 */
export function restoreCollected(tag: string, from: string = dotted(TEMP_COLLECTED)): Processor {
  // Fixed temporaries only: no map text here.
  return {
    rename: {
      tag,
      field: from,
      target_field: dotted(TIMESTAMP),
      ignore_missing: true,
      if: renderCond({ kind: 'not', cond: { kind: 'present', path: TIMESTAMP } }),
    },
  };
}

/**
 * The mask regex (compiler/ir.ts, TransformIR `redact mask`), one whole-string match with two
 * alternatives: more than `2 × keep` characters captures the first `keep` in group 1; otherwise
 * the second alternative matches and group 1 does not participate, which Java's replacement
 * expands to the empty string (`Matcher.appendReplacement`), leaving `********` alone. The
 * length test is thus part of the one `gsub` (no Painless guard) and non-strings still fail in
 * it. `[\s\S]` (not `.`) so that line terminators count as characters; Java's `Pattern` matches
 * supplementary characters as one code point, like a `u`-flag JavaScript regex and Rust's
 * `regex` crate. Both alternatives consume the whole string, so `$` (which in Java also matches
 * before a final line terminator) only ever matches at the end.
 */
export function maskPattern(keep: number): string {
  return `^(?:([\\s\\S]{${keep}})[\\s\\S]{${keep + 1},}|[\\s\\S]{0,${2 * keep}})$`;
}
/** Group 1 (the kept characters, or nothing), then `MASK_SUFFIX` (`compiler/ir.ts`; no `$` or `\` in it). */
export const MASK_REPLACEMENT = `$1${MASK_SUFFIX}`;

/** Ingest metadata fields a mapped path must not start with (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/ingest.html#access-source-fields). */
export const METADATA = new Set([
  '_index',
  '_id',
  '_routing',
  '_version',
  '_version_type',
  '_if_seq_no',
  '_if_primary_term',
  '_ingest',
  '_source',
  '_dynamic_templates',
  '_now',
  TEMP_ROOT,
]);

/** Whole-string shapes the IR's conversion rules accept (compiler/ir.ts, TransformIR). */
export const LONG_RE = '^-?[0-9]+$';
/** Text made only of JSON whitespace (RFC 8259 `ws`), empty included. */
export const BLANK_JSON_RE = '[ \\t\\n\\r]*';
export const DOUBLE_RE = '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$';
// Year 0000 is excluded: the output pattern's `yyyy` (year-of-era) would write it as 0001.
export const ISO8601_RE =
  '^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$';
export const EPOCH_RE = '^-?[0-9]+(\\.[0-9]+)?$';
/**
 * The characters of an IPv4 dotted quad or an RFC 4291 IPv6 text form, all ASCII. The `convert`
 * processor also takes an IPv6 zone (`fe80::1%eth0`), which the IR does not; and parsers built on
 * Guava's `InetAddresses` (OpenSearch 2.19, older Elasticsearch) read any Unicode decimal digit
 * (`"١٢٣.1.1.1"`), which the IR's text forms do not contain.
 */
export const IP_TEXT_RE = '^[0-9A-Fa-f:.]+$';

export class Builder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly tags = new Map<string, number>();

  constructor(
    readonly ir: IntegrationIR,
    readonly stream: StreamIR,
  ) {}

  /** A unique processor tag derived from `base` (`_2`, `_3`... on repeats). */
  tag(base: string): string {
    const clean =
      base
        .replace(/[^A-Za-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .toLowerCase() || 'processor';
    const n = (this.tags.get(clean) ?? 0) + 1;
    this.tags.set(clean, n);
    return n === 1 ? clean : `${clean}_${n}`;
  }

  error(message: string, loc: SourceSpan, notes: readonly string[] = []): void {
    this.diagnostics.push(
      diagnostic('E0400', 'error', message, { span: loc, message: 'not expressible in an ingest pipeline' }, { notes }),
    );
  }

  /**
   * Checks that a destination path can be written as an ingest field name (dotted, so no segment may
   * hold `.` or be empty) and is not ingest metadata; reports E0400 otherwise.
   */
  checkPath(path: FieldPath, loc: SourceSpan, absolute: boolean): boolean {
    if (!isDottable(path)) {
      this.error(`field path ${commentText(path.join('.'))} cannot be addressed by ingest processors`, loc, [
        'note: ingest processors split field names on `.`',
      ]);
      return false;
    }
    if (absolute && METADATA.has(path[0]!)) {
      this.error(`field ${commentText(path.join('.'))} would write ingest metadata ${commentText(path[0]!)}`, loc);
      return false;
    }
    return true;
  }
}

/** A path every segment of which the dotted field syntax can name. */
export const isDottable = (path: FieldPath): boolean =>
  path.length > 0 && path.every((s) => s !== '' && !s.includes('.'));

/** A dotted path as a plain string option (`copy_from`, `field` of non-template options). */
export const dotted = (path: FieldPath): string => ingestString(path.join('.'));

/** A dotted path as a template option (`field` of `set`, `append`, `remove`). */
export const fieldTemplate = (path: FieldPath): MustacheTemplate => mustacheText(path.join('.'));

/**
 * The steps reading `source` (a record path) into `_mapc.v` when `cond` holds: a `set` with
 * `copy_from`, or {@link READ_SCRIPT} when a segment cannot be dotted.
 */
export function readInto(b: Builder, source: FieldPath, cond: Cond | undefined, tagBase: string): Processor {
  if (isDottable(source)) {
    return {
      set: { tag: b.tag(tagBase), field: dotted(TEMP_VALUE), copy_from: dotted(source), ...ifOf(cond) },
    };
  }
  return {
    script: {
      tag: b.tag(tagBase),
      lang: 'painless',
      source: READ_SCRIPT,
      params: { path: source.map(ingestString) },
      ...ifOf(cond),
    },
  };
}

/** `remove` of a record path (ignoring a missing one), or {@link REMOVE_SCRIPT} when a segment cannot be dotted. */
export function removal(b: Builder, path: FieldPath, tagBase: string, cond: Cond | undefined): Processor {
  if (isDottable(path)) {
    return { remove: { tag: b.tag(tagBase), field: fieldTemplate(path), ignore_missing: true, ...ifOf(cond) } };
  }
  return {
    script: {
      tag: b.tag(tagBase),
      lang: 'painless',
      source: REMOVE_SCRIPT,
      params: { path: path.map(ingestString) },
      ...ifOf(cond),
    },
  };
}

/** Where the record lives while the pipeline runs. */
export function recordBase(stream: StreamIR): FieldPath {
  return stream.mapping.keepUnmapped ? stream.mapping.namespace : TEMP_RECORD;
}

/** A map condition over the record at `base`; `known` leading segments are known Maps (see `renderCond`). */
export function conditionOf(cond: ConditionIR, base: FieldPath, known = 0): Cond {
  const k = known > 0 ? { known } : {};
  switch (cond.kind) {
    case 'exists':
      return { kind: 'present', path: [...base, ...cond.path], ...k };
    case 'equals':
      return { kind: 'equals', path: [...base, ...cond.path], value: cond.value, typed: true, ...k };
    case 'in':
      // Strict JSON equality with any listed value: one `equals` per value.
      return {
        kind: 'or',
        conds: cond.values.map((value) => ({
          kind: 'equals',
          path: [...base, ...cond.path],
          value,
          typed: true,
          ...k,
        })),
      };
    case 'compare':
      return { kind: 'compare', path: [...base, ...cond.path], op: COMPARE_OPERATOR[cond.op], value: cond.value, ...k };
    case 'text':
      return { kind: 'text', path: [...base, ...cond.path], method: TEXT_METHOD[cond.op], text: cond.value, ...k };
    case 'now':
      return {
        kind: 'nowTest',
        path: [...base, ...cond.path],
        formats: cond.formats.map(nowFormat),
        op: cond.op,
        offsetMs: cond.offsetMs,
        now: NOW_TEMP,
        ...k,
      };
    case 'not':
      return { kind: 'not', cond: conditionOf(cond.condition, base, known) };
    case 'and':
      return { kind: 'and', conds: cond.all.map((c) => conditionOf(c, base, known)) };
    case 'or':
      return { kind: 'or', conds: cond.any.map((c) => conditionOf(c, base, known)) };
    case 'setting':
      return { kind: 'tag', name: cond.name };
  }
}

const COMPARE_OPERATOR = { lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/**
 * Where the pipeline keeps the time it processes the document at, for its `now` tests: the text
 * of `_ingest.timestamp` (the time the document entered the pipeline), set before the first
 * processor that reads it ({@link nowStep}), since a Painless condition cannot read `_ingest`
 * (elastic/elasticsearch#60470).
 */
export const NOW_TEMP: FieldPath = [TEMP_ROOT, 'now'];

/** The `set` of {@link NOW_TEMP}, for a stream whose conditions test `now`. */
export function nowStep(b: Builder): Processor {
  return { set: { tag: b.tag('set_processing_time'), field: dotted(NOW_TEMP), value: '{{{_ingest.timestamp}}}' } };
}

/**
 * A date format of a `now` test as {@link NowFormat}: the interpreter's readings
 * (compiler/interpret/date.ts), RFC 3339 with any fraction and `Z` or an offset, or a pattern's
 * fields each exactly its width in ASCII digits and its literals as themselves.
 */
function nowFormat(format: DateFormat): NowFormat {
  if (format.kind === 'iso8601') {
    return {
      regex:
        '([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})',
      fields: 'yMdHmsSo',
    };
  }
  if (format.kind === 'pattern') {
    let regex = '';
    let fields = '';
    for (const token of format.pattern.tokens) {
      if (token.kind === 'literal') regex += token.text.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
      else {
        regex += `([0-9]{${token.width}})`;
        fields += token.letter;
      }
    }
    return { regex, fields };
  }
  // The checks refuse epoch formats in a now test (E0199).
  throw new Error(`internal: a now test reads ${format.kind}`);
}

/** Java `String` methods (Painless allowlist `java.lang.String`). */
const TEXT_METHOD = { prefix: 'startsWith', suffix: 'endsWith', contains: 'contains' } as const;

export const ifOf = (cond: Cond | undefined): { if?: string } => (cond ? { if: renderCond(cond) } : {});

/**
 * Whether `rule` is a plain `set` whose value already sits at its destination: `ns.x = x` with the
 * record kept at `ns` (`source`: the value's path in the document). Such a rule writes nothing:
 * `set` refuses a `copy_from` equal to its `field` (OpenSearch 2.19 SetProcessor: "source field
 * path and target field path cannot be same").
 */
export function setsItsOwnSource(rule: RuleIR, source: FieldPath): boolean {
  return (
    rule.op === 'set' &&
    rule.value.kind === 'field' &&
    rule.value.transforms.length === 0 &&
    samePath(source, rule.destination)
  );
}

/**
 * `set`/`append` of a target from a field (`copy_from`) or a constant; with `onFailure`, a target
 * that cannot be written runs that handler instead of failing the whole document.
 */
export function write(
  b: Builder,
  rule: RuleIR,
  from: { copy: FieldPath } | { value: string | number | boolean },
  cond: Cond | undefined,
  onFailure?: Processor[],
): Processor {
  const field = fieldTemplate(rule.destination);
  const source =
    'copy' in from
      ? { copy_from: dotted(from.copy) }
      : { value: typeof from.value === 'string' ? mustacheText(from.value) : from.value };
  const handler = onFailure ? { on_failure: onFailure } : {};
  const last = rule.value.kind === 'field' || rule.value.kind === 'select' ? rule.value.transforms.at(-1) : undefined;
  if (
    rule.op === 'append' &&
    'copy' in from &&
    samePath(from.copy, TEMP_VALUE) &&
    last?.kind === 'lookup' &&
    last.list
  ) {
    // A list table's list: one script appends each value (LIST_APPEND_SCRIPT).
    return {
      script: {
        tag: b.tag(`append_${field}`),
        lang: 'painless',
        source: LIST_APPEND_SCRIPT,
        params: { target: rule.destination.map(ingestString), append: true },
        ...ifOf(cond),
        ...handler,
      },
    };
  }
  if (rule.op === 'append') {
    return {
      append: { tag: b.tag(`append_${field}`), field, ...source, allow_duplicates: false, ...ifOf(cond), ...handler },
    };
  }
  return { set: { tag: b.tag(`set_${field}`), field, ...source, ...ifOf(cond), ...handler } };
}

export function dateFormatName(format: DateFormat): string {
  switch (format.kind) {
    case 'iso8601':
      return 'ISO8601';
    case 'unix':
      return 'UNIX';
    case 'unix_ms':
      return 'UNIX_MS';
    case 'pattern':
      return javaDatePattern(format.pattern);
  }
}

/**
 * The whole-string regex a pattern's tokens accept: each field its width in ASCII digits (a
 * `yyyy` of `0000` excepted, a year Java's `yyyy`, year of era, cannot read), each literal as is.
 */
export function patternRegex(pattern: DatePatternIR): string {
  let out = '^';
  for (const token of pattern.tokens) {
    if (token.kind === 'literal') out += token.text.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
    else out += `${token.letter === 'y' ? '(?!0000)' : ''}[0-9]{${token.width}}`;
  }
  return `${out}$`;
}

export const isEpoch = (f: DateFormat): boolean => f.kind === 'unix' || f.kind === 'unix_ms';

/** The whole-string shape a non-epoch format accepts. */
export const textShape = (f: DateFormat, path: FieldPath = TEMP_VALUE, known = 0): Cond => ({
  kind: 'matches',
  path,
  ...(known > 0 ? { known } : {}),
  regex: f.kind === 'iso8601' ? ISO8601_RE : f.kind === 'pattern' ? patternRegex(f.pattern) : EPOCH_RE,
});

/** An epoch value: a JSON number or a decimal string. */
export const EPOCH_SHAPE: Cond = {
  kind: 'or',
  conds: [
    { kind: 'instanceOf', path: TEMP_VALUE, types: ['Integer', 'Long', 'Double'] },
    { kind: 'matches', path: TEMP_VALUE, regex: EPOCH_RE },
  ],
};

/**
 * The `date` steps, faithful to "the first format that parses wins" (compiler/ir.ts TransformIR):
 * one step per format, in order, each writing `_mapc.d` and running only while `_mapc.d` is unset
 * and the value has that format's exact shape (so the processor's lenient parsers never see a
 * value the IR's format rejects). A text format is one `date` processor; an epoch format is
 * {@link EPOCH_MS_SCRIPT} into `_mapc.ms` then `date` with `UNIX_MS`. A step that fails only
 * means "this format does not parse" (its `on_failure` clears its own output); when no step
 * produced `_mapc.d`, a final `fail` reports the rule's conversion error.
 */
export function dateSteps(
  b: Builder,
  target: string,
  formats: readonly DateFormat[],
  onFailure: () => Processor[],
): Processor[] {
  const value = dotted(TEMP_VALUE);
  const out = dotted(TEMP_DATE);
  const ms = dotted(TEMP_EPOCH_MS);
  const unset: Cond = { kind: 'not', cond: { kind: 'present', path: TEMP_DATE } };
  const clear = (field: string, what: string): Processor[] => [
    { remove: { tag: b.tag(`${what}_${target}`), field, ignore_missing: true } },
  ];
  const steps: Processor[] = [];
  for (const f of formats) {
    if (!isEpoch(f)) {
      steps.push({
        date: {
          tag: b.tag(`date_${f.kind}_${target}`),
          field: value,
          target_field: out,
          formats: [dateFormatName(f)],
          if: renderCond({ kind: 'and', conds: [unset, textShape(f)] }),
          on_failure: clear(out, 'date_unparsed'),
        },
      });
      continue;
    }
    steps.push({
      script: {
        tag: b.tag(`epoch_ms_${target}`),
        lang: 'painless',
        source: EPOCH_MS_SCRIPT,
        params: { shift: f.kind === 'unix' ? 3 : 0 },
        if: renderCond({ kind: 'and', conds: [unset, EPOCH_SHAPE] }),
        on_failure: clear(ms, 'epoch_out_of_range'),
      },
    });
    steps.push({
      date: {
        tag: b.tag(`date_epoch_${target}`),
        field: ms,
        target_field: out,
        formats: ['UNIX_MS'],
        if: renderCond({ kind: 'present', path: TEMP_EPOCH_MS }),
        on_failure: clear(out, 'date_unparsed'),
      },
    });
    steps.push(...clear(ms, 'clear_epoch_ms'));
  }
  steps.push({
    fail: {
      tag: b.tag(`reject_date_${target}`),
      message: 'mapc: no date format parses the value',
      if: renderCond({ kind: 'and', conds: [{ kind: 'present', path: TEMP_VALUE }, unset] }),
      on_failure: onFailure(),
    },
  });
  steps.push({
    set: {
      tag: b.tag(`date_result_${target}`),
      field: value,
      copy_from: out,
      if: renderCond({ kind: 'present', path: TEMP_DATE }),
    },
  });
  steps.push(...clear(out, 'clear_date'));
  return steps;
}

/**
 * What each transform accepts before its processor runs (the IR's rules, compiler/ir.ts
 * TransformIR), read at `v` (`_mapc.v`, or the record path itself in the lean pipeline, whose
 * first `known` segments are known Maps).
 */
export function accepted(t: TransformIR, v: FieldPath = TEMP_VALUE, known = 0): Cond | undefined {
  const k = known > 0 ? { known } : {};
  const isString: Cond = { kind: 'instanceOf', path: v, types: ['String'], ...k };
  switch (t.kind) {
    case 'convert':
      switch (t.to) {
        case 'keyword':
          return { kind: 'instanceOf', path: v, types: ['String', 'Integer', 'Long', 'Boolean'], ...k };
        case 'long':
          return {
            kind: 'or',
            conds: [
              { kind: 'instanceOf', path: v, types: ['Integer', 'Long'], ...k },
              { kind: 'matches', path: v, regex: LONG_RE, ...k },
            ],
          };
        case 'double':
          return {
            kind: 'or',
            conds: [
              { kind: 'instanceOf', path: v, types: ['Integer', 'Long', 'Double', 'Float'], ...k },
              { kind: 'matches', path: v, regex: DOUBLE_RE, ...k },
            ],
          };
        case 'boolean':
          return { kind: 'instanceOf', path: v, types: ['Boolean', 'String'], ...k };
        case 'ip':
          return { kind: 'matches', path: v, regex: IP_TEXT_RE, ...k };
      }
      break;
    case 'date':
      return undefined;
    case 'lowercase':
    case 'uppercase':
    case 'redact':
    case 'split':
    case 'extract':
      return isString;
    case 'json':
      // Jackson reads empty or blank text as no value (the processor then writes null), where the
      // IR fails: a String with a character other than JSON whitespace.
      return {
        kind: 'and',
        conds: [isString, { kind: 'not', cond: { kind: 'matches', path: v, regex: BLANK_JSON_RE, ...k } }],
      };
    case 'kv':
      // The processor splits on regexes, throws only on a piece without the value separator and
      // writes dotted keys as nested objects; the text the IR accepts is tested first.
      return { kind: 'matches', path: v, regex: javaKvShape(t), ...k };
    case 'lookup':
      return undefined;
  }
  return undefined;
}

export const CONVERT_TYPE: Record<string, estypes.IngestConvertType> = {
  keyword: 'string',
  long: 'long',
  double: 'double',
  boolean: 'boolean',
  ip: 'ip',
};
