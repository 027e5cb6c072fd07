/**
 * The Logstash pipeline configuration language as the evaluator reads it: sections of plugins and
 * conditionals, plugin attributes with typed values, condition expressions, every text a plain
 * string. Written from Logstash's config grammar (`logstash-core/lib/logstash/compiler/lscl/
 * lscl_grammar.treetop`, logstash v8.15.0) independently of the target's own model
 * (`targets/logstash/model.ts`): an emulation must not share code with what it checks (issue 11).
 * The target's models have the same shape, so a test may hand one to the evaluator directly.
 *
 * @module
 */

/** An attribute value: `"text"`, `42`, a bareword, `[...]`, `{ k => v }` or a nested plugin. */
export type Value =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bareword'; readonly word: string }
  | { readonly kind: 'array'; readonly items: readonly Value[] }
  | { readonly kind: 'hash'; readonly entries: readonly { readonly key: string; readonly value: Value }[] }
  | { readonly kind: 'plugin'; readonly plugin: Plugin };

export interface Attribute {
  readonly name: string;
  readonly value: Value;
}

export interface Plugin {
  readonly kind: 'plugin';
  readonly name: string;
  readonly attributes: readonly Attribute[];
  readonly comments?: readonly string[];
}

/** An operand of a condition: a field reference, a string, a number or a regex literal. */
export type Rvalue =
  | { readonly kind: 'field'; readonly ref: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'regex'; readonly source: string };

export type Condition =
  | { readonly kind: 'truthy'; readonly field: Rvalue & { readonly kind: 'field' } }
  | { readonly kind: 'compare'; readonly op: '==' | '!='; readonly left: Rvalue; readonly right: Rvalue }
  | {
      readonly kind: 'match';
      readonly op: '=~' | '!~';
      readonly left: Rvalue;
      readonly right: Rvalue & { readonly kind: 'regex' };
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
  readonly header: readonly string[];
  readonly sections: readonly Section[];
}
