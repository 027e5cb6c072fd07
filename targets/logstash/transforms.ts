/**
 * TransformIR (`compiler/ir.ts`) as filters over the scratch value `v` and its type token `t`:
 * each transform converts `v` and updates `t`, or sets `t` to `fail` (the rule reports
 * `error.message`) or `skip` (a lookup miss without default: the rule writes nothing).
 *
 * @module
 */
import { MASK_SUFFIX, type DateFormat, type RuleIR, type TransformIR } from '../../compiler/ir.ts';
import {
  and,
  eq,
  field,
  ifThen,
  matches,
  ne,
  not,
  plugin,
  bare,
  str,
  strHash,
  strs,
  type Condition,
  type Statement,
  type Value,
} from './model.ts';
import {
  DOUBLE_REGEX,
  INTEGRAL_FLOAT,
  ipRegex,
  longRangeRegex,
  patternRegex,
  RFC3339_REGEX,
  kvShape,
  whole,
} from './regexes.ts';
import { LOWER_FIRST, upperExceptions } from '../../compiler/unicode-case.ts';
import { jodaPattern } from '../shared/joda-pattern.ts';
import {
  comment,
  gsubLiteral,
  keyText,
  optionText,
  OWN,
  own,
  rubyFieldString,
  rubyRegexCodePoints,
  sprintfText,
  type FieldRef,
  type Site,
} from './quote.ts';
import { probe } from './probe.ts';
import { cannotExpress, D, fail, HIT, isType, L, mutate, ref, removeFields, setType, T, V, word } from './scratch.ts';

/**
 * A lookup table as the translate filter's `dictionary`, the first entry of a repeated key kept: its
 * keys are read literally, its values substituted (`${NAME}`), not formatted
 * (https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-translate.html#plugins-filters-translate-dictionary).
 */
export function lookupDictionary(t: TransformIR & { kind: 'lookup' }, rule: RuleIR, separator?: string): Value {
  const seen = new Set<string>();
  const entries = t.entries.filter((e) => !seen.has(e.from) && seen.add(e.from));
  return strHash(
    entries.map(
      (e) =>
        [
          keyText(e.from, site(rule, 'lookup table key', e.loc)),
          optionText(joined(e.to, separator), site(rule, 'lookup table value', e.loc)),
        ] as const,
    ),
  );
}

/** A lookup output as one text: a list table's list joined by `separator`. */
function joined(to: string | readonly string[], separator: string | undefined): string {
  return typeof to === 'string' ? to : to.join(separator ?? '');
}

/** Separators a list table's values may be joined with, the first that no value holds. */
const LIST_SEPARATORS = ['|', ',', ';', '#', '~', '^', '!'];

/**
 * How a list table goes through the translate filter, whose dictionary maps a key to one string
 * (https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-translate.html#plugins-filters-translate-dictionary):
 * each list is joined by a separator that none of the table's strings holds, and `mutate split`
 * (Ruby's `String#split`, ./transforms.ts `split`) turns the output back into the list: `""` (the
 * empty list) into `[]`. Refused (E0600) when a list holds an empty string (`split` drops
 * trailing empty pieces) or every candidate separator occurs in the table.
 */
export function listSeparator(t: TransformIR & { kind: 'lookup' }, rule: RuleIR): string {
  const lists = [...t.entries.map((e) => e.to), ...(t.default !== undefined ? [t.default] : [])].map((to) =>
    typeof to === 'string' ? [to] : to,
  );
  if (lists.some((l) => l.includes('')))
    throw cannotExpress(
      `a list table value holding an empty string (table ${t.table}); write the list without it, or map it on the Elastic or Vector target`,
      rule.loc,
    );
  const separator = LIST_SEPARATORS.find((sep) => lists.every((l) => l.every((s) => !s.includes(sep))));
  if (separator === undefined)
    throw cannotExpress(
      `a list table whose values hold every separator mapc can join them with (${LIST_SEPARATORS.join(' ')}), table ${t.table}`,
      rule.loc,
    );
  return separator;
}

