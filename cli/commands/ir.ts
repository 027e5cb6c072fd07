import { loadAndReport } from '../load.ts';
import type { Io } from '../io.ts';
import { Sources } from '../report.ts';

/** `mapc ir <file>`: the IR as JSON (2-space indent) on stdout; diagnostics on stderr; exit 1 on errors. */
export function runIr(io: Io, file: string): void {
  const ir = loadAndReport(io, file, new Sources());
  if (ir) io.out(`${JSON.stringify(ir, null, 2)}\n`);
}
