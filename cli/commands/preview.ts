import { readFileSync } from 'node:fs';
import { diagnostic } from '../../dsl/diagnostics.ts';
import { loadAndReport } from '../load.ts';
import { closest } from '../../dsl/suggest.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { isRfc3339 } from '../../compiler/literals.ts';
import {
  collectionTimeText,
  defaultSettings,
  extractRecords,
  InterpretError,
  loadGeoDatabases,
  mapRecord,
  nestedDeeperThan,
  parseJsonText,
  parseSettingText,
  splitSetPairs,
  splitRecord,
  tooDeepDocument,
  type GeoDatabase,
  type MapOptions,
  type MappedRecord,
} from '../../compiler/interpret/index.ts';
import { recordValidator, type Violation } from '../../compiler/schema/validate.ts';
import { cliError, inCwd, readAll, type Io } from '../io.ts';
import { printDiagnostics, Sources } from '../report.ts';

export interface PreviewOptions {
  readonly input: string;
  readonly stream?: string;
  /** `name=value` pairs from `--set`. */
  readonly set: readonly string[];
  /** `--now`: the collection time `collected_at` writes (RFC 3339, or `now`); absent: none. */
  readonly now?: string;
  /**
   * `--geoip-database` paths: MaxMind City / ASN databases `geoip` / `asn` read (relative to the
   * working directory); absent or empty: the enrichments write nothing.
   */
  readonly geoipDatabases?: readonly string[];
}

/**
 * The `--now` text as the IR's date form (`collectionTimeText`): an RFC 3339 time
 * (`compiler/literals.ts`), or `now` for the current time; undefined (after an error message)
 * for anything else.
 */
export function collectionTimeOption(io: Io, text: string): string | undefined {
  if (text === 'now') return collectionTimeText(new Date());
  const ms = isRfc3339(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    cliError(io, `--now ${JSON.stringify(text)} is not an RFC 3339 time (like 2025-01-31T12:00:00Z) or "now"`);
    return undefined;
  }
  return collectionTimeText(new Date(ms));
}

/**
 * `mapc preview <file> --input records.json`: the ECS documents the reference interpreter makes
 * from raw records, as a JSON array of `{ "_id"?, "doc" }` on stdout. When the stream has a
 * record schema, every record (after the split) is validated with it and each violation is
 * printed on stderr (record number, JSON pointer, schema rule); the record is still mapped.
 *
 * The input (`-`: standard input) is a JSON array of records, one API response body (records are
 * taken from the stream's `records` path), a single record object, or NDJSON records (what
 * `mapc collect` prints). Each record is split as the stream says; a record nested deeper than
 * the record semantics allow (`MAX_RECORD_DEPTH`, `compiler/ir.ts`) becomes its error document.
 */
export async function runPreview(io: Io, file: string, options: PreviewOptions): Promise<void> {
  const sources = new Sources();
  const ir = loadAndReport(io, file, sources);
  if (!ir) return;

  const stream = pickStream(io, ir, options.stream);
  if (!stream) return;
  const settings = parseSettings(io, ir, options.set);
  if (!settings) return;
  const collectedAt = options.now === undefined ? undefined : collectionTimeOption(io, options.now);
  if (options.now !== undefined && collectedAt === undefined) return;
  let geoDatabases: GeoDatabase[] = [];
  try {
    geoDatabases = loadGeoDatabases((options.geoipDatabases ?? []).map((p) => inCwd(io, p)));
  } catch (error) {
    if (!(error instanceof InterpretError)) throw error;
    cliError(io, `--geoip-database: ${error.message}`);
    return;
  }
  const mapOptions: MapOptions = {
    // `--now` is also the "now" of `now` conditions (else each record's mapping reads the clock).
    ...(collectedAt === undefined ? {} : { collectedAt, now: Date.parse(collectedAt) }),
    ...(geoDatabases.length > 0 ? { geoDatabases } : {}),
  };

  const name = options.input === '-' ? '<stdin>' : options.input;
  let text: string;
  try {
    // `-` is standard input, e.g. `mapc collect x.map | mapc preview x.map --input -`.
    text =
      options.input === '-'
        ? (await readAll(io.stdin)).toString('utf8')
        : readFileSync(inCwd(io, options.input), 'utf8');
  } catch (error) {
    cliError(io, `cannot read ${name}: ${(error as Error).message}`);
    return;
  }
  sources.add(name, text);
  const parsed = parseInput(text);
  if (!parsed.ok) {
    const { offset, line, column } = parsed.location;
    const span = { file: name, offset, length: 1, line, column };
    printDiagnostics(
      io,
      [
        diagnostic(
          'E0701',
          'error',
          `${name} is not valid JSON`,
          { span, message: 'JSON stops being valid here' },
          { notes: [`note: ${parsed.message}`] },
        ),
      ],
      sources,
    );
    return;
  }

  const documents: MappedRecord[] = [];
  const validator = recordValidator(ir.name, stream);
  let where = name;
  try {
    const records = parsed.ndjson ? parsed.value : recordsOf(stream, parsed.value);
    for (const [i, record] of records.entries()) {
      where = `${name}: record ${i + 1}`;
      // A record past the depth bound is not split or serialised (both would recurse on it).
      if (nestedDeeperThan(record)) {
        documents.push({ doc: tooDeepDocument() });
        continue;
      }
      const events = splitRecord(stream.source.split, record);
      for (const [j, event] of events.entries()) {
        // A record that breaks the schema is reported and still mapped (tier 2), never dropped.
        if (validator)
          reportViolations(io, validator.violations(event), events.length > 1 ? `${where}, element ${j + 1}` : where);
        documents.push(mapRecord(stream, JSON.stringify(event), settings, mapOptions));
      }
    }
  } catch (error) {
    if (!(error instanceof InterpretError)) throw error;
    cliError(io, `${where}: ${error.message}`);
    return;
  }
  // A dropped record (`drop when`) becomes no document; stderr says how many, stdout stays JSON.
  const dropped = documents.filter((d) => d.dropped).length;
  if (dropped > 0) io.err(`note: ${dropped} of ${documents.length} records dropped by drop when`);
  io.out(
    `${JSON.stringify(
      documents.filter((d) => !d.dropped).map((d) => (d.id === undefined ? { doc: d.doc } : { _id: d.id, doc: d.doc })),
      null,
      2,
    )}\n`,
  );
}

