import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonErrorOffset, parseJsonText } from '../../../compiler/interpret/json-text.ts';

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText('{"a": [1, "x", null, true]}')).toEqual({ ok: true, value: { a: [1, 'x', null, true] } });
  });
  it.each([
    ['{\n  "a": 1,\n}', 3, 1],
    ['{"a":tru}', 1, 9],
    ['[1,\n 2', 2, 3],
    ['', 1, 1],
    ['{"a": "x\ny"}', 1, 9],
    ['[01]', 1, 3],
    ['{} x', 1, 4],
    ['{"a": 1 "b": 2}', 1, 9],
    ['["\\q"]', 1, 4],
    ['["\\u12G4"]', 1, 4],
  ])('locates the error in %j at %i:%i', (text, line, column) => {
    const result = parseJsonText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.location).toMatchObject({ line, column });
  });
  it('agrees with JSON.parse on what is valid', () => {
    for (const text of ['0', '-0.5e+3', '"\\u00e9"', '[]', '{}', ' [ { } ] ', '{"a":{"b":[1,2,{"c":false}]}}']) {
      expect(findJsonErrorOffset(text)).toBeUndefined();
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });
});

describe('findJsonErrorOffset on deep and arbitrary text', () => {
  it('scans 100,000 levels without exhausting the stack', () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    expect(findJsonErrorOffset(deep)).toBeUndefined();
    expect(findJsonErrorOffset(deep.slice(0, -1))).toBe(deep.length - 1);
    const objects = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(findJsonErrorOffset(objects)).toBeUndefined();
    expect(findJsonErrorOffset(`${objects.slice(0, 50)}x`)).toBe(50);
  });

  it('agrees with JSON.parse on what is valid (seeded property)', () => {
    const text = fc.oneof(
      fc.json(),
      fc.json().chain((j) => fc.nat({ max: j.length }).map((cut) => j.slice(0, cut))),
      fc.stringMatching(/^[\s{}[\]",:0-9.eE+\-tfnrulasx\\]{0,30}$/),
    );
    fc.assert(
      fc.property(text, (t) => {
        let valid = true;
        try {
          JSON.parse(t);
        } catch {
          valid = false;
        }
        const offset = findJsonErrorOffset(t);
        expect(offset === undefined).toBe(valid);
        if (offset !== undefined) expect(offset).toBeLessThanOrEqual(t.length);
      }),
      { seed: 20240611, numRuns: 3000 },
    );
  });
});
