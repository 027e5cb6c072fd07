/**
 * Record conditions and `drop when` in the checks (compiler/check/rules/conditions.ts): E0119
 * for a comparison with a non-number and an empty `in`, E0128 for the nesting and list bounds,
 * E0167 for a test that can never hold for the declared type, each at the condition or literal;
 * for `now` tests, E0119 for `==`/`!=`, E0128 for an offset past a century, E0199 for an epoch
 * format or a field declared `format ip`.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CONDITION_DEPTH, MAX_IN_VALUES } from '../../../dsl/limits.ts';
import { baseMap } from '../helpers.ts';
import { at, one, pos, withCode } from './support.ts';

const rule = (text: string): string => baseMap({ rules: `    ${text}` });
const typed = (rules: string): string =>
  baseMap({
    rules: `    ${rules}`,
    streamItems: `  record {
    created string format iso8601
    addr string format ip
    count integer
    name string optional
    meta object optional
    meta.tags array of string optional
  }`,
  });

describe('record conditions in the checks', () => {
  it('accept every form, nested, in rules and in drop when', () => {
    const source = rule(
      [
        'drop when kind == "heartbeat" or (severity < 2 and not exists user)',
        'drop when kind in ["noise", "test", 5, true]',
        'event.kind = "alert" when severity >= 5 and (action starts_with "login" or action ends_with "_fail")',
        'event.action = action when not (action contains "x") and not setting.keep_original',
        'event.reason = reason when severity > 1.5 and severity <= 10 and not not exists reason',
      ].join('\n    '),
    );
    expect(withCode(source, 'E0119')).toEqual([]);
    expect(withCode(source, 'E0128')).toEqual([]);
    expect(withCode(source, 'E0167')).toEqual([]);
  });

  it('E0119: <, <=, >, >= compare numbers only, at the literal', () => {
    for (const [op, literal] of [
      ['<', '"5"'],
      ['>=', 'true'],
    ] as const) {
      const source = rule(`event.kind = "alert" when severity ${op} ${literal}`);
      const d = one(source, 'E0119');
      expect(d.message).toContain(`${op} compares numbers`);
      expect(pos(d)).toBe(at(source, literal));
    }
  });

  it('E0119: in [] can never hold, at the condition', () => {
    const source = rule('event.kind = "alert" when kind in []');
    const d = one(source, 'E0119');
    expect(d.message).toBe('kind in [] can never hold');
    expect(pos(d)).toBe(at(source, 'kind in []'));
  });

  it(`E0128: an in list holds at most ${MAX_IN_VALUES} values`, () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `"v${i}"`).join(', ');
    expect(withCode(rule(`event.kind = "alert" when kind in [${values(MAX_IN_VALUES)}]`), 'E0128')).toEqual([]);
    const source = rule(`event.kind = "alert" when kind in [${values(MAX_IN_VALUES + 1)}]`);
    const d = one(source, 'E0128');
    expect(pos(d)).toBe(at(source, `"v${MAX_IN_VALUES}"`));
  });

  it(`E0128: a condition nests at most ${MAX_CONDITION_DEPTH} levels, in rules and in drop when`, () => {
    // `not exists a` is one test; each further `not` adds a level.
    const nested = (levels: number) => `${'not '.repeat(levels)}exists a`;
    expect(withCode(rule(`event.kind = "alert" when ${nested(MAX_CONDITION_DEPTH)}`), 'E0128')).toEqual([]);
    const deep = `(exists a and ${nested(MAX_CONDITION_DEPTH)})`;
    for (const source of [rule(`event.kind = "alert" when ${deep}`), rule(`drop when ${deep}`)]) {
      const d = one(source, 'E0128');
      expect(d.message).toBe(`condition nested more than ${MAX_CONDITION_DEPTH} levels deep`);
    }
  });

  it('E0167: a test that can never hold for the declared type, at the test', () => {
    const cases = [
      ['event.kind = "alert" when count contains "1"', 'count contains "1"', 'contains tests strings'],
      ['event.kind = "alert" when name > 3', 'name > 3', '> compares numbers'],
      ['drop when count in ["1", "2"]', 'count in ["1", "2"]', 'no listed value is'],
      ['drop when meta starts_with "x" or exists name', 'meta starts_with "x"', 'starts_with tests strings'],
    ] as const;
    for (const [text, needle, what] of cases) {
      const source = typed(text);
      const d = one(source, 'E0167');
      expect(d.message).toContain(what);
      expect(pos(d)).toBe(at(source, needle));
    }
  });

  it('E0167 is not raised where the test can hold (a declared type fits, or no declaration)', () => {
    const source = typed(
      [
        'event.kind = "alert" when count > 3 and name contains "x" and count in [1, "2"]',
        'drop when undeclared starts_with "x" or count == "1"',
      ].join('\n    '),
    );
    expect(withCode(source, 'E0167')).toEqual([]);
  });

  it('now tests: every operator, offsets and formats pass the checks', () => {
    const source = typed(
      [
        'drop when created < now - 30d',
        'event.kind = "alert" when created >= now-1h format iso8601, "dd/MM/yyyy" and not (created > now + 36500d)',
        'event.action = "x" when undeclared <= now',
      ].join('\n    '),
    );
    for (const code of ['E0119', 'E0128', 'E0167', 'E0199']) expect(withCode(source, code), code).toEqual([]);
  });

  it('E0119: == now and != now can never be tested, at now', () => {
    for (const op of ['==', '!=']) {
      const source = rule(`event.kind = "alert" when created ${op} now - 1d`);
      const d = one(source, 'E0119');
      expect(d.message).toBe(`${op} now can never be tested`);
      expect(pos(d)).toBe(at(source, 'now - 1d'));
    }
  });

  it('E0128: now moves by at most 36500d, at the duration', () => {
    const source = rule('drop when created < now - 36501d');
    const d = one(source, 'E0128');
    expect(d.message).toBe('now - 36501d moves now by more than 36500d');
    expect(pos(d)).toBe(at(source, '36501d'));
  });

  it('E0199: a now test reads text formats only, at the format', () => {
    const source = rule('drop when created < now format iso8601, unix_ms');
    const d = one(source, 'E0199');
    expect(d.message).toContain('unix_ms reads epoch numbers');
    expect(pos(d)).toBe(at(source, 'unix_ms'));
  });

  it('E0199 for a field declared format ip, E0167 for one declared as no string, at the test', () => {
    const ip = typed('drop when addr < now');
    expect(one(ip, 'E0199').message).toContain('addr is declared format ip');
    expect(pos(one(ip, 'E0199'))).toBe(at(ip, 'addr < now'));
    const count = typed('drop when count < now');
    expect(one(count, 'E0167').message).toContain('< now reads date text but count is declared integer');
    expect(pos(one(count, 'E0167'))).toBe(at(count, 'count < now'));
  });
});
