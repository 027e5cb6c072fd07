/**
 * TransformIR (`compiler/ir.ts`) as filters over the scratch value `v` and its type token `t`:
 * each transform converts `v` and updates `t`, or sets `t` to `fail` (the rule reports
 * `error.message`) or `skip` (a lookup miss without default: the rule writes nothing).
 *
 * @module
 */
import type { DateFormat, RuleIR, TransformIR } from '../../compiler/ir.ts';
import { and, eq, field, ifThen, lit, matches, ne, not, plugin, str, strHash, strs, type Statement } from './model.ts';
import { DOUBLE_REGEX, INTEGRAL_FLOAT, ipRegex, longRangeRegex, whole } from './regexes.ts';
import { D, fail, HIT, isType, L, LogstashLoweringError, mutate, ref, removeFields, setType, T, V } from './scratch.ts';

/** Joda pattern letters of a date format, as the date filter's `match` expects. */
function dateFilterFormat(format: DateFormat): string {
  switch (format.kind) {
    case 'iso8601':
      return 'ISO8601';
    case 'unix_ms':
      return 'UNIX_MS';
    case 'unix':
      return 'UNIX';
    case 'pattern':
      if (format.pattern.includes("'")) throw new LogstashLoweringError(`date pattern ${format.pattern}: a quote starts Joda literal text`);
      return format.pattern;
  }
}

export function transformFilters(t: TransformIR, rule: RuleIR, last: boolean): Statement[] {
  switch (t.kind) {
    case 'convert':
      return convertFilters(t.to);
    case 'date': {
      const numeric = t.formats.some((f) => f.kind === 'unix' || f.kind === 'unix_ms');
      const keepTimestamp = last && rule.target.length === 1 && rule.target[0] === '@timestamp';
      return [
        ifThen(isType(T, 'string', ...(numeric ? ['integer', 'float'] : [])), [
          plugin('date', [
            ['match', strs(ref(V), ...t.formats.map(dateFilterFormat))],
            ['target', str(ref(D))],
            ['timezone', str('UTC')],
            ['tag_on_failure', strs()],
          ]),
        ]),
        ifThen(
          { kind: 'truthy', field: field(D) },
          [
            // A Timestamp prints as yyyy-MM-ddTHH:mm:ss.SSSZ (elastic/logstash#14299); @timestamp keeps the type.
            // remove_field runs after copy (common options follow the mutation), so a later date transform starts clean.
            plugin('mutate', [setType(keepTimestamp ? 'date' : 'string'), ['copy', strHash([[ref(D), ref(V)]])], removeFields(D)]),
            ...(keepTimestamp ? [] : [plugin('mutate', [['convert', strHash([[ref(V), 'string']])]])]),
          ],
          [fail()],
        ),
      ];
    }
    case 'lowercase':
    case 'uppercase':
      return [ifThen(eq(field(T), lit('string')), [plugin('mutate', [[t.kind, strs(ref(V))]])], [fail()])];
    case 'lookup': {
      const seen = new Set<string>();
      const entries = t.entries.filter((e) => !seen.has(e.from) && seen.add(e.from));
      const onMiss = t.default === undefined ? [mutate(setType('skip'))] : [mutate(['replace', strHash([[ref(V), t.default], [ref(T), 'string']])])];
      return [
        ifThen(eq(field(T), lit('string')), [
          plugin('translate', [
            ['source', str(ref(V))],
            ['target', str(ref(L))],
            ['dictionary', strHash(entries.map((e) => [e.from, e.to] as const))],
            ['add_field', strHash([[ref(HIT), '1']])],
          ], [`Table ${t.table}.`]),
        ]),
        ifThen({ kind: 'truthy', field: field(HIT) }, [plugin('mutate', [['copy', strHash([[ref(L), ref(V)]])], removeFields(L, HIT)])], onMiss),
      ];
    }
    case 'redact':
      if (t.mode === 'hash') {
        return [
          ifThen(
            eq(field(T), lit('string')),
            [plugin('fingerprint', [['source', strs(ref(V))], ['target', str(ref(V))], ['method', str('SHA256')]])],
            [fail()],
          ),
        ];
      }
      // More than 2 × keep characters keep the first `keep`; fewer become the mask alone. The length
      // test is a conditional regex (`[\s\S]` is any character, counted in code points, in the Java
      // and Ruby engines alike); the gsub's Ruby `(?m:.)` also matches line terminators.
      return [
        ifThen(
          eq(field(T), lit('string')),
          [
            ifThen(
              matches(field(V), whole(`[\\s\\S]{${2 * t.keep + 1},}`)),
              [plugin('mutate', [['gsub', strs(ref(V), `\\A((?m:.){${t.keep}})(?m:.)*\\z`, '\\1********')]])],
              [mutate(['replace', strHash([[ref(V), '********']])])],
            ),
          ],
          [fail()],
        ),
      ];
  }
}

function convertFilters(to: string): Statement[] {
  const convert = (type: string) => ['convert', strHash([[ref(V), type]])] as const;
  switch (to) {
    case 'keyword':
      return [
        {
          kind: 'if',
          branches: [
            { condition: isType(T, 'integer', 'true', 'false'), body: [plugin('mutate', [setType('string'), convert('string')])] },
            // An integral float (JSON 5.0, or a double conversion's result) is an integer to the IR.
            {
              condition: and(eq(field(T), lit('float')), matches(field(V), INTEGRAL_FLOAT)),
              body: [plugin('mutate', [convert('integer')]), plugin('mutate', [setType('string'), convert('string')])],
            },
          ],
        },
        ifThen(ne(field(T), lit('string')), [fail()]),
      ];
    case 'long':
      return [
        {
          kind: 'if',
          branches: [
            { condition: and(isType(T, 'string', 'integer'), matches(field(V), longRangeRegex())), body: [plugin('mutate', [setType('integer'), convert('integer')])] },
            // An integral float (Ruby prints it plainly below 1e16, so within the long range) is an integer to the IR.
            { condition: and(eq(field(T), lit('float')), matches(field(V), INTEGRAL_FLOAT)), body: [plugin('mutate', [setType('integer'), convert('integer')])] },
          ],
          otherwise: [fail()],
        },
      ];
    case 'double':
      return [
        {
          kind: 'if',
          branches: [
            { condition: isType(T, 'integer', 'float'), body: [plugin('mutate', [setType('float'), convert('float')])] },
            { condition: and(eq(field(T), lit('string')), matches(field(V), DOUBLE_REGEX)), body: [plugin('mutate', [setType('float'), convert('float')])] },
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
              condition: and(eq(field(T), lit('string')), matches(field(V), whole('[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]'))),
              // convert boolean is case-insensitive (mutate.rb TRUE_REGEX /.../i); the type token follows the value.
              body: [plugin('mutate', [['convert', strHash([[ref(V), 'boolean']])]]), ifThen({ kind: 'truthy', field: field(V) }, [mutate(setType('true'))], [mutate(setType('false'))])],
            },
          ],
          otherwise: [ifThen(not(isType(T, 'true', 'false')), [fail()])],
        },
      ];
    case 'ip':
      return [ifThen(not(and(eq(field(T), lit('string')), matches(field(V), ipRegex()))), [fail()])];
    default:
      throw new LogstashLoweringError(`unknown conversion ${to}`);
  }
}
