/**
 * JSON request bodies:
 * - a bare `setting.NAME` as a JSON value (`"limit": setting.page_size`, IR `JsonTemplate`
 *   `setting`) is the setting's typed value, so it must always have one (E0173): leaving the key
 *   out or sending `null` would change what the API reads, and the targets would have to agree
 *   on which. A setting that is `required` or has a default always has a value;
 * - `send body PATH replace` (IR `ParamLocation.replace`): only the page token of `page_token`
 *   and `cursor_has_more` may replace the body of the pages after the first (E0174): a page
 *   number or an offset alone would lose its page size or limit.
 *
 * @module
 */
import type { AstNode, BodyParam, SettingRef } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';

/** Whether `ref` is a JSON value itself (an entry's value or an array item), not a condition or a credential. */
function isJsonValue(ref: SettingRef, ancestors: readonly AstNode[]): boolean {
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

/** Whether `param` is the `send` of a `page_token` or `cursor_has_more` block. */
function sendsPageToken(param: BodyParam, ancestors: readonly AstNode[]): boolean {
  const parent = ancestors[ancestors.length - 1];
  return (parent?.kind === 'PaginatePageToken' || parent?.kind === 'PaginateCursorHasMore') && parent.send === param;
}

/** `replace` only on the page token of `page_token` and `cursor_has_more` (E0174). */
export const BodyReplaceRule: CheckRule = (ctx) => ({
  BodyParam(param, ancestors) {
    if (!param.replace || sendsPageToken(param, ancestors)) return;
    ctx.error('E0174', '`replace` is only for a page token', param.replace, 'the body would lose its other values', {
      notes: [
        'note: `send body PATH replace` makes the pages after the first send only {PATH: token}; a page number, a page size, an offset or a limit cannot stand alone',
        'help: use it in `paginate page_token { ... }` or `paginate cursor_has_more { ... }`, or leave `replace` out',
      ],
    });
  },
});
