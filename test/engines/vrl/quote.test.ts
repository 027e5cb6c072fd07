/**
 * Property tests of every context of the Vector quoting table (`targets/vector/quote.ts`)
 * through the real tools: js-yaml and the model of Vector's loading (`./interpolate.ts`:
 * interpolation off, on over parsed values, on over raw text; secret replacement), then verel
 * (VRL 0.25) `check` (0 errors, 0 warnings) and `execute`. For each context, a quoted text comes
 * back exactly, or the quoting refuses it (E0504).
 *
 * The texts are a fixed-seed fast-check sample of arbitrary Unicode (code points including lone
 * surrogates, and graphemes) plus `CORE_HOSTILE`; each context's texts run in one verel program
 * (verel compiles on every call). `MAPC_FUZZ_FULL=1` adds the whole `HOSTILE_STRINGS` corpus and a
 * larger sample.
 */
import * as verel from '@bpinternal/verel';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Span } from '../../../dsl/diagnostics.ts';
import { TargetRefusal } from '../../../targets/contract.ts';
import {
  regexText,
  secretRef,
  vectorYaml,
  vrlLiteral,
  vrlPath,
  vrlPathArray,
  vrlProgram,
  vrlRegex,
  regexSource,
  vrlString,
  vrlStringLiteral,
  yamlComment,
  yamlConst,
  yamlProblem,
  yamlScalar,
  type YamlNode,
} from '../../../targets/vector/quote.ts';
import { CORE_HOSTILE, HOSTILE_STRINGS } from '../../security/corpus.ts';
import { loadAsVector, type InterpolationMode } from '../../emulated/vector/interpolate.ts';

const SEED = 20261207;
const FULL = process.env.MAPC_FUZZ_FULL === '1';
const AT: Span = { file: 'q.map', line: 3, column: 7, offset: 40, length: 5 };
const MODES: readonly InterpolationMode[] = ['off', 'values', 'text'];
const ENV = { HOME: '/root', A: 'x', USER: 'u', API_KEY: 'leaked' };

const arbitraryText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const SAMPLE = fc.sample(arbitraryText, { seed: SEED, numRuns: FULL ? 3000 : 300 });
/**
 * Texts that once broke a context, kept as regressions (`\}` panicked VRL 0.25's lexer), and lone
 * surrogates, which fast-check's code points never are.
 */
const REGRESSIONS = ['\\}}', '\\}', 'a\\\\}}b', '\ud800', 'a\udfffb', '\udc00\ud800'];
const TEXTS: readonly string[] = [...new Set([...SAMPLE, ...REGRESSIONS, ...(FULL ? HOSTILE_STRINGS : CORE_HOSTILE)])];
const LONE = /\p{Cs}/u;
const carriable = TEXTS.filter((t) => !LONE.test(t));

/** Runs a VRL program after checking it compiles with no error and no warning. */
function run(lines: readonly string[]): Record<string, unknown> {
  const program = lines.join('\n');
  const { errors, warnings } = verel.check(program);
  expect(errors.map(verel.formatDiagnostic), `seed ${SEED}`).toEqual([]);
  expect(warnings.map(verel.formatDiagnostic), `seed ${SEED}`).toEqual([]);
  return verel.execute(program, {}).event as Record<string, unknown>;
}

/** The program as Vector would receive it from vector.yaml, in every interpolation mode. */
function throughVector(program: string): string {
  const text = vectorYaml([], { transforms: { t: { source: program as never } } }, new Set());
  const seen = MODES.map((interpolation) => {
    const doc = loadAsVector(text, { env: ENV, secretFiles: {}, interpolation }) as {
      transforms: { t: { source: string } };
    };
    return doc.transforms.t.source;
  });
  for (const s of seen) expect(s).toBe(program);
  return seen[0] ?? '';
}

