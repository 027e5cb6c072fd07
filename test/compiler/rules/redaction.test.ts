/** W0129 (`compiler/check/rules/redaction.ts`): event.original keeps values the map redacts. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, brief, check, where } from './support.ts';

describe('event.original with redacted values (W0129)', () => {
  it('warns at `original when`, pointing at every hash and mask', () => {
    const rules =
      '    original when setting.keep_original\n    related.hash += secret | hash\n    user.name = login | lowercase | mask(2)';
    const source = baseMap({ rules });
    const all = check(source);
    expect(brief(all)).toEqual([`W0129 ${at(source, 'original when')} event.original keeps values this map redacts`]);
    const d = all[0]!;
    expect(d.severity).toBe('warning');
    expect(d.primary.message).toBe('copies the whole record, in clear');
    expect(d.secondary).toMatchObject([
      { span: where(source, 'hash\n'), message: 'secret is redacted here' },
      { span: where(source, 'mask(2)'), message: 'login is redacted here' },
    ]);
    expect(d.notes).toEqual([
      'note: event.original is the record as received, before any rule runs',
      'help: remove `original when setting.keep_original`, or keep setting keep_original off wherever the redacted values must not be stored',
    ]);
  });
  it('is silent without `original`, or without a redaction', () => {
    expect(check(baseMap({ rules: '    related.hash += secret | hash' }))).toEqual([]);
    expect(check(baseMap({ rules: '    original when setting.keep_original\n    user.name = login' }))).toEqual([]);
  });
});
