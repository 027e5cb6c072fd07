import { describe, expect, it } from 'vitest';
import { convert } from '../../../compiler/interpret/convert.ts';

const value = (v: unknown) => ({ kind: 'value', value: v });
const FAIL = { kind: 'fail' };

describe('convert keyword', () => {
  it.each([
    ['abc', 'abc'],
    ['', ''],
    ['ünïcødé 😀', 'ünïcødé 😀'],
    [42, '42'],
    [-7, '-7'],
    [-0, '0'],
    [1e21, '1000000000000000000000'],
    [true, 'true'],
    [false, 'false'],
  ])('%j becomes %j', (input, output) => {
    expect(convert(input, 'keyword')).toEqual(value(output));
  });
  it.each([[1.5], [null], [{}], [[]], [['a']], [Number.NaN]])('%j fails', (input) => {
    expect(convert(input, 'keyword')).toEqual(FAIL);
  });
  it('keeps a 100 000-character string whole', () => {
    const long = 'x'.repeat(100_000);
    expect(convert(long, 'keyword')).toEqual(value(long));
  });
});

describe('convert long', () => {
  it.each([
    [42, 42],
    ['42', 42],
    ['-17', -17],
    ['007', 7],
    ['-0', 0],
    ['9223372036854775807', 9223372036854775807],
    ['-9223372036854775808', -9223372036854775808],
  ])('%j becomes %j', (input, output) => {
    expect(convert(input, 'long')).toEqual(value(output));
  });
  it.each([
    ['9223372036854775808'],
    ['-9223372036854775809'],
    [2 ** 63],
    ['1.0'],
    ['1e3'],
    [' 1'],
    ['+1'],
    [''],
    ['١٢'],
    [1.5],
    [true],
    [{}],
  ])('%j fails', (input) => {
    expect(convert(input, 'long')).toEqual(FAIL);
  });
});

describe('convert double', () => {
  it.each([
    [1.5, 1.5],
    [3, 3],
    ['1.5', 1.5],
    ['-2e3', -2000],
    ['10', 10],
    ['6.02E+23', 6.02e23],
    ['-0.0', 0],
    [-0, 0],
  ])('%j becomes %j', (input, output) => {
    expect(convert(input, 'double')).toStrictEqual(value(output));
  });
  it.each([['1e999'], ['.5'], ['1.'], ['NaN'], ['Infinity'], ['0x10'], [' 1'], [true], [null]])('%j fails', (input) => {
    expect(convert(input, 'double')).toEqual(FAIL);
  });
});

describe('convert boolean', () => {
  it.each([
    [true, true],
    [false, false],
    ['true', true],
    ['TRUE', true],
    ['False', false],
  ])('%j becomes %j', (input, output) => {
    expect(convert(input, 'boolean')).toEqual(value(output));
  });
  it.each([['yes'], ['1'], [1], [0], [' true'], [null]])('%j fails', (input) => {
    expect(convert(input, 'boolean')).toEqual(FAIL);
  });
});

describe('convert ip', () => {
  it.each([
    ['203.0.113.42'],
    ['0.0.0.0'],
    ['::'],
    ['::1'],
    ['2001:db8::1'],
    ['2001:DB8::1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329'],
    ['::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33'],
    ['1:2:3:4:5:6:7:8'],
  ])('%s is kept as written', (input) => {
    expect(convert(input, 'ip')).toEqual(value(input));
  });
  it.each([
    ['fe80::1%eth0'],
    ['fe80::1%25en0'],
    ['[::1]'],
    ['01.2.3.4'],
    ['256.1.1.1'],
    ['1.2.3'],
    [' 1.2.3.4'],
    ['1.2.3.4 '],
    ['1.2.3.4/24'],
    ['1::2::3'],
    ['1:2:3:4:5:6:7:8:9'],
    ['198.51.100.7, 10.20.30.40'],
    ['203.0.113.42:8080'],
    [''],
    [16909060],
  ])('%j fails', (input) => {
    expect(convert(input, 'ip')).toEqual(FAIL);
  });
});
