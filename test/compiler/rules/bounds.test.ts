/** E0128: the bounds of the language (`dsl/limits.ts`), each at its limit and one past it. */
import { describe, expect, it } from 'vitest';
import {
  MASK_KEEP,
  MAX_JSON_DEPTH,
  MAX_PAGES,
  MAX_PATH_SEGMENTS,
  MAX_RETRY_ATTEMPTS,
  MAX_TRANSFORMS,
} from '../../../dsl/limits.ts';
import { baseMap } from '../helpers.ts';
import { at, one, pos, withCode } from './support.ts';

const rule = (text: string): string => baseMap({ rules: `    ${text}` });
const item = (text: string): string => baseMap({ streamItems: `  ${text}` });

describe('E0128 bounds', () => {
  it('mask keeps 0 to 256 characters', () => {
    expect(withCode(rule(`labels.a = secret_value | mask(${MASK_KEEP.max})`), 'E0128')).toEqual([]);
    expect(withCode(rule('labels.a = secret_value | mask(0)'), 'E0128')).toEqual([]);
    for (const n of [MASK_KEEP.max + 1, 50_000, -1]) {
      const source = rule(`labels.a = secret_value | mask(${n})`);
      const d = one(source, 'E0128');
      expect(d.message).toBe('mask must be between 0 and 256');
      expect(pos(d)).toBe(at(source, `(${n})`).replace(/:(\d+)$/, (_, c: string) => `:${Number(c) + 1}`));
    }
  });

  it('max_pages 1 to 10,000', () => {
    expect(withCode(item(`max_pages ${MAX_PAGES.max}`), 'E0128')).toEqual([]);
    for (const n of [0, MAX_PAGES.max + 1, 1_000_000]) {
      const source = item(`max_pages ${n}`);
      const d = one(source, 'E0128');
      expect(d.message).toBe('max_pages must be between 1 and 10,000');
      expect(pos(d)).toBe(at(source, `max_pages ${n}`).replace(/:(\d+)$/, (_, c: string) => `:${Number(c) + 10}`));
    }
  });

  it('retry attempts at most 100', () => {
    expect(withCode(item(`retry { attempts ${MAX_RETRY_ATTEMPTS} }`), 'E0128')).toEqual([]);
    const source = item(`retry { attempts ${MAX_RETRY_ATTEMPTS + 1} }`);
    expect(one(source, 'E0128').message).toBe('retry attempts must be between 0 and 100');
    expect(pos(one(source, 'E0128'))).toBe(at(source, '101'));
  });

  it('a number literal beyond 2^53 - 1, reported once even where an item has its own range', () => {
    expect(withCode(rule('labels.a = 9007199254740991'), 'E0128')).toEqual([]);
    for (const n of ['9007199254740992', '-99999999999999999999', `1${'0'.repeat(400)}`]) {
      const source = rule(`labels.a = ${n}`);
      const d = one(source, 'E0128');
      expect(d.message).toMatch(/^number -?[0-9.]+ is too large$/);
      expect(pos(d)).toBe(at(source, n));
    }
    const mask = rule('labels.a = secret_value | mask(99999999999999999999)');
    expect(one(mask, 'E0128').message).toBe('number 99999999999999999999 is too large');
  });

  it('durations at most 365 days, literals and duration setting defaults', () => {
    expect(withCode(baseMap().replace('"5m"', '"8760h"'), 'E0128')).toEqual([]);
    expect(withCode(item('retry { backoff 1s to 365d }'), 'E0128')).toEqual([]);
    const literal = item('retry { backoff 1s to 366d }');
    expect(one(literal, 'E0128').message).toBe('duration 366d is longer than 365 days');
    expect(pos(one(literal, 'E0128'))).toBe(at(literal, '366d'));
    const huge = item('retry { backoff 1s to 99999999999999999999s }');
    expect(pos(one(huge, 'E0128'))).toBe(at(huge, '99999999999999999999s'));
    const setting = baseMap().replace('"5m"', '"8760h1m"');
    expect(one(setting, 'E0128').message).toBe('default of setting every is longer than 365 days');
    expect(pos(one(setting, 'E0128'))).toBe(at(setting, '"8760h1m"'));
  });

  it(`field paths of at most ${MAX_PATH_SEGMENTS} segments, at the first segment past it`, () => {
    const path = (n: number): string => Array.from({ length: n }, (_, i) => `s${i + 1}`).join('.');
    expect(withCode(rule(`labels.a = ${path(MAX_PATH_SEGMENTS)}`), 'E0128')).toEqual([]);
    for (const source of [
      rule(`labels.a = ${path(MAX_PATH_SEGMENTS + 1)}`),
      rule(`labels.a = x when exists ${path(MAX_PATH_SEGMENTS + 1)}`),
      baseMap().replace('records items', `records ${path(MAX_PATH_SEGMENTS + 1)}`),
    ]) {
      const d = one(source, 'E0128');
      expect(d.message).toBe('field path has 21 segments; at most 20 are allowed');
      expect(pos(d)).toBe(at(source, 's21'));
    }
    const target = rule(`acme.audit.${path(MAX_PATH_SEGMENTS - 1)} = x`);
    expect(pos(one(target, 'E0128'))).toBe(at(target, 's19'));
  });

  it(`at most ${MAX_TRANSFORMS} transforms after a value, at the first one past it`, () => {
    const chain = (n: number): string => ' | lowercase'.repeat(n);
    expect(withCode(rule(`labels.a = x${chain(MAX_TRANSFORMS)}`), 'E0128')).toEqual([]);
    const source = rule(`labels.a = x${chain(MAX_TRANSFORMS)} | uppercase`);
    const d = one(source, 'E0128');
    expect(d.message).toBe('17 transforms after one value; at most 16 are allowed');
    expect(pos(d)).toBe(at(source, 'uppercase'));
  });

  it(`JSON bodies at most ${MAX_JSON_DEPTH} levels deep, at the first level past it`, () => {
    const body = (levels: number): string =>
      baseMap().replace(
        'request GET "{base_url}/v1/logs"',
        `request POST "{base_url}/v1/logs" { body ${'{"a": '.repeat(levels - 1)}{"b": [1]}${'}'.repeat(levels - 1)} }`,
      );
    // The innermost array is one level more.
    expect(withCode(body(MAX_JSON_DEPTH - 1), 'E0128')).toEqual([]);
    const source = body(MAX_JSON_DEPTH);
    const d = one(source, 'E0128');
    expect(d.message).toBe('JSON body nested more than 16 levels deep');
    expect(pos(d)).toBe(at(source, '[1]'));
  });
});
