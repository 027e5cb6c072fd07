/**
 * The native VRL runtime adapter (`./native.ts`) reports what the CLI says: results as exact
 * JSON, compile errors and warnings, aborted events, and no dependence on the local timezone.
 */
import { describe, expect, it } from 'vitest';
import { checkVrlNative, runConditionNative, runRemapBatchNative, unquoteDisplay } from './native.ts';

describe('native vrl CLI adapter', () => {
  it('undoes the CLI display of a string exactly', () => {
    expect(unquoteDisplay('"a\\\\b\\"c\\nd"')).toBe('a\\b"c\nd');
    expect(() => unquoteDisplay('{ "a": 1 }')).toThrow('not a string value');
  });

  it('returns each event as JSON, keys and strings with any character, arrays as several events', () => {
    const out = runRemapBatchNative(
      's = .s\n. = {"k\\"ey": s, "n": 1.5, "i": 2}\nif s == "two" { . = [., {"i": 3}] }',
      [{ s: 'a "quoted" \\ line\nbreak \u0001 é' }, { s: 'two' }],
    );
    expect(out).toEqual([
      [{ 'k"ey': 'a "quoted" \\ line\nbreak \u0001 é', n: 1.5, i: 2 }],
      [{ 'k"ey': 'two', n: 1.5, i: 2 }, { i: 3 }],
    ]);
  });

  it('reports compile errors and warnings', () => {
    expect(checkVrlNative('.a = 1')).toEqual({ errors: [], warnings: [] });
    const warned = checkVrlNative('x = 1\n.a = 2');
    expect(warned.errors).toEqual([]);
    expect(warned.warnings).toHaveLength(1);
    expect(warned.warnings[0]).toContain('warning[E900]: unused variable `x`');
    const refused = checkVrlNative('.a = downcase(.b)');
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toContain('error[E103]');
    expect(() => runRemapBatchNative('.a = downcase(.b)', [{}])).toThrow('refused the program');
  });

  it('fails a batch in which an event aborts', () => {
    expect(() => runRemapBatchNative('.a = downcase!(.b)', [{ b: 'X' }, { b: 1 }])).toThrow(
      '2 events in, 1 results out',
    );
  });

  it('runs conditions: true, false, and an abort is an error', () => {
    expect(runConditionNative('.a == 1', { a: 1 })).toBe('true');
    expect(runConditionNative('.a == 1', { a: 2 })).toBe('false');
    expect(() => runConditionNative('assert_eq!(.a, 1)', { a: 2 })).toThrow();
  });

  it('runs in a local timezone that is not UTC, so that a program relying on it shows', () => {
    // A text without an offset is read in the local timezone (UTC+05:30 here): 5.5 hours before UTC midnight.
    const program = '.t = to_unix_timestamp(parse_timestamp!("2024-01-01 00:00:00", "%Y-%m-%d %H:%M:%S"))';
    const [[local]] = runRemapBatchNative(program, [{}]) as [[Record<string, unknown>]];
    expect(local?.t).toBe(1704067200 - 5.5 * 3600);
  });
});
