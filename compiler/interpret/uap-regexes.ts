/**
 * The text of ua-parser's `regexes.yaml` from the `uap-core` package (0.18.0,
 * https://github.com/ua-parser/uap-core), which the interpreter's user-agent parsing reads
 * (`./user-agent.ts`). Read from the package when mapc runs from its sources; the bundled `mapc`
 * (scripts/build.ts) replaces this module by one holding the text, so it needs no package at
 * run time.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The YAML text of `uap-core/regexes.yaml`. */
export function uapRegexesText(): string {
  return readFileSync(createRequire(import.meta.url).resolve('uap-core/regexes.yaml'), 'utf8');
}
