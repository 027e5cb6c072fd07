/**
 * A small structured model of the Logstash pipeline configuration language: sections of plugins
 * and conditionals, plugin attributes with typed values, and condition expressions. Generated
 * pipelines are built as this model and serialized by the one printer in `./printer.ts`, never by
 * gluing text.
 *
 * Every text in a model mapc builds has a branded type from `./quote.ts` ({@link Quoted}), made only
 * by the quoting function of its context, so that raw map text cannot reach a pipeline. A test that
 * reads config text back uses the same shapes with plain strings ({@link Plain}).
 *
 * Grammar source: Logstash's config grammar (`logstash-core/lib/logstash/compiler/lscl/lscl_grammar.treetop`)
 * as re-implemented by `github.com/breml/logstash-config` v0.5.3, whose parser the tests run.
 *
 * @module
 */
import type {
  CommentLine,
  EnvText,
  FieldRef,
  KeyText,
  OptionText,
  RegexText,
  SprintfTemplate,
  SprintfText,
} from './quote.ts';

/** The type of each kind of text in a model. */
export interface TextKinds {
  /** A plugin option string (attribute value, array element, hash value). */
  readonly value: string;
  /** A hash key. */
  readonly key: string;
  /** A field reference `[a][b]`. */
  readonly field: string;
  /** A string operand of a conditional. */
  readonly operand: string;
  /** The body of a regex literal. */
  readonly regex: string;
  /** One comment line, without its `#`. */
  readonly comment: string;
}

/** The texts of a model mapc builds: each made by its quoting function. */
export interface Quoted extends TextKinds {
  readonly value: OptionText | EnvText;
  readonly key: KeyText;
  readonly field: FieldRef;
  readonly operand: OptionText;
  readonly regex: RegexText;
  readonly comment: CommentLine;
}

/** The texts of a model read back from config text. */
export interface Plain extends TextKinds {
  readonly value: string;
  readonly key: string;
  readonly field: string;
  readonly operand: string;
  readonly regex: string;
  readonly comment: string;
}

/** An attribute value: `"text"`, `42`, a bareword (`line`, `disabled`), `[...]` or `{ k => v }`. */
export type Value<T extends TextKinds = Quoted> =
  | { readonly kind: 'string'; readonly text: T['value'] }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bareword'; readonly word: string }
  | { readonly kind: 'array'; readonly items: readonly Value<T>[] }
  | { readonly kind: 'hash'; readonly entries: readonly { readonly key: T['key']; readonly value: Value<T> }[] }
  /** A nested plugin as a value, e.g. `codec => line { charset => "UTF-8" }` (unused for now). */
  | { readonly kind: 'plugin'; readonly plugin: Plugin<T> };

export interface Attribute<T extends TextKinds = Quoted> {
  readonly name: string;
  readonly value: Value<T>;
}

export interface Plugin<T extends TextKinds = Quoted> {
  readonly kind: 'plugin';
  readonly name: string;
  readonly attributes: readonly Attribute<T>[];
  /** Comment lines printed above the plugin (without the leading `#`). */
  readonly comments?: readonly T['comment'][];
}

/** An operand of a condition. */
export type Rvalue<T extends TextKinds = Quoted> =
  | { readonly kind: 'field'; readonly ref: T['field'] }
  | { readonly kind: 'string'; readonly text: T['operand'] }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'regex'; readonly source: T['regex'] };

export type FieldOperand<T extends TextKinds = Quoted> = Rvalue<T> & { readonly kind: 'field' };
export type RegexOperand<T extends TextKinds = Quoted> = Rvalue<T> & { readonly kind: 'regex' };

export type Condition<T extends TextKinds = Quoted> =
  /** A bare field reference: its truthiness. */
  | { readonly kind: 'truthy'; readonly field: FieldOperand<T> }
  | { readonly kind: 'compare'; readonly op: '==' | '!='; readonly left: Rvalue<T>; readonly right: Rvalue<T> }
  | {
      readonly kind: 'match';
      readonly op: '=~' | '!~';
      readonly left: Rvalue<T>;
      readonly right: RegexOperand<T>;
    }
  | { readonly kind: 'in'; readonly op: 'in' | 'not in'; readonly left: Rvalue<T>; readonly right: Rvalue<T> }
  | { readonly kind: 'not'; readonly condition: Condition<T> }
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly Condition<T>[] };

