/**
 * Building one map (`mapc build`, `commands/build.ts`), in two phases: {@link prepareMap}
 * (compile, check the fixtures, run each backend: all CPU) and {@link writeMap} (write the output
 * directories), so that the worker threads of `build-pool.ts` can keep the serial order of
 * writes; {@link buildSerially} runs both for each map in turn.
 *
 * @module
 */
import { join } from 'node:path';
import type { IntegrationIR } from '../compiler/ir.ts';
import type { EmitOptions, EmitResult, TargetName } from '../targets/contract.ts';
import type { BuildOptions } from './build-options.ts';
import { FixtureError, interpreterMismatches, loadFixtures } from './fixtures.ts';
import { cliError, inCwd, type Io } from './io.ts';
import { loadAndReport } from './load.ts';
import { writeGenerated } from './output.ts';
import { printDiagnostics, Sources } from './report.ts';
import { loadBackend, type LoadedBackend } from './targets.ts';

/** The backends of `targets`, loaded once per thread. */
export type Backends = ReadonlyMap<TargetName, LoadedBackend>;

/** Loads the backends of `targets` (see `targets.ts` `loadBackend`). */
export async function loadBackends(targets: readonly TargetName[]): Promise<Backends> {
  const backends = new Map<TargetName, LoadedBackend>();
  for (const target of targets) backends.set(target, await loadBackend(target));
  return backends;
}

/** What a backend made of one map (or why it made nothing), not yet written. */
type TargetOutcome =
  | { readonly target: TargetName; readonly error: string }
  | { readonly target: TargetName; readonly emitted: EmitResult };

/**
 * One map compiled and run through every backend, its files not yet written: the first phase of
 * building a map ({@link prepareMap}), all CPU; {@link writeMap} is the second.
 */
export interface PreparedMap {
  readonly file: string;
  /** The integration name, which names the output directories; undefined: nothing to write. */
  readonly name: string | undefined;
  readonly outcomes: readonly TargetOutcome[];
}

/**
 * Compiles `file`, checks its fixtures and runs each backend. Prints the map's diagnostics and
 * fixture errors; the backends' diagnostics are printed by {@link writeMap}, in the order the
 * serial build always printed them.
 */
export function prepareMap(
  io: Io,
  file: string,
  sources: Sources,
  backends: Backends,
  options: BuildOptions,
): PreparedMap {
  const nothing: PreparedMap = { file, name: undefined, outcomes: [] };
  const ir = loadAndReport(io, file, sources, 'built');
  if (!ir) return nothing;
  const emitOptions = fixtureOptions(io, file, ir, options.fixtures);
  if (!emitOptions) return nothing;
  const outcomes: TargetOutcome[] = [];
  for (const target of options.targets) {
    const loaded = backends.get(target)!;
    if (!loaded.ok) {
      outcomes.push({ target, error: `${file}: ${loaded.error}` });
      continue;
    }
    try {
      outcomes.push({ target, emitted: loaded.backend.emit(ir, emitOptions) });
    } catch (error) {
      // A backend bug must not hide the other targets' output.
      outcomes.push({ target, error: `${file}: the ${target} backend failed: ${(error as Error).message}` });
    }
  }
  return { file, name: ir.name, outcomes };
}

/**
 * The emit options of `ir` with its fixtures; undefined (after a CLI error) when the fixtures
 * are malformed or not what the map makes of their records.
 */
function fixtureOptions(io: Io, file: string, ir: IntegrationIR, fixtureRoot: string | false): EmitOptions | undefined {
  if (fixtureRoot === false) return {};
  try {
    const fixtures = loadFixtures(fixtureRoot, ir, io.cwd);
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
      return undefined;
    }
    return fixtures.size > 0 ? { fixtures } : {};
  } catch (error) {
    if (!(error instanceof FixtureError)) throw error;
    cliError(io, `${file}: ${error.message}`);
    return undefined;
  }
}

/**
 * Writes `<out>/<integration>/<target>/` for each target of a {@link PreparedMap}, printing each
 * backend's diagnostics before its directory's line.
 */
export function writeMap(io: Io, prepared: PreparedMap, sources: Sources, options: BuildOptions): void {
  for (const outcome of prepared.outcomes) {
    if ('error' in outcome) {
      cliError(io, outcome.error);
      continue;
    }
    const { target, emitted } = outcome;
    printDiagnostics(io, emitted.diagnostics, sources);
    const dir = join(options.out, prepared.name!, target);
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

/** Builds `files` one after the other in this thread. */
export async function buildSerially(io: Io, files: readonly string[], options: BuildOptions): Promise<void> {
  const sources = new Sources();
  const backends = await loadBackends(options.targets);
  for (const file of files) writeMap(io, prepareMap(io, file, sources, backends, options), sources, options);
}
