/**
 * The prologue every command that reads a map shares: read and compile it, register its text
 * (and its `# mapc: allow` acknowledgements) for the diagnostics, and report what went wrong.
 *
 * @module
 */
import { sortDiagnostics } from '../compiler/check/index.ts';
import { readFileSync } from 'node:fs';
import { compileSource } from '../compiler/compile.ts';
import type { IntegrationIR } from '../compiler/ir.ts';
import type { Diagnostic } from '../dsl/diagnostics.ts';
import { cliError, inCwd, type Io } from './io.ts';
import { printDiagnostics, type Sources } from './report.ts';

/** One compiled map. */
export interface LoadedMap {
  /**
   * The IR; undefined when the map has an error, its acknowledgement comments' errors (E0703)
   * included.
   */
  readonly ir: IntegrationIR | undefined;
  /** Every diagnostic, the acknowledgement errors included, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads `file` (relative to the run's working directory) and compiles it, registering its text with `sources`. Prints nothing but the
 * read error.
 * @returns the compiled map, or undefined (after a CLI error, exit status 1) when the file
 *   cannot be read
 */
export function loadMap(io: Io, file: string, sources: Sources): LoadedMap | undefined {
  let source;
  try {
    source = readFileSync(inCwd(io, file), 'utf8');
  } catch (error) {
    cliError(io, `cannot read ${file}: ${(error as Error).message}`);
    return undefined;
  }
  const result = { ...compileSource(source, file), source };
  const acknowledgementErrors = sources.add(file, result.source);
  return {
    ir: acknowledgementErrors.length === 0 ? result.ir : undefined,
    diagnostics: sortDiagnostics([...result.diagnostics, ...acknowledgementErrors]),
  };
}

/**
 * {@link loadMap}, then prints the map's diagnostics (without the acknowledged warnings). With
 * `skipped` (a past participle: `built`, `tested`), a map with an error also gets the line
 * `<file>: not <skipped> (errors above)`, for commands that go on with the next map.
 * @returns the IR, or undefined when the map cannot be read or has an error
 */
export function loadAndReport(io: Io, file: string, sources: Sources, skipped?: string): IntegrationIR | undefined {
  const loaded = loadMap(io, file, sources);
  if (!loaded) return undefined;
  printDiagnostics(io, loaded.diagnostics, sources);
  if (!loaded.ir && skipped !== undefined) io.err(`${file}: not ${skipped} (errors above)`);
  return loaded.ir;
}
