/** W0122 (`compiler/check/rules/unused.ts`): settings, secrets and tables nothing refers to. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, brief, check, edit, where } from './support.ts';

const AUTH = '  auth bearer secret.api_token';

describe('unused declarations (W0122)', () => {
  it('warns about settings, secrets and tables nothing refers to', () => {
    const source = baseMap();
    const all = check(source, { unused: true });
    expect(brief(all)).toEqual([
      `W0122 ${at(source, 'backfill')} setting backfill is never used`,
      `W0122 ${at(source, 'keep_original')} setting keep_original is never used`,
      `W0122 ${at(source, 'kinds')} table kinds is never used`,
    ]);
    expect(all.every((d) => d.severity === 'warning')).toBe(true);
  });
  it('counts placeholders, references and lookups as uses, wherever they come', () => {
    const rules = '    event.kind = op | lookup(kinds)\n    original when setting.keep_original';
    const streamItems = '  cursor { max created format iso8601 start setting.backfill }';
    expect(check(baseMap({ rules, streamItems }), { unused: true })).toEqual([]);
  });
  it('stays quiet when the file has errors (a misspelt reference is reported instead)', () => {
    const source = edit(baseMap(), AUTH, '  auth bearer secret.api_tokn');
    const all = check(source, { unused: true });
    expect(brief(all)).toEqual([`E0105 ${at(source, 'api_tokn')} unknown secret api_tokn`]);
  });
  it('a secret no auth uses', () => {
    const source = edit(baseMap(), AUTH, '  # no auth');
    const d = check(source, { unused: true }).find((x) => x.message === 'secret api_token is never used');
    expect(d?.primary.span).toMatchObject(where(source, 'api_token'));
    expect(d?.notes).toEqual(['help: reference it inside `auth`, e.g. `auth bearer secret.api_token`']);
  });
});
