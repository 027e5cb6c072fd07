/** E0114 (`compiler/check/rules/declarations.ts`): a setting, secret or table key declared twice. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, edit, lineOf, mark, one, pos, span, where } from './support.ts';

describe('E0114 duplicate declarations', () => {
  it('a setting declared twice', () => {
    const source = baseMap({ decls: 'setting every: duration = "1m"' });
    const d = one(source, 'E0114');
    expect(d.message).toBe('setting every declared twice');
    expect(span(d)).toEqual(mark(source, 'every: duration = "1m"', { length: 'every'.length }));
    expect(d.secondary).toMatchObject([{ message: 'first declared here', span: where(source, 'every') }]);
  });
  it('a secret with the name of a setting', () => {
    const d = one(baseMap({ decls: 'secret every' }), 'E0114');
    expect(d.message).toBe('secret every has the same name as setting every');
  });
  it('a table mapping one key twice', () => {
    const source = edit(baseMap(), '  default "alert"', '  "A" => "alert"');
    const d = one(source, 'E0114');
    expect(d.message).toBe('table kinds maps "A" twice');
    expect(pos(d)).toBe(at(source, '"A" => "alert"'));
    expect(d.secondary[0]?.span.line).toBe(lineOf(source, '"A" => "event"'));
  });
});
