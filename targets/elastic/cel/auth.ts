/**
 * Authentication, one table entry per {@link AuthIR} kind. Each entry says:
 * - `acquire`: a CEL expression evaluated before the data request, giving the *auth value*:
 *   `{}` (nothing to acquire), `{"token", "expires"}` (token exchange), or `{"error": {...}}`
 *   (login failed: the program emits it as an error event and stops the run);
 * - `headers` / `decorate`: what the data request carries;
 * - `config`: native CEL input configuration lines (`auth.oauth2`, Fleet variables);
 * - `stateSecrets`: the secrets the program reads from `state` (all redacted).
 *
 * The token exchange caches `{"token", "expires"}` in `state.auth` (memory only: the CEL input
 * persists nothing but `cursor`) and logs in again `renewBeforeSeconds` before `expires`, or when a
 * data request answers 401. OAuth2 client credentials use the input's own `auth.oauth2` client
 * (golang.org/x/oauth2 `clientcredentials`, which caches and renews the token itself; CEL input
 * docs, "auth.oauth2.*": https://www.elastic.co/guide/en/beats/filebeat/current/filebeat-input-cel.html).
 *
 * @module
 */
import type { AuthIR, Template } from '../../../compiler/ir.ts';
import type { CelContext } from './context.ts';
import { stateKey } from './context.ts';
import { parseInstant, formatInstant } from './dates.ts';
import type { NamedExpr } from './request.ts';
import { requestExpr } from './request.ts';
import { located, policyString, policyTemplate, type PolicyPart, type YamlScalar } from '../quote.ts';
import { celOpt, celString } from './text.ts';
import { templateExpr } from './template.ts';

export interface AuthPlan {
  readonly acquire: string;
  /** Whether `state.auth` keeps the acquired value (token exchange). */
  readonly caches: boolean;
  readonly headers: readonly NamedExpr[];
  readonly decorate: string;
  /** YAML lines (Handlebars) for the stream template, at top level. */
  readonly config: readonly string[];
  /** Secrets read from `state` by the program. */
  readonly stateSecrets: readonly string[];
}

const NONE: AuthPlan = { acquire: '{}', caches: false, headers: [], decorate: '', config: [], stateSecrets: [] };

/** A YAML value rendering a template with Fleet variables (settings and secrets only). */
function hbsTemplate(ctx: CelContext, t: Template): YamlScalar {
  const parts = t.parts.flatMap((p): PolicyPart[] => {
    switch (p.kind) {
      case 'text':
        return [{ text: p.text }];
      case 'setting':
      case 'secret':
        return [{ variable: p.name }];
      default:
        ctx.report('E0420', 'error', `placeholder {${p.kind}} cannot be used in an OAuth2 token URL`, ctx.source.loc);
        return [];
    }
  });
  return located(t.loc, () => policyTemplate(parts));
}

type Plan<K extends AuthIR['kind']> = (ctx: CelContext, auth: Extract<AuthIR, { kind: K }>) => AuthPlan;

