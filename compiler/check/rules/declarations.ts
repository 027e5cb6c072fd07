import type { NameNode } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';

/**
 * Settings, secrets, tables and streams are declared once per name; a setting and a secret may
 * not share a name either, since `{name}` and the environment variable would be ambiguous (E0114).
 */
export const UniqueDeclarationsRule: CheckRule = (ctx) => ({
  MapFile(file) {
    const seen = new Map<string, { kind: string; name: NameNode }>();
    for (const decl of file.declarations) {
      if (decl.kind === 'Integration' || decl.kind === 'Defaults') continue;
      const kind = decl.kind.toLowerCase();
      // Settings and secrets share one name space; tables and streams have their own.
      const space = kind === 'setting' || kind === 'secret' ? 'value' : kind;
      const key = `${space}:${decl.name.value}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { kind, name: decl.name });
        continue;
      }
      const message =
        first.kind === kind
          ? `${kind} ${decl.name.value} declared twice`
          : `${kind} ${decl.name.value} has the same name as ${first.kind} ${decl.name.value}`;
      ctx.error('E0114', message, decl.name.loc, 'declared again here', {
        secondary: [{ span: first.name.loc, message: 'first declared here' }],
      });
    }
  },
  Table(table) {
    const keys = new Map<string, (typeof table.entries)[number]>();
    for (const entry of table.entries) {
      const first = keys.get(entry.from.value);
      if (first) {
        ctx.error(
          'E0114',
          `table ${table.name.value} maps ${JSON.stringify(entry.from.value)} twice`,
          entry.from.loc,
          'duplicate key',
          {
            secondary: [{ span: first.from.loc, message: 'first mapped here' }],
          },
        );
      } else {
        keys.set(entry.from.value, entry);
      }
    }
  },
});
