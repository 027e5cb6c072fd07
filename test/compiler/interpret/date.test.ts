import { describe, expect, it } from 'vitest';
import type { DateFormat } from '../../../compiler/ir.ts';
import { parseDate } from '../../../compiler/interpret/date.ts';
import { InterpretError } from '../../../compiler/interpret/errors.ts';
import { datePatternFormat } from '../../../compiler/ir.ts';

const ISO: DateFormat = { kind: 'iso8601' };
const MS: DateFormat = { kind: 'unix_ms' };
const S: DateFormat = { kind: 'unix' };
const pattern = (p: string): DateFormat => datePatternFormat(p);
const value = (v: string) => ({ kind: 'value', value: v });
const FAIL = { kind: 'fail' };

describe('date iso8601', () => {
  it.each([
    ['2024-11-13T15:30:45.123456Z', '2024-11-13T15:30:45.123Z'],
    ['2024-11-13T15:30:45.999999999Z', '2024-11-13T15:30:45.999Z'],
    ['2024-11-13T15:30:45Z', '2024-11-13T15:30:45.000Z'],
    ['2024-11-13T15:30:45.5Z', '2024-11-13T15:30:45.500Z'],
    ['2024-11-13T23:30:00-02:00', '2024-11-14T01:30:00.000Z'],
    ['2024-01-01T00:30:00.25+01:00', '2023-12-31T23:30:00.250Z'],
    ['2024-11-13T16:02:10.5+05:30', '2024-11-13T10:32:10.500Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T12:00:00Z', '2000-02-29T12:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.9999Z', '9999-12-31T23:59:59.999Z'],
  ])('%s becomes %s', (input, output) => {
    expect(parseDate(input, [ISO])).toEqual(value(output));
  });
  it.each([
    ['2023-02-29T00:00:00Z'],
    ['1900-02-29T00:00:00Z'],
    ['2024-04-31T00:00:00Z'],
    ['2024-13-01T00:00:00Z'],
    ['2024-11-13T24:00:00Z'],
    ['2024-11-13T15:60:00Z'],
    ['2024-11-13T15:30:60Z'],
    ['2024-11-13 15:30:45Z'],
    ['2024-11-13t15:30:45z'],
    ['2024-11-13T15:30:45'],
    ['2024-11-13T15:30:45+0100'],
    ['2024-11-13T15:30:45.Z'],
    ['2024-11-13'],
    ['13/11/2024'],
    ['0000-01-01T00:30:00+01:00'],
    [' 2024-11-13T15:30:45Z'],
    [''],
    [1731511845],
    [true],
  ])('%j fails', (input) => {
    expect(parseDate(input, [ISO])).toEqual(FAIL);
  });
});

describe('date unix_ms and unix', () => {
  it.each([
    [1731511845123, MS, '2024-11-13T15:30:45.123Z'],
    ['1731511845123', MS, '2024-11-13T15:30:45.123Z'],
    ['1731511845123.9', MS, '2024-11-13T15:30:45.123Z'],
    [0, MS, '1970-01-01T00:00:00.000Z'],
    [-1.5, MS, '1969-12-31T23:59:59.998Z'],
    ['-1', MS, '1969-12-31T23:59:59.999Z'],
    [1731511845, S, '2024-11-13T15:30:45.000Z'],
    ['1731511845', S, '2024-11-13T15:30:45.000Z'],
    [1731511845.5, S, '2024-11-13T15:30:45.500Z'],
    ['1731511845.1239', S, '2024-11-13T15:30:45.123Z'],
    ['-0.0005', S, '1969-12-31T23:59:59.999Z'],
    [1e-7, S, '1970-01-01T00:00:00.000Z'],
  ] as const)('%j as %j becomes %s', (input, format, output) => {
    expect(parseDate(input, [format])).toEqual(value(output));
  });
  it.each([
    ['abc', MS],
    ['1e3', MS],
    ['', S],
    [' 1', S],
    [true, S],
    [Number.POSITIVE_INFINITY, MS],
    [253402300800000, MS],
    [1e21, S],
  ] as const)('%j as %j fails', (input, format) => {
    expect(parseDate(input, [format])).toEqual(FAIL);
  });
});

describe('date patterns', () => {
  it.each([
    ['12/11/2024', 'dd/MM/yyyy', '2024-11-12T00:00:00.000Z'],
    ['2024-11-12 08:09:10.123', 'yyyy-MM-dd HH:mm:ss.SSS', '2024-11-12T08:09:10.123Z'],
    ['12.11.2024', 'dd.MM.yyyy', '2024-11-12T00:00:00.000Z'],
    ['202411120809', 'yyyyMMddHHmm', '2024-11-12T08:09:00.000Z'],
  ])('%s with %s becomes %s', (input, p, output) => {
    expect(parseDate(input, [pattern(p)])).toEqual(value(output));
  });
  it.each([
    ['1/11/2024', 'dd/MM/yyyy'],
    ['31/02/2024', 'dd/MM/yyyy'],
    ['12/11/2024 ', 'dd/MM/yyyy'],
    ['2024-11-12', 'dd/MM/yyyy'],
    ['12x11x2024', 'dd.MM.yyyy'],
    ['12/11/24', 'dd/MM/yyyy'],
  ])('%s with %s fails', (input, p) => {
    expect(parseDate(input, [pattern(p)])).toEqual(FAIL);
  });
  it('rejects pattern letters the IR does not allow, as an IR error', () => {
    expect(() => parseDate('Nov 12', [pattern('MMM dd')])).toThrow(InterpretError);
    expect(() => parseDate('12 12', [pattern('dd dd')])).toThrow(/repeated/);
    // Letters are never literals: only punctuation is.
    expect(() => parseDate('20241112T0809', [pattern('yyyyMMddTHHmm')])).toThrow(InterpretError);
  });
});

describe('date format lists', () => {
  it('uses the first format that parses', () => {
    expect(parseDate('2024-11-13T08:21:07.250Z', [pattern('dd/MM/yyyy'), ISO])).toEqual(
      value('2024-11-13T08:21:07.250Z'),
    );
    expect(parseDate('13/11/2024', [pattern('dd/MM/yyyy'), ISO])).toEqual(value('2024-11-13T00:00:00.000Z'));
  });
  it('moves on when an earlier format parses to an instant beyond year 9999', () => {
    // As seconds this is year 56839, so unix fails and unix_ms reads it.
    expect(parseDate(1731511845123, [S, MS])).toEqual(value('2024-11-13T15:30:45.123Z'));
  });
  it('fails when no format parses', () => {
    expect(parseDate('yesterday', [pattern('dd/MM/yyyy'), ISO, MS])).toEqual(FAIL);
  });
});
