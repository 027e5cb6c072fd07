/**
 * The scratch fields the generated filters work in, and the small builders every lowering module
 * shares. Per-rule values live under `[@metadata][mapc][r]` (removed after each rule); the rest of
 * `[@metadata][mapc]` (settings, id parts, written-target flags, a record held out of the output)
 * is removed at the end of the filter section, leaving only `[@metadata][_id]`.
 *
 * @module
 */
import type { FieldPath, RuleIR } from '../../compiler/ir.ts';
import { eq, field, lit, or, plugin, str, strHash, strs, type Condition, type Statement } from './model.ts';
import { fieldRef } from './printer.ts';

/** A construct this backend cannot lower; reported as E0600 at `rule`'s location. */
export class LogstashLoweringError extends Error {
  constructor(
    message: string,
    readonly rule?: RuleIR,
  ) {
    super(message);
    this.name = 'LogstashLoweringError';
  }
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
export const ID_TEXT = [...META, 'idtext'];
/** Where the document id is left for the output's `document_id`. */
export const DOCUMENT_ID_FIELD = ['@metadata', '_id'];
export const condPath = (k: number): string[] => [...SCRATCH, `c${k}`];
export const writtenFlag = (k: number): string[] => [...META, 'w', `t${k}`];
export const settingField = (name: string): string[] => [...META, 'setting', name];

export const ref = (path: FieldPath): string => fieldRef(path);
export const mutate = (...attrs: (readonly [string, ReturnType<typeof str>])[]): Statement => plugin('mutate', attrs);
export const replace = (path: FieldPath, text: string) => ['replace', strHash([[ref(path), text]])] as const;
export const removeFields = (...paths: FieldPath[]) => ['remove_field', strs(...paths.map(ref))] as const;
export const isType = (path: FieldPath, ...types: string[]): Condition =>
  or(...types.map((t) => eq(field(path), lit(t))));

export const fail = (): Statement => mutate(replace(T, 'fail'));
export const setType = (type: string) => replace(T, type);