describe(`Vector quoting contexts (seed ${SEED}, ${TEXTS.length} texts)`, () => {
  it('VRL string: any text without a lone surrogate comes back exactly; a lone surrogate is E0504', () => {
    const lines = carriable.map((t, i) => `.r${i} = ${vrlString(t, AT)}`);
    const event = run([throughVector(vrlProgram(lines))]);
    carriable.forEach((t, i) => expect(event[`r${i}`], `seed ${SEED}: ${JSON.stringify(t)}`).toBe(t));
    const lone = TEXTS.filter((x) => LONE.test(x));
    expect(lone.length).toBeGreaterThanOrEqual(3);
    for (const t of lone) expect(() => vrlString(t, AT)).toThrow(TargetRefusal);
    // The program text itself never holds `$` or a secret reference.
    for (const t of carriable) expect(yamlProblem(vrlString(t, AT)), JSON.stringify(t)).toBeUndefined();
  });

  it('VRL string literal: where one exists, it is a literal object key giving the text back', () => {
    const literal = carriable.flatMap((t) => {
      const l = vrlStringLiteral(t);
      return l === undefined ? [] : [[t, l] as const];
    });
    expect(literal.length).toBeGreaterThan(carriable.length / 3);
    const event = run([vrlProgram(literal.map(([, l], i) => `.k${i} = {${l}: true}`))]);
    literal.forEach(([t], i) => expect(Object.keys(event[`k${i}`] as object), JSON.stringify(t)).toEqual([t]));
    for (const t of carriable) {
      const l = vrlStringLiteral(t);
      if (l !== undefined) expect(l.startsWith('"') && !l.includes('$') && !l.includes('SECRET[')).toBe(true);
    }
  });

  it('VRL paths: path syntax where it can, else set() with a path array, write exactly the field', () => {
    const lines = carriable.map((t, i) => {
      const path = vrlPath([`p${i}`, t]);
      return path !== undefined ? `${path} = ${i}` : `. = set(., ${vrlPathArray([`p${i}`, t], AT)}, ${i}) ?? .`;
    });
    const event = run([throughVector(vrlProgram(lines))]);
    carriable.forEach((t, i) => expect(event[`p${i}`], JSON.stringify(t)).toEqual({ [t]: i }));
  });

  it('regex text matches exactly its text, anchored with \\z', () => {
    // Each regex literal is compiled by verel: a smaller share of the sample in CI.
    const texts = FULL ? carriable : carriable.filter((_, i) => i % 3 === 0 || i >= SAMPLE.length);
    const lines = texts.flatMap((t, i) => {
      const regex = vrlRegex(regexSource(`^${regexText(t)}\\z`));
      return [`.m${i} = match(${vrlString(t, AT)}, ${regex})`, `.n${i} = match(${vrlString(`${t}x`, AT)}, ${regex})`];
    });
    const event = run([throughVector(vrlProgram(lines))]);
    texts.forEach((t, i) => {
      expect(event[`m${i}`], JSON.stringify(t)).toBe(true);
      expect(event[`n${i}`], JSON.stringify(t)).toBe(false);
    });
  });

  it('VRL literal of JSON values with any keys comes back equal', () => {
    const values = fc.sample(
      fc.jsonValue({
        maxDepth: 2,
        stringUnit: fc.oneof(fc.constantFrom(...CORE_HOSTILE), fc.string({ unit: 'grapheme' })),
      }),
      { seed: SEED, numRuns: FULL ? 400 : 50 },
    );
    const event = run([throughVector(vrlProgram(values.map((v, i) => `.j${i} = ${vrlLiteral(v, AT)}`)))]);
    const norm = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
    values.forEach((v, i) => expect(norm(event[`j${i}`]), JSON.stringify(v)).toEqual(norm(v)));
  });

  it('YAML scalar: as key and value, Vector reads it back in every interpolation mode, or E0504', () => {
    const accepted: string[] = [];
    for (const t of TEXTS) {
      if (yamlProblem(t) === undefined) accepted.push(t);
      else expect(() => yamlScalar(t, AT, 'the text')).toThrow(TargetRefusal);
    }
    const own = secretRef('mapc_q', 'KEY');
    const document: Record<string, YamlNode> = {
      secret: { mapc_q: { type: yamlConst('file'), path: yamlConst('/x') } },
      values: accepted.map((t) => yamlScalar(t, AT, 'the text')),
      keys: Object.fromEntries(accepted.map((t, i) => [yamlScalar(t, AT, 'the text'), i])),
      own,
    };
    const text = vectorYaml([], document, new Set([own]));
    for (const interpolation of MODES) {
      const doc = loadAsVector(text, { env: ENV, secretFiles: { mapc_q: '{"KEY":"k"}' }, interpolation }) as {
        values: string[];
        keys: Record<string, number>;
        own: string;
      };
      expect(doc.values, interpolation).toEqual(accepted);
      expect(doc.keys, interpolation).toEqual(Object.fromEntries(accepted.map((t, i) => [t, i])));
      expect(doc.own).toBe('k');
    }
  });

  it('comments: one line in YAML and VRL that changes nothing Vector reads', () => {
    const header = TEXTS.map((t) => yamlComment(t));
    const document = { a: yamlConst('b') };
    const text = vectorYaml(header, document, new Set());
    expect(text.split('\n').length).toBe(TEXTS.length + 2);
    for (const interpolation of MODES) {
      expect(loadAsVector(text, { env: ENV, secretFiles: {}, interpolation })).toEqual({ a: 'b' });
    }
    expect(yaml.load(text)).toEqual({ a: 'b' });
  });

  it('the last guard refuses a stray $ or a foreign SECRET[ in the document', () => {
    expect(() => vectorYaml([], { a: 'x$y' as never }, new Set())).toThrow('internal');
    expect(() => vectorYaml([], { a: 'SECRET[b.k]' as never }, new Set())).toThrow('internal');
    expect(() => vrlProgram(['.a = "$x"'])).toThrow('internal');
  });
});
