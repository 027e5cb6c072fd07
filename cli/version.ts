/**
 * mapc's version: the `version` of its `package.json`. The bundles (`scripts/build.ts`) have it
 * written in (`dsl/bundled.ts`), so an installed `mapc` or a copied `dist/mapc.mjs` reads no file
 * to know it; run from source (tests, tsx) it is read from `package.json` next to `cli/`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { BUNDLED_VERSION } from '../dsl/bundled.ts';

let cached: string | undefined;

/** The version, e.g. `0.1.0`. */
export function mapcVersion(): string {
  if (BUNDLED_VERSION !== undefined) return BUNDLED_VERSION;
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    cached = pkg.version ?? '0.0.0';
  }
  return cached;
}
