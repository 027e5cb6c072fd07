/**
 * The Elastic quoting table (targets/elastic/quote.ts), each context proven through the tool that
 * reads it: arbitrary Unicode (fast-check, fixed seed) plus the CI hostile corpus must come back
 * byte-exact, or be refused with an `Unquotable` for a reason the test checks.
 *
 * - CEL strings and comments: inside a `cel.yml.hbs` program, rendered as Fleet renders it
 *   (Handlebars with Fleet's helpers, Fleet's quote rewriting, YAML by `yaml` and js-yaml), then
 *   evaluated by mito: one program for the whole sample;
 * - YAML values of `cel.yml.hbs`: rendered the same way, and no Elastic Agent `${` left;
 * - YAML files: js-yaml `dump`, read back by js-yaml and `yaml`;
 * - README Markdown: markdown-it;
 * - Painless strings, Painless regexes, ingest Mustache and date formats: an OpenSearch 2.19
 *   ingest node (`_ingest/pipeline/_simulate`), in batches of at most 150 processors (a
 *   `_simulate` of ~1,200 processors brought the OpenSearch 2.19 node down).
 */
import fc from 'fast-check';
import yaml from 'js-yaml';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { toYaml } from '../../../targets/elastic/index.ts';
import { renderCond } from '../../../targets/elastic/painless.ts';
import { datePatternFormat } from '../../../compiler/ir.ts';
import { patternRegex } from '../../../targets/elastic/ingest-steps.ts';
import {
  celComment,
  celProgram,
  celString,
  ingestString,
  javaDatePattern,
  markdownCode,
  mustacheText,
  painlessRegexText,
  painlessString,
  policyString,
  policyTemplate,
  Unquotable,
} from '../../../targets/elastic/quote.ts';
import { evalOnce } from '../../engines/mito/mito.ts';
import { agentVariables, renderConfig, renderTemplate } from '../../engines/mito/fleet.ts';
import type { OpenSearchNode } from '../../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../../engines/opensearch/shared.ts';
import { CORE_HOSTILE } from '../../security/corpus.ts';

const SEED = 20261207;
const RUNS = Number(process.env['MAPC_QUOTE_RUNS'] ?? (process.env['MAPC_FUZZ_FULL'] ? 20_000 : 1000));
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.constantFrom('{', '}', '{{', '}}', '\\', '"', "'", '$', '${', '%{', '\n', '\r', '/', '#', '<%', '||'),
);
/** The sample every context is proven on: random strings (seed printed on failure) and the CI corpus. */
const SAMPLE: readonly string[] = [
  ...new Set([
    ...fc.sample(anyText, { seed: SEED, numRuns: RUNS }),
    ...CORE_HOSTILE,
    '',
    ' ',
    '\u0000',
    // Mustache delimiters already in the text: the set-delimiter form must pick another one.
    '{{=<% %>=}}<%x%>',
    '<%{{!!<%!"',
    `{{${Array.from({ length: 93 }, (_, i) => `!${String.fromCharCode(0x21 + i)}`).join('')}<%`,
  ]),
];
const hasLoneSurrogate = (s: string): boolean => /\p{Cs}/u.test(s);

/** `quote(s)` for every string of the sample, or the refusal, which must be for `expected(s)`. */
function quoteAll<T>(
  quote: (s: string) => T,
  refused: (s: string) => boolean,
  strings: readonly string[] = SAMPLE,
): { text: string; quoted: T }[] {
  const out: { text: string; quoted: T }[] = [];
  for (const text of strings) {
    try {
      out.push({ text, quoted: quote(text) });
    } catch (e) {
      if (!(e instanceof Unquotable)) throw e;
      expect(refused(text), `refused ${JSON.stringify(text)} (seed ${SEED}): ${e.message}`).toBe(true);
    }
  }
  // A refusal must be the exception, not the rule.
  expect(out.length).toBeGreaterThan(strings.length * 0.8);
  return out;
}

