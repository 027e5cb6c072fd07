import type { StringLiteral, TemplateString } from '../../../dsl/ast.ts';
import type { CheckContext } from '../context.ts';
import { httpRole } from '../http-text.ts';
import type { CheckRule } from '../rule.ts';
import { codePointName, forbiddenClass, stringCharacters, type StringCharacter } from '../text.ts';

/**
 * The characters a URL may hold as written (RFC 3986 §2: unreserved, reserved and `%`
 * (https://www.rfc-editor.org/rfc/rfc3986#section-2)); anything else must be percent-encoded.
 */
const URL_CHAR = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]$/;
const HEX = /^[0-9A-Fa-f]$/;

/**
 * Request URLs and header values carry text an HTTP request can send as is (E0125):
 * - no line break (CR or LF, written `\n` or `\u{D}`) in a URL or a header value
 *   (a header value with CR/LF splits the request; Go, Node and Java clients refuse it);
 * - a URL (request, token exchange, OAuth2 `token_url`, a `url` setting's default) holds only
 *   the characters RFC 3986 allows unencoded, and `%` only before two hex digits: a space, a
 *   quote, `<`, `>`, `\`, `^`, a backtick, `{`, `|`, `}` or non-ASCII text must be written
 *   percent-encoded, because each engine's HTTP client treats them differently (refuses them,
 *   or encodes them its own way);
 * - a header value is ASCII (RFC 9110 §5.5 keeps other octets only as obsolete text, and Node's
 *   `fetch`, which `mapc collect` uses, refuses characters above U+00FF).
 * Placeholders are not inspected: their values are the operator's and the targets encode them.
 */
export const UrlAndHeaderTextRule: CheckRule = (ctx) => ({
  String(node, ancestors) {
    const role = httpRole(node, ancestors);
    if (role) check(ctx, node, role);
  },
  Template(node, ancestors) {
    const role = httpRole(node, ancestors);
    if (role) check(ctx, node, role);
  },
});

/** The characters of a literal outside its placeholders. */
export function literalText(ctx: CheckContext, node: StringLiteral | TemplateString): StringCharacter[] {
  const chars = stringCharacters(ctx.file, node.loc);
  if (node.kind !== 'Template') return chars;
  const holes = node.parts.filter((p) => p.kind === 'Placeholder').map((p) => p.loc);
  return chars.filter((c) => !holes.some((h) => c.span.offset >= h.offset && c.span.offset < h.offset + h.length));
}

/** `next` is spelled right after `c` in the file. */
function follows(c: StringCharacter, next: StringCharacter): boolean {
  return next.span.offset === c.span.offset + c.span.length;
}

function check(ctx: CheckContext, node: StringLiteral | TemplateString, role: 'url' | 'header-value'): void {
  const what = role === 'url' ? 'URL' : 'header value';
  const chars = literalText(ctx, node);
  for (const [i, c] of chars.entries()) {
    const cp = c.codePoint;
    if (cp === 0x0a || cp === 0x0d) {
      ctx.error('E0125', `line break in a ${what}`, c.span, `${codePointName(cp)} would end the ${what}`, {
        notes: [
          `note: a line break in a ${what} splits the HTTP request (header injection); HTTP clients refuse it`,
          'help: remove the line break',
        ],
      });
      return;
    }
    // Other controls and noncharacters are E0123's.
    if (forbiddenClass(cp) !== undefined) continue;
    if (role === 'header-value') {
      if (cp <= 0x7e) continue;
      ctx.error('E0125', 'non-ASCII text in a header value', c.span, `${codePointName(cp)} is not ASCII`, {
        notes: [
          'note: RFC 9110 §5.5 keeps octets above 0x7F in field values only as obsolete text, and clients disagree on how to send them',
          'help: write the value in ASCII (an API that needs other text usually takes it percent- or base64-encoded)',
        ],
      });
      return;
    }
    if (c.text === '%') {
      // Two hex digits written right after the "%" (a placeholder in between does not count).
      const [a, b] = [chars[i + 1], chars[i + 2]];
      if (a && b && follows(c, a) && follows(a, b) && HEX.test(a.text) && HEX.test(b.text)) continue;
      ctx.error('E0125', 'unencoded "%" in a URL', c.span, '"%" must start a percent-encoding like %20', {
        notes: ['help: write %25 for a literal "%"'],
      });
      return;
    }
    if (URL_CHAR.test(c.text)) continue;
    const bytes = [...Buffer.from(c.text, 'utf8')]
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join('');
    ctx.error(
      'E0125',
      `${c.text === ' ' ? 'a space' : JSON.stringify(c.text)} in a URL must be percent-encoded`,
      c.span,
      `${codePointName(cp)} is not allowed unencoded in a URL`,
      {
        notes: [
          "note: RFC 3986 §2 allows only letters, digits, - . _ ~ : / ? # [ ] @ ! $ & ' ( ) * + , ; = and %XX in a URL; HTTP clients refuse or re-encode anything else differently",
          `help: write ${bytes}`,
        ],
      },
    );
    return;
  }
}
