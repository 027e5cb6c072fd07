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

export { collectionTimeText, mapRecord, type MapOptions, type MappedRecord } from './map-record.ts';
export { extractRecords, splitRecord } from './records.ts';
export { applyTransform, applyTransforms } from './transforms.ts';
export { documentId } from './document-id.ts';
export { openGeoDatabase, loadGeoDatabases, geoDatabaseKind, type GeoDatabase, type GeoDatabaseKind } from './geoip.ts';
export { parseUserAgent } from './user-agent.ts';
export { getPath } from './paths.ts';
/** Epoch milliseconds of a value in one date format (the reference date parser). */
export { parseOne as parseInstant } from './date.ts';
export { nestedDeeperThan, tooDeepDocument } from './depth.ts';
export { InterpretError } from './errors.ts';
export type { TransformOutcome } from './outcome.ts';

export {
  defaultSettings,
  durationMs,
  parseSettingText,
  SETTING_EXPECTED,
  splitSetPairs,
  type SettingValue,
} from './settings.ts';
export { parseJsonText, findJsonErrorOffset, type JsonParseResult, type JsonErrorLocation } from './json-text.ts';
