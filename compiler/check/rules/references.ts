import type { AstNode, SettingRef, SettingTypeName } from '../../../dsl/ast.ts';
import { closest } from '../../ecs/suggest.ts';
import type { CheckContext } from '../context.ts';
import type { CheckRule } from '../rule.ts';

function didYouMean(word: string, candidates: Iterable<string>, render: (s: string) => string): string[] {
  const best = closest(word, candidates, 1)[0];
  return best === undefined ? [] : [`help: did you mean ${render(best)}?`];
}

/** `setting.X` names a declared setting (E0104). */
export const KnownSettingsRule: CheckRule = (ctx) => ({
  SettingRef(ref) {
    const name = ref.name.value;
    if (ctx.symbols.settings.has(name)) return;
    const notes = ctx.symbols.secrets.has(name)
      ? [`note: ${name} is a secret: write secret.${name}`]
      : didYouMean(name, ctx.symbols.settings.keys(), (s) => `setting.${s}`);
    ctx.error('E0104', `unknown setting ${name}`, ref.name.loc, 'no setting of this name', { notes });
  },
});

/** `secret.X` names a declared secret (E0105). */
export const KnownSecretsRule: CheckRule = (ctx) => ({
  SecretRef(ref) {
    const name = ref.name.value;
    if (ctx.symbols.secrets.has(name)) return;
    const notes = ctx.symbols.settings.has(name)
      ? [`note: ${name} is a setting, not a secret`]
      : didYouMean(name, ctx.symbols.secrets.keys(), (s) => `secret.${s}`);
    ctx.error('E0105', `unknown secret ${name}`, ref.name.loc, 'no secret of this name', { notes });
  },
});

/** `secret.X` appears only inside `auth` (E0106); a data request body may not carry one. */
export const SecretsOnlyInAuthRule: CheckRule = (ctx) => ({
  SecretRef(ref, ancestors) {
    if (ancestors.some(isAuthNode)) return;
    ctx.error('E0106', `secret ${ref.name.value} used outside auth`, ref.loc, 'secrets may only appear inside `auth`', {
      notes: ['note: request bodies, headers and queries end up in generated configs and logs', 'help: move the credential into an `auth` block (e.g. `auth token_exchange { ... }`)'],
    });
  },
});

function isAuthNode(node: AstNode): boolean {
  return node.kind.startsWith('Auth');
}

function expectType(ctx: CheckContext, ref: SettingRef | undefined, types: readonly SettingTypeName[], use: string): void {
  if (!ref) return;
  const decl = ctx.symbols.settings.get(ref.name.value);
  // Unknown settings are E0104's business.
  if (!decl || types.includes(decl.type.value)) return;
  ctx.error('E0110', `setting ${ref.name.value} is a ${decl.type.value}, but ${use} needs a ${types.join(' or ')}`, ref.loc, `expected a ${types.join(' or ')} setting`, {
    secondary: [{ span: decl.type.loc, message: `declared ${decl.type.value} here` }],
  });
}

/** Settings used where a type is implied have that type (E0110). */
export const SettingTypesRule: CheckRule = (ctx) => ({
  Interval(item) {
    if (item.value.kind === 'SettingRef') expectType(ctx, item.value, ['duration'], '`interval`');
  },
  Cursor(cursor) {
    expectType(ctx, cursor.start, ['timestamp'], '`cursor start`');
  },
  Original(option) {
    expectType(ctx, option.when, ['bool'], '`original when`');
  },
  SettingCondition(condition) {
    expectType(ctx, condition.setting, ['bool'], 'a `when` condition');
  },
  AuthBasic(auth) {
    if (auth.username.kind === 'SettingRef') expectType(ctx, auth.username, ['string'], 'a basic auth username');
  },
  AuthOAuth2(auth) {
    if (auth.clientId.kind === 'SettingRef') expectType(ctx, auth.clientId, ['string'], 'an OAuth2 client id');
  },
});

/** `lookup(T)` names a declared table (E0109). */
export const KnownTablesRule: CheckRule = (ctx) => ({
  LookupTransform(transform) {
    const name = transform.table.value;
    if (ctx.symbols.tables.has(name)) return;
    ctx.error('E0109', `unknown lookup table ${name}`, transform.table.loc, 'no table of this name', {
      notes: didYouMean(name, ctx.symbols.tables.keys(), (s) => s),
    });
  },
});
