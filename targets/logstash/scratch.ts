/**
 * The scratch fields the generated filters work in, and the small builders every lowering module
 * shares. Per-rule values live under `[@metadata][mapc][r]` (removed after each rule); the rest of
 * `[@metadata][mapc]` (settings, id parts, written-target flags, a record held out of the output)
 * is removed at the end of the filter section, leaving only `[@metadata][_id]`.
 *
 * @module
 */
import type { FieldPath } from '../../compiler/ir.ts';
import type { Span } from '../../dsl/diagnostics.ts';
import { TargetRefusal } from '../contract.ts';
import { eq, field, lit, or, plugin, strHash, strs, type Condition, type Statement, type Value } from './model.ts';
import {
  fieldRef,
  own,
  OWN,
  type At,
  type FieldRef,
  type SprintfTemplate,
  type SprintfText,
  type EnvText,
} from './quote.ts';

/**
 * The refusal (E0600) of a construct no Logstash filter expresses faithfully, at `span` (the IR
 * node's location: a rule, a condition's rule, the stream).
 */
export function cannotExpress(message: string, span: Span): TargetRefusal {
  return new TargetRefusal(
    'E0600',
    `Logstash target cannot express this: ${message}`,
    span,
    'no faithful Logstash filter for this',
  );
}

export const META = ['@metadata', 'mapc'];
export const SCRATCH = [...META, 'r'];
export const V = [...SCRATCH, 'v'];
export const T = [...SCRATCH, 't'];
export const D = [...SCRATCH, 'd'];
export const L = [...SCRATCH, 'l'];
export const HIT = [...SCRATCH, 'hit'];
export const ERR = [...SCRATCH, 'err'];
export const ID_PARTS = [...META, 'id'];
/** The collection time as text (`collected_at`), set aside at the start of the section. */
export const COLLECTED = [...META, 'collected'];
export const ID_TEXT = [...META, 'idtext'];
/** Where the document id is left for the output's `document_id`. */
export const DOCUMENT_ID_FIELD = ['@metadata', '_id'];
export const condPath = (k: number): string[] => [...SCRATCH, `c${k}`];
export const writtenFlag = (k: number): string[] => [...META, 'w', `t${k}`];
export const settingField = (name: string): string[] => [...META, 'setting', name];

/**
 * A field reference. `at` is where the path's map text is written; mapc's own paths (the scratch
 * fields above) pass {@link OWN}.
 */
export const ref = (path: FieldPath, at: At = OWN): FieldRef => fieldRef(path, at);
/** A type token or other fixed operand of a conditional (`"string"`, `"fail"`). */
export const word = (text: string) => lit(own(text));
export const mutate = (...attrs: (readonly [string, Value])[]): Statement => plugin('mutate', attrs);
/** mutate `replace` (its value is sprintf-formatted: mapc's own text or templates only). */
export const replace = (path: FieldPath, text: SprintfText | SprintfTemplate | EnvText, at: At = OWN) =>
  ['replace', strHash([[ref(path, at), text]])] as const;
export const removeFields = (...refs: FieldRef[]) => ['remove_field', strs(...refs)] as const;
export const isType = (path: FieldPath, ...types: string[]): Condition =>
  or(...types.map((t) => eq(field(ref(path)), word(t))));

export const fail = (): Statement => mutate(replace(T, own('fail')));
export const setType = (type: string) => replace(T, own(type));
