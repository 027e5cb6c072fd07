import { PACKAGE_NAME, RESERVED_PLACEHOLDERS, SNAKE_CASE } from '../names.ts';
import type { CheckRule } from '../rule.ts';
import type { NameNode } from '../../../dsl/ast.ts';
import type { CheckContext } from '../context.ts';

function snakeCase(ctx: CheckContext, what: string, name: NameNode, why: string, valid = SNAKE_CASE): void {
  if (valid.test(name.value)) return;
  const fixed = name.value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  ctx.error('E0117', `invalid ${what} name ${name.value}`, name.loc, 'expected lowercase snake_case', {
    notes: [`note: ${why}`, ...(valid.test(fixed) ? [`help: did you mean ${fixed}?`] : [])],
  });
}

/**
 * Integration, stream, setting and secret names are lowercase snake_case: they become Elastic
 * package and data stream names (which allow only `[a-z0-9_]`) and `UPPER_SNAKE` environment
 * variables. An integration name may start with a digit (`1password`, {@link PACKAGE_NAME}). Settings may not be named like a reserved placeholder (E0117).
 */
export const ValidNamesRule: CheckRule = (ctx) => ({
  Integration(decl) {
    snakeCase(
      ctx,
      'integration',
      decl.name,
      'the integration name is the package name and the vendor namespace',
      PACKAGE_NAME,
    );
  },
  Stream(decl) {
    snakeCase(ctx, 'stream', decl.name, 'the stream name becomes an Elastic data stream name');
  },
  Setting(decl) {
    snakeCase(ctx, 'setting', decl.name, 'settings become UPPER_SNAKE environment variables');
    if (RESERVED_PLACEHOLDERS.includes(decl.name.value)) {
      ctx.error('E0117', `setting name ${decl.name.value} is reserved`, decl.name.loc, 'reserved placeholder name', {
        notes: [`note: {${decl.name.value}} already has a meaning in request strings`],
      });
    }
  },
  Secret(decl) {
    snakeCase(ctx, 'secret', decl.name, 'secrets become UPPER_SNAKE environment variables');
  },
});
