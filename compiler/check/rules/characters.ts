import type { Span } from '../../../dsl/ast.ts';
import type { CheckContext } from '../context.ts';
import { httpRole } from '../http-text.ts';
import type { CheckRule } from '../rule.ts';
import { codePointName, forbiddenClass, hasForbidden, stringCharacters } from '../text.ts';

const NOTE =
  'note: map text reaches YAML, Handlebars, CEL, VRL and Logstash configs; control characters, line breaks, lone surrogates and noncharacters have no form that every one of them reads back as the same text';

/**
 * No string literal holds a character no target can carry (E0123): control characters (tab and
 * line feed included, written raw or as `\t`/`\n`/`\u{...}`), DEL, C1 controls, U+2028/U+2029,
 * lone surrogates and noncharacters (`../text.ts`). Every literal of the file is checked: names,
 * titles, descriptions, table entries, constants, templates, quoted path segments and date
 * patterns. A line break in a URL or a header value is E0125's (it names the request part).
 * The error points at the character's own spelling inside the literal; one error per literal.
 */
export const ForbiddenCharactersRule: CheckRule = (ctx) => ({
  String(node, ancestors) {
    if (hasForbidden(node.value)) check(ctx, node.loc, httpRole(node, ancestors) !== undefined);
  },
  Template(node, ancestors) {
    if (hasForbidden(node.value)) check(ctx, node.loc, httpRole(node, ancestors) !== undefined);
  },
  PathSegment(node) {
    if (node.form === 'quoted' && hasForbidden(node.name)) check(ctx, node.loc, false);
  },
  DateFormat(node) {
    if (node.format === 'pattern' && hasForbidden(node.pattern ?? '')) check(ctx, node.loc, false);
  },
});

function check(ctx: CheckContext, loc: Span, lineBreaksAreHttp: boolean): void {
  for (const c of stringCharacters(ctx.file, loc)) {
    const what = forbiddenClass(c.codePoint);
    if (what === undefined) continue;
    if (lineBreaksAreHttp && (c.codePoint === 0x0a || c.codePoint === 0x0d)) continue;
    const written = c.escaped
      ? `written ${ctx.file.source.slice(c.span.offset, c.span.offset + c.span.length)}`
      : 'written directly in the file';
    ctx.error(
      'E0123',
      `string holds ${what}, ${codePointName(c.codePoint)}, that no target can carry`,
      c.span,
      `${codePointName(c.codePoint)}, ${written}`,
      {
        notes: [NOTE, help(c.codePoint)],
      },
    );
    return;
  }
}

function help(codePoint: number): string {
  if (codePoint === 0x0a || codePoint === 0x0d || codePoint === 0x2028 || codePoint === 0x2029) {
    return 'help: keep the text on one line (a space or "; " instead of the break)';
  }
  if (codePoint === 0x09) return 'help: use spaces instead of the tab';
  return 'help: remove the character';
}
