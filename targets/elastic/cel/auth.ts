/**
 * Authentication, one table entry per {@link AuthIR} kind. Each entry says:
 * - `acquire`: a CEL expression evaluated before the data request, giving the *auth value*:
 *   `{}` (nothing to acquire), `{"token", "expires"}` (an exchanged token), or an error event
 *   `{"error": {...}}` (login failed: the program publishes it and ends the run);
 * - `headers`: what the data request carries;
 * - `stateSecrets`: the secrets the program reads from `state` (all redacted);
 * - `credentials`: a CEL list of every credential value the program holds (secrets, the
 *   exchanged token, the basic `user:password` pair), for the test that nothing the API sends back
 *   and the program would store holds one (`origin.ts`).
 *
 * Both token kinds are run by the program itself and cache `{"token", "expires"}` in `state.auth`
 * (memory only: the CEL input persists nothing but `cursor`; redacted), logging in again
 * `renewBeforeSeconds` before `expires`, or when a data request answers 401:
 * - `token_exchange`: the map's login request;
 * - OAuth2 client credentials (RFC 6749 §4.4): `POST` of the form
 *   `grant_type=client_credentials[&scope=…]` to the token URL, the client authenticated with HTTP
 *   Basic over the form-urlencoded id and secret (§2.3.1), `access_token` and `expires_in` read
 *   from the JSON answer (§5.1). The CEL input's own `auth.oauth2` is not used: its client
 *   (golang.org/x/oauth2 `NewClient`, v0.27.0 `oauth2.go`) is a new `http.Client` without the
 *   input's redirect policy whose transport sets `Authorization: Bearer` on every request it
 *   sends (`transport.go` `Transport.RoundTrip`), redirect hops to any origin included, so with
 *   `resource.retry.max_attempts: 1` the token would follow a redirect anywhere. Run by the
 *   program, the token request and the data requests use the input's client, whose redirects
 *   `resource.redirect.max_redirects: 0` refuses (IR module doc, "Run-time safety and incremental
 *   state"; `stream-template.ts`).
 *
 * Neither error event carries text of the login answer (`failure.ts`).
 *
 * @module
 */
import { oauth2ClientSecretName, type AuthIR, type Template } from '../../../compiler/ir.ts';
import type { CelContext } from './context.ts';
import { stateKey } from './context.ts';
import { parseInstant, formatInstant } from './dates.ts';
import { REDIRECTED, fixedErrorEvent, httpErrorEvent, requestLabel, transportErrorEvent } from './failure.ts';
import { redirectedElsewhere } from './origin.ts';
import type { NamedExpr } from './request.ts';
import { requestExpr, requestUrlExpr } from './request.ts';
import { celOpt, celString, indent } from './text.ts';
import { located } from '../quote.ts';
import { templateExpr } from './template.ts';

export interface AuthPlan {
  readonly acquire: string;
  /** Whether `state.auth` keeps the acquired value (token exchange, OAuth2). */
  readonly caches: boolean;
  readonly headers: readonly NamedExpr[];
  /** Secrets read from `state` by the program. */
  readonly stateSecrets: readonly string[];
  /** CEL list of strings: every credential value the program holds (with `auth` and `state` in scope). */
  readonly credentials: string;
}

const NONE: AuthPlan = { acquire: '{}', caches: false, headers: [], stateSecrets: [], credentials: '[]' };

/** The exchanged token held in the auth value (`""` before a login). */
const CACHED_TOKEN = 'auth[?"token"].orValue("")';

/** CEL string: `text` form-urlencoded (Go `url.QueryEscape` through mito `format_query`). */
function formEncoded(text: string): string {
  return `{"v": [${text}]}.format_query().trim_prefix("v=")`;
}

/**
 * CEL expression of the auth value for a token login: the cached token while it is valid, else
 * the answer of `login` (a request map sent to the CEL string `loginUrl`) read by `onSuccess` (a
 * CEL expression over `body`, giving `{"token", "expires"}` or an error event), else an error event.
 */
