/**
 * The placeholder rules of `compiler/check/rules/placeholders.ts`: E0108 an unknown placeholder or
 * one with no value where it is written, E0106 a secret written as a placeholder.
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, check, edit, mark, one, pos, span } from './support.ts';

const REQUEST = '  request GET "{base_url}/v1/logs"';

describe('E0106 secret in a placeholder', () => {
  it('rejects a secret as a placeholder', () => {
    const source = edit(baseMap(), REQUEST, '  request GET "{base_url}/v1/logs?t={api_token}"');
    const d = one(source, 'E0106');
    expect(d.message).toBe('secret api_token used in a placeholder');
    expect(span(d)).toEqual(mark(source, '{api_token}'));
  });
});

describe('E0108 placeholders', () => {
  const request = (query: string) =>
    edit(baseMap(), REQUEST, `  request GET "{base_url}/v1/logs" { query "q" = "${query}" }`);
  it('{cursor} without a cursor', () => {
    const source = request('{cursor}');
    const d = one(source, 'E0108');
    expect(d.message).toBe('placeholder {cursor} cannot be used here');
    expect(d.primary.message).toBe('this stream has no cursor');
    expect(span(d)).toEqual(mark(source, '{cursor}'));
  });
  it('{window.start} without time_window pagination', () => {
    const d = one(request('{window.start}'), 'E0108');
    expect(d.primary.message).toBe('this stream has no time_window pagination');
  });
  it('{token} outside a token_exchange header', () => {
    const d = one(request('{token}'), 'E0108');
    expect(d.primary.message).toBe('{token} has a value only in the token_exchange header');
  });
  it('an unknown placeholder, with a suggestion', () => {
    const source = edit(baseMap(), REQUEST, '  request GET "{base_ur}/v1/logs"');
    const d = one(source, 'E0108');
    expect(d.message).toBe('unknown placeholder {base_ur}');
    // The span is the name inside the braces.
    expect(span(d)).toEqual(mark(source, 'base_ur}', { length: 'base_ur'.length }));
    expect(d.notes[0]).toBe('help: did you mean {base_url}?');
  });
  it('{cursor} with a cursor is fine', () => {
    const source = edit(
      request('{cursor}'),
      'records items',
      'records items cursor { max created format iso8601 start setting.backfill }',
    );
    expect(check(source)).toEqual([]);
  });
  it('{cursor} in the URL path is unusable even with a cursor', () => {
    let source = edit(baseMap(), REQUEST, '  request GET "{base_url}/v1/logs/{cursor}"');
    source = edit(source, 'records items', 'records items cursor { max created format iso8601 }');
    const d = one(source, 'E0108');
    expect(d.primary.message).toBe('{cursor} has a value only in query parameters and JSON bodies');
    expect(pos(d)).toBe(at(source, '{cursor}'));
  });
});

describe('{now}', () => {
  it('is usable in a query parameter and a JSON body', () => {
    const query = edit(baseMap(), REQUEST, '  request GET "{base_url}/v1/logs" { query "end" = "{now}" }');
    expect(check(query)).toEqual([]);
    const body = edit(
      baseMap(),
      REQUEST,
      '  request POST "{base_url}/v1/logs" { body { "range": { "end": "{now}" } } }',
    );
    expect(check(body)).toEqual([]);
  });
  it('is refused in the URL and in a header (E0108), and is no setting name (E0117)', () => {
    const url = edit(baseMap(), REQUEST, '  request GET "{base_url}/v1/logs/{now}"');
    const d = one(url, 'E0108');
    expect(d.primary.message).toBe('{now} has a value only in query parameters and JSON bodies');
    expect(pos(d)).toBe(at(url, '{now}'));
    const header = edit(baseMap(), REQUEST, '  request GET "{base_url}/v1/logs" { header "X-End" = "{now}" }');
    expect(one(header, 'E0108').primary.message).toBe('{now} has a value only in query parameters and JSON bodies');
    const setting = baseMap({ decls: 'setting now: string = "x"' });
    expect(pos(one(setting, 'E0117'))).toBe(at(setting, 'now:'));
  });
  it('is offered as a suggestion in the data request', () => {
    const d = one(edit(baseMap(), REQUEST, '  request GET "{base_url}/v1/logs" { query "end" = "{nw}" }'), 'E0108');
    expect(d.notes[0]).toBe('help: did you mean {now}?');
  });
});
