import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { commentText, markdownText } from '../../../targets/shared/prose.ts';
import { CORE_HOSTILE } from '../../security/corpus.ts';

const SEED = 20261206;
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(...CORE_HOSTILE),
);

describe('commentText', () => {
  it('is one line of kept characters, whatever the input', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const out = commentText(text);
        expect(out).not.toMatch(/[\r\n\u0085\u2028\u2029\p{Cc}\p{Cf}$%{}\\`]/u);
        expect([...out].length).toBeLessThanOrEqual(121);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('keeps ordinary titles and field names as written', () => {
    expect(commentText('Entro Security: audit logs (v1.0)')).toBe('Entro Security: audit logs (v1.0)');
    expect(commentText('results.secrets."Date & Time" | date("dd/MM/yyyy")')).toBe(
      'results.secrets."Date & Time" | date("dd/MM/yyyy")',
    );
    expect(commentText('Price in $USD {{api_key}}\nnext')).toBe('Price in ?USD ??api_key???next');
    expect(commentText('x'.repeat(200))).toBe(`${'x'.repeat(120)}…`);
  });
});

describe('markdownText', () => {
  const md = new MarkdownIt({ html: true });

  it('renders through markdown-it as the text itself in one paragraph, with no markup', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const shown = text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ');
        fc.pre(shown.trim() !== '');
        const tokens = md.parseInline(markdownText(text), {})[0]?.children ?? [];
        // One text token (markdown-it merges escapes into text), or text tokens only.
        expect(tokens.every((t) => t.type === 'text')).toBe(true);
        expect(tokens.map((t) => t.content).join('')).toBe(shown);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('adds no table cell, heading or HTML in a table row', () => {
    const html = md.render(`| a | b |\n|---|---|\n| ${markdownText('x | <script>y</script> # z')} | c |\n`);
    expect(html).not.toContain('<script>');
    expect((html.match(/<td>/g) ?? []).length).toBe(2);
  });
});
