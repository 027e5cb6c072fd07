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