function tokenLogin(
  login: string,
  loginUrl: string,
  label: string,
  renewBeforeSeconds: number,
  onSuccess: string,
): string {
  return [
    `has(state.auth) && has(state.auth.token) &&`,
    `    now < timestamp(state.auth.expires) - duration("${renewBeforeSeconds}s") ?`,
    `  state.auth`,
    `:`,
    `  ${login}.do_request().as(login,`,
    `    is_error(login) ?`,
    `      dyn(${indent(transportErrorEvent(label, 'login'), 6).trimStart()})`,
    `    : ${indent(redirectedElsewhere('login', loginUrl), 4).trimStart()} ?`,
    `      dyn(${fixedErrorEvent(label, REDIRECTED)})`,
    `    : login.StatusCode == 200 ?`,
    `      bytes(login.Body).decode_json().as(body, is_error(body) ?`,
    `        dyn(${fixedErrorEvent(label, 'the login answer is not JSON')})`,
    `      :`,
    indent(onSuccess, 8),
    `      )`,
    `    :`,
    `      dyn(${indent(httpErrorEvent(label, 'login'), 6).trimStart()})`,
    `  )`,
  ].join('\n');
}

/** CEL string: the RFC 3339 expiry `seconds` (a CEL int expression) from now. */
function expiresIn(seconds: string): string {
  return formatInstant(`(now + duration(string(${seconds}) + "s"))`, { kind: 'iso8601' });
}

type Plan<K extends AuthIR['kind']> = (ctx: CelContext, auth: Extract<AuthIR, { kind: K }>) => AuthPlan;

