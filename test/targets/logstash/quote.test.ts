/**
 * The Logstash quoting table (targets/logstash/quote.ts), property-tested: for each context, over
 * arbitrary Unicode, the hostile corpus and dense mixes of the characters that matter, the text is
 * either refused with the right code for a reason Logstash gives, or written so that
 * - the real parser (`mustache` v0.5.3, one batched run) reads the token back byte-exact, and
 * - the models of Logstash's own readings (test/emulated/logstash/interpolation.ts, written from
 *   substitution_variables.rb, ConfigVariableExpander, StringInterpolation and FieldReference)
 *   find no `${NAME}` and no sprintf reference but mapc's own.
 */
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { TargetRefusal } from '../../../targets/contract.ts';
import {
  comment,
  envRef,
  envTemplate,
  fieldRef,
  keyText,
  optionText,
  pipelinesYaml,
  quoted,
  regexChars,
  regexLiteral,
  rubyString,
  sprintfTemplate,
  sprintfText,
  type EnvRef,
  type FieldRef,
  type Site,
} from '../../../targets/logstash/quote.ts';
import { whole } from '../../../targets/logstash/regexes.ts';
import {
  expandWhole,
  parseFieldReference,
  placeholders,
  sprintfIsLive,
  sprintfParts,
  substituteOption,
} from '../../emulated/logstash/interpolation.ts';
import { firstDifference, mustacheFormat, readTokens, tokenConfig } from '../../engines/mustache/tokens.ts';
import { CORE_HOSTILE } from '../../security/corpus.ts';

const SEED = 7_2026;
const RUNS = 700;
const SITE: Site = { span: { file: 'x.map', offset: 0, length: 1, line: 3, column: 5 }, what: 'text' };

/** Characters every reading of a Logstash string cares about, to draw dense mixes of them. */
const SPECIAL = [
  '$',
  '{',
  '}',
  '%',
  ':',
  '"',
  "'",
  '\\',
  '[',
  ']',
  ',',
  '#',
  '/',
  '\n',
  '\t',
  'a',
  'Z',
  '_',
  '.',
  ' ',
  'é',
  '😀',
  '\ud800',
];
const dense = fc
  .array(fc.constantFrom(...SPECIAL, '${', '%{', '${A}', '${a.b:c}', '%{[x]}', '%{+YYYY}'), { maxLength: 12 })
  .map((a) => a.join(''));
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  dense,
);
const sample = <T>(arb: fc.Arbitrary<T>, seed: number): T[] => fc.sample(arb, { numRuns: RUNS, seed });
const inputs = [...new Set([...CORE_HOSTILE, ...sample(text, SEED)])];

/** The portability rule restated from the Logstash sources (module doc 1 of quote.ts). */
function needsEscape(s: string): boolean {
  const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
  return loneSurrogate || /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/.test(s) || (s.includes('"') && s.includes("'"));
}

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; line: number };
function attempt<T>(f: () => T): Outcome<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!(e instanceof TargetRefusal)) throw e;
    return { ok: false, code: e.code, line: e.span.line };
  }
}

/** Every accepted token, checked by mustache in one run at the end. */
const batch = {
  strings: new Set<string>(),
  selectors: new Set<string>(),
  comments: new Set<string>(),
  regexes: new Set<string>(),
};
/** What each quoted string and selector must read back as. */
const expected = new Map<string, string>();
const accept = (s: string): string => {
  const token = quoted(s as never);
  batch.strings.add(token);
  expected.set(token, s);
  return token;
};

