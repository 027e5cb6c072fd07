/**
 * The fuzzer's regression corpus (`test/fuzz/corpus/`), in the spirit of Go's native fuzzing
 * (`testdata/fuzz/FuzzXxx/`): every map that once crashed the compiler, took too long or produced
 * a malformed diagnostic is kept as one file and replayed by `test/fuzz/maps.test.ts` on every run.
 *
 * A file is JSON (so that any string, lone surrogates included, is kept exactly):
 * `{ "kind", "detail", "what", "text" }`, named `<kind>-<first 12 hex digits of SHA-256(text)>.json`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, FindingKind } from './run.ts';

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

export interface CorpusEntry {
  readonly file: string;
  readonly kind: FindingKind;
  /** What the finding was when the entry was saved. */
  readonly detail: string;
  /** How the map was made (seed and mutation operators). */
  readonly what: string;
  readonly text: string;
}

export function loadCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<CorpusEntry, 'file'>) }));
}

/** Saves a finding's map (once per text and kind); returns the file name. */
export function saveFinding(finding: Finding, dir = CORPUS_DIR): string {
  const hash = createHash('sha256').update(finding.text).digest('hex').slice(0, 12);
  const file = `${finding.kind}-${hash}.json`;
  const entry = { kind: finding.kind, detail: finding.detail, what: finding.what, text: finding.text };
  writeFileSync(join(dir, file), `${JSON.stringify(entry, null, 2)}\n`);
  return file;
}