/**
 * The IR's simple lowercase of the string at `target`, as mutate operations (gsub runs before
 * lowercase in mutate's order): Ruby's downcase is the full mapping; it differs from the IR's simple
 * one only for U+0130 (full: `i` + U+0307, SpecialCasing.txt; LOWER_FIRST), which the gsub turns
 * into its simple lowercase `i` first. (The character itself as the regex: no backslash escape, see
 * ./quote.ts.)
 */
export function lowercaseOps(target: FieldRef): (readonly [string, Value])[] {
  return [
    ['gsub', strs(target, ...LOWER_FIRST.flatMap(([from, to]) => [own(from), own(to)]))],
    ['lowercase', strs(target)],
  ];
}

/** Joda pattern of a date format (`targets/shared/joda-pattern.ts`), as the date filter's `match` expects (an option Logstash substitutes `${NAME}` in). */
export function dateFilterFormat(format: DateFormat, at: Site) {
  switch (format.kind) {
    case 'iso8601':
      return own('ISO8601');
    case 'unix_ms':
      return own('UNIX_MS');
    case 'unix':
      return own('UNIX');
    case 'pattern':
      return optionText(jodaPattern(format.pattern), at);
  }
}

const site = (rule: RuleIR, what: string, span = rule.loc): Site => ({ span, what });

/**
 * The filters of one transform. `known`: the value's type token when the record schema settles it
 * (./lean.ts); a string then needs no type test before a string-only transform.
 */
export function transformFilters(t: TransformIR, rule: RuleIR, last: boolean, known?: string): Statement[] {
  const isString = known === 'string';
  /** `body` for a string value, `otherwise` (the failure) for any other. */
  const forString = (body: Statement[], otherwise?: Statement[]): Statement[] =>
    isString ? body : [ifThen(eq(field(ref(T)), word('string')), body, otherwise)];
  switch (t.kind) {
    case 'convert':
      if (isString && t.to === 'keyword') return [];
      if (isString && t.to === 'ip') return [ifThen(not(matches(field(ref(V)), ipRegex())), [fail()])];
      return convertFilters(t.to);
    case 'date':
      return dateFilters(t.formats, rule, last, isString);
    case 'lowercase':
      // Ruby's downcase is the full mapping; it differs from the IR's simple one only for U+0130
      // (full: `i` + U+0307, SpecialCasing.txt; LOWER_FIRST). mutate runs gsub before lowercase,
      // so U+0130 reaches downcase as its simple lowercase `i` already. (The character itself as
      // the regex: no backslash escape, see ./quote.ts.)
      return forString([plugin('mutate', lowercaseOps(ref(V)))], [fail()]);
    case 'uppercase':
      return forString(uppercaseFilters(), [fail()]);
    case 'lookup': {
      // The default goes through mutate replace, which formats it. A list table's outputs are
      // joined texts, split back into the list after the translate (`listSeparator`).
      const separator = t.list ? listSeparator(t, rule) : undefined;
      const dictionary = lookupDictionary(t, rule, separator);
      // A list table's output (a hit, or the default) split back into its list, in a mutate of its
      // own (mutate runs `copy` after `split`); the type token says so for the write, whatever an
      // earlier rule of the same read left there.
      const splitBack =
        separator === undefined
          ? []
          : [
              mutate(
                ['split', strHash([[ref(V), optionText(separator, site(rule, 'list table separator'))]])],
                setType('array'),
              ),
            ];
      const onMiss =
        t.default === undefined
          ? [mutate(setType('skip'))]
          : [
              mutate([
                'replace',
                strHash([
                  [ref(V), sprintfText(joined(t.default, separator), site(rule, 'lookup table default', t.defaultLoc))],
                  [ref(T), own('string')],
                ]),
              ]),
            ];
      return [
        ...forString([
          plugin(
            'translate',
            [
              ['source', str(ref(V))],
              ['target', str(ref(L))],
              ['dictionary', dictionary],
              ['add_field', strHash([[ref(HIT), own('1')]])],
            ],
            [comment`Table ${t.table}.`],
          ),
        ]),
        ifThen(
          { kind: 'truthy', field: field(ref(HIT)) },
          [plugin('mutate', [['copy', strHash([[ref(L), ref(V)]])], removeFields(ref(L), ref(HIT))]), ...splitBack],
          t.default === undefined ? onMiss : [...onMiss, ...splitBack],
        ),
      ];
    }
    case 'json':
      return forString(jsonFilters(), [fail()]);
    case 'extract':
      return forString([extractFilter(t, rule)], [fail()]);
    case 'kv':
      return forString([ifThen(matches(field(ref(V)), kvShape(t)), kvFilters(t, rule), [fail()])], [fail()]);
    case 'split':
      // mutate split is Ruby's `String#split(separator)` on a String (logstash-filter-mutate
      // v3.5.8 `lib/logstash/filters/mutate.rb` `split`): literal text, no limit, so trailing empty
      // pieces are dropped and `""` gives `[]`, as the IR. But a separator of one space splits
      // on runs of whitespace and ignores leading whitespace (Ruby's awk-style split).
      if (t.separator === ' ')
        throw cannotExpress(
          'split(" ") (mutate split on a single space splits on runs of whitespace, as awk does); split the text on the Elastic or Vector target, or on another separator',
          t.loc ?? rule.loc,
        );
      return forString(
        [
          mutate(
            ['split', strHash([[ref(V), optionText(t.separator, site(rule, 'split separator', t.loc))]])],
            setType('array'),
          ),
        ],
        [fail()],
      );
    case 'redact':
      if (t.mode === 'hash') {
        return forString(
          [
            plugin('fingerprint', [
              ['source', strs(ref(V))],
              ['target', str(ref(V))],
              ['method', str(own('SHA256'))],
            ]),
          ],
          [fail()],
        );
      }
      // More than 2 × keep characters keep the first `keep`; fewer become the mask alone. The length
      // test is a conditional regex (`[\s\S]` is any character, counted in code points, in the Java
      // and Ruby engines alike); the gsub (a string: no backslash, see ./quote.ts) replaces, from the
      // first position with `keep` characters before it, the rest at once (Ruby's `(?m:.)` also
      // matches line terminators).
      return forString(
        [
          ifThen(
            matches(field(ref(V)), whole(`[\\s\\S]{${2 * t.keep + 1},}`)),
            [plugin('mutate', [['gsub', strs(ref(V), own(maskTail(t.keep)), own(MASK_SUFFIX))]])],
            [mutate(['replace', strHash([[ref(V), own(MASK_SUFFIX)]])])],
          ),
        ],
        [fail()],
      );
  }
}

