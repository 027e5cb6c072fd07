/**
 * The words of a `record { }` block: field type names and format names, with one line of
 * documentation each, for the visitor's messages, the docs and the editor support.
 *
 * @module
 */
import type { FieldTypeName } from './ast.ts';

/** Every field type, in the order messages list them, with what a value of it is. */
export const FIELD_TYPES: readonly { readonly name: FieldTypeName; readonly doc: string }[] = [
  { name: 'string', doc: 'a JSON string' },
  { name: 'integer', doc: 'a JSON number without a fraction (1, -7, 1.0)' },
  { name: 'number', doc: 'any JSON number' },
  { name: 'boolean', doc: 'true or false' },
  { name: 'object', doc: 'a JSON object (its own fields may be declared too)' },
  { name: 'array', doc: 'a JSON array; `array of TYPE`: every element is of TYPE' },
  { name: 'any', doc: 'any JSON value' },
];

export const FIELD_TYPE_NAMES: readonly FieldTypeName[] = FIELD_TYPES.map((t) => t.name);

/** The named formats (a date pattern string is the fifth kind). */
export const FIELD_FORMAT_NAMES = ['iso8601', 'unix_ms', 'unix', 'ip'] as const;

export function isFieldTypeName(word: string): word is FieldTypeName {
  return (FIELD_TYPE_NAMES as readonly string[]).includes(word);
}
