/**
 * Which `.map` files a command works on.
 *
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The directory `mapc build` and `mapc check` read when given no paths. */
export const DEFAULT_MAPS_DIR = 'maps';

/**
 * Expands command-line paths: a directory stands for its `*.map` files (sorted), a file for
 * itself. No paths: every `maps/*.map`. Relative paths are read from `cwd`, and every path is made
 * relative to `cwd` when inside it (the result is to be read from `cwd` too), so
 * diagnostics and `IntegrationIR.sourceFile` read `maps/entro.map`.
 * @throws Error when a path does not exist, or a directory holds no `.map` file
 */
export function resolveMapPaths(paths: readonly string[], cwd: string): string[] {
  const inputs = paths.length > 0 ? paths : [DEFAULT_MAPS_DIR];
  const out: string[] = [];
  for (const input of inputs) {
    let stat;
    try {
      stat = statSync(resolve(cwd, input));
    } catch {
      throw new Error(`${input}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      const maps = readdirSync(resolve(cwd, input))
        .filter((name) => name.endsWith('.map'))
        .sort()
        .map((name) => join(input, name));
      if (maps.length === 0) throw new Error(`${input}: no .map files in this directory`);
      out.push(...maps);
    } else {
      out.push(input);
    }
  }
  return [...new Set(out.map((p) => display(p, cwd)))];
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, resolve(cwd, path));
  return rel.startsWith('..') || rel === '' ? path : rel.split('\\').join('/');
}