/**
 * `json`: the json filter (logstash-filter-json v3.2.x `lib/logstash/filters/json.rb`: with a
 * `target`, any parsed value is set there, `null` as nil; text that does not parse sets nothing)
 * parses `v` into the scratch field `d`; the type probe tells the three outcomes apart (`d`
 * missing: not JSON, a failure; `null`: nothing to write; else the parsed value's type, and `d`
 * becomes `v`). Blank text fails first (Jackson reads it as no value at all).
 */
function jsonFilters(): Statement[] {
  return [
    ifThen(
      matches(field(ref(V)), whole('[ \\t\\n\\r]*')),
      [fail()],
      [
        plugin('json', [
          ['source', str(ref(V))],
          ['target', str(ref(D))],
          ['skip_on_invalid_json', bare('true')],
          ['tag_on_failure', strs()],
        ]),
        probe(
          [[ref(T), ref(D), 'slot']],
          comment`Ruby: the JSON type of the parsed value (missing: the text was not JSON).`,
          OWN,
        ),
        {
          kind: 'if',
          branches: [
            { condition: eq(field(ref(T)), word('missing')), body: [fail()] },
            { condition: eq(field(ref(T)), word('null')), body: [mutate(setType('skip'))] },
          ],
          otherwise: [plugin('mutate', [['rename', strHash([[ref(D), ref(V)]])]])],
        },
      ],
    ),
  ];
}

/**
 * `kv` of the String in `v`, which the caller has matched against `kvShape` (no quote, backslash,
 * whitespace, empty piece, key or value): the kv filter (logstash-filter-kv 4.7
 * `lib/logstash/filters/kv.rb`) scans it with the separators as regexes
 * (`field_split_pattern`, `value_split_pattern`: one-character classes, no backslash, see
 * ./quote.ts `gsubLiteral`), `whitespace => "strict"` (no space around the value separator is
 * taken) and `include_brackets => false` (a bracket is a character like any other): each key runs
 * up to the first value separator, each value up to the next field separator, and a repeated key
 * becomes the array of its values in order (`allow_duplicate_values` keeps equal ones). The Hash
 * goes to the scratch field `d`, which then replaces `v` as an object.
 * https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-kv.html
 */
