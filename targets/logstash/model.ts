/**
 * A small structured model of the Logstash pipeline configuration language: sections of plugins
 * and conditionals, plugin attributes with typed values, and condition expressions. Generated
 * pipelines are built as this model and serialized by the one printer in `./printer.ts`, never by
 * gluing text.
 *
 * Grammar source: Logstash's config grammar (`logstash-core/lib/logstash/config/grammar.treetop`)
 * as re-implemented by `github.com/breml/logstash-config` v0.5.3, whose parser the tests run.
 *
 * @module
 */

/** An attribute value: `"text"`, `42`, a bareword (`line`, `disabled`), `[...]` or `{ k => v }`. */
export type Value =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bareword'; readonly word: string }
  | { readonly kind: 'array'; readonly items: readonly Value[] }
  | { readonly kind: 'hash'; readonly entries: readonly { readonly key: string; readonly value: Value }[] }
  /** A nested plugin as a value, e.g. `codec => line { charset => "UTF-8" }` (unused for now). */
  | { readonly kind: 'plugin'; readonly plugin: Plugin };

export interface Attribute {
  readonly name: string;
  readonly value: Value;
}

export interface Plugin {
  readonly kind: 'plugin';
  readonly name: string;
  readonly attributes: readonly Attribute[];
  /** Comment lines printed above the plugin (without the leading `#`). */
  readonly comments?: readonly string[];
}

/** A field reference (`[a][b]`), given as its segments. */
export type Rvalue =
  | { readonly kind: 'field'; readonly path: readonly string[] }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'regex'; readonly source: string };

export type Condition =
  /** A bare field reference: its truthiness. */
  | { readonly kind: 'truthy'; readonly field: Rvalue & { kind: 'field' } }
  | { readonly kind: 'compare'; readonly op: '==' | '!='; readonly left: Rvalue; readonly right: Rvalue }
  | {
      readonly kind: 'match';
      readonly op: '=~' | '!~';
      readonly left: Rvalue;
      readonly right: Rvalue & { kind: 'regex' };
    }
  | { readonly kind: 'in'; readonly op: 'in' | 'not in'; readonly left: Rvalue; readonly right: Rvalue }
  | { readonly kind: 'not'; readonly condition: Condition }
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly Condition[] };

export interface Branch {
  readonly condition: Condition;
  readonly body: readonly Statement[];
}

export interface Conditional {
  readonly kind: 'if';
  /** `if` then `else if`s, in order; at least one. */
  readonly branches: readonly Branch[];
  readonly otherwise?: readonly Statement[];
  readonly comments?: readonly string[];
}

export type Statement = Plugin | Conditional;

export interface Section {
  readonly kind: 'input' | 'filter' | 'output';
  readonly body: readonly Statement[];
}

export interface PipelineConfig {
  /** Comment lines at the top of the file. */
  readonly header: readonly string[];
  readonly sections: readonly Section[];
}

// ---- small constructors, so builders read like the config they produce ----

export const str = (text: string): Value => ({ kind: 'string', text });
export const num = (value: number): Value => ({ kind: 'number', value });
export const bare = (word: string): Value => ({ kind: 'bareword', word });
export const arr = (...items: Value[]): Value => ({ kind: 'array', items });
export const strs = (...texts: string[]): Value => arr(...texts.map(str));
export const hash = (entries: readonly (readonly [string, Value])[]): Value => ({
  kind: 'hash',
  entries: entries.map(([key, value]) => ({ key, value })),
});
/** A hash whose values are all strings. */
export const strHash = (entries: readonly (readonly [string, string])[]): Value =>
  hash(entries.map(([k, v]) => [k, str(v)] as const));

export function plugin(
  name: string,
  attributes: readonly (readonly [string, Value])[],
  comments?: readonly string[],
): Plugin {
  const base = { kind: 'plugin' as const, name, attributes: attributes.map(([n, value]) => ({ name: n, value })) };
  return comments && comments.length > 0 ? { ...base, comments } : base;
}

export const field = (path: readonly string[]): Rvalue & { kind: 'field' } => ({ kind: 'field', path });
export const lit = (text: string): Rvalue => ({ kind: 'string', text });
export const regex = (source: string): Rvalue & { kind: 'regex' } => ({ kind: 'regex', source });
export const eq = (left: Rvalue, right: Rvalue): Condition => ({ kind: 'compare', op: '==', left, right });
export const ne = (left: Rvalue, right: Rvalue): Condition => ({ kind: 'compare', op: '!=', left, right });
export const matches = (left: Rvalue, source: string): Condition => ({
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
  comments?: readonly string[],
): Conditional {
  return {
    kind: 'if',
    branches: [{ condition, body }],
    ...(otherwise && otherwise.length > 0 ? { otherwise } : {}),
    ...(comments && comments.length > 0 ? { comments } : {}),
  };
}
