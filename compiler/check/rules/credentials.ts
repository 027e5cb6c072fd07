import type { AstNode } from '../../../dsl/ast.ts';
import { credentialReason } from '../credentials.ts';
import type { CheckRule } from '../rule.ts';
import { nearest } from '../walk.ts';

const HELP =
  "help: declare it with `secret NAME` and use secret.NAME inside `auth`; its value then comes from the target's secret store";

/** The header, query parameter or JSON key a template is the value of. */
function valueName(ancestors: readonly AstNode[]): string | undefined {
  return (
    nearest(ancestors, 'RequestParam')?.name.value ??
    nearest(ancestors, 'TokenHeader')?.name.value ??
    nearest(ancestors, 'JsonEntry')?.key.value
  );
}

/** A `name=value` pair of a query string written into a URL (`?api_key=...`) judged by its name. */
function queryPairReason(text: string): string | undefined {
  for (const [, key, value] of text.matchAll(/[?&]([^?&=#]+)=([^&#]*)/g)) {
    const reason = credentialReason(decodeURIComponentSafe(value ?? ''), decodeURIComponentSafe(key ?? ''));
    if (reason) return reason;
  }
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * No literal credentials (E0116): request strings (URL, headers, query, JSON bodies, auth) and
 * string setting defaults are scanned with the heuristics of `../credentials.ts`.
 */
export const CredentialLiteralsRule: CheckRule = (ctx) => ({
  Template(template, ancestors) {
    const name = valueName(ancestors);
    for (const part of template.parts) {
      if (part.kind !== 'TemplateText') continue;
      const reason = queryPairReason(part.text) ?? credentialReason(part.text, name);
      if (reason) {
        ctx.error('E0116', 'string literal looks like a credential', part.loc, reason, { notes: [HELP] });
      }
    }
  },
  Setting(decl) {
    if (decl.default?.kind !== 'String') return;
    const reason = credentialReason(decl.default.value, decl.name.value);
    if (reason)
      ctx.error('E0116', 'setting default looks like a credential', decl.default.loc, reason, { notes: [HELP] });
  },
});