export interface Branch<T extends TextKinds = Quoted> {
  readonly condition: Condition<T>;
  readonly body: readonly Statement<T>[];
}

export interface Conditional<T extends TextKinds = Quoted> {
  readonly kind: 'if';
  /** `if` then `else if`s, in order; at least one. */
  readonly branches: readonly Branch<T>[];
  readonly otherwise?: readonly Statement<T>[];
  readonly comments?: readonly T['comment'][];
}

export type Statement<T extends TextKinds = Quoted> = Plugin<T> | Conditional<T>;

export interface Section<T extends TextKinds = Quoted> {
  readonly kind: 'input' | 'filter' | 'output';
  readonly body: readonly Statement<T>[];
}

export interface PipelineConfig<T extends TextKinds = Quoted> {
  /** Comment lines at the top of the file. */
  readonly header: readonly T['comment'][];
  readonly sections: readonly Section<T>[];
}

// ---- small constructors, so builders read like the config they produce ----

/** Any option string: formatted or not, with mapc's own `${NAME}` or `%{...}` or none. */
export type AnyOption = OptionText | SprintfText | SprintfTemplate | EnvText;

export const str = (text: AnyOption): Value => ({ kind: 'string', text });
export const num = (value: number): Value => ({ kind: 'number', value });
export const bare = (word: string): Value => ({ kind: 'bareword', word });
export const arr = (...items: Value[]): Value => ({ kind: 'array', items });
export const strs = (...texts: AnyOption[]): Value => arr(...texts.map(str));
export const hash = (entries: readonly (readonly [KeyText, Value])[]): Value => ({
  kind: 'hash',
  entries: entries.map(([key, value]) => ({ key, value })),
});
/** A hash whose values are all strings. */
export const strHash = (entries: readonly (readonly [KeyText, AnyOption])[]): Value =>
  hash(entries.map(([k, v]) => [k, str(v)] as const));

export function plugin(
  name: string,
  attributes: readonly (readonly [string, Value])[],
  comments?: readonly CommentLine[],
): Plugin {
  const base = { kind: 'plugin' as const, name, attributes: attributes.map(([n, value]) => ({ name: n, value })) };
  return comments && comments.length > 0 ? { ...base, comments } : base;
}

export const field = (ref: FieldRef): FieldOperand => ({ kind: 'field', ref });
export const lit = (text: OptionText): Rvalue => ({ kind: 'string', text });
export const regex = (source: RegexText): RegexOperand => ({ kind: 'regex', source });
export const eq = (left: Rvalue, right: Rvalue): Condition => ({ kind: 'compare', op: '==', left, right });
export const ne = (left: Rvalue, right: Rvalue): Condition => ({ kind: 'compare', op: '!=', left, right });
export const matches = (left: Rvalue, source: RegexText): Condition => ({
  kind: 'match',
  op: '=~',
  left,
  right: regex(source),
});
export const not = (condition: Condition): Condition => ({ kind: 'not', condition });
export const and = (...conditions: Condition[]): Condition =>
  conditions.length === 1 ? (conditions[0] as Condition) : { kind: 'and', conditions };
export const or = (...conditions: Condition[]): Condition =>
  conditions.length === 1 ? (conditions[0] as Condition) : { kind: 'or', conditions };

export function ifThen(
  condition: Condition,
  body: readonly Statement[],
  otherwise?: readonly Statement[],
  comments?: readonly CommentLine[],
): Conditional {
  return {
    kind: 'if',
    branches: [{ condition, body }],
    ...(otherwise && otherwise.length > 0 ? { otherwise } : {}),
    ...(comments && comments.length > 0 ? { comments } : {}),
  };
}
