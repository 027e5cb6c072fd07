import { describe, expect, it } from 'vitest';
import { interpolate } from './interpolate.ts';

describe('emulated Vector environment interpolation', () => {
  const env = { A: 'x', EMPTY: '', 'J.K': 'dot' };
  it.each([
    ['${A}', 'x'],
    ['$A-', 'x-'],
    ['${J.K}', 'dot'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${UNSET:-}', ''],
    ['$$A $${A} $$', '$A ${A} $'],
    ["r'^a$'", "r'^a$'"],
  ])('%s → %s', (text, out) => {
    expect(interpolate(text, env)).toBe(out);
  });

  it.each([
    ['${UNSET}', 'environment variable UNSET is not set'],
    ['${EMPTY:?need it}', 'EMPTY: need it'],
    ['${UNSET?gone}', 'UNSET: gone'],
  ])('%s fails', (text, message) => {
    expect(() => interpolate(text, env)).toThrow(message);
  });

  it('rejects a value with a newline', () => {
    expect(() => interpolate('${N}', { N: 'a\nb' })).toThrow('contains a newline');
  });
});