const PLANS: { readonly [K in AuthIR['kind']]: Plan<K> } = {
  none: () => NONE,

  header: (ctx, auth) => ({
    ...NONE,
    headers: [{ name: auth.header, value: ctx.secret(auth.secret), optional: false }],
    stateSecrets: [auth.secret],
  }),

  bearer: (ctx, auth) => ({
    ...NONE,
    headers: [{ name: 'Authorization', value: `"Bearer " + ${ctx.secret(auth.secret)}`, optional: false }],
    stateSecrets: [auth.secret],
  }),

  basic: (ctx, auth) => {
    const user = auth.username.kind === 'secret' ? ctx.secret(auth.username.name) : ctx.setting(auth.username.name);
    // RFC 7617 §2: base64 of the UTF-8 "user:password" (mito crypto `base64`). The CEL input's
    // `auth.basic` would not reach requests sent with `do_request`.
    return {
      ...NONE,
      headers: [
        {
          name: 'Authorization',
          value: `"Basic " + base64(${user} + ":" + ${ctx.secret(auth.password)})`,
          optional: false,
        },
      ],
      stateSecrets: auth.username.kind === 'secret' ? [auth.username.name, auth.password] : [auth.password],
    };
  },

  token_exchange: (ctx, auth) => {
    const login = requestExpr(auth.request, ctx.scope(true), ctx.missing('token exchange request', auth.loc));
    const tokenAt = `${celOpt('body', auth.tokenPath)}.orValue("")`;
    const fixedExpiry = `(now + duration("${auth.lifetimeSeconds}s"))`;
    const expiry = auth.expiresAtPath
      ? `${celOpt('body', auth.expiresAtPath)}.orValue("").as(e, is_error(${parseInstant('e', { kind: 'iso8601' })}) ? ${fixedExpiry} : ${parseInstant('e', { kind: 'iso8601' })})`
      : fixedExpiry;
    const acquire = [
      `has(state.auth) && has(state.auth.token) &&`,
      `    now < timestamp(state.auth.expires) - duration("${auth.renewBeforeSeconds}s") ?`,
      `  state.auth`,
      `:`,
      `  ${login}.do_request().as(login,`,
      `    login.StatusCode == 200 ?`,
      `      bytes(login.Body).decode_json().as(body, ${tokenAt}.as(token, token == "" ?`,
      `        dyn({"error": {"code": "token", "message": ${celString(`token exchange: no token at ${auth.tokenPath.join('.')} in the login response`)}}})`,
      `      :`,
      `        dyn({"token": string(token), "expires": ${formatInstant(expiry, { kind: 'iso8601' })}})`,
      `      ))`,
      `    :`,
      `      dyn({"error": {"code": string(login.StatusCode), "id": login.Status, "message": "token exchange failed: " + login.Status}})`,
      `  )`,
    ].join('\n');
    const value = templateExpr(
      auth.header.value,
      ctx.scope(false, { token: 'auth.token' }),
      ctx.missing('token header', auth.loc),
    );
    const secrets = new Set<string>();
    const collect = (parts: Template['parts']): void =>
      parts.forEach((p) => p.kind === 'secret' && secrets.add(p.name));
    collect(auth.request.url.parts);
    auth.request.headers.forEach((h) => collect(h.value.parts));
    auth.request.query.forEach((q) => collect(q.value.parts));
    const walk = (j: NonNullable<typeof auth.request.body>): void => {
      if (j.kind === 'string') collect(j.template.parts);
      else if (j.kind === 'object') j.entries.forEach((e) => walk(e.value));
      else if (j.kind === 'array') j.items.forEach(walk);
    };
    if (auth.request.body) walk(auth.request.body);
    return {
      acquire,
      caches: true,
      headers: [{ name: auth.header.name, value, optional: false }],
      decorate: '',
      config: [],
      stateSecrets: [...secrets],
    };
  },

  oauth2_client_credentials: (ctx, auth) => {
    const id = auth.clientId.kind === 'secret' ? auth.clientId.name : auth.clientId.name;
    const lines = [
      'auth.oauth2:',
      `  client.id: {{escape_string ${id}}}`,
      `  client.secret: {{escape_string ${auth.clientSecret}}}`,
      `  token_url: ${hbsTemplate(ctx, auth.tokenUrl)}`,
    ];
    if (auth.scopes.length > 0) {
      lines.push('  scopes:');
      auth.scopes.forEach((s, i) =>
        lines.push(`    - ${located(auth.scopeLocs?.[i] ?? auth.loc, () => policyString(s))}`),
      );
    }
    return { ...NONE, config: lines };
  },
};

/** The plan for the stream's auth. */
export function authPlan(ctx: CelContext): AuthPlan {
  const auth = ctx.source.auth;
  return (PLANS[auth.kind] as Plan<typeof auth.kind>)(ctx, auth as never);
}

/** State keys of the secrets a plan reads (for `redact.fields`). */
export function secretKeys(plan: AuthPlan): string[] {
  return plan.stateSecrets.map(stateKey);
}
