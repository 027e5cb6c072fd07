/**
 * Loading the vendor fixtures under `fixtures/<vendor>/` for tests (see `fixtures/README.md`):
 * the reviewed golden IR, API response bodies in request order, the split records and the ECS
 * documents each must become.
 *
 * Every file is read with {@link readFixtureJson}: malformed JSON raises a {@link FixtureError}
 * (E0700) naming the file and the line:column of the error, never a bare `SyntaxError`.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IR_VERSION, type IntegrationIR } from '../../compiler/ir.ts';
import { parseJsonText } from '../../compiler/interpret/json-text.ts';
import { CODES } from '../../dsl/codes.ts';
import type { FixtureCase } from '../../targets/contract.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures');

/** A fixture file that is missing, malformed JSON, or not shaped as its kind requires. */
export class FixtureError extends Error {
  readonly code = 'E0700' as const;
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`E0700: ${CODES.E0700}: ${file}: ${detail}`);
    this.name = 'FixtureError';
  }
}

/** `fixtures/<vendor>/<stream>/...` relative to the repository, for messages. */
function display(file: string): string {
  return relative(REPO_ROOT, file).split('\\').join('/');
}

/**
 * Reads and parses one JSON file.
 * @throws FixtureError `E0700: malformed fixture JSON: fixtures/x/y.json:3:7: <JSON.parse message>`
 *   for bad JSON (line and column 1-based), or `...: cannot read file` when it does not exist.
 */
export function readFixtureJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FixtureError(display(file), `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column } = parsed.location;
    throw new FixtureError(`${display(file)}:${line}:${column}`, parsed.message);
  }
  return parsed.value;
}

/** `fixtures/<vendor>/ir.json`, the reviewed golden IR (offsets and lengths are 0: compare without them). */
export function loadFixtureIR(vendor: string): IntegrationIR {
  const file = join(FIXTURES_DIR, vendor, 'ir.json');
  const ir = readFixtureJson(file);
  if (typeof ir !== 'object' || ir === null || (ir as { irVersion?: unknown }).irVersion !== IR_VERSION) {
    throw new FixtureError(display(file), `not an IntegrationIR (irVersion ${IR_VERSION})`);
  }
  return ir as IntegrationIR;
}

/** The split records of a stream, in order, as `records.json` holds them. */
export function loadFixtureRecords(vendor: string, stream: string): unknown[] {
  return readArray(join(FIXTURES_DIR, vendor, stream, 'records.json'));
}

/**
 * Each record (its JSON text as the event's `message`) with the document and id it must become,
 * under the settings' defaults. @throws FixtureError when `records.json` and `expected.json`
 * differ in length or an expected entry is not `{"_id"?: string, "doc": {...}}`.
 */
export function loadFixtureCases(vendor: string, stream: string): FixtureCase[] {
  const dir = join(FIXTURES_DIR, vendor, stream);
  const records = loadFixtureRecords(vendor, stream);
  const expectedFile = join(dir, 'expected.json');
  const expected = readArray(expectedFile);
  if (expected.length !== records.length) {
    throw new FixtureError(
      display(expectedFile),
      `${expected.length} expected documents for ${records.length} records`,
    );
  }
  return records.map((record, i) => {
    const entry = expected[i] as { _id?: unknown; doc?: unknown } | null;
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.doc !== 'object' ||
      entry.doc === null ||
      Array.isArray(entry.doc)
    ) {
      throw new FixtureError(display(expectedFile), `entry ${i} is not {"_id", "doc"}`);
    }
    if (entry._id !== undefined && typeof entry._id !== 'string') {
      throw new FixtureError(display(expectedFile), `entry ${i}: _id is not a string`);
    }
    const doc = entry.doc as Record<string, unknown>;
    return { message: JSON.stringify(record), expected: entry._id === undefined ? { doc } : { _id: entry._id, doc } };
  });
}

/**
 * The API response bodies of a stream in request order: the `pages` of `scenario.json`
 * (`{"file": "responses/x.json"}` entries), or else every `responses/*.json` by file name
 * except `login.json` (a login response, not a data page).
 */
export function loadResponses(vendor: string, stream: string): unknown[] {
  const dir = join(FIXTURES_DIR, vendor, stream);
  const scenarioFile = join(dir, 'scenario.json');
  if (existsSync(scenarioFile)) {
    const scenario = readFixtureJson(scenarioFile) as { pages?: unknown };
    if (Array.isArray(scenario.pages)) {
      return scenario.pages.map((page, i) => {
        const file = typeof page === 'string' ? page : (page as { file?: unknown } | null)?.file;
        if (typeof file !== 'string') throw new FixtureError(display(scenarioFile), `pages[${i}] names no file`);
        return readFixtureJson(join(dir, file));
      });
    }
  }
  const responses = join(dir, 'responses');
  if (!existsSync(responses)) return [];
  return readdirSync(responses)
    .filter((f) => f.endsWith('.json') && f !== 'login.json')
    .sort()
    .map((f) => readFixtureJson(join(responses, f)));
}

/** Every `{vendor, stream}` with a `records.json` under `fixtures/`, sorted. */
export function listFixtureStreams(): { vendor: string; stream: string }[] {
  const found: { vendor: string; stream: string }[] = [];
  for (const vendor of readdirSync(FIXTURES_DIR, { withFileTypes: true })) {
    if (!vendor.isDirectory()) continue;
    for (const stream of readdirSync(join(FIXTURES_DIR, vendor.name), { withFileTypes: true })) {
      if (stream.isDirectory() && existsSync(join(FIXTURES_DIR, vendor.name, stream.name, 'records.json'))) {
        found.push({ vendor: vendor.name, stream: stream.name });
      }
    }
  }
  return found.sort((a, b) => `${a.vendor}/${a.stream}`.localeCompare(`${b.vendor}/${b.stream}`));
}

function readArray(file: string): unknown[] {
  const value = readFixtureJson(file);
  if (!Array.isArray(value)) throw new FixtureError(display(file), 'expected a JSON array');
  return value;
}
