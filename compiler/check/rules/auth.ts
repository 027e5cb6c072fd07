import type { CheckRule } from '../rule.ts';

/**
 * `token_exchange` knows how long a token lives (`lifetime` or `expires_at`, E0113), renews it
 * before that (E0119), and sends it (`{token}` in its header, E0113).
 */
export const TokenExchangeRule: CheckRule = (ctx) => ({
  AuthTokenExchange(auth) {
    if (!auth.lifetime && !auth.expiresAt) {
      ctx.error(
        'E0113',
        'token_exchange has neither lifetime nor expires_at',
        auth.loc,
        'how long the token lives is unknown',
        {
          notes: [
            'help: add `lifetime 1h` (the documented token lifetime) or `expires_at PATH` (the expiry in the login response)',
          ],
        },
      );
    }
    const renewMs = auth.renewBefore?.milliseconds ?? 60_000;
    if (auth.lifetime && renewMs >= auth.lifetime.milliseconds) {
      ctx.error(
        'E0119',
        'renew_before is not shorter than the token lifetime',
        auth.renewBefore?.loc ?? auth.lifetime.loc,
        'the token would be renewed before every request',
        {
          secondary: auth.renewBefore ? [{ span: auth.lifetime.loc, message: 'lifetime given here' }] : [],
          notes: [
            auth.renewBefore ? 'help: make renew_before shorter than lifetime' : 'note: renew_before defaults to 1m',
          ],
        },
      );
    }
    if (!auth.header.value.parts.some((p) => p.kind === 'Placeholder' && p.name === 'token')) {
      ctx.error(
        'E0113',
        'token_exchange header never sends {token}',
        auth.header.value.loc,
        'expected {token} in this value',
        {
          notes: ['help: e.g. `header "Authorization" = "Bearer {token}"`'],
        },
      );
    }
  },
});

/**
 * An auth header written as a template (`"SSWS {secret.api_token}"`) is literal text around
 * exactly one `{secret.NAME}` placeholder (E0194): the header carries the secret with a fixed
 * scheme, so that the operator stores only the secret. No setting or built-in placeholder: the
 * value is sent on every request, and each target builds it once from the secret store.
 */
export const AuthHeaderTemplateRule: CheckRule = (ctx) => ({
  AuthHeader(auth) {
    const template = auth.template;
    if (!template) return;
    const placeholders = template.parts.filter((p) => p.kind === 'Placeholder');
    const secretOnes = placeholders.filter((p) => p.name.startsWith('secret.'));
    if (placeholders.length === 1 && secretOnes.length === 1 && auth.secret) return;
    const other = placeholders.find((p) => !p.name.startsWith('secret.')) ?? secretOnes[1];
    ctx.error(
      'E0194',
      placeholders.length === 0
        ? 'auth header template holds no secret'
        : other !== undefined
          ? `auth header template may hold only one {secret.NAME}, not {${other.name}}`
          : `auth header template holds {${placeholders[0]!.name}}, which is no secret reference`,
      other?.loc ?? placeholders[0]?.loc ?? template.loc,
      placeholders.length === 0 ? 'expected {secret.NAME} in this value' : 'not allowed in an auth header template',
      {
        notes: [
          'help: write the scheme around one secret, e.g. `auth header "Authorization" = "SSWS {secret.api_token}"`',
        ],
      },
    );
  },
});
