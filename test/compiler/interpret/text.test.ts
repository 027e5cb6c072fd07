import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TransformIR } from '../../../compiler/ir.ts';
import { lowercase, uppercase } from '../../../compiler/interpret/case.ts';
import { lookup } from '../../../compiler/interpret/lookup.ts';
import { hash, mask } from '../../../compiler/interpret/redact.ts';

const value = (v: unknown) => ({ kind: 'value', value: v });
const FAIL = { kind: 'fail' };
const SKIP = { kind: 'skip' };

describe('lowercase and uppercase (Unicode simple case mapping)', () => {
  it.each([
    ['USER_LOGIN', 'user_login'],
    ['ÀÉÎ Ωmega', 'àéî ωmega'],
    // Full mapping would give "i̇stanbul" (two code points for İ); simple mapping gives plain i.
    ['İstanbul', 'istanbul'],
    // No final-sigma context rule: every Σ becomes σ.
    ['ΣΑΣ', 'σασ'],
    ['😀 A', '😀 a'],
    ['', ''],
  ])('lowercase %j is %j', (input, output) => {
    expect(lowercase(input)).toEqual(value(output));
  });
  it.each([
    ['user_login', 'USER_LOGIN'],
    // ß and the ﬁ ligature have no simple uppercase (full mapping: SS, FI).
    ['straße', 'STRAßE'],
    ['ﬁle', 'ﬁLE'],
    // U+1FB3 ᾳ has the simple uppercase U+1FBC ᾼ (full: ΑΙ).
    ['ᾳ', 'ᾼ'],
    ['ǆ', 'Ǆ'],
  ])('uppercase %j is %j', (input, output) => {
    expect(uppercase(input)).toEqual(value(output));
  });
  it('keeps the length in code points of any string', () => {
    const text = 'ßİﬁᾳΣ'.repeat(20_000);
    const upper = uppercase(text);
    const lower = lowercase(text);
    expect(upper.kind === 'value' && [...(upper.value as string)].length).toBe(100_000);
    expect(lower.kind === 'value' && [...(lower.value as string)].length).toBe(100_000);
  });
  it.each([[42], [true], [{}], [['A']]])('%j fails', (input) => {
    expect(lowercase(input)).toEqual(FAIL);
    expect(uppercase(input)).toEqual(FAIL);
  });
});

describe('lookup', () => {
  const withDefault = {
    kind: 'lookup',
    table: 't',
    entries: [
      { from: 'A', to: 'first' },
      { from: 'A', to: 'second' },
      { from: '1', to: 'one' },
    ],
    default: 'other',
  } as const satisfies TransformIR;
  const noDefault = {
    kind: 'lookup',
    table: 't',
    entries: [{ from: 'A', to: 'first' }],
  } as const satisfies TransformIR;

  it('maps a key to its value; the first entry wins', () => {
    expect(lookup('A', withDefault)).toEqual(value('first'));
  });
  it('is case-sensitive and exact', () => {
    expect(lookup('a', withDefault)).toEqual(value('other'));
    expect(lookup('A ', noDefault)).toEqual(SKIP);
  });
  it('gives the default for anything else, non-strings included', () => {
    expect(lookup('Z', withDefault)).toEqual(value('other'));
    expect(lookup(1, withDefault)).toEqual(value('other'));
  });
  it('without a default, an unmatched value is skipped, not failed', () => {
    expect(lookup('Z', noDefault)).toEqual(SKIP);
    expect(lookup(true, noDefault)).toEqual(SKIP);
  });
});

describe('redact hash', () => {
  it('is the lowercase hex SHA-256 of the UTF-8 bytes', () => {
    // FIPS 180-2 test vector for "abc".
    expect(hash('abc')).toEqual(value('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'));
    expect(hash('')).toEqual(value('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'));
    const eAcute = createHash('sha256')
      .update(Buffer.from([0xc3, 0xa9]))
      .digest('hex');
    expect(hash('é')).toEqual(value(eAcute));
  });
  it('hashes a lone surrogate as U+FFFD', () => {
    expect(hash(JSON.parse('"a\\ud800"'))).toEqual(hash('a\ufffd'));
  });
  it.each([[42], [true], [{}], [['x']]])('%j fails', (input) => {
    expect(hash(input)).toEqual(FAIL);
  });
});

describe('redact mask', () => {
  it.each([
    ['AKIA-FAKE-FIXTURE-KEY-0001', 4, 'AKIA********'],
    // At most 2 × keep characters: nothing is kept, a short secret never appears in clear.
    ['pw1', 4, '********'],
    ['abcd', 4, '********'],
    ['abcdefgh', 4, '********'],
    ['abcdefghi', 4, 'abcd********'],
    ['', 4, '********'],
    ['', 0, '********'],
    ['s', 0, '********'],
    ['secret', 0, '********'],
    ['ab', 1, '********'],
    ['abc', 1, 'a********'],
    // Astral characters count as one each (8 and 9 scalar values, 16 and 18 UTF-16 units).
    ['😀😀😀😀😀😀😀😀', 4, '********'],
    ['😀😀😀😀😀😀😀😀😀', 4, '😀😀😀😀********'],
    ['😀😀😀', 1, '😀********'],
    // A combining mark is its own scalar value: é́ is two (U+00E9 U+0301), of 6 and of 4.
    ['é́xyzw', 2, 'é́********'],
    ['é́xy', 2, '********'],
    // A lone surrogate is one character.
    ['\ud800abcd', 2, '\ud800a********'],
  ])('%j keeping %i is %j', (input, keep, output) => {
    expect(mask(input, keep)).toEqual(value(output));
  });
  it('masks a very long value to keep + 8 characters', () => {
    const out = mask('k'.repeat(1_000_000), 4);
    expect(out).toEqual(value('kkkk********'));
  });
  it.each([[1234567], [false], [null], [{ v: 'x' }]])('%j fails', (input) => {
    expect(mask(input, 4)).toEqual(FAIL);
  });
});