describe('CEL string literals and comments in cel.yml.hbs, through Fleet and mito', () => {
  it('every literal evaluates to its text; a lone surrogate is refused', async () => {
    const cases = quoteAll(celString, hasLoneSurrogate);
    for (const { quoted } of cases) expect(quoted).toMatch(/^"[\x20-\x7e]*"$/);
    const program = celProgram(['[', ...cases.map((c) => `  ${c.quoted},`), ']'].join('\n'));
    const template = `program: |\n${program.replace(/^/gm, '  ')}\n`;
    const config = renderConfig(template, {});
    expect(agentVariables(config)).toEqual([]);
    const result = await evalOnce(String(config['program']), {});
    expect(result.ok ? '' : result.error).toBe('');
    if (!result.ok) return;
    const values = result.value as unknown as string[];
    expect(values.length).toBe(cases.length);
    cases.forEach((c, i) => expect(values[i], `seed ${SEED}: ${JSON.stringify(c.text)}`).toBe(c.text));
  });

  it('a comment line never ends early, whatever its text', async () => {
    const lines = SAMPLE.flatMap((text, i) => [`  // ${celComment(text)}`, `  "${i}",`]);
    const program = celProgram(['[', ...lines, ']'].join('\n'));
    const config = renderConfig(`program: |\n${program.replace(/^/gm, '  ')}\n`, {});
    const result = await evalOnce(String(config['program']), {});
    expect(result.ok ? '' : result.error).toBe('');
    if (result.ok) expect(result.value).toEqual(SAMPLE.map((_, i) => String(i)));
  });

  it('the program check refuses what the template cannot carry', () => {
    expect(() => celProgram('"a" + "{{api_key}}"')).toThrow(/Handlebars/);
    expect(() => celProgram('"${env.HOME}"')).toThrow(/Elastic Agent variable/);
    expect(() => celProgram('// a "b\n"c"')).toThrow(/double-quoted span/);
    expect(() => celProgram('"a\u2028"')).toThrow(/character/);
    expect(celProgram('{"a": {"b": [{}]}}')).toBe('{"a": {"b": [{}]}}');
  });

  it('escapes the braces and dollars that Handlebars and the Agent would read', () => {
    // A `{` after `{` or `$` is escaped, so neither `{{` nor `${` can form; other braces stay readable.
    expect(celString('\\{{{{api_key}}}}')).toBe('"\\\\{\\x7B{\\x7Bapi_key}}}}"');
    expect(celString('${env.HOME}')).toBe('"$\\x7Benv.HOME}"');
    expect(celString('GET {base_url}/x{1,2}')).toBe('"GET {base_url}/x{1,2}"');
    expect(celString('é😀\u0085')).toBe('"\\u00E9\\U0001F600\\u0085"');
    expect(celString('plain text / 42')).toBe('"plain text / 42"');
  });
});

describe('YAML values of cel.yml.hbs, through Fleet', () => {
  it('every value reads back exactly and names no Agent variable; `${` and lone surrogates are refused', () => {
    const cases = quoteAll(policyString, (s) => hasLoneSurrogate(s) || s.includes('${'));
    const template = cases.map((c, i) => `k${i}: ${c.quoted}`).join('\n');
    const config = renderConfig(template, {});
    expect(agentVariables(config)).toEqual([]);
    cases.forEach((c, i) => expect(config[`k${i}`], `seed ${SEED}: ${JSON.stringify(c.text)}`).toBe(c.text));
  });

  it('map text around a Fleet variable stays text, and so does the variable', () => {
    const cases = quoteAll(
      (s) => policyTemplate([{ text: s }, { variable: 'base_url' }, { text: `/${s}` }]),
      (s) => hasLoneSurrogate(s) || s.includes('${'),
    );
    const template = cases.map((c, i) => `k${i}: ${c.quoted}`).join('\n');
    const config = renderConfig(template, { base_url: 'https://api.example.com' });
    cases.forEach((c, i) => expect(config[`k${i}`]).toBe(`${c.text}https://api.example.com/${c.text}`));
  });

  it('the reproduction of issue 7: scopes cannot name a Fleet variable', () => {
    const scope = policyString('read {{api_key}}');
    const text = renderTemplate(`scopes:\n  - ${scope}\n`, { api_key: 'SECRET' });
    expect(text).not.toContain('SECRET');
    expect(renderConfig(`scopes:\n  - ${scope}\n`, { api_key: 'SECRET' })).toEqual({ scopes: ['read {{api_key}}'] });
  });
});

