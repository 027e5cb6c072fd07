/**
 * `now` tests in the interpreter (compiler/ir.ts `ConditionIR` `now`) with a fixed clock
 * (`MapOptions.now`), at the exact boundary: the instant read as the `date` transform reads it
 * (first format that parses, years 0000-9999, fraction cut to milliseconds) compared in integer
 * milliseconds with now moved by the offset. The engines, whose clocks cannot be fixed, are
 * compared with the interpreter on dates far from the boundary (test/agreement/now.suite.ts).
 */
import { describe, expect, it } from 'vitest';
import { datePatternFormat, type CompareOpIR, type ConditionIR, type DateFormat } from '../../../compiler/ir.ts';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { readInstant } from '../../../compiler/interpret/conditions.ts';
import { constant, interpreterStream, rule } from '../../support/ir.ts';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const ISO: DateFormat = { kind: 'iso8601' };

function holds(op: CompareOpIR, value: unknown, offsetMs = 0, formats: readonly DateFormat[] = [ISO], now = NOW) {
  const when: ConditionIR = { kind: 'now', op, path: ['t'], formats, offsetMs };
  const stream = interpreterStream({ rules: [rule('event.outcome', constant('success'), { when })] });
  return mapRecord(stream, JSON.stringify({ t: value }), {}, { now }).doc['event'] !== undefined;
}

describe('now tests at the boundary (fixed clock)', () => {
  it('each operator at now, one millisecond before and after', () => {
    const at = '2026-03-01T12:00:00.000Z';
    const before = '2026-03-01T11:59:59.999Z';
    const after = '2026-03-01T12:00:00.001Z';
    expect([holds('lt', before), holds('lt', at), holds('lt', after)]).toEqual([true, false, false]);
    expect([holds('le', before), holds('le', at), holds('le', after)]).toEqual([true, true, false]);
    expect([holds('gt', before), holds('gt', at), holds('gt', after)]).toEqual([false, false, true]);
    expect([holds('ge', before), holds('ge', at), holds('ge', after)]).toEqual([false, true, true]);
  });

  it('the offset moves now: now - 30d and now + 1h', () => {
    expect(holds('lt', '2026-01-30T12:00:00Z', -30 * DAY)).toBe(false);
    expect(holds('le', '2026-01-30T12:00:00Z', -30 * DAY)).toBe(true);
    expect(holds('lt', '2026-01-30T11:59:59.999Z', -30 * DAY)).toBe(true);
    expect(holds('ge', '2026-03-01T13:00:00Z', 3_600_000)).toBe(true);
    expect(holds('gt', '2026-03-01T13:00:00Z', 3_600_000)).toBe(false);
  });

  it('reads offsets and cuts the fraction to milliseconds, never rounding', () => {
    // 13:30+01:30 is 12:00Z; .0009999 is 0 ms.
    expect(holds('le', '2026-03-01T13:30:00.0009999+01:30')).toBe(true);
    expect(holds('lt', '2026-03-01T13:30:00.0009999+01:30')).toBe(false);
    expect(holds('lt', '2026-03-01T11:59:59.9999999Z')).toBe(true);
  });

  it('a pattern is read in UTC; the first format that reads the text wins', () => {
    const day = datePatternFormat('dd/MM/yyyy');
    expect(holds('lt', '01/03/2026', 0, [day])).toBe(true);
    expect(holds('lt', '01/03/2026', -12 * 3_600_000, [day])).toBe(false);
    expect(holds('le', '01/03/2026', -12 * 3_600_000, [day])).toBe(true);
    expect(holds('lt', '2026-03-01T11:00:00Z', 0, [day, ISO])).toBe(true);
  });

  it('a value no format reads, or no string, makes the test false, and its not true', () => {
    for (const value of ['2026-02-30T00:00:00Z', '2026-03-01T12:00:00', '01/03/2026', '', 1700000000000, null, {}]) {
      expect(holds('lt', value), JSON.stringify(value)).toBe(false);
      expect(holds('ge', value), JSON.stringify(value)).toBe(false);
      const when: ConditionIR = {
        kind: 'not',
        condition: { kind: 'now', op: 'lt', path: ['t'], formats: [ISO], offsetMs: 0 },
      };
      const stream = interpreterStream({ rules: [rule('event.outcome', constant('success'), { when })] });
      expect(mapRecord(stream, JSON.stringify({ t: value }), {}, { now: NOW }).doc).toHaveProperty('event.outcome');
    }
    const missing = interpreterStream({
      rules: [
        rule('event.outcome', constant('x'), {
          when: { kind: 'now', op: 'lt', path: ['t'], formats: [ISO], offsetMs: 0 },
        }),
      ],
    });
    expect(mapRecord(missing, '{}', {}, { now: NOW }).doc).not.toHaveProperty('event');
  });

  it('instants outside years 0000-9999 after their offset read as nothing', () => {
    expect(readInstant('0000-01-01T00:00:00Z', [ISO])).toBe(-62_167_219_200_000);
    expect(readInstant('0000-01-01T00:30:00+01:00', [ISO])).toBeUndefined();
    expect(readInstant('9999-12-31T23:59:59.999Z', [ISO])).toBe(253_402_300_799_999);
    expect(readInstant('9999-12-31T23:30:00-01:00', [ISO])).toBeUndefined();
    // The next format is tried after one whose instant is out of range.
    expect(readInstant('9999-12-31T23:30:00-01:00', [ISO, datePatternFormat('yyyy-MM-dd')])).toBeUndefined();
  });

  it('without a clock given, the wall clock when the record is mapped', () => {
    const when: ConditionIR = { kind: 'now', op: 'gt', path: ['t'], formats: [ISO], offsetMs: -60_000 };
    const stream = interpreterStream({ rules: [rule('event.outcome', constant('success'), { when })] });
    const recent = new Date(Date.now() - 1000).toISOString();
    expect(mapRecord(stream, JSON.stringify({ t: recent }), {}).doc).toHaveProperty('event.outcome');
    expect(mapRecord(stream, JSON.stringify({ t: '2000-01-01T00:00:00Z' }), {}).doc).not.toHaveProperty('event');
  });

  it('a drop when on now drops the record', () => {
    const drop: ConditionIR[] = [{ kind: 'now', op: 'lt', path: ['t'], formats: [ISO], offsetMs: -30 * DAY }];
    const stream = interpreterStream({ rules: [], drop, dropLoc: [interpreterStream({ rules: [] }).loc] });
    expect(mapRecord(stream, '{"t": "2026-01-01T00:00:00Z"}', {}, { now: NOW }).dropped).toBe(true);
    expect(mapRecord(stream, '{"t": "2026-02-15T00:00:00Z"}', {}, { now: NOW }).dropped).toBeUndefined();
  });
});
