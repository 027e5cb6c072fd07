/**
 * Where `mapc test` finds the engines' own tools: the pinned builds a mapc checkout installs
 * into `.tools/` (`scripts/install-tools.sh`, `scripts/install-opensearch.sh`), then `PATH`.
 *
 * The mapc root is the folder above the running script (`bin/mapc.js`, `dist/mapc.mjs`), else the
 * run's working directory. The working directory and `PATH` are the run's (`ToolPlace`, from
 * `cli/io.ts`'s `Io`), not necessarily the process's.
 *
 * @module
 */
import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

/** Where a run looks for tools: its working directory and its environment (`PATH`). */
export interface ToolPlace {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Folders that may hold mapc's `.tools/`, nearest first. */
export function mapcRoots(place: ToolPlace): string[] {
  const roots: string[] = [];
  const script = process.argv[1];
  if (script !== undefined) {
    try {
      roots.push(resolve(dirname(realpathSync(script)), '..'));
    } catch {
      // A script path that no longer exists: only the working directory remains.
    }
  }
  roots.push(place.cwd);
  return [...new Set(roots)];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` in a mapc root's `.tools/bin/` (the pinned build), else on `PATH`; undefined when neither. */
export function findTool(
  place: ToolPlace,
  name: string,
  options: { readonly pinnedOnly?: boolean; readonly pathOnly?: boolean } = {},
) {
  if (!options.pathOnly) {
    for (const root of mapcRoots(place)) {
      const path = join(root, '.tools', 'bin', name);
      if (executable(path)) return path;
    }
  }
  if (options.pinnedOnly) return undefined;
  for (const dir of (place.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, name);
    if (executable(path)) return path;
  }
  return undefined;
}

/** The OpenSearch node `scripts/install-opensearch.sh` assembled, with the JDK it recorded. */
export function findOpenSearch(place: ToolPlace): { readonly home: string } | undefined {
  for (const root of mapcRoots(place)) {
    const home = join(root, '.tools', 'opensearch');
    const stamp = join(home, '.mapc-java-home');
    if (existsSync(join(home, 'bin', 'opensearch')) && existsSync(stamp)) {
      const javaHome = readFileSync(stamp, 'utf8').trim();
      if (existsSync(join(javaHome, 'bin', 'java'))) return { home };
    }
  }
  return undefined;
}
