/**
 * A stream's record schema as a JSON Schema, draft 2020-12 (https://json-schema.org/draft/2020-12/json-schema-core,
 * https://json-schema.org/draft/2020-12/json-schema-validation): what `mapc schema` prints and
 * what ajv validates records with (`./validate.ts`). It says exactly what the module doc of
 * `compiler/ir.ts` ("Record schemas") and `compiler/interpret/conform.ts` say:
 *
 * - the record is an object; each declared field is a property with its `type` (`null` added for
 *   `nullable`, no `type` for `any`), `items` for `array of T`, and its formats (`./formats.ts`);
 * - a field is in its parent's `required` unless `optional`; an undeclared parent of declared
 *   fields is an object, required when one of its fields is;
 * - undeclared properties are allowed (no `additionalProperties`);
 * - the split path also accepts `[]` (the record's array was empty, `SplitIR`).
 *
 * @module
 */
import type { ElementTypeIR, FieldFormat, FieldPath, RecordSchemaIR, SchemaFieldIR, ValueType } from '../ir.ts';
import { DATE_PATTERN_KEYWORD, epochRange, FORMAT_NAMES } from './formats.ts';
import { isRequired, samePath, SchemaIndex, type SchemaNode } from './resolve.ts';

/** A JSON Schema object (the subset mapc emits). */
export type JsonSchema = { readonly [keyword: string]: unknown };

export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

export interface JsonSchemaOptions {
  /** The stream's split path, whose element the mapping sees. */
  readonly split?: FieldPath;
  /** `title` of the schema, e.g. `endor_labs audit record`. */
  readonly title?: string;
  readonly description?: string;
}

/** The JSON Schema of records that conform to `schema`. Pure. */
export function recordJsonSchema(schema: RecordSchemaIR, options: JsonSchemaOptions = {}): JsonSchema {
  const index = new SchemaIndex(schema, options.split);
  return {
    $schema: DRAFT_2020_12,
    ...(options.title ? { title: options.title } : {}),
    ...(options.description ? { description: options.description } : {}),
    ...objectSchema(index.root, options.split),
  };
}

function objectSchema(node: SchemaNode, split: FieldPath | undefined): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, child] of node.children) {
    properties[name] = nodeSchema(child, split);
    if (isRequired(child)) required.push(name);
  }
  return {
    type: 'object',
    ...(node.children.size > 0 ? { properties } : {}),
    ...(required.length > 0 ? { required } : {}),
  };
}

function nodeSchema(node: SchemaNode, split: FieldPath | undefined): JsonSchema {
  const own = node.field ? fieldSchema(node.field, node, split) : objectSchema(node, split);
  if (split === undefined || !samePath(node.path, split)) return own;
  return { anyOf: [own, { type: 'array', maxItems: 0 }] };
}

function fieldSchema(field: SchemaFieldIR, node: SchemaNode, split: FieldPath | undefined): JsonSchema {
  const out: Record<string, unknown> = {};
  const types = field.types.includes('any') ? [] : [...field.types];
  if (types.length > 0) {
    const all = field.nullable ? [...types, 'null'] : types;
    out['type'] = all.length === 1 ? all[0] : all;
  }
  if (field.items) out['items'] = elementSchema(field.items);
  Object.assign(out, formatKeywords(field.formats, field.types));
  if (node.children.size > 0) {
    const { properties, required } = objectSchema(node, split) as { properties?: unknown; required?: unknown };
    if (properties) out['properties'] = properties;
    if (required) out['required'] = required;
  }
  return out;
}

function elementSchema(element: ElementTypeIR): JsonSchema {
  const types = element.types.filter((t) => t !== 'any');
  return {
    ...(types.length === element.types.length ? { type: types.length === 1 ? types[0] : types } : {}),
    ...(element.items ? { items: elementSchema(element.items) } : {}),
  };
}

function stringBranch(format: FieldFormat): JsonSchema {
  return format.kind === 'pattern'
    ? { format: FORMAT_NAMES.pattern, [DATE_PATTERN_KEYWORD]: format.pattern.text }
    : { format: FORMAT_NAMES[format.kind] };
}

/**
 * Strings must match one of the formats; numbers (when the field takes numbers) one of the epoch
 * formats. `format` ignores numbers and `minimum`/`exclusiveMaximum` ignore strings, so each
 * `anyOf` constrains only its own kind of value.
 */
function formatKeywords(formats: readonly FieldFormat[], types: readonly ValueType[]): Record<string, unknown> {
  if (formats.length === 0) return {};
  const strings = formats.map(stringBranch);
  const takesNumbers = types.includes('integer') || types.includes('number');
  const epochs = takesNumbers
    ? formats.flatMap((f) => (f.kind === 'unix' || f.kind === 'unix_ms' ? [epochRange(f.kind)] : []))
    : [];
  const parts: JsonSchema[] = [];
  parts.push(strings.length === 1 ? strings[0]! : { anyOf: strings });
  if (epochs.length > 0) parts.push(epochs.length === 1 ? epochs[0]! : { anyOf: epochs });
  if (parts.length === 1) return { ...parts[0] };
  // Both kinds constrained: keep them apart so neither anyOf can satisfy the other's values.
  const [first, second] = parts as [JsonSchema, JsonSchema];
  return 'anyOf' in first || 'anyOf' in second ? { allOf: parts } : { ...first, ...second };
}
