/**
 * mapc's version: the `version` of its `package.json`. The bundles (`scripts/build.ts`) write it
 * in at build time, so an installed `mapc` or a copied `dist/mapc.mjs` reads no file to know it;
 * run from source (tests, tsx) it is read from `package.json` next to `cli/`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/** Replaced by the version string in bundles (esbuild `define`); undeclared when run from source. */
declare const __MAPC_VERSION__: string | undefined;

let cached: string | undefined;

/** The version, e.g. `0.1.0`. */
export function mapcVersion(): string {
  if (typeof __MAPC_VERSION__ === 'string') return __MAPC_VERSION__;
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    cached = pkg.version ?? '0.0.0';
  }
  return cached;
}