describe('YAML files built from objects (js-yaml dump)', () => {
  it('keys and values read back exactly with js-yaml and yaml; lone surrogates are refused', () => {
    const cases = quoteAll((s) => toYaml({ [s]: s, list: [s, { nested: s }] }), hasLoneSurrogate);
    for (const { text, quoted } of cases) {
      const expected = { [text]: text, list: [text, { nested: text }] };
      expect(yaml.load(quoted), `seed ${SEED}: ${JSON.stringify(text)}`).toEqual(expected);
      expect(parseYaml(quoted, { uniqueKeys: false })).toEqual(expected);
    }
  });

  it('a header comment stays one comment line', () => {
    for (const text of SAMPLE.filter((s) => s !== '' && !hasLoneSurrogate(s))) {
      const out = toYaml({ a: 1 }, text);
      expect(out.split('\n')[0]!.startsWith('# ')).toBe(true);
      expect(out.split('\n').slice(1).join('\n')).toBe('a: 1\n');
    }
  });
});

describe('README text (markdown-it)', () => {
  const md = new MarkdownIt({ html: true });
  it('a code span or escaped text shows exactly the text, with no markup', () => {
    for (const text of SAMPLE) {
      const shown = text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ');
      if (shown.trim() === '') continue;
      const tokens = md.parseInline(markdownCode(text), {})[0]?.children ?? [];
      expect(
        tokens.every((t) => t.type === 'text' || t.type === 'code_inline'),
        JSON.stringify(text),
      ).toBe(true);
      expect(tokens.map((t) => t.content).join('')).toBe(shown);
    }
    expect(markdownCode('endor_labs.audit')).toBe('`endor_labs.audit`');
    expect(markdownCode('a`b')).toBe('a\\`b');
  });
});