/**
 * One stderr line per violation: `warning: <input>: record 3: /spec/remote_address must match
 * format "mapc-ip" (schema #/properties/...; declared at maps/x.map:80:5)`. Violations are
 * warnings: they do not change the exit code.
 */
function reportViolations(io: Io, violations: readonly Violation[], where: string): void {
  for (const v of violations) {
    const declared = v.field ? `; declared at ${v.field.loc.file}:${v.field.loc.line}:${v.field.loc.column}` : '';
    io.err(`warning: ${where}: ${v.pointer || '/'} ${v.message} (schema ${v.schemaPath}${declared})`);
  }
}

export type ParsedInput =
  | { readonly ok: true; readonly ndjson: false; readonly value: unknown }
  | { readonly ok: true; readonly ndjson: true; readonly value: unknown[] }
  | {
      readonly ok: false;
      readonly message: string;
      readonly location: { offset: number; line: number; column: number };
    };

/**
 * One JSON text, or NDJSON (one record per line, as `mapc collect` prints them): a text that is
 * not one JSON value but whose first line is, and that has several lines, is read line by line.
 */
export function parseInput(text: string): ParsedInput {
  const whole = parseJsonText(text);
  if (whole.ok) return { ok: true, ndjson: false, value: whole.value };
  const lines = text.split('\n');
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  if (nonEmpty.length < 2 || !parseJsonText(nonEmpty[0]!).ok) return whole;
  const values: unknown[] = [];
  let offset = 0;
  for (const [i, line] of lines.entries()) {
    if (line.trim() !== '') {
      const one = parseJsonText(line);
      if (!one.ok) {
        const column = one.location.column;
        return { ok: false, message: one.message, location: { offset: offset + column - 1, line: i + 1, column } };
      }
      values.push(one.value);
    }
    offset += line.length + 1;
  }
  return { ok: true, ndjson: true, value: values };
}

/** The records in `input`: an array as is; an object holding the stream's records path as a response body; else one record. */
function recordsOf(stream: StreamIR, input: unknown): unknown[] {
  if (Array.isArray(input)) return input;
  if (typeof input !== 'object' || input === null) {
    throw new InterpretError('E0701', 'expected a JSON array of records, a response body or one record object');
  }
  const path = stream.source.records;
  let at: unknown = input;
  for (const segment of path)
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[segment] : undefined;
  return path.length > 0 && at !== undefined ? extractRecords(stream.source, input) : [input];
}

/** The stream named `name`, or the only one; reports a CLI error and returns undefined otherwise. */
export function pickStream(io: Io, ir: IntegrationIR, name: string | undefined): StreamIR | undefined {
  const names = ir.streams.map((s) => s.name).join(', ');
  if (name === undefined) {
    if (ir.streams.length === 1) return ir.streams[0];
    cliError(io, `${ir.sourceFile} has several streams (${names}): choose one with --stream`);
    return undefined;
  }
  const stream = ir.streams.find((s) => s.name === name);
  if (!stream) cliError(io, `no stream ${name} in ${ir.sourceFile} (streams: ${names})`);
  return stream;
}

/**
 * Setting values: defaults, then `--set name=value`, split and typed by the rules `mapc collect`
 * uses (`compiler/interpret/settings.ts`); an empty value means unset (the default), and a later
 * pair of the same name wins. Reports every wrong setting; undefined when there was one.
 */
function parseSettings(io: Io, ir: IntegrationIR, pairs: readonly string[]): Record<string, unknown> | undefined {
  const values: Record<string, unknown> = defaultSettings(ir);
  const split = splitSetPairs(pairs);
  if (!split.ok) {
    cliError(io, `--set ${split.malformed}: expected name=value`);
    return undefined;
  }
  let ok = true;
  for (const [name, raw] of Object.entries(split.values)) {
    const setting = ir.settings.find((s) => s.name === name);
    if (!setting) {
      const best = closest(
        name,
        ir.settings.map((s) => s.name),
        1,
      )[0];
      cliError(io, `--set ${name}: no such setting${best ? ` (did you mean ${best}?)` : ''}`);
      ok = false;
      continue;
    }
    if (raw === '') {
      // Empty means unset, as for `mapc collect` (where the IR renders an unset setting as "").
      if (setting.default === undefined) delete values[name];
      else values[name] = setting.default;
      continue;
    }
    const value = parseSettingText(setting.type, raw);
    if (typeof value === 'object') {
      cliError(io, `--set ${name}: setting ${name} must be ${value.expected}`);
      ok = false;
    } else values[name] = value;
  }
  return ok ? values : undefined;
}
