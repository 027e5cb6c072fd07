/**
 * Where `mapc test` finds the engines' own tools: the pinned builds a mapc checkout installs
 * into `.tools/` (`scripts/install-tools.sh`, `scripts/install-opensearch.sh`), then `PATH`.
 *
 * The mapc root is the folder above the running script (`bin/mapc.js`, `dist/mapc.mjs`), else the
 * current directory.
 *
 * @module
 */
import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

/** Folders that may hold mapc's `.tools/`, nearest first. */
export function mapcRoots(): string[] {
  const roots: string[] = [];
  const script = process.argv[1];
  if (script !== undefined) {
    try {
      roots.push(resolve(dirname(realpathSync(script)), '..'));
    } catch {
      // A script path that no longer exists: only the working directory remains.
    }
  }
  roots.push(process.cwd());
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
export function findTool(name: string, options: { readonly pinnedOnly?: boolean; readonly pathOnly?: boolean } = {}) {
  if (!options.pathOnly) {
    for (const root of mapcRoots()) {
      const path = join(root, '.tools', 'bin', name);
      if (executable(path)) return path;
    }
  }
  if (options.pinnedOnly) return undefined;
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, name);
    if (executable(path)) return path;
  }
  return undefined;
}

/** The OpenSearch node `scripts/install-opensearch.sh` assembled, with the JDK it recorded. */
export function findOpenSearch(): { readonly home: string } | undefined {
  for (const root of mapcRoots()) {
    const home = join(root, '.tools', 'opensearch');
    const stamp = join(home, '.mapc-java-home');
    if (existsSync(join(home, 'bin', 'opensearch')) && existsSync(stamp)) {
      const javaHome = readFileSync(stamp, 'utf8').trim();
      if (existsSync(join(javaHome, 'bin', 'java'))) return { home };
    }
  }
  return undefined;
}