describe('the ingest contexts on a real OpenSearch ingest node', () => {
  let node: OpenSearchNode;
  beforeAll(async () => {
    node = await sharedOpenSearch();
  });

  async function simulate(processors: unknown[], source: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { status, json } = await node.request('POST', '/_ingest/pipeline/_simulate', {
      pipeline: { processors },
      docs: [{ _source: source }],
    });
    expect(status, JSON.stringify(json).slice(0, 2000)).toBe(200);
    const doc = (json as { docs: { doc?: { _source: Record<string, unknown> }; error?: unknown }[] }).docs[0]!;
    expect(doc.error, JSON.stringify(doc.error)?.slice(0, 2000)).toBeUndefined();
    return doc.doc!._source;
  }

  const batches = <T>(items: readonly T[], size: number): T[][] =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

  const ingestRefused = (s: string): boolean => hasLoneSurrogate(s) || /\{[{<]\s?IngestPipeline/.test(s);

  it('Mustache: set and append values, and set field names, render exactly the text', async () => {
    const cases = quoteAll(mustacheText, ingestRefused);
    for (const batch of batches(cases, 40)) {
      const processors = batch.flatMap((c, i) => [
        { set: { field: `v.${i}`, value: c.quoted } },
        { append: { field: `a.${i}`, value: c.quoted } },
        ...(c.text.includes('.') || c.text === ''
          ? []
          : [{ set: { field: mustacheText(`f.${i}.${c.text}`), value: 'x' } }]),
      ]);
      const out = await simulate(processors, {});
      batch.forEach((c, i) => {
        expect((out['v'] as Record<string, unknown>)[i], `seed ${SEED}: ${JSON.stringify(c.text)}`).toBe(c.text);
        expect((out['a'] as Record<string, unknown>)[i]).toEqual([c.text]);
        if (!c.text.includes('.') && c.text !== '') {
          expect((out['f'] as Record<string, Record<string, unknown>>)[i]).toEqual({ [c.text]: 'x' });
        }
      });
    }
  });

  it('Painless: string literals evaluate to the text, and conditions read keys and compare values exactly', async () => {
    const cases = quoteAll(painlessString, ingestRefused);
    for (const batch of batches(cases, 100)) {
      const script = `ctx.p = [${batch.map((c) => c.quoted).join(', ')}];`;
      const keys: Record<string, string> = {};
      batch.forEach((c) => (keys[c.text] = c.text));
      const processors = [
        { script: { source: script } },
        ...batch.map((c, i) => ({
          set: {
            field: `hit.${i}`,
            value: true,
            if: renderCond({ kind: 'equals', path: ['d', c.text], value: c.text }),
          },
        })),
      ];
      const out = await simulate(processors, { d: keys });
      expect(out['p']).toEqual(batch.map((c) => c.text));
      expect(Object.keys((out['hit'] as object) ?? {}).length, `seed ${SEED}`).toBe(batch.length);
    }
  });

  it('Painless regex literals: a quoted text matches itself as a whole', async () => {
    const javaLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
    const cases = quoteAll(
      (s) => painlessRegexText(javaLiteral(s)),
      (s) => ingestRefused(s) || s === '',
    );
    for (const batch of batches(cases, 100)) {
      const processors = batch.map((c, i) => ({
        set: { field: `hit.${i}`, value: true, if: `ctx.s['${i}'] ==~ /${c.quoted}/` },
      }));
      const out = await simulate(processors, { s: Object.fromEntries(batch.map((c, i) => [String(i), c.text])) });
      expect(Object.keys((out['hit'] as object) ?? {}).length, `seed ${SEED}`).toBe(batch.length);
    }
  });

  it('date patterns: the guard regex and the date format of any punctuation read the same date', async () => {
    const punctuation = SAMPLE.map((s) => s.replace(/[\p{L}\p{N}]/gu, '')).filter((s) => s.length > 0);
    const cases = quoteAll(
      (p) => {
        const pattern = `yyyy${p}MM${p}dd`;
        const ir = datePatternFormat(pattern).pattern;
        return { format: javaDatePattern(ir), regex: painlessRegexText(patternRegex(ir)) };
      },
      (p) => ingestRefused(p) || `yyyy${p}MM${p}dd`.includes('||'),
      punctuation,
    );
    for (const batch of batches(cases, 50)) {
      const processors = batch.flatMap((c, i) => [
        { set: { field: `ok.${i}`, value: true, if: `ctx.s['${i}'] ==~ /${c.quoted.regex}/` } },
        { date: { field: `s.${i}`, target_field: `d.${i}`, formats: [c.quoted.format] } },
      ]);
      const source = { s: Object.fromEntries(batch.map((c, i) => [String(i), `2024${c.text}01${c.text}02`])) };
      const out = await simulate(processors, source);
      expect(Object.keys((out['ok'] as object) ?? {}).length, `seed ${SEED}`).toBe(batch.length);
      batch.forEach((c, i) =>
        expect((out['d'] as Record<string, unknown>)[i], JSON.stringify(c.text)).toBe('2024-01-02T00:00:00.000Z'),
      );
    }
  });
});

describe('refusals', () => {
  it('say what cannot be carried', () => {
    expect(() => ingestString('{{ IngestPipeline "default" }}')).toThrow(/IngestPipeline/);
    expect(() => ingestString('{<IngestPipeline "default">}')).toThrow(Unquotable);
    expect(() => javaDatePattern(datePatternFormat('dd||MM||yyyy').pattern)).toThrow(/\|\|/);
    expect(() => policyString('${env.HOME}')).toThrow(/variable/);
    expect(() => celString('\ud800')).toThrow(/lone surrogate U\+D800/);
    expect(javaDatePattern(datePatternFormat("dd'MM[yyyy]").pattern)).toBe("dd''''MM'['yyyy']'");
    expect(javaDatePattern(datePatternFormat('dd/MM/yyyy').pattern)).toBe('dd/MM/yyyy');
    expect(mustacheText('a{{b')).toBe('a{{=<% %>=}}{{b');
    expect(mustacheText('a{{b<%c')).toBe('a{{=!! %>=}}{{b<%c');
    expect(mustacheText('no braces }}')).toBe('no braces }}');
  });
});
