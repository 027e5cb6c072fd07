/**
 * What Logstash does to the text of a pipeline before and while it runs, modelled from its sources
 * (not from mapc's quoting table, so that the two can disagree):
 *
 * - `${NAME}` / `${NAME:default}` substitution at load: {@link substituteOption} is Ruby's
 *   `LogStash::Util::SubstitutionVariables#replace_placeholders` (a `gsub` of
 *   `SUBSTITUTION_PLACEHOLDER_REGEX` anywhere in a plugin option string, keystore first, then the
 *   environment, then the default, else a ConfigurationError;
 *   logstash-core/lib/logstash/util/substitution_variables.rb), {@link expandWhole} is Java's
 *   `org.logstash.plugins.ConfigVariableExpander#expand` (`Matcher#matches`: the whole string only),
 *   which `ExpressionSubstitution` applies to the string operands of conditionals since 8.0
 *   (elastic/logstash#13608). Hash keys are not substituted (`deep_replace` rewrites values only).
 * - sprintf: {@link sprintf} is `org.logstash.StringInterpolation#evaluate`, scan for scan.
 * - field references: {@link parseFieldReference} reads `[a][b]` as the strict
 *   `org.logstash.FieldReference` tokenizer of Logstash 8 does (escape style `none`).
 *
 * @module
 */

/** Values Logstash resolves `${NAME}` from: the keystore, then the environment. */
export interface Variables {
  readonly keystore?: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
}

/** A reference the model could not resolve, as Logstash would fail to load the pipeline. */
export class SubstitutionError extends Error {}

function resolve(name: string, fallback: string | undefined, vars: Variables, placeholder: string): string {
  const value = vars.keystore?.[name] ?? vars.env[name] ?? fallback;
  if (value === undefined)
    throw new SubstitutionError(`Cannot evaluate \`${placeholder}\`. Replacement variable \`${name}\` is not defined`);
  return value;
}

// Transcribed from substitution_variables.rb: /\${(?<name>[a-zA-Z_.][a-zA-Z0-9_.]*)(:(?<default>[^}]*))?}/
const PLACEHOLDER = /\$\{(?<name>[a-zA-Z_.][a-zA-Z0-9_.]*)(?<tail>:(?<default>[^}]*))?\}/g;

/** The placeholders Ruby's gsub replaces in `text`, leftmost first, as `[start, end)`. */
export function placeholders(text: string): [number, number][] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => [m.index, m.index + m[0].length]);
}

/** A plugin option string after load-time substitution (Ruby `gsub`, anywhere in the text). */
export function substituteOption(text: string, vars: Variables): string {
  return text.replace(PLACEHOLDER, (whole: string, ...args: unknown[]) => {
    const groups = args.at(-1) as { name: string; default?: string };
    return resolve(groups.name, groups.default, vars, whole);
  });
}

/** A conditional's string operand after ConfigVariableExpander (the whole text one placeholder, or unchanged). */
export function expandWhole(text: string, vars: Variables): string {
  const m = /^\$\{(?<name>[a-zA-Z_.][a-zA-Z0-9_.]*)(?::(?<default>[^}]*))?\}$/.exec(text);
  if (!m?.groups) return text;
  return resolve(m.groups['name'] as string, m.groups['default'], vars, text);
}

/** How sprintf reads one `%{...}`: a field, or a timestamp format (which the evaluator does not model). */
export type SprintfPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly reference: string }
  | { readonly kind: 'epoch' }
  | { readonly kind: 'java-time'; readonly pattern: string }
  | { readonly kind: 'joda-time'; readonly pattern: string };

/**
 * StringInterpolation#evaluate's scan: `open = indexOf("%{")`, `close = indexOf('}', open)`;
 * while both exist: `+%s` (or an empty reference) is the epoch, `{pattern}` followed by one more
 * `}` a java.time pattern, `+pattern` a Joda pattern, anything else a field reference; then on from
 * `close + 1`. Text outside references is kept.
 */
export function sprintfParts(template: string): SprintfPart[] {
  const out: SprintfPart[] = [];
  let open = template.indexOf('%{');
  let close = template.indexOf('}', open);
  if (open === -1 || close === -1) return [{ kind: 'text', text: template }];
  let pos = 0;
  while (open > -1 && close > -1) {
    if (open > pos) out.push({ kind: 'text', text: template.slice(pos, open) });
    const inner = template.slice(open + 2, close);
    if (inner.length <= 3 && '+%s'.slice(0, inner.length) === inner) {
      // regionMatches(open + 2, "+%s", 0, close - open - 2): a prefix of "+%s", the empty one included.
      out.push({ kind: 'epoch' });
    } else if (template.charAt(open + 2) === '{' && close + 1 >= template.length) {
      // `charAt(close + 1)` past the end: Java throws StringIndexOutOfBoundsException.
      throw new Error(`sprintf of ${JSON.stringify(template)}: StringIndexOutOfBoundsException`);
    } else if (template.charAt(open + 2) === '{' && template.charAt(close + 1) === '}') {
      close += 1;
      out.push({ kind: 'java-time', pattern: template.slice(open + 3, close - 1) });
    } else if (template.charAt(open + 2) === '+') {
      out.push({ kind: 'joda-time', pattern: template.slice(open + 3, close) });
    } else {
      out.push({ kind: 'field', reference: inner });
    }
    pos = close + 1;
    open = template.indexOf('%{', pos);
    close = open < 0 ? -1 : template.indexOf('}', open);
  }
  if (pos < template.length) out.push({ kind: 'text', text: template.slice(pos) });
  return out;
}

/**
 * sprintf with field values from `get` (a reference's text as Logstash parses it); a missing or
 * null field leaves `%{reference}` as written; time formats throw (mapc never asks for them).
 */
export function sprintf(template: string, get: (path: string[]) => unknown, show: (v: unknown) => string): string {
  return sprintfParts(template)
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return p.text;
        case 'field': {
          const v = get(parseFieldReference(p.reference));
          return v === undefined || v === null ? `%{${p.reference}}` : show(v);
        }
        default:
          throw new Error(`sprintf ${p.kind} format not modelled (in ${JSON.stringify(template)})`);
      }
    })
    .join('');
}

/** Whether sprintf would replace anything in `template` (or fail on it, which stops the pipeline worker). */
export function sprintfIsLive(template: string): boolean {
  try {
    return sprintfParts(template).some((p) => p.kind !== 'text');
  } catch {
    return true;
  }
}

/** A field reference Logstash 8 refuses (FieldReference.IllegalSyntaxException). */
export class IllegalFieldReference extends Error {}

/**
 * `org.logstash.FieldReference` in strict mode (the only one since 8.0), escape style `none`: a
 * text without brackets is one top-level name; otherwise it must be a sequence of `[name]` with
 * non-empty names holding no bracket.
 */
export function parseFieldReference(text: string): string[] {
  if (!/[[\]]/.test(text)) return [text];
  if (!/^(\[[^[\]]+\])+$/.test(text))
    throw new IllegalFieldReference(`illegal field reference ${JSON.stringify(text)}`);
  return [...text.matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1] as string);
}
