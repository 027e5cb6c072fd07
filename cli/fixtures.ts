/**
 * Fixture cases for the backends' engine-side tests (`EmitOptions.fixtures`): for each stream,
 * `<dir>/<integration>/<stream>/records.json` (split records) zipped with `expected.json`
 * (`[{ "_id"?, "doc" }]`, the documents the records must become under default settings).
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IntegrationIR } from '../compiler/ir.ts';
import { defaultSettings, mapRecord, parseJsonText } from '../compiler/interpret/index.ts';
import type { FixtureCase } from '../targets/contract.ts';
import { jsonEqual } from './test/diff.ts';

export class FixtureError extends Error {}

/**
 * The cases of every stream of `ir` that has both files under `dir`; streams without fixtures
 * are absent. @throws FixtureError (E0700 text, with file:line:col for bad JSON) when a file is
 * malformed or the two files disagree in length. A relative `dir` is read from `cwd` (messages
 * name the files as `dir` gives them).
 */
export function loadFixtures(dir: string, ir: IntegrationIR, cwd: string): Map<string, FixtureCase[]> {
  const out = new Map<string, FixtureCase[]>();
  for (const stream of ir.streams) {
    const base = join(dir, ir.name, stream.name);
    const recordsFile = join(base, 'records.json');
    const expectedFile = join(base, 'expected.json');
    if (!existsSync(resolve(cwd, recordsFile)) || !existsSync(resolve(cwd, expectedFile))) continue;
    const records = readArray(recordsFile, cwd);
    const expected = readArray(expectedFile, cwd);
    if (records.length !== expected.length) {
      throw new FixtureError(
        `E0700: ${expectedFile}: ${expected.length} expected documents for ${records.length} records`,
      );
    }
    out.set(
      stream.name,
      records.map((record, i) => {
        const entry = expected[i] as { _id?: unknown; doc?: unknown } | null;
        const doc = entry?.doc;
        if (
          typeof doc !== 'object' ||
          doc === null ||
          Array.isArray(doc) ||
          (entry?._id !== undefined && typeof entry._id !== 'string')
        ) {
          throw new FixtureError(`E0700: ${expectedFile}: entry ${i} is not {"_id"?: string, "doc": {...}}`);
        }
        const id = entry?._id as string | undefined;
        const expectedDoc = doc as Record<string, unknown>;
        return {
          message: JSON.stringify(record),
          expected: id === undefined ? { doc: expectedDoc } : { _id: id, doc: expectedDoc },
        };
      }),
    );
  }
  return out;
}

function readArray(file: string, cwd: string): unknown[] {
  const parsed = parseJsonText(readFileSync(resolve(cwd, file), 'utf8'));
  if (!parsed.ok) {
    const { line, column } = parsed.location;
    throw new FixtureError(`E0700: ${file}:${line}:${column}: malformed JSON (${parsed.message})`);
  }
  if (!Array.isArray(parsed.value)) throw new FixtureError(`E0700: ${file}: expected a JSON array`);
  return parsed.value;
}

/** A fixture record whose expected document the reference interpreter does not make. */
export interface FixtureMismatch {
  readonly stream: string;
  /** 0-based index in `records.json` / `expected.json`. */
  readonly index: number;
}

/**
 * The cases whose `expected.json` entry differs from what the reference interpreter makes of
 * the record under default settings (document or id), or that it cannot map at all: what
 * `mapc test` reports for the `interpreter` engine, and what `mapc build` refuses to turn into
 * engine tests.
 */
export function interpreterMismatches(
  ir: IntegrationIR,
  fixtures: ReadonlyMap<string, FixtureCase[]>,
): FixtureMismatch[] {
  const settings = defaultSettings(ir);
  const out: FixtureMismatch[] = [];
  for (const stream of ir.streams) {
    for (const [index, c] of (fixtures.get(stream.name) ?? []).entries()) {
      let same: boolean;
      try {
        const made = mapRecord(stream, c.message, settings);
        same = made.id === c.expected._id && jsonEqual(made.doc, c.expected.doc);
      } catch {
        same = false;
      }
      if (!same) out.push({ stream: stream.name, index });
    }
  }
  return out;
}
