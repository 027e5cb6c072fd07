/** E0115 (`compiler/check/rules/settings.ts`): a setting default that is not of the setting's type. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { edit, mark, one, span } from './support.ts';

describe('E0115 invalid setting default', () => {
  it('a duration default that is no duration', () => {
    const source = edit(baseMap(), 'setting every: duration = "5m"', 'setting every: duration = "5 minutes"');
    const d = one(source, 'E0115');
    expect(d.message).toBe('default of setting every is not a duration');
    expect(span(d)).toEqual(mark(source, '"5 minutes"'));
  });
  it('a bool default written as a string', () => {
    const source = edit(baseMap(), 'setting keep_original: bool = false', 'setting keep_original: bool = "false"');
    expect(one(source, 'E0115').primary.message).toBe('expected true or false');
  });
  it('a url default that is not a URL', () => {
    const source = edit(
      baseMap(),
      'setting base_url: url = "https://api.acme.test"',
      'setting base_url: url = "api.acme.test"',
    );
    expect(one(source, 'E0115').message).toBe('default of setting base_url is not a url');
  });
});
