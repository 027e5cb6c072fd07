import { join } from 'node:path';
import type { TargetName } from '../../targets/contract.ts';
import { loadAndReport } from '../load.ts';
import { cliError, inCwd, type Io } from '../io.ts';
import { FixtureError, interpreterMismatches, loadFixtures } from '../fixtures.ts';
import { writeGenerated } from '../output.ts';
import { resolveMapPaths } from '../paths.ts';
import { printDiagnostics, Sources } from '../report.ts';
import { isTargetName, loadBackend, TARGET_NAMES } from '../targets.ts';

export interface BuildOptions {
  /** Output root (default `generated`). */
  readonly out: string;
  readonly targets: readonly TargetName[];
  /** Overwrite files in the output directories that mapc did not generate. */
  readonly force: boolean;
  /**
   * Fixture root (`<dir>/<integration>/<stream>/{records,expected}.json`) for the engine-side
   * tests the backends generate; `false`: none.
   */
  readonly fixtures: string | false;
}

/** Parses `--target elastic,vector`; `undefined` (after reporting) when a name is unknown. */
export function parseTargets(io: Io, value: string | undefined): TargetName[] | undefined {
  if (value === undefined) return [...TARGET_NAMES];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !isTargetName(n));
  if (unknown.length > 0 || names.length === 0) {
    cliError(io, `unknown target ${unknown.join(', ') || '(none given)'}: expected ${TARGET_NAMES.join(', ')}`);
    return undefined;
  }
  return [...new Set(names)] as TargetName[];
}

/**
 * `mapc build`: compile each map and run each backend, writing `<out>/<integration>/<target>/`.
 * A map with errors produces nothing; a target whose backend reports an error writes nothing
 * for that map; every diagnostic is printed; the exit code is 1 when anything failed.
 */
export async function runBuild(io: Io, paths: readonly string[], options: BuildOptions): Promise<void> {
  let files: string[];
  try {
    files = resolveMapPaths(paths, io.cwd);
  } catch (error) {
    cliError(io, (error as Error).message);
    return;
  }
  const sources = new Sources();
  const backends = new Map<TargetName, Awaited<ReturnType<typeof loadBackend>>>();
  for (const target of options.targets) backends.set(target, await loadBackend(target));

  for (const file of files) {
    const ir = loadAndReport(io, file, sources, 'built');
    if (!ir) continue;
    let emitOptions = {};
    const fixtureRoot = options.fixtures;
    if (fixtureRoot !== false) {
      try {
        const fixtures = loadFixtures(fixtureRoot, ir, io.cwd);
        if (fixtures.size > 0) emitOptions = { fixtures };
        // Engine tests are made from the fixtures only when the reference interpreter agrees
        // with them: a wrong expected value must not become a test every engine "passes".
        const mismatches = interpreterMismatches(ir, fixtures);
        if (mismatches.length > 0) {
          const where = mismatches
            .map((m) => `${join(fixtureRoot, ir.name, m.stream, 'expected.json')} entry ${m.index + 1}`)
            .join(', ');
          cliError(
            io,
            `${file}: E0702: ${mismatches.length === 1 ? 'a fixture' : `${mismatches.length} fixtures`} ` +
              `not what the map makes of the record (${where}); nothing written: run \`mapc test ${file}\` ` +
              'for the per-field diff (--update to rewrite them), or build with --no-fixtures',
          );
          continue;
        }
      } catch (error) {
        if (!(error instanceof FixtureError)) throw error;
        cliError(io, `${file}: ${error.message}`);
        continue;
      }
    }
    for (const target of options.targets) {
      const loaded = backends.get(target)!;
      if (!loaded.ok) {
        cliError(io, `${file}: ${loaded.error}`);
        continue;
      }
      let emitted;
      try {
        emitted = loaded.backend.emit(ir, emitOptions);
      } catch (error) {
        // A backend bug must not hide the other targets' output.
        cliError(io, `${file}: the ${target} backend failed: ${(error as Error).message}`);
        continue;
      }
      printDiagnostics(io, emitted.diagnostics, sources);
      const dir = join(options.out, ir.name, target);
      if (emitted.diagnostics.some((d) => d.severity === 'error')) {
        io.err(`${dir}: not written (${target} errors above)`);
        continue;
      }
      let written;
      try {
        written = writeGenerated(inCwd(io, dir), emitted.files, { force: options.force });
      } catch (error) {
        cliError(io, `cannot write ${dir}: ${(error as Error).message}`);
        continue;
      }
      if (written.refused.length > 0) {
        for (const r of written.refused) cliError(io, `refusing to write ${join(dir, r.path)}: ${r.reason}`);
        io.err(`${dir}: not written; move those files away or pass --force to overwrite them`);
        continue;
      }
      const removed = written.removed.length > 0 ? `, removed ${written.removed.length} stale` : '';
      io.err(`${dir}: ${written.written.length} file${written.written.length === 1 ? '' : 's'}${removed}`);
    }
  }
}