function kvFilters(t: Extract<TransformIR, { kind: 'kv' }>, rule: RuleIR): Statement[] {
  const at = site(rule, 'kv separator', t.loc);
  const pattern = (text: string): string => {
    if (/[[\]^]/.test(text))
      throw cannotExpress(
        `a kv separator holding [, ] or ^ (the kv filter reads separators as regexes, and a pipeline string cannot hold the backslash they need); parse the text on the Elastic or Vector target, or choose another separator`,
        t.loc ?? rule.loc,
      );
    return gsubLiteral(text);
  };
  return [
    plugin('kv', [
      ['source', str(ref(V))],
      ['target', str(ref(D))],
      ['field_split_pattern', str(optionText(pattern(t.fieldSeparator), at))],
      ['value_split_pattern', str(optionText(pattern(t.valueSeparator), at))],
      ['whitespace', str(own('strict'))],
      ['include_brackets', bare('false')],
    ]),
    mutate(['rename', strHash([[ref(D), ref(V)]])], setType('object')),
  ];
}

/** The Ruby code of `extract` over the String in `v` (`init` compiles the pattern once per filter). */
export const extractCode = (v: string, t: string): string =>
  `m = @mapc_re.match(event.get(${v})); c = m && m[1]; ` +
  `if c.nil? || c.empty? then event.set(${t}, 'fail') else event.set(${v}, c) end`;

/**
 * The same with named groups: the Hash of those that captured text (`MatchData#named_captures`,
 * nil for a group that took no part), whose type token becomes `object`; none fails.
 */
export const extractNamedCode = (v: string, t: string): string =>
  `m = @mapc_re.match(event.get(${v})); c = m && m.named_captures.reject { |k, x| x.nil? || x.empty? }; ` +
  `if c.nil? || c.empty? then event.set(${t}, 'fail') else event.set(${v}, c); event.set(${t}, 'object') end`;

/**
 * `extract`: a ruby filter (logstash-filter-ruby v3.1.8: `init` runs once, `code` per event) whose
 * `Regexp` (JRuby: Joni, Ruby syntax) is built from the pattern's code points
 * (`./quote.ts` `rubyRegexCodePoints`); `Regexp#match` finds the leftmost match, `m[1]` is the
 * group's text or nil. No match, a nil or empty capture sets the type token to `fail`; otherwise
 * the capture replaces `v` (still a String). No grok: a grok pattern is a config string, which
 * could hold none of the pattern's backslashes portably (./quote.ts module doc 1).
 */
function extractFilter(t: Extract<TransformIR, { kind: 'extract' }>, rule: RuleIR): Statement {
  const at = site(rule, 'extract pattern', t.loc);
  return plugin(
    'ruby',
    [
      ['init', str(optionText(`@mapc_re = Regexp.new(${rubyRegexCodePoints(t.regex)})`, at))],
      [
        'code',
        str(
          optionText(
            (t.regex.names === undefined ? extractCode : extractNamedCode)(
              rubyFieldString(ref(V)),
              rubyFieldString(ref(T)),
            ),
            at,
          ),
        ),
      ],
    ],
    [comment`Ruby: extract (the pattern's Regexp source as code points, so no backslash reaches the config).`],
  );
}

/** Ruby regex of every character after the first `keep` of a string longer than `keep`, as one match. */
export function maskTail(keep: number): string {
  return keep === 0 ? '(?m:.)+' : `(?<=(?m:.){${keep}})(?m:.)+`;
}

/** The fraction digits after the third of an RFC 3339 text (its only `.`): cut, as the IR keeps milliseconds. */
export const FRACTION_BEYOND_MS = '(?<=[.][0-9]{3})[0-9]+';

