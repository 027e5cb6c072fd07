import type { StringLiteral } from '../../../dsl/ast.ts';
import type { CheckContext } from '../context.ts';
import { isHeaderName } from '../http-text.ts';
import type { CheckRule } from '../rule.ts';
import { codePointName, forbiddenClass, stringCharacters } from '../text.ts';

/**
 * RFC 9110 `tchar` (https://www.rfc-editor.org/rfc/rfc9110.html#section-5.6.2): the characters of
 * a `token`, which a field name is (§5.1, https://www.rfc-editor.org/rfc/rfc9110.html#section-5.1).
 */
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

/**
 * Header names are RFC 9110 field names, `1*tchar` (E0124): request headers (data and token
 * exchange requests), the `auth header` name, the token header's name and the rate-limit
 * `remaining`/`reset` headers. Anything else (a space, a quote, `{`, `:`, non-ASCII) fails
 * every request at run time, or is read as another header. The error points at the first
 * character that is not a `tchar`; characters E0123 refuses are left to it.
 */
export const HeaderNameRule: CheckRule = (ctx) => ({
  String(node, ancestors) {
    if (isHeaderName(node, ancestors)) check(ctx, node);
  },
});

function check(ctx: CheckContext, node: StringLiteral): void {
  const notes = [
    "note: an HTTP field name is a token of letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ (RFC 9110 §5.1, §5.6.2)",
  ];
  const chars = stringCharacters(ctx.file, node.loc);
  if (chars.length === 0) {
    ctx.error('E0124', 'header name is empty', node.loc, 'expected a name like X-API-Key', { notes });
    return;
  }
  for (const c of chars) {
    if (forbiddenClass(c.codePoint) !== undefined) return;
    if (TCHAR.test(c.text)) continue;
    ctx.error(
      'E0124',
      `invalid HTTP header name ${JSON.stringify(node.value)}`,
      c.span,
      `${c.text === ' ' ? 'a space' : JSON.stringify(c.text)} (${codePointName(c.codePoint)}) cannot be part of a header name`,
      { notes },
    );
    return;
  }
}
