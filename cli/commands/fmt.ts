/**
 * `mapc fmt [--check] [--stdin] [paths...]`: rewrites maps in the canonical layout
 * (`dsl/format/`, `docs/language.md` "Canonical layout").
 *
 * Never loses what the user wrote:
 * - a map with a syntax error is not touched (its diagnostics are printed, exit 1);
 * - a file that is not valid UTF-8 is not touched;
 * - a file is written only when its text changes, through a temporary file in the same directory
 *   (same permissions), fsynced and renamed over the map (rename(2) is atomic within a file
 *   system); a symbolic link is followed and the file it points to replaced, the link kept;
 * - the map is read again just before the rename: if it changed meanwhile (an editor saved it),
 *   nothing is written and the run fails.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatMap } from '../../dsl/format/index.ts';
import { cliError, inCwd, readAll, type Io } from '../io.ts';
import { resolveMapPaths } from '../paths.ts';
import { printDiagnostics, Sources } from '../report.ts';

export interface FmtOptions {
  /** Write nothing; list the maps that would change and exit 1 if any would. */
  readonly check: boolean;
}

/** What happened to one map. */
type Outcome = 'unchanged' | 'changed' | 'failed';

/** Decodes UTF-8 strictly (a byte-order mark is kept as U+FEFF, which the lexer refuses). */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Replaces `path` with `text` atomically (see the module doc), unless its content is no longer
 * `original`. @throws Error when the file changed meanwhile or cannot be written (the map is then untouched)
 */
export function replaceFileAtomic(path: string, original: Uint8Array, text: string): void {
  const realPath = realpathSync(path);
  const mode = statSync(realPath).mode & 0o7777;
  const dir = dirname(realPath);
  const temp = join(dir, `.${basename(realPath)}.mapc-fmt.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    writeSync(fd, text, null, 'utf8');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (!Buffer.from(original).equals(readFileSync(realPath))) {
      throw new Error('the file changed while it was being formatted; run mapc fmt again');
    }
    renameSync(temp, realPath);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed or never created.
    }
    throw error;
  }
  try {
    const d = openSync(dir, 'r');
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}

function formatOne(io: Io, file: string, options: FmtOptions, sources: Sources): Outcome {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(inCwd(io, file));
  } catch (error) {
    cliError(io, `cannot read ${file}: ${(error as Error).message}`);
    return 'failed';
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    cliError(io, `${file} is not valid UTF-8: not formatted`);
    return 'failed';
  }
  let result;
  try {
    result = formatMap(text, file);
  } catch (error) {
    cliError(io, `cannot format ${file}: internal error: ${(error as Error).message} (the file is untouched)`);
    return 'failed';
  }
  if (!result.ok) {
    sources.add(file, text);
    printDiagnostics(io, result.diagnostics, sources);
    io.err(`${file}: not formatted (syntax errors)`);
    io.fail();
    return 'failed';
  }
  if (result.text === text) return 'unchanged';
  if (options.check) {
    io.out(file);
    return 'changed';
  }
  try {
    replaceFileAtomic(inCwd(io, file), bytes, result.text);
  } catch (error) {
    cliError(io, `cannot write ${file}: ${(error as Error).message}`);
    return 'failed';
  }
  io.out(file);
  return 'changed';
}

/**
 * Formats maps (default: every `maps/*.map`). Prints the path of each map that changed (or, with
 * `check`, would change) on stdout and a summary on stderr. Exit 1 on a syntax error, an I/O
 * error, or with `check` when any map would change.
 */
export function runFmt(io: Io, paths: readonly string[], options: FmtOptions): void {
  let files: string[];
  try {
    files = resolveMapPaths(paths, io.cwd);
  } catch (error) {
    cliError(io, (error as Error).message);
    return;
  }
  const sources = new Sources();
  const outcomes = files.map((file) => formatOne(io, file, options, sources));
  const changed = outcomes.filter((o) => o === 'changed').length;
  const failed = outcomes.filter((o) => o === 'failed').length;
  const maps = `${files.length} map${files.length === 1 ? '' : 's'}`;
  const notFormatted = failed > 0 ? `, ${failed} not formatted` : '';
  if (options.check) {
    if (changed > 0) io.fail();
    io.err(`${changed} of ${maps} would be reformatted${notFormatted}`);
  } else {
    io.err(`${changed} of ${maps} reformatted${notFormatted}`);
  }
}

/**
 * `mapc fmt --stdin`: formats the map read from standard input to standard output (for editors).
 * On a syntax error prints the diagnostics on stderr, writes nothing on stdout and exits 1.
 */
export async function runFmtStdin(io: Io, name: string, input: NodeJS.ReadableStream = io.stdin): Promise<void> {
  const text = decodeUtf8(await readAll(input));
  if (text === undefined) {
    cliError(io, 'standard input is not valid UTF-8');
    return;
  }
  let result;
  try {
    result = formatMap(text, name);
  } catch (error) {
    cliError(io, `cannot format ${name}: internal error: ${(error as Error).message}`);
    return;
  }
  if (!result.ok) {
    const sources = new Sources();
    sources.add(name, text);
    printDiagnostics(io, result.diagnostics, sources);
    io.fail();
    return;
  }
  // `Io.out` ends what it writes with a line break; a formatted map already does, or is empty.
  if (result.text !== '') io.out(result.text);
}