/**
 * `date`: each format in order gets its own date filter, tried while no earlier one parsed. An
 * `iso8601` or `pattern` format first needs the value to have the IR's exact shape (an anchored
 * regex), because the date filter's Joda parsers are lenient: `ISO8601` is
 * `ISODateTimeFormat.dateTimeParser()` (a date alone, no offset, a space separator, `±hhmm`) and a
 * pattern's `dd`/`MM`/`HH`/`mm`/`ss` also read one digit
 * (https://www.elastic.co/guide/en/logstash/8.17/plugins-filters-date.html#plugins-filters-date-match).
 * On the exact shapes Joda reads what the IR reads. Joda's fraction takes at most 9 digits
 * (`appendFractionOfSecond(3, 9)`) where the IR takes any number and keeps milliseconds, so the
 * fraction is cut to 3 digits first (no pattern or epoch format matches an RFC 3339 text, so the
 * cut cannot change what a later format sees).
 */
function dateFilters(formats: readonly DateFormat[], rule: RuleIR, last: boolean, isString = false): Statement[] {
  const keepTimestamp = last && rule.destination.length === 1 && rule.destination[0] === '@timestamp';
  const dateFilter = (f: DateFormat): Statement =>
    plugin('date', [
      ['match', strs(ref(V), dateFilterFormat(f, site(rule, 'date pattern')))],
      ['target', str(ref(D))],
      ['timezone', str(own('UTC'))],
      ['tag_on_failure', strs()],
    ]);
  const tries: Statement[] = formats.flatMap((f, i): Statement | Statement[] => {
    const text = (c: Condition): Condition => (isString ? c : and(eq(field(ref(T)), word('string')), c));
    const shape: Condition | undefined =
      f.kind === 'iso8601'
        ? text(matches(field(ref(V)), RFC3339_REGEX))
        : f.kind === 'pattern'
          ? text(matches(field(ref(V)), patternRegex(f.pattern)))
          : isString
            ? undefined
            : isType(T, 'string', 'integer', 'float');
    const tried: Condition = { kind: 'truthy', field: field(ref(D)) };
    const untried = i === 0 ? shape : shape ? and(not(tried), shape) : not(tried);
    const body =
      f.kind === 'iso8601'
        ? [plugin('mutate', [['gsub', strs(ref(V), own(FRACTION_BEYOND_MS), own(''))]]), dateFilter(f)]
        : [dateFilter(f)];
    return untried ? ifThen(untried, body) : body;
  });
  return [
    ...tries,
    ifThen(
      { kind: 'truthy', field: field(ref(D)) },
      [
        // A Timestamp prints as yyyy-MM-ddTHH:mm:ss.SSSZ (elastic/logstash#14299); @timestamp keeps the type.
        // remove_field runs after copy (common options follow the mutation), so a later date transform starts clean.
        plugin('mutate', [
          setType(keepTimestamp ? 'date' : 'string'),
          ['copy', strHash([[ref(D), ref(V)]])],
          removeFields(ref(D)),
        ]),
        ...(keepTimestamp ? [] : [plugin('mutate', [['convert', strHash([[ref(V), own('string')]])]])]),
      ],
      [fail()],
    ),
  ];
}

/**
 * `uppercase` with the IR's simple mapping, natively. Ruby's upcase is the full mapping, which
 * gives several characters for about a hundred code points (`ß` → `SS`, SpecialCasing.txt), where
 * the simple mapping gives one (the Greek letters with ypogegrammeni) or none (the character
 * stays). So those code points are wrapped as `{c}` before upcase (a literal `{` as `{}`, so that
 * every `{` opens a wrapper; braces and digits have no case), and each upcased wrapper (`{SS}`)
 * is then replaced by the simple mapping, the `{}` back by `{`. Where two such code points have
 * the same full uppercase but different simple ones (`ﬅ`/`ﬆ` → `ST`, `ΐ`/`ΐ`, `ΰ`/`ΰ`), each is
 * wrapped as a number instead (`{0}`). No ruby filter: gsub and uppercase express it.
 */
