import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diagnostic } from '../../dsl/diagnostics.ts';
import { PACKAGE_NAME, SNAKE_CASE } from '../../compiler/check/names.ts';
import { compileSource } from '../../compiler/compile.ts';
import { inferFields } from '../../compiler/init/infer.ts';
import { findRecordsPath } from '../../compiler/init/records-path.ts';
import { renderInitMap } from '../../compiler/init/render.ts';
import { suggestMappings } from '../../compiler/init/suggest.ts';
import { cliError, inCwd, type Io } from '../io.ts';
import { printDiagnostics, Sources } from '../report.ts';
import { parseInput } from './preview.ts';

export interface InitOptions {
  readonly sample: string;
  readonly response?: string;
  /** Directory of the map (default `maps`). */
  readonly out: string;
  /** Directory of the fixtures (default: `fixtures` beside the map directory). */
  readonly fixtures?: string;
  readonly stream: string;
  readonly force: boolean;
}

/**
 * `mapc init <name> --sample records.json [--response page.json]`: writes a starting map
 * (`<out>/<name>.map`) and its fixture records (`<fixtures>/<name>/<stream>/records.json`),
 * refusing to replace an existing file unless `--force`, which first renames it to
 * `<file>.bak` (`.bak.2`, ... when taken), so nothing the user wrote is lost. The map holds the
 * record schema inferred from the samples, suggested ECS rules and a stream skeleton; it passes
 * `mapc check` with at most warnings, which are printed. Nothing is written when any input is
 * unusable.
 */
export function runInit(io: Io, name: string, options: InitOptions): void {
  for (const [what, value, valid] of [
    ['integration name', name, PACKAGE_NAME],
    ['stream name', options.stream, SNAKE_CASE],
  ] as const) {
    if (!valid.test(value)) {
      cliError(io, `invalid ${what} ${JSON.stringify(value)}: use lowercase snake_case, e.g. my_vendor`);
      return;
    }
  }
  const sources = new Sources();
  const samples = readJson(io, options.sample, sources);
  if (samples === undefined) return;
  const records: unknown[] = Array.isArray(samples.value) ? samples.value : [samples.value];
  const bad = records.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
  if (records.length === 0 || bad >= 0) {
    cliError(
      io,
      records.length === 0
        ? `${options.sample} holds no records`
        : `${options.sample}: record ${bad + 1} is not a JSON object (expected an array of record objects)`,
    );
    return;
  }
  let recordsPath;
  if (options.response !== undefined) {
    const page = readJson(io, options.response, sources);
    if (page === undefined) return;
    recordsPath = findRecordsPath(page.value);
    if (recordsPath === undefined) {
      cliError(io, `${options.response} holds no array of objects: where are the records?`);
      return;
    }
  }
  const fields = inferFields(records as Record<string, unknown>[]);
  const mapFile = join(options.out, `${name}.map`);
  const fixturesDir = options.fixtures ?? join(dirname(options.out), 'fixtures');
  const recordsFile = join(fixturesDir, name, options.stream, 'records.json');
  const text = renderInitMap({
    name,
    stream: options.stream,
    sampleFile: options.sample,
    ...(options.response !== undefined ? { responseFile: options.response } : {}),
    ...(recordsPath !== undefined ? { recordsPath } : {}),
    fields,
    suggestions: suggestMappings(fields),
  });
  // The map must compile: an error here is a mapc bug, and nothing is written.
  const compiled = compileSource(text, mapFile);
  if (!compiled.ir) {
    sources.add(mapFile, text);
    printDiagnostics(io, compiled.diagnostics, sources);
    cliError(io, 'internal error: the generated map does not compile (a mapc bug; please report it with the samples)');
    return;
  }

  const files = [mapFile, recordsFile];
  const at = (file: string): string => inCwd(io, file);
  const existing = files.filter((f) => existsSync(at(f)));
  if (existing.length > 0 && !options.force) {
    cliError(
      io,
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}: nothing written (--force keeps a .bak copy and replaces)`,
    );
    return;
  }
  for (const file of existing) {
    const backup = freeBackupName(file, at);
    if (!wrote(io, file, () => renameSync(at(file), at(backup)))) return;
    io.err(`kept ${file} as ${backup}`);
  }
  const contents: [string, string][] = [
    [mapFile, text],
    [recordsFile, `${JSON.stringify(records, null, 2)}\n`],
  ];
  for (const [file, content] of contents) {
    const written = wrote(io, file, () => {
      mkdirSync(dirname(at(file)), { recursive: true });
      writeFileSync(at(file), content);
    });
    if (!written) return;
  }
  sources.add(mapFile, text);
  printDiagnostics(io, compiled.diagnostics, sources);
  io.out(
    [
      `wrote ${mapFile}`,
      `wrote ${recordsFile}`,
      'next: check every `# suggested:` and `# assumed:` line against the vendor documentation, then',
      `  mapc check ${mapFile}`,
      `  mapc preview ${mapFile} --input ${recordsFile}`,
      '',
    ].join('\n'),
  );
}

/** Runs `write`; a file-system error (a directory under a file, no permission, a full disk) is reported for `file` and gives false. */
function wrote(io: Io, file: string, write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    cliError(io, `cannot write ${file}: ${(error as Error).message}`);
    return false;
  }
}

/** The first of `<file>.bak`, `<file>.bak.2`, ... that does not exist (`at`: where a path is on disk). */
function freeBackupName(file: string, at: (path: string) => string): string {
  if (!existsSync(at(`${file}.bak`))) return `${file}.bak`;
  for (let n = 2; ; n++) if (!existsSync(at(`${file}.bak.${n}`))) return `${file}.bak.${n}`;
}

function readJson(io: Io, file: string, sources: Sources): { value: unknown } | undefined {
  let text: string;
  try {
    text = readFileSync(inCwd(io, file), 'utf8');
  } catch (error) {
    cliError(io, `cannot read ${file}: ${(error as Error).message}`);
    return undefined;
  }
  const parsed = parseInput(text);
  if (parsed.ok) return { value: parsed.value };
  sources.add(file, text);
  const { offset, line, column } = parsed.location;
  printDiagnostics(
    io,
    [
      diagnostic(
        'E0701',
        'error',
        `${file} is not valid JSON`,
        { span: { file, offset, length: 1, line, column }, message: 'JSON stops being valid here' },
        { notes: [`note: ${parsed.message}`] },
      ),
    ],
    sources,
  );
  return undefined;
}