describe(`Logstash quoting contexts (seed ${SEED}, ${inputs.length} texts each)`, () => {
  it('option strings: written as they are, or refused for a needed escape (E0602) or a ${NAME} (E0603)', () => {
    const counts = { ok: 0, E0602: 0, E0603: 0 };
    for (const s of inputs) {
      const r = attempt(() => optionText(s, SITE));
      if (r.ok) {
        expect(r.value).toBe(s);
        expect(needsEscape(s), JSON.stringify(s)).toBe(false);
        expect(placeholders(s), JSON.stringify(s)).toEqual([]);
        expect(expandWhole(s, { env: {} })).toBe(s);
        accept(s);
        counts.ok++;
      } else {
        expect(r.line).toBe(3);
        expect(r.code).toBe(needsEscape(s) ? 'E0602' : 'E0603');
        if (r.code === 'E0603') expect(placeholders(s).length, JSON.stringify(s)).toBeGreaterThan(0);
        counts[r.code as 'E0602' | 'E0603']++;
      }
    }
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.E0603).toBeGreaterThan(10);
  });

  it('sprintf-formatted strings: also refused when sprintf would replace anything (E0603), else kept', () => {
    for (const s of inputs) {
      const r = attempt(() => sprintfText(s, SITE));
      if (r.ok) {
        expect(sprintfIsLive(s), JSON.stringify(s)).toBe(false);
        expect(placeholders(s)).toEqual([]);
        accept(s);
      } else if (r.code === 'E0603') {
        expect(needsEscape(s)).toBe(false);
        expect(placeholders(s).length > 0 || sprintfIsLive(s), JSON.stringify(s)).toBe(true);
      } else expect(needsEscape(s), JSON.stringify(s)).toBe(true);
    }
    // `%` and `%{` with no later `}` are literal, and written.
    expect(sprintfText('100% {x} %{', SITE)).toBe('100% {x} %{');
  });

  it('hash keys: neither substituted nor formatted, refused only for a needed escape', () => {
    for (const s of inputs) {
      const r = attempt(() => keyText(s, SITE));
      expect(r.ok, JSON.stringify(s)).toBe(!needsEscape(s));
      if (r.ok) accept(s);
    }
  });

  it('field references: read back as the same path by FieldReference, no live ${NAME} or %{...}', () => {
    const paths = [
      ...CORE_HOSTILE.map((s) => ['hostile', s]),
      ...sample(fc.array(text, { minLength: 1, maxLength: 3 }), SEED + 1),
    ];
    let ok = 0;
    for (const path of paths) {
      const r = attempt(() => fieldRef(path, SITE));
      if (!r.ok) {
        const text = path.map((p) => `[${p}]`).join('');
        const bad = path.some((p) => p === '' || /[[\],"']|%[0-9A-Fa-f]{2}|&#[0-9]+;/.test(p) || needsEscape(p));
        expect(bad || placeholders(text).length > 0 || sprintfIsLive(text), JSON.stringify(path)).toBe(true);
        continue;
      }
      ok++;
      expect(parseFieldReference(r.value)).toEqual(path);
      expect(placeholders(r.value)).toEqual([]);
      expect(sprintfIsLive(r.value)).toBe(false);
      batch.selectors.add(r.value);
      expected.set(r.value, r.value);
      accept(r.value);
    }
    expect(ok).toBeGreaterThan(100);
  });

  it("sprintf templates: sprintf finds exactly mapc's references, or the template is refused", () => {
    const refs = ['[@metadata][mapc][id][p0]', '[a][b]'] as FieldRef[];
    const parts = fc.array(
      fc.oneof(
        text,
        fc.constantFrom(...refs).map((ref) => ({ ref })),
      ),
      { maxLength: 5 },
    );
    let ok = 0;
    for (const ps of sample(parts, SEED + 2)) {
      const r = attempt(() => sprintfTemplate(ps, SITE));
      if (!r.ok) continue;
      ok++;
      const found = sprintfParts(r.value).filter((p) => p.kind !== 'text');
      expect(found, JSON.stringify(ps)).toEqual(
        ps.filter((p) => typeof p !== 'string').map((p) => ({ kind: 'field', reference: (p as { ref: string }).ref })),
      );
      const literal = sprintfParts(r.value)
        .filter((p) => p.kind === 'text')
        .map((p) => (p as { text: string }).text)
        .join('');
      expect(literal).toBe(ps.filter((p): p is string => typeof p === 'string').join(''));
      accept(r.value);
    }
    expect(ok).toBeGreaterThan(100);
    // The document id's text with a field name holding `%{`: the name would open a reference.
    expect(attempt(() => sprintfTemplate(['|a%{b|', { ref: refs[0]! }, '|'], SITE))).toMatchObject({
      ok: false,
      code: 'E0603',
    });
  });

  it("${VAR} templates: Logstash substitutes exactly mapc's references, the rest stays as written", () => {
    const name = fc.constantFrom('A', 'B_2', 'X');
    const ref = fc.tuple(name, fc.option(text, { nil: undefined }));
    const parts = fc.array(
      fc.oneof(
        text,
        ref.map(([n, f]) => ({ n, f })),
      ),
      { maxLength: 5 },
    );
    let ok = 0;
    for (const ps of sample(parts, SEED + 3)) {
      const r = attempt(() =>
        envTemplate(
          ps.map((p): string | EnvRef => (typeof p === 'string' ? p : envRef(p.n, p.f, SITE))),
          SITE,
        ),
      );
      if (!r.ok) continue;
      ok++;
      const env = { A: '<a>', B_2: '<b>' };
      const want = ps.map((p) => (typeof p === 'string' ? p : (env[p.n as 'A'] ?? p.f))).join('');
      if (ps.some((p) => typeof p !== 'string' && p.n === 'X' && p.f === undefined))
        expect(() => substituteOption(r.value, { env })).toThrow(/not defined/);
      else expect(substituteOption(r.value, { env })).toBe(want);
      // Substituted with the fallbacks (map text), the string starts no sprintf reference.
      const withFallbacks = ps.map((p) => (typeof p === 'string' ? p : (p.f ?? ''))).join('');
      expect(sprintfIsLive(withFallbacks), JSON.stringify(ps)).toBe(false);
      accept(r.value);
    }
    expect(ok).toBeGreaterThan(100);
  });

  it('comments: one line of map text, never ending the comment, read by mustache as a comment', () => {
    for (const s of inputs) {
      const line = comment`Rule 1 (${s}): x.`;
      expect(line).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
      expect(line).not.toMatch(/[${}%\\`]/);
      batch.comments.add(line);
    }
  });

  it('regex literals of conditionals: any text as regexChars, anchored, written between slashes', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 20,
    });
    for (const s of sample(printable, SEED + 4)) {
      const body = whole(regexChars(s));
      expect(new RegExp(body.replace(/\\A/g, '^').replace(/\\z/g, '$'), 'u').test(s), s).toBe(true);
      batch.regexes.add(body);
    }
    expect(() => regexLiteral('a/b')).toThrow();
    expect(() => regexLiteral('a\\')).toThrow();
  });

  it('pipelines.yml: js-yaml reads ids and paths back; anything Logstash would substitute or glob is refused', () => {
    for (const s of inputs) {
      const r = attempt(() => pipelinesYaml([{ id: s, path: `/etc/${s}` }], SITE));
      if (!r.ok) {
        expect(/^[A-Za-z0-9_./-]+$/.test(s)).toBe(false);
        continue;
      }
      expect(yaml.load(r.value)).toEqual([{ 'pipeline.id': s, 'path.config': `/etc/${s}` }]);
      expect(placeholders(r.value)).toEqual([]);
    }
  });

  it('mustache reads every accepted token back byte-exact, in every slot (one batched run)', () => {
    const strings = [...batch.strings];
    const tokens = {
      strings,
      selectors: [...batch.selectors],
      regexes: [...batch.regexes],
      comments: [...batch.comments],
    };
    const conf = tokenConfig(tokens);
    const formatted = mustacheFormat(conf);
    expect(formatted, firstDifference(conf, formatted)).toBe(conf);
    const back = readTokens(conf);
    const contents = strings.map((t) => expected.get(t));
    expect(back.values).toEqual(contents);
    expect(back.keys).toEqual(contents);
    expect(back.operands).toEqual(contents);
    expect(back.selectors).toEqual(tokens.selectors);
    expect(back.regexes).toEqual(tokens.regexes);
    expect(strings.length).toBeGreaterThan(1000);
  });
});

/**
 * Ruby's single-quoted string literal as its reference describes it (Ruby 3.1, "Literals",
 * https://docs.ruby-lang.org/en/3.1/syntax/literals_rdoc.html#label-Strings): `\\` is a backslash,
 * `\'` a quote, any other backslash stands for itself, and the literal ends at the first unescaped
 * quote. No Ruby runs here (no Ruby or JRuby on the machine), so the literals are checked against
 * this reading of the documented grammar.
 */
function readRubySingleQuoted(code: string): { value: string; rest: string } {
  if (code[0] !== "'") throw new Error('not a single-quoted literal');
  let value = '';
  for (let i = 1; i < code.length; i++) {
    const c = code[i]!;
    if (c === "'") return { value, rest: code.slice(i + 1) };
    if (c === '\\' && (code[i + 1] === '\\' || code[i + 1] === "'")) {
      value += code[i + 1];
      i++;
    } else value += c;
  }
  throw new Error('unterminated literal');
}

describe('Ruby string literals inside ruby filter code (rubyString)', () => {
  it('read back as exactly the text, ending where the literal ends, over the same inputs', () => {
    for (const text of [...inputs, "'", '\\', "\\'", "a'); system('id'); ('", 'x\\']) {
      const literal = rubyString(text);
      const read = readRubySingleQuoted(`${literal}, 'next'`);
      expect(read.value, JSON.stringify(text)).toBe(text);
      expect(read.rest).toBe(", 'next'");
    }
  });
});
