/**
 * Record schemas (`record { }` blocks): from the AST to `RecordSchemaIR`, path resolution to
 * `FieldTypeIR`, JSON Schema draft 2020-12 with mapc's formats, ajv validation, and the IR
 * without schemas. The normative meaning is in the module doc of `compiler/ir.ts`
 * ("Record schemas").
 *
 * @module
 */
export { declaredSchema } from './declared.ts';
export { SchemaIndex, UNDECLARED, type Resolution, type SchemaNode } from './resolve.ts';
export { recordJsonSchema, DRAFT_2020_12, type JsonSchema } from './json-schema.ts';
export { FORMAT_NAMES, DATE_PATTERN_KEYWORD } from './formats.ts';
export { createAjv, recordValidator, streamJsonSchema, RecordValidator, type Violation } from './validate.ts';
export { stripSchemas } from './strip.ts';
