import { describe, expect, it } from 'vitest';
import { bindEnvVars, interpolate, loadAsVector, replaceSecrets } from './interpolate.ts';

describe('the model of Vector environment interpolation', () => {
  const env = { A: 'x', EMPTY: '', 'J.K': 'dot' };
  // The cases of vectordotdev/vector src/config/loading/interpolation.rs `interpolation()`.
  it.each([
    ['${A}', 'x'],
    ['$A-', 'x-'],
    ['${J.K}', 'dot'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${UNSET:-}', ''],
    ['$$A $${A} $$', '$A ${A} $'],
    ['$ x', '$ x'],
    ['${A x', '${A x'],
    ['${}', '${}'],
    ["r'^a$'", "r'^a$'"],
  ])('%s → %s', (text, out) => {
    expect(interpolate(text, env)).toBe(out);
  });

  it.each([
    ['${UNSET}', 'environment variable UNSET is not set'],
    ['$UNSET', 'environment variable UNSET is not set'],
    ['${EMPTY:?need it}', 'EMPTY: need it'],
    ['${UNSET?gone}', 'UNSET: gone'],
  ])('%s fails', (text, message) => {
    expect(() => interpolate(text, env)).toThrow(message);
  });

  it('interpolates keys and values of the parsed document, not comments, when on', () => {
    const text = '# ${NOPE}\na:\n  $A: "${A}"\n';
    expect(loadAsVector(text, { env, secretFiles: {}, interpolation: 'values' })).toEqual({ a: { x: 'x' } });
    expect(loadAsVector(text, { env, secretFiles: {} })).toEqual({ a: { $A: '${A}' } });
    expect(() => loadAsVector(text, { env, secretFiles: {}, interpolation: 'text' })).toThrow('NOPE');
  });
});

describe('the model of Vector secret replacement (file backend)', () => {
  const doc = { secret: { b: { type: 'file', path: '/x' } }, s: { 'SECRET[b.k]': 'v SECRET[b.k] SECRET[bad]' } };
  it('replaces references in keys and values, leaves non-references', () => {
    expect(replaceSecrets(doc, { b: '{"k":"K"}' })).toEqual({
      secret: { b: { type: 'file', path: '/x' } },
      s: { K: 'v K SECRET[bad]' },
    });
  });
  it('refuses unknown backends, missing and empty keys', () => {
    expect(() => replaceSecrets({ ...doc, t: 'SECRET[c.k]' }, { b: '{"k":"K"}' })).toThrow('Backend "c"');
    expect(() => replaceSecrets(doc, { b: '{}' })).toThrow('was not retrieved');
    expect(() => replaceSecrets(doc, { b: '{"k":""}' })).toThrow('was empty');
  });
  it('does nothing without a secret section', () => {
    expect(replaceSecrets({ a: 'SECRET[b.k]' }, {})).toEqual({ a: 'SECRET[b.k]' });
  });
});

describe('get_env_var bound to an environment', () => {
  it('replaces set variables only', () => {
    expect(bindEnvVars('a = get_env_var("X") ?? ""; b = get_env_var("Y") ?? ""', { X: 'true' })).toBe(
      'a = decode_base64("dHJ1ZQ==") ?? ""; b = get_env_var("Y") ?? ""',
    );
  });
});