const PLANS: { readonly [K in AuthIR['kind']]: Plan<K> } = {
  none: () => NONE,

  header: (ctx, auth) => ({
    ...NONE,
    headers: [
      {
        name: auth.header,
        // A scheme around the secret (`"SSWS " + secret`): the template's text quoted as CEL strings.
        value: auth.value
          ? templateExpr(auth.value, ctx.scope(true), ctx.missing('auth header', auth.loc))
          : ctx.secret(auth.secret),
        optional: false,
      },
    ],
    stateSecrets: [auth.secret],
    credentials: `[${ctx.secret(auth.secret)}]`,
  }),

  bearer: (ctx, auth) => ({
    ...NONE,
    headers: [{ name: 'Authorization', value: `"Bearer " + ${ctx.secret(auth.secret)}`, optional: false }],
    stateSecrets: [auth.secret],
    credentials: `[${ctx.secret(auth.secret)}]`,
  }),

  basic: (ctx, auth) => {
    const user = auth.username.kind === 'secret' ? ctx.secret(auth.username.name) : ctx.setting(auth.username.name);
    const password = ctx.secret(auth.password);
    // RFC 7617 §2: base64 of the UTF-8 "user:password" (mito crypto `base64`). The CEL input's
    // `auth.basic` would not reach requests sent with `do_request`.
    return {
      ...NONE,
      headers: [{ name: 'Authorization', value: `"Basic " + base64(${user} + ":" + ${password})`, optional: false }],
      stateSecrets: auth.username.kind === 'secret' ? [auth.username.name, auth.password] : [auth.password],
      credentials: `[${auth.username.kind === 'secret' ? `${user}, ` : ''}${password}, ${user} + ":" + ${password}]`,
    };
  },

  token_exchange: (ctx, auth) => {
    const onMissing = ctx.missing('token exchange request', auth.loc);
    const scope = ctx.scope(true);
    const loginUrl = requestUrlExpr(auth.request, scope, onMissing);
    const login = requestExpr(auth.request, loginUrl, scope, onMissing);
    const label = requestLabel(auth.request.method, auth.request.url);
    const fixedExpiry = `(now + duration("${auth.lifetimeSeconds}s"))`;
    const iso = parseInstant('e', { kind: 'iso8601' });
    const expiry = auth.expiresAtPath
      ? `${celOpt('body', auth.expiresAtPath)}.orValue("").as(e, is_error(${iso}) ? ${fixedExpiry} : ${iso})`
      : fixedExpiry;
    const onSuccess = [
      `${celOpt('body', auth.tokenPath)}.orValue("").as(token, type(token) != string || token == "" ?`,
      `  dyn(${fixedErrorEvent(label, `no token at ${auth.tokenPath.join('.')} in the login answer`)})`,
      `:`,
      `  dyn({"token": token, "expires": ${formatInstant(expiry, { kind: 'iso8601' })}})`,
      `)`,
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
      acquire: tokenLogin(login, loginUrl, label, auth.renewBeforeSeconds, onSuccess),
      caches: true,
      headers: [{ name: auth.header.name, value, optional: false }],
      stateSecrets: [...secrets],
      credentials: `[${[...[...secrets].map((s) => ctx.secret(s)), CACHED_TOKEN].join(', ')}]`,
    };
  },

  oauth2_client_credentials: (ctx, auth) => {
    const id = auth.clientId.kind === 'secret' ? ctx.secret(auth.clientId.name) : ctx.setting(auth.clientId.name);
    if (auth.privateKey !== undefined) {
      // RFC 7523 private_key_jwt: the assertion is a JWT signed with the client's key.
      ctx.report(
        'E0420',
        'error',
        'the CEL program cannot sign the private_key_jwt client assertion of this OAuth2 client',
        auth.loc,
        [
          "note: the crypto extension of the Agent's CEL (elastic/mito lib/crypto.go) has hashes, HMAC, base64 and uuid but no RSA or ECDSA signature, and this program requests its own tokens; the input's auth.oauth2 Okta provider signs an assertion from jwk_json or jwk_pem (elastic/beats#37813), for Okta only",
          'help: collect this stream with `mapc collect` (the Vector and Logstash targets do), or authenticate the client with client_secret',
        ],
      );
    }
    const secret = ctx.secret(oauth2ClientSecretName(auth));
    const onMissing = ctx.missing('OAuth2 token URL', auth.loc);
    const url = templateExpr(auth.tokenUrl, ctx.scope(false), onMissing);
    // Each scope is checked at its own literal; the scope parameter is their space-separated list (RFC 6749 §3.3).
    auth.scopes.forEach((s, i) => located(auth.scopeLocs?.[i] ?? auth.loc, () => celString(s)));
    const scope = auth.scopes.length > 0 ? `, "scope": [${celString(auth.scopes.join(' '))}]` : '';
    const form = `{"grant_type": ["client_credentials"]${scope}}.format_query()`;
    const clientAuth = `${formEncoded(id)} + ":" + ${formEncoded(secret)}`;
    const login = [
      `request("POST", ${url}, ${form}).with({"Header": {`,
      `  "Content-Type": ["application/x-www-form-urlencoded"],`,
      `  "Accept": ["application/json"],`,
      `  "Authorization": ["Basic " + base64(${clientAuth})],`,
      `}})`,
    ].join('\n');
    const label = requestLabel('POST', auth.tokenUrl);
    // RFC 6749 §5.1: `expires_in` is the lifetime in seconds; without it, one hour (renewed on 401).
    const onSuccess = [
      `body[?"access_token"].orValue("").as(token, type(token) != string || token == "" ?`,
      `  dyn(${fixedErrorEvent(label, 'no access_token in the token answer')})`,
      `:`,
      // A lifetime out of (0, 1 year] is ignored (an int() of a huge number would fail the evaluation).
      `  body[?"expires_in"].orValue(dyn(3600)).as(e,`,
      `    type(e) == double && e >= 1.0 && e <= 31536000.0 ? int(e) : type(e) == int && e >= 1 && e <= 31536000 ? e : 3600`,
      `  ).as(e,`,
      `    dyn({"token": token, "expires": ${expiresIn('e')}})`,
      `  )`,
      `)`,
    ].join('\n');
    const clientSecret = oauth2ClientSecretName(auth);
    const stateSecrets = auth.clientId.kind === 'secret' ? [auth.clientId.name, clientSecret] : [clientSecret];
    return {
      acquire: tokenLogin(login, url, label, 60, onSuccess),
      caches: true,
      headers: [{ name: 'Authorization', value: '"Bearer " + auth.token', optional: false }],
      stateSecrets,
      credentials: `[${auth.clientId.kind === 'secret' ? `${id}, ` : ''}${secret}, ${clientAuth}, ${CACHED_TOKEN}]`,
    };
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
