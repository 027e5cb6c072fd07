/**
 * `mapc collect` building requests whose items have a `when` (IR `NameValue.when`), and reading
 * a `duration` setting as the first run's look-back (IR `CursorInitial.lookbackSetting`).
 */
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../collector/request.ts';
import { conditionHolds, type RenderContext } from '../../collector/template.ts';
import { durationMs } from '../../compiler/interpret/index.ts';
import type { RequestIR } from '../../compiler/ir.ts';

const window = (complete: boolean) => ({ start: '13/11/2024', end: '14/11/2024', complete });

describe('conditionHolds', () => {
  const ctx = (complete: boolean, settings: RenderContext['settings'] = {}): RenderContext => ({
    settings,
    window: window(complete),
  });
  it('window_complete reads the current window; not negates it', () => {
    expect(conditionHolds({ kind: 'window_complete' }, ctx(true))).toBe(true);
    expect(conditionHolds({ kind: 'window_complete' }, ctx(false))).toBe(false);
    expect(conditionHolds({ kind: 'not', operand: { kind: 'window_complete' } }, ctx(false))).toBe(true);
  });
  it('a setting holds only when it is the boolean true (unset and strings do not)', () => {
    expect(conditionHolds({ kind: 'setting', name: 'on' }, ctx(true, { on: true }))).toBe(true);
    expect(conditionHolds({ kind: 'setting', name: 'on' }, ctx(true, { on: false }))).toBe(false);
    expect(conditionHolds({ kind: 'setting', name: 'on' }, ctx(true, {}))).toBe(false);
    expect(conditionHolds({ kind: 'setting', name: 'on' }, ctx(true, { on: 'true' }))).toBe(false);
  });
  it('window_complete without a time window is E0807 (the checks refuse it, E0166)', () => {
    expect(() => conditionHolds({ kind: 'window_complete' }, { settings: {} })).toThrow(
      'window.complete is used without time_window pagination',
    );
  });
});

describe('buildRequest with conditional items', () => {
  const req: RequestIR = {
    method: 'GET',
    url: { parts: [{ kind: 'text', text: 'https://h.example/v1/scan/auditLogs' }] },
    headers: [
      {
        name: 'X-Debug',
        value: { parts: [{ kind: 'text', text: '1' }] },
        omitIfEmpty: false,
        when: { kind: 'setting', name: 'debug' },
      },
    ],
    query: [
      { name: 'from', value: { parts: [{ kind: 'window', edge: 'start' }] }, omitIfEmpty: false },
      {
        name: 'to',
        value: { parts: [{ kind: 'window', edge: 'end' }] },
        omitIfEmpty: false,
        when: { kind: 'window_complete' },
      },
    ],
  };
  it('a complete window sends `to`; the window holding now leaves it out (Entro)', () => {
    const complete = buildRequest(req, { settings: {}, window: window(true) }, []);
    expect(complete.url).toBe('https://h.example/v1/scan/auditLogs?from=13%2F11%2F2024&to=14%2F11%2F2024');
    const open = buildRequest(req, { settings: {}, window: window(false) }, []);
    expect(open.url).toBe('https://h.example/v1/scan/auditLogs?from=13%2F11%2F2024');
  });
  it('a header under a bool setting is sent only while the setting is true', () => {
    expect(buildRequest(req, { settings: { debug: true }, window: window(true) }, []).headers).toEqual({
      'X-Debug': '1',
    });
    expect(buildRequest(req, { settings: { debug: false }, window: window(true) }, []).headers).toEqual({});
  });
});

describe('durationMs (duration settings, Go syntax)', () => {
  it('sums every component', () => {
    expect(durationMs('1440h')).toBe(1440 * 3_600_000);
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('0s')).toBe(0);
    expect(durationMs('1500us')).toBe(1);
  });
  it('refuses what is not a duration', () => {
    for (const text of ['', '10', '1d', '-1h', 'h', '1h 30m']) expect(durationMs(text)).toBeUndefined();
  });
});