function uppercaseFilters(): Statement[] {
  const { multi, simple } = upperExceptions();
  const simpleOf = (c: string): string => simple.get(c) ?? c;
  const byFull = new Map<string, string[]>();
  for (const c of multi) byFull.set(c.toUpperCase(), [...(byFull.get(c.toUpperCase()) ?? []), c]);
  const numbered = [...byFull.values()].filter((group) => new Set(group.map(simpleOf)).size > 1).flat();
  const wrapped = multi.filter((c) => !numbered.includes(c));
  const v = ref(V);
  const set = `[${gsubLiteral(wrapped.join(''))}]`;
  // Encode: `{` as `{}`, the numbered code points as `{k}`, then `{` before and `}` after each other
  // one (two zero-width matches: a replacement cannot refer to the match without a backslash).
  const encode = [v, own('[{]'), own('{}')];
  numbered.forEach((c, k) => encode.push(v, own(gsubLiteral(c)), own(`{${k}}`)));
  encode.push(v, own(`(?=${set})`), own('{'), v, own(`(?<=${set})`), own('}'));
  const decode = numbered.flatMap((c, k) => [v, own(`[{]${k}[}]`), own(simpleOf(c))]);
  for (const full of new Set(wrapped.map((c) => c.toUpperCase()))) {
    const c = wrapped.find((x) => x.toUpperCase() === full) as string;
    decode.push(v, own(`[{]${gsubLiteral(full)}[}]`), own(simpleOf(c)));
  }
  decode.push(v, own('[{][}]'), own('{'));
  return [
    plugin('mutate', [
      ['gsub', strs(...encode)],
      ['uppercase', strs(v)],
    ]),
    plugin('mutate', [['gsub', strs(...decode)]]),
  ];
}

function convertFilters(to: string): Statement[] {
  const convert = (type: string) => ['convert', strHash([[ref(V), own(type)]])] as const;
  switch (to) {
    case 'keyword':
      return [
        {
          kind: 'if',
          branches: [
            {
              condition: isType(T, 'integer', 'true', 'false'),
              body: [plugin('mutate', [setType('string'), convert('string')])],
            },
            // An integral float (JSON 5.0, or a double conversion's result) is an integer to the IR.
            {
              condition: and(eq(field(ref(T)), word('float')), matches(field(ref(V)), INTEGRAL_FLOAT)),
              body: [plugin('mutate', [convert('integer')]), plugin('mutate', [setType('string'), convert('string')])],
            },
          ],
        },
        ifThen(ne(field(ref(T)), word('string')), [fail()]),
      ];
    case 'long':
      return [
        {
          kind: 'if',
          branches: [
            {
              condition: and(isType(T, 'string', 'integer'), matches(field(ref(V)), longRangeRegex())),
              body: [plugin('mutate', [setType('integer'), convert('integer')])],
            },
            // An integral float (Ruby prints it plainly below 1e16, so within the long range) is an integer to the IR.
            {
              condition: and(eq(field(ref(T)), word('float')), matches(field(ref(V)), INTEGRAL_FLOAT)),
              body: [plugin('mutate', [setType('integer'), convert('integer')])],
            },
          ],
          otherwise: [fail()],
        },
      ];
    case 'double':
      return [
        {
          kind: 'if',
          branches: [
            {
              condition: isType(T, 'integer', 'float'),
              body: [plugin('mutate', [setType('float'), convert('float')])],
            },
            {
              condition: and(eq(field(ref(T)), word('string')), matches(field(ref(V)), DOUBLE_REGEX)),
              body: [plugin('mutate', [setType('float'), convert('float')])],
            },
          ],
          otherwise: [fail()],
        },
      ];
    case 'boolean':
      return [
        {
          kind: 'if',
          branches: [
            {
              condition: and(
                eq(field(ref(T)), word('string')),
                matches(field(ref(V)), whole('[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]')),
              ),
              // convert boolean is case-insensitive (mutate.rb TRUE_REGEX /.../i); the type token follows the value.
              body: [
                plugin('mutate', [['convert', strHash([[ref(V), own('boolean')]])]]),
                ifThen({ kind: 'truthy', field: field(ref(V)) }, [mutate(setType('true'))], [mutate(setType('false'))]),
              ],
            },
          ],
          otherwise: [ifThen(not(isType(T, 'true', 'false')), [fail()])],
        },
      ];
    case 'ip':
      return [ifThen(not(and(eq(field(ref(T)), word('string')), matches(field(ref(V)), ipRegex()))), [fail()])];
    default:
      throw new Error(`unknown conversion ${to}`);
  }
}
