/**
 * The reference interpreter: the semantics every target is tested against, and the engine of
 * `mapc preview`. It executes a stream's IR on JSON values only (no network): response bodies to
 * records ({@link extractRecords}), records to events ({@link splitRecord}), events to ECS
 * documents ({@link mapRecord}).
 *
 * The normative rules are in the module comment and the TransformIR/DocumentIdIR docs of
 * `compiler/ir.ts`; where they leave a case open, the choice made here is documented on the
 * function that makes it.
 *
 * @module
 */
import type { IntegrationIR } from '../ir.ts';

export { mapRecord, type MappedRecord } from './map-record.ts';
export { extractRecords, splitRecord } from './records.ts';
export { applyTransform, applyTransforms } from './transforms.ts';
export { documentId } from './document-id.ts';
export { getPath } from './paths.ts';
/** Epoch milliseconds of a value in one date format (the reference date parser). */
export { parseOne as parseInstant } from './date.ts';
export { InterpretError } from './errors.ts';
export type { TransformOutcome } from './outcome.ts';

/**
 * Each setting's default value by name (settings without a default are absent), the settings
 * `mapRecord` sees when the operator sets nothing. Overrides: `{ ...defaultSettings(ir), ...mine }`.
 */
export function defaultSettings(ir: IntegrationIR): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const setting of ir.settings) if (setting.default !== undefined) values[setting.name] = setting.default;
  return values;
}
export { parseJsonText, findJsonErrorOffset, type JsonParseResult, type JsonErrorLocation } from './json-text.ts';
