/**
 * JSON request bodies: a bare `setting.NAME` as a JSON value (`"limit": setting.page_size`, IR
 * `JsonTemplate` `setting`) is the setting's typed value, so it must always have one (E0173):
 * leaving the key out or sending `null` would change what the API reads, and the targets would
 * have to agree on which. A setting that is `required` or has a default always has a value.
 *
 * @module
 */
import type { AstNode, SettingRef } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';

/** Whether `ref` is a JSON value itself (an entry's value or an array item), not a condition or a credential. */
export function isJsonValue(ref: SettingRef, ancestors: readonly AstNode[]): boolean {
  const parent = ancestors[ancestors.length - 1];
  return parent?.kind === 'JsonEntry' ? parent.value === ref : parent?.kind === 'JsonArray';
}

/** A bare setting in a JSON body is required or has a default (E0173). */
export const BodySettingsRule: CheckRule = (ctx) => ({
  SettingRef(ref, ancestors) {
    if (!isJsonValue(ref, ancestors)) return;
    const decl = ctx.symbols.settings.get(ref.name.value);
    // Unknown settings are E0104's business.
    if (!decl || decl.required || decl.default !== undefined) return;
    ctx.error(
      'E0173',
      `setting ${ref.name.value} in a JSON body may have no value`,
      ref.loc,
      'sent as the setting value',
      {
        secondary: [{ span: decl.name.loc, message: 'declared without a default or `required` here' }],
        notes: [
          'note: a bare setting.NAME in a body is a JSON number (int), true/false (bool) or a string: it needs a value',
          `help: give it a default (\`setting ${ref.name.value}: ${decl.type.value} = ...\`) or mark it \`required\`; or write "{${ref.name.value}}" for a string that is empty when unset`,
        ],
      },
    );
  },
});
