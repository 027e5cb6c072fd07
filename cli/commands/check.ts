import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { loadMap } from '../load.ts';
import { cliError, type Io } from '../io.ts';
import { resolveMapPaths } from '../paths.ts';
import { diagnosticsJson, printDiagnostics, Sources, summary } from '../report.ts';

export interface CheckOptions {
  readonly format: 'text' | 'json';
}

/**
 * `mapc check [paths...] [--format text|json]`: parse and check, write nothing. Text: rendered
 * diagnostics on stderr and a summary line; JSON: the diagnostics array on stdout. Exit 1 on any
 * error.
 */
export function runCheck(io: Io, paths: readonly string[], options: CheckOptions): void {
  let files: string[];
  try {
    files = resolveMapPaths(paths, io.cwd);
  } catch (error) {
    cliError(io, (error as Error).message);
    if (options.format === 'json') io.out(diagnosticsJson([]));
    return;
  }
  const sources = new Sources();
  const all: Diagnostic[] = [];
  for (const file of files) {
    const loaded = loadMap(io, file, sources);
    if (loaded) all.push(...loaded.diagnostics);
  }
  if (all.some((d) => d.severity === 'error')) io.fail();
  const shown = sources.unacknowledged(all);
  if (options.format === 'json') {
    io.out(diagnosticsJson(shown));
    return;
  }
  printDiagnostics(io, shown, sources);
  // A blank line keeps the summary apart from the last diagnostic's notes.
  const checked = `checked ${files.length} map${files.length === 1 ? '' : 's'}`;
  io.err(`${shown.length > 0 ? '\n' : ''}${checked}: ${summary(shown, all.length - shown.length)}`);
}
