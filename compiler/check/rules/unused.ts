import type { CheckRule } from '../rule.ts';

/**
 * Settings, secrets and tables nothing refers to (W0122): usually a forgotten `auth`, a
 * placeholder spelt differently, or a leftover. A warning: the map still compiles. Reported
 * only for files without errors.
 */
export const UnusedDeclarationsRule: CheckRule = (ctx) => {
  const used = { setting: new Set<string>(), secret: new Set<string>(), table: new Set<string>() };
  return {
    MapFile() {
      // References may come after the declaration they name: judge once the walk is over.
      ctx.onFinish(() => {
        // With errors, an "unused" declaration is usually what a misspelt reference meant
        // already reported with a did-you-mean: the warning would only add noise.
        if (ctx.diagnostics.some((d) => d.severity === 'error')) return;
        const kinds = [
          ['setting', ctx.symbols.settings] as const,
          ['secret', ctx.symbols.secrets] as const,
          ['table', ctx.symbols.tables] as const,
        ];
        for (const [kind, decls] of kinds) {
          for (const [name, decl] of decls) {
            if (used[kind].has(name)) continue;
            ctx.warning('W0122', `${kind} ${name} is never used`, decl.name.loc, 'declared here, used nowhere', {
              notes:
                kind === 'secret' ? [`help: reference it inside \`auth\`, e.g. \`auth bearer secret.${name}\``] : [],
            });
          }
        }
      });
    },
    SettingRef(ref) {
      used.setting.add(ref.name.value);
    },
    SecretRef(ref) {
      used.secret.add(ref.name.value);
    },
    Placeholder(placeholder) {
      used.setting.add(placeholder.name);
      // A secret named in a placeholder is an error (E0106), not an unused secret.
      used.secret.add(placeholder.name);
    },
    LookupTransform(transform) {
      used.table.add(transform.table.value);
    },
  };
};
