/**
 * From API response bodies to records (SourceIR `records`) and from records to events (SplitIR).
 *
 * @module
 */
import type { SourceIR, SplitIR } from '../ir.ts';
import { InterpretError } from './errors.ts';
import { cloneJson, isObject, setOwn } from './json.ts';
import { getPath } from './paths.ts';

/**
 * The records of one response body: the array at `source.records` (`[]`: the body itself).
 * A missing or `null` array means an empty page (no records).
 * @throws InterpretError E0701 when the value there is not an array.
 */
export function extractRecords(source: SourceIR, body: unknown): unknown[] {
  const value = getPath(body, source.records);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    const where = source.records.length === 0 ? 'the response body' : source.records.join('.');
    throw new InterpretError('E0701', `expected an array of records at ${where}, found ${typeName(value)}`);
  }
  return value;
}

/**
 * One event per element of the array at `split.path`, each a copy of `record` with that path
 * replaced by the element (parent fields kept). Without a split, or when the path is missing,
 * `null`, not an array or an empty array, the record stays one event, unchanged.
 */
export function splitRecord(split: SplitIR | undefined, record: unknown): unknown[] {
  if (split === undefined || split.path.length === 0) return [record];
  const items = getPath(record, split.path);
  if (!Array.isArray(items) || items.length === 0) return [record];
  return items.map((item) => {
    const copy = cloneJson(record);
    const parent = getPath(copy, split.path.slice(0, -1));
    // getPath found the array, so every parent is an object.
    if (isObject(parent)) setOwn(parent, split.path[split.path.length - 1] as string, cloneJson(item));
    return copy;
  });
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
