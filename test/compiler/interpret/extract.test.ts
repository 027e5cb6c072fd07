/**
 * `extract` in the interpreter: the patterns written for RE2 and run by re2js
 * (compiler/interpret/re2.ts) find the match and capture JavaScript's backtracking `RegExp`
 * (`u` flag) finds, on random patterns of the subset and texts drawn from them; and the matcher
 * stays fast on records that make a backtracking engine take seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAlnum, parseRegex, renderRegex, type ParsedRegex, type RegexDialect } from '../../../dsl/regex.ts';
import { extract } from '../../../compiler/interpret/extract.ts';
import { matchRegex, re2Source } from '../../../compiler/interpret/re2.ts';
import { extractMatching, extractNamedPattern, extractPattern, extractText } from '../../agreement/generate.ts';

/** The subset as a JavaScript `RegExp` source (`u` flag): the oracle. */
const JS: RegexDialect = {
  char: (cp) => (isAlnum(cp) || cp === 0x20 ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`),
  classChar: (cp) => (isAlnum(cp) || cp === 0x20 ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`),
  any: '[^\\n]',
  start: '^',
  end: '$',
  capture: (body, name) => (name === undefined ? `(${body})` : `(?<${name}>${body})`),
};

const parsed = (p: string): ParsedRegex => {
  const r = parseRegex(p);
  if (r.kind !== 'regex') throw new Error(`${p}: ${r.message}`);
  return r;
};

const vm = (p: string, text: string) => {
  const found = matchRegex(parsed(p), text);
  return found === undefined ? undefined : found[0];
};

describe('extract: the matcher', () => {
  it('finds the leftmost match and its capture', () => {
    expect(vm('from ([0-9.]+) port', 'conn from 10.0.0.1 port 22')).toBe('10.0.0.1');
    expect(vm('(a|ab)(?:c|bcd)', 'abcd')).toBe('a'); // leftmost-first, not longest
    expect(vm('(a+?)', 'aaa')).toBe('a');
    expect(vm('(a+)', 'baaa')).toBe('aaa');
    expect(vm('^(a)', 'ba')).toBeUndefined();
    expect(vm('(a)$', 'a\n')).toBeUndefined(); // $ is the end of the text only
    expect(vm('x(a)?|y', 'y')).toBeNull(); // the group took no part
    expect(vm('(.)', '\n😀')).toBe('😀'); // a code point, never a line feed
    expect(vm('(\\d+)', '٣12')).toBe('12'); // ASCII digits only
    expect(vm('(\\s+)', '\u00a0 \t')).toBe(' \t');
    expect(vm('(?:ab){2}(c)', 'ababc')).toBe('c');
    expect(vm('(.)', '\ud800x')).toBe('\ud800'); // a lone surrogate is one code point, as with `u`
    expect(vm('([^a]+)', 'a\ud800\udc00\udc00b')).toBe('\ud800\udc00\udc00b');
    expect(vm('(\\u{1F600}|\\x41)', 'x😀A')).toBe('😀');
  });

  it('writes the pattern in RE2 syntax with every metacharacter escaped', () => {
    expect(re2Source(parsed('^a\\.(?<x>[\\]\\-$]+?) b*$|(?<y>.)'))).toBe(
      '\\Aa\\x{2E}(?P<x>[\\x{5D}\\x{2D}\\x{24}]+?) b*\\z|(?P<y>[^\\n])',
    );
    expect(matchRegex(parsed('^a\\.(?<x>[\\]\\-$]+?) b*$|(?<y>.)'), 'a.]- b')).toEqual([']-', null]);
  });

  it('compiles the largest patterns of the subset (42 counts of 255 in 256 code points)', () => {
    const letters = Array.from({ length: 42 }, (_, k) => 'abcdefghijklmnopqrstuvwxyz'[k % 26]!);
    const p = `(${letters.map((c) => `${c}{255}`).join('')})`;
    expect([...p].length).toBe(254);
    const text = letters.map((c) => c.repeat(255)).join('');
    expect(vm(p, `x${text}y`)).toBe(text);
    expect(vm(p, text.slice(1))).toBeUndefined();
  });

  it('extract fails on no match, an empty or absent capture, and non-strings', () => {
    const r = parsed('id=(\\w*)');
    expect(extract('id=42', r)).toEqual({ kind: 'value', value: '42' });
    expect(extract('id=', r)).toEqual({ kind: 'fail' });
    expect(extract('x', r)).toEqual({ kind: 'fail' });
    expect(extract(42, r)).toEqual({ kind: 'fail' });
    expect(extract('y', parsed('x(a)?|y'))).toEqual({ kind: 'fail' });
  });

  it('agrees with JavaScript RegExp on random patterns and texts (seed 20261207)', () => {
    const patterns = fc
      .sample(extractPattern, { numRuns: 600, seed: 20261207 })
      .map((p) => parseRegex(p))
      .filter((r): r is ParsedRegex => r.kind === 'regex');
    expect(patterns.length).toBeGreaterThan(300);
    let captured = 0;
    for (const [i, r] of patterns.entries()) {
      const re = new RegExp(renderRegex(r, JS), 'u');
      const texts = fc.sample(fc.oneof(extractMatching(r), extractText), { numRuns: 25, seed: i });
      for (const text of texts) {
        const m = re.exec(text);
        const expected = m === null ? undefined : (m[1] ?? null);
        const got = matchRegex(r, text)?.[0];
        if (got) captured++;
        expect(got, `${renderRegex(r, JS)} on ${JSON.stringify(text)}`).toBe(expected);
      }
    }
    expect(captured).toBeGreaterThan(2000);
  });

  it('agrees with JavaScript RegExp on every named group of random patterns (seed 20261207)', () => {
    const patterns = fc
      .sample(extractNamedPattern, { numRuns: 300, seed: 20261207 })
      .map((p) => parseRegex(p))
      .filter((r): r is ParsedRegex => r.kind === 'regex');
    expect(patterns.length).toBeGreaterThan(100);
    let objects = 0;
    for (const [i, r] of patterns.entries()) {
      const re = new RegExp(renderRegex(r, JS), 'u');
      for (const text of fc.sample(fc.oneof(extractMatching(r), extractText), { numRuns: 20, seed: i })) {
        const m = re.exec(text);
        expect(matchRegex(r, text), `${renderRegex(r, JS)} on ${JSON.stringify(text)}`).toEqual(
          m === null ? undefined : m.slice(1).map((g) => g ?? null),
        );
        if (extract(text, r).kind === 'value') objects++;
      }
    }
    expect(objects).toBeGreaterThan(500);
  });

  it('runs in linear time where a backtracking engine takes seconds', () => {
    const started = Date.now();
    expect(vm('(a*)a*a*c', 'a'.repeat(20000))).toBeUndefined();
    expect(vm('([^\\n]*)[^\\n]*c', 'a'.repeat(20000))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
