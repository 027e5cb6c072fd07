/**
 * The transform table of `docs/language.md`, rendered from the registry so a test can keep the
 * two equal (`test/dsl/transforms.test.ts`).
 *
 * @module
 */
import { acceptsPhrase, TRANSFORMS } from './transforms.ts';

/** The Markdown table (GFM; `|` inside code spans written `\|`), one row per transform. */
export function transformsTable(): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  return [
    '| transform | what it does | takes | example |',
    '|---|---|---|---|',
    ...TRANSFORMS.map(
      (t) =>
        `| \`${cell(t.signature)}\` | ${cell(t.doc)} | ${cell(acceptsPhrase(t))} | \`${cell(t.examples[0] ?? '')}\` |`,
    ),
  ].join('\n');
}
