import { compileFile } from '../../compiler/compile.ts';
import { cliError, type Io } from '../io.ts';
import { printDiagnostics, Sources } from '../report.ts';

/** `mapc ir <file>`: the IR as JSON (2-space indent) on stdout; diagnostics on stderr; exit 1 on errors. */
export function runIr(io: Io, file: string): void {
  let result;
  try {
    result = compileFile(file);
  } catch (error) {
    cliError(io, `cannot read ${file}: ${(error as Error).message}`);
    return;
  }
  const sources = new Sources();
  printDiagnostics(io, [...result.diagnostics, ...sources.add(file, result.source)], sources);
  if (result.ir) io.out(`${JSON.stringify(result.ir, null, 2)}\n`);
}
