/**
 * E0107 for the fields mapc owns in every target: `error.message` (each target appends its
 * conversion errors there, compiler/ir.ts step 4) and `error`, refused by the checks at the rule
 * rather than by one backend (Vector used to be the only one, E0500).
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, one, pos, withCode } from './support.ts';

describe('E0107 fields mapc owns', () => {
  it('refuses writing error.message or error, at the target', () => {
    for (const target of ['error.message', 'error']) {
      const source = baseMap({ rules: `    ${target} = "custom"` });
      const d = one(source, 'E0107');
      expect(d.message).toBe(`${target} is set by mapc`);
      expect(pos(d)).toBe(at(source, `${target} = "custom"`));
    }
  });

  it('leaves the other error fields to the map', () => {
    expect(withCode(baseMap({ rules: '    error.code = "x"' }), 'E0107')).toEqual([]);
  });
});
