import type { AstNode, SettingDecl, Span, TemplatePlaceholder } from '../../../dsl/ast.ts';
import { credentialName } from '../credentials.ts';
import type { CheckRule } from '../rule.ts';
import { nearest } from '../walk.ts';

const HELP =
  'help: declare it as `secret NAME` and use secret.NAME inside `auth`; its value then stays out of configs and logs';

/**
 * A `string` setting that looks like a credential (W0127): its name says so (`api_token`,
 * `client_secret`, `password`, `license_key`; see `credentialName`), or its value is sent as
 * a credential: as the value of a header, query parameter, URL query parameter or JSON body
 * key whose name says so (`header "X-API-Key" = "{key}"`, `?access_token={t}`,
 * `"api_key": setting.key`). A setting's
 * value is written into generated configs in clear and logged in URLs by the collector; a
 * `secret` never is. Warned once per setting, at its declaration.
 */
export const CredentialSettingsRule: CheckRule = (ctx) => {
  const warned = new Set<string>();
  const warn = (decl: SettingDecl, why: string, use?: Span): void => {
    if (warned.has(decl.name.value)) return;
    warned.add(decl.name.value);
    ctx.warning('W0127', `setting ${decl.name.value} looks like a credential`, decl.name.loc, why, {
      secondary: use ? [{ span: use, message: 'sent as a credential here' }] : [],
      notes: [HELP],
    });
  };
  return {
    Setting(decl) {
      if (decl.type.value === 'string' && credentialName(decl.name.value)) warn(decl, 'named like a credential');
    },
    Placeholder(placeholder, ancestors) {
      const decl = ctx.symbols.settings.get(placeholder.name);
      if (decl?.type.value !== 'string') return;
      const name = credentialUse(placeholder, ancestors);
      if (name !== undefined) warn(decl, `its value is sent as ${JSON.stringify(name)}`, placeholder.loc);
    },
    // A bare `setting.NAME` as a JSON value (`"api_key": setting.key`) sends its value as that key.
    SettingRef(ref, ancestors) {
      const decl = ctx.symbols.settings.get(ref.name.value);
      const entry = ancestors[ancestors.length - 1];
      if (decl?.type.value !== 'string' || entry?.kind !== 'JsonEntry' || entry.value !== ref) return;
      if (credentialName(entry.key.value, true))
        warn(decl, `its value is sent as ${JSON.stringify(entry.key.value)}`, ref.loc);
    },
  };
};

/** The credential-like name a placeholder's value is sent under, if any. */
function credentialUse(placeholder: TemplatePlaceholder, ancestors: readonly AstNode[]): string | undefined {
  const param = nearest(ancestors, 'RequestParam');
  if (param) return credentialName(param.name.value, true) ? param.name.value : undefined;
  const entry = nearest(ancestors, 'JsonEntry');
  if (entry) return credentialName(entry.key.value, true) ? entry.key.value : undefined;
  const template = ancestors[ancestors.length - 1];
  if (template?.kind !== 'Template') return undefined;
  // `...?access_token={t}` in a URL: the text right before the placeholder names it.
  const index = template.parts.indexOf(placeholder);
  const before = index > 0 ? template.parts[index - 1] : undefined;
  const m = before?.kind === 'TemplateText' ? /[?&]([^?&=#]+)=$/.exec(before.text) : null;
  return m?.[1] !== undefined && credentialName(m[1], true) ? m[1] : undefined;
}
