/**
 * The diagnostic code registry: unique codes, well-formed keys, each inside its phase's range
 * as documented in `dsl/codes.ts`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODES } from '../dsl/codes.ts';

/** The documented ranges: prefix letter and inclusive numeric bounds. */
const RANGES: readonly {
  readonly phase: string;
  readonly prefixes: string;
  readonly from: number;
  readonly to: number;
}[] = [
  { phase: 'syntax', prefixes: 'E', from: 1, to: 99 },
  { phase: 'checks', prefixes: 'EW', from: 100, to: 299 },
  { phase: 'lowering', prefixes: 'E', from: 300, to: 399 },
  { phase: 'elastic', prefixes: 'EW', from: 400, to: 499 },
  { phase: 'vector', prefixes: 'EW', from: 500, to: 599 },
  { phase: 'logstash', prefixes: 'EW', from: 600, to: 699 },
  { phase: 'tooling', prefixes: 'E', from: 700, to: 799 },
  { phase: 'collect', prefixes: 'EW', from: 800, to: 899 },
];

const keys = Object.keys(CODES);

describe('diagnostic codes', () => {
  it('are well formed: a severity letter and four digits', () => {
    for (const k of keys) expect(k).toMatch(/^[EW]\d{4}$/);
  });

  it('each sits in its documented range with an allowed severity letter', () => {
    for (const k of keys) {
      const n = Number(k.slice(1));
      const range = RANGES.find((r) => n >= r.from && n <= r.to);
      expect(range, `${k} is in no documented range`).toBeDefined();
      expect(range?.prefixes, `${k} has a severity letter its range does not use`).toContain(k[0]);
    }
  });

  it('each key appears exactly once in the source (an object literal silently keeps the last duplicate)', () => {
    const source = readFileSync(new URL('../dsl/codes.ts', import.meta.url), 'utf8');
    const declared = [...source.matchAll(/^\s+([EW]\d{4}):/gm)].map((m) => m[1]);
    expect(declared.length).toBe(keys.length);
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('each has a non-empty one-line description without a trailing period', () => {
    for (const [k, text] of Object.entries(CODES)) {
      expect(text.length, k).toBeGreaterThan(0);
      expect(text, k).not.toMatch(/\n|\.$/);
    }
  });

  it('the documented ranges in the module comment match the ones tested here', () => {
    const source = readFileSync(new URL('../dsl/codes.ts', import.meta.url), 'utf8');
    for (const r of RANGES) {
      const from = `E${String(r.from).padStart(4, '0')}`;
      const to = `E${String(r.to).padStart(4, '0')}`;
      expect(source).toContain(`${from}-${to}`);
    }
  });
});
