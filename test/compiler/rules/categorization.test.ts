/** W0121 (`compiler/check/rules/categorization.ts`): event.type values ECS does not expect with event.category. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, brief, check, where } from './support.ts';

describe('categorization (W0121)', () => {
  it('warns when a constant event.type is not expected with the constant event.category', () => {
    const source = baseMap({ rules: '    event.category += "authentication"\n    event.type += "creation"' });
    const all = check(source);
    expect(brief(all)).toEqual([
      `W0121 ${at(source, '"creation"')} event.type "creation" is not expected with event.category authentication`,
    ]);
    expect(all[0]!.severity).toBe('warning');
    expect(all[0]!.secondary).toMatchObject([
      { span: where(source, '"authentication"'), message: 'event.category authentication' },
    ]);
    expect(all[0]!.notes).toEqual(['note: ECS 9.4.0 expects event.type start, end, info with authentication']);
  });
  it('pairs lookups on the same source path key by key', () => {
    const decls =
      'table cat {\n  "LOGIN" => "authentication"\n  default "configuration"\n}\ntable typ {\n  "LOGIN" => "creation"\n  "X" => "change"\n  default "info"\n}';
    const source = baseMap({
      rules: '    event.category += op | lookup(cat)\n    event.type += op | lookup(typ)',
      decls,
    });
    const all = check(source);
    expect(brief(all)).toEqual([
      `W0121 ${at(source, '"creation"')} event.type "creation" is not expected with event.category authentication for "LOGIN"`,
    ]);
    expect(all[0]!.secondary).toMatchObject([{ span: where(source, '"authentication"') }]);
  });
  it('is silent for expected pairs and for raw copies', () => {
    expect(
      check(baseMap({ rules: '    event.category += "iam"\n    event.type += "user"\n    event.type += "creation"' })),
    ).toEqual([]);
    expect(check(baseMap({ rules: '    event.category += "authentication"\n    event.type += kind' }))).toEqual([]);
  });
});
