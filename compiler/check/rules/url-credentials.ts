import type { StringLiteral, TemplateString } from '../../../dsl/ast.ts';
import type { CheckContext } from '../context.ts';
import { httpRole } from '../http-text.ts';
import type { CheckRule } from '../rule.ts';
import { stringCharacters } from '../text.ts';

/**
 * `scheme://userinfo@`: RFC 3986 §3.2.1 (https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1).
 * The authority ends at the first `/`, `?` or `#`; a placeholder inside the user information
 * (`https://user:{password}@host`) counts as user information too.
 */
const USERINFO = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)@/;

/**
 * No credentials in a literal URL (E0126): request URLs (data and token exchange), the OAuth2
 * `token_url` and the defaults of `url` settings may not carry user information
 * (`https://user:pass@host`, `https://token@host`). A URL is copied into every generated
 * config, the collector's logs and error events, where a credential in it is exposed; E0116
 * does not see it because a host name does not look random.
 */
export const UrlCredentialsRule: CheckRule = (ctx) => ({
  String(node, ancestors) {
    if (httpRole(node, ancestors) === 'url') check(ctx, node);
  },
  Template(node, ancestors) {
    if (httpRole(node, ancestors) === 'url') check(ctx, node);
  },
});

function check(ctx: CheckContext, node: StringLiteral | TemplateString): void {
  const chars = stringCharacters(ctx.file, node.loc);
  // The URL as written, placeholders in braces, one entry per character for the spans.
  const text = chars.map((c) => c.text).join('');
  const m = USERINFO.exec(text);
  if (!m) return;
  // From the first character of the user information to the "@".
  const start = m[0].length - 1 - (m[1] ?? '').length;
  const [from, to] = [charAt(chars, start), charAt(chars, m[0].length - 1)];
  if (!from || !to) return;
  const span = { ...from.span, length: to.span.offset + to.span.length - from.span.offset };
  ctx.error('E0126', 'URL carries credentials', span, 'user information before "@"', {
    notes: [
      'note: a URL is copied into every generated config, the collector logs and error events, so a credential in it leaks',
      'help: declare the password with `secret NAME` and use `auth basic { username = setting.user password = secret.NAME }` (or another `auth`)',
    ],
  });
}

/** The character at UTF-16 index `index` of the joined text. */
function charAt<T extends { text: string }>(chars: readonly T[], index: number): T | undefined {
  let at = 0;
  for (const c of chars) {
    if (at === index) return c;
    at += c.text.length;
    if (at > index) return undefined;
  }
  return undefined;
}
