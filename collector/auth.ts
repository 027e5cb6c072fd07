/**
 * Authentication for data requests: static headers (raw secret header, bearer, basic) and
 * expiring tokens (token exchange at a login endpoint, OAuth2 client credentials with a client
 * secret or a `private_key_jwt` assertion, ./client-assertion.ts), cached in
 * memory for the run only (never persisted) and renewed before they expire.
 *
 * @module
 */
import { oauth2ClientSecretName, type AuthIR, type FieldPath } from '../compiler/ir.ts';
import { clientAssertion, JWT_BEARER_ASSERTION, readClientKey, type ClientKey } from './client-assertion.ts';
import { getPath } from '../compiler/interpret/index.ts';
import type { Clock } from './clock.ts';
import { CollectError } from './errors.ts';
import { describeResponse, type HttpClient, type HttpRequest, type HttpResponse } from './http.ts';
import type { Logger } from './log.ts';
import type { Scrubber } from './scrub.ts';
import { buildRequest, requestUrl } from './request.ts';
import { renderTemplate, templateText, type RenderContext } from './template.ts';
import { parseRfc3339Ms } from './instant.ts';
import type { SettingValue } from './values.ts';

export interface Auth {
  /** Headers to add to a data request (obtaining or renewing a token first when needed). */
  headers(): Promise<Record<string, string>>;
  /** True when a refused data request is worth one retry with a fresh token. */
  readonly renewable: boolean;
  /** Drops a cached token (the API refused it). */
  invalidate(): void;
}

export interface AuthContext {
  readonly settings: Readonly<Record<string, SettingValue>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scrubber: Scrubber;
}

/** Default OAuth2 token lifetime when the response has no `expires_in` (RFC 6749 §5.1 makes it optional). */
const OAUTH2_DEFAULT_LIFETIME_S = 3600;
/** OAuth2 renewal margin: a minute, or half the lifetime for short-lived tokens. */
const OAUTH2_RENEW_BEFORE_S = 60;

function secret(ctx: AuthContext, name: string): string {
  const v = ctx.secrets[name];
  if (v === undefined) throw new CollectError('E0802', `secret ${name} is not set`);
  return v;
}

function named(ctx: AuthContext, ref: { kind: 'setting' | 'secret'; name: string }): string {
  if (ref.kind === 'secret') return secret(ctx, ref.name);
  const v = ctx.settings[ref.name];
  if (v === undefined || v === '') throw new CollectError('E0802', `setting ${ref.name} is not set`);
  return String(v);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CollectError('E0804', `${what}: the response is not JSON`);
  }
}

/** A token with its expiry, renewed `renewBeforeMs` early. */
class TokenCache {
  private token: string | undefined;
  private expiresAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly fetchToken: () => Promise<{ token: string; expiresAt: number; renewBeforeMs: number }>,
  ) {}

  private renewBeforeMs = 0;

  async get(): Promise<string> {
    if (this.token === undefined || this.clock.now() >= this.expiresAt - this.renewBeforeMs) {
      const t = await this.fetchToken();
      this.token = t.token;
      this.expiresAt = t.expiresAt;
      this.renewBeforeMs = t.renewBeforeMs;
    }
    return this.token;
  }

  invalidate(): void {
    this.token = undefined;
  }
}

function tokenAt(body: unknown, path: FieldPath, what: string): string {
  const token = getPath(body, path);
  if (typeof token !== 'string' || token === '') {
    throw new CollectError('E0804', `${what}: no token at ${path.join('.') || 'the response root'}`);
  }
  return token;
}

function refused(what: string, req: HttpRequest, res: HttpResponse): CollectError {
  return new CollectError(
    'E0803',
    `${what} refused the credentials (HTTP ${res.status}); check the secrets' values`,
    describeResponse(req, res),
  );
}

/**
 * RFC 6749 §5.2 error codes: an OAuth2 error response's `error` is logged only when it is one of
 * these (the collector's own text then, never the response's).
 */
const OAUTH2_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
] as const;

function oauth2Error(text: string): (typeof OAUTH2_ERRORS)[number] | undefined {
  try {
    const e = (JSON.parse(text) as { error?: unknown }).error;
    return OAUTH2_ERRORS.find((code) => code === e);
  } catch {
    return undefined;
  }
}

/** The {@link Auth} for `auth`. Secrets must already be registered with the scrubber. */
export function createAuth(auth: AuthIR, ctx: AuthContext): Auth {
  const fixed = (headers: Record<string, string>): Auth => ({
    headers: () => Promise.resolve(headers),
    renewable: false,
    invalidate: () => undefined,
  });
  switch (auth.kind) {
    case 'none':
      return fixed({});
    case 'header': {
      const value = secret(ctx, auth.secret);
      return fixed({
        [auth.header]: auth.value
          ? renderTemplate(auth.value, { settings: ctx.settings, secrets: ctx.secrets })
          : value,
      });
    }
    case 'bearer':
      return fixed({ Authorization: `Bearer ${secret(ctx, auth.secret)}` });
    case 'basic': {
      // RFC 7617 §2: base64 of user-id ":" password, UTF-8.
      const pair = Buffer.from(`${named(ctx, auth.username)}:${secret(ctx, auth.password)}`, 'utf8').toString('base64');
      ctx.scrubber.add(pair);
      return fixed({ Authorization: `Basic ${pair}` });
    }
    case 'token_exchange': {
      const what = 'token exchange';
      const cache = new TokenCache(ctx.clock, async () => {
        const render: RenderContext = { settings: ctx.settings, secrets: ctx.secrets };
        const req = buildRequest(auth.request, render, []);
        const res = await ctx.http.send(req, what);
        if (res.status === 401 || res.status === 403) throw refused(what, req, res);
        if (res.status < 200 || res.status > 299) {
          throw new CollectError('E0800', `${what} failed: HTTP ${res.status}`, describeResponse(req, res));
        }
        const body = parseJson(res.text, what);
        const token = tokenAt(body, auth.tokenPath, what);
        ctx.scrubber.add(token);
        let expiresAt = ctx.clock.now() + auth.lifetimeSeconds * 1000;
        if (auth.expiresAtPath) {
          const at = getPath(body, auth.expiresAtPath);
          const ms = typeof at === 'string' ? parseRfc3339Ms(at) : undefined;
          if (ms !== undefined) expiresAt = ms;
          else
            ctx.logger.log(
              'warn',
              `${what}: no RFC 3339 expiry at ${auth.expiresAtPath.join('.')}; using the lifetime`,
            );
        }
        ctx.logger.log('info', 'access token obtained', { expiresAt: new Date(expiresAt).toISOString() });
        return { token, expiresAt, renewBeforeMs: auth.renewBeforeSeconds * 1000 };
      });
      return {
        async headers() {
          const token = await cache.get();
          return { [auth.header.name]: renderTemplate(auth.header.value, { settings: ctx.settings, token }) };
        },
        renewable: true,
        invalidate: () => cache.invalidate(),
      };
    }
    case 'oauth2_client_credentials': {
      const what = 'OAuth2 token request';
      // private_key_jwt: the client's key, read from its secret at the first token request.
      let client: ClientKey | undefined;
      const cache = new TokenCache(ctx.clock, async () => {
        const url = requestUrl(
          renderTemplate(auth.tokenUrl, { settings: ctx.settings, secrets: ctx.secrets }),
          auth.tokenUrl,
          false,
        ).href;
        const body = new URLSearchParams({ grant_type: 'client_credentials' });
        if (auth.scopes.length > 0) body.set('scope', auth.scopes.join(' '));
        const headers: Record<string, string> = {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        };
        if (auth.privateKey !== undefined) {
          // RFC 7523 §2.2 (private_key_jwt): a fresh signed assertion per token request, never logged.
          client ??= readClientKey(secret(ctx, auth.privateKey), auth.privateKey);
          const assertion = clientAssertion(client, named(ctx, auth.clientId), url, ctx.clock.now());
          ctx.scrubber.add(assertion);
          body.set('client_assertion_type', JWT_BEARER_ASSERTION);
          body.set('client_assertion', assertion);
        } else {
          // RFC 6749 §2.3.1: the client id and secret are form-urlencoded, then sent with HTTP Basic,
          // the client authentication every authorization server must support.
          const form = (s: string): string => new URLSearchParams({ v: s }).toString().slice(2);
          const basic = Buffer.from(
            `${form(named(ctx, auth.clientId))}:${form(secret(ctx, oauth2ClientSecretName(auth)))}`,
          ).toString('base64');
          ctx.scrubber.add(basic);
          headers['Authorization'] = `Basic ${basic}`;
        }
        const req: HttpRequest = {
          method: 'POST',
          url,
          headers,
          body: body.toString(),
          urlTemplate: templateText(auth.tokenUrl),
        };
        const res = await ctx.http.send(req, what);
        if (res.status === 400 || res.status === 401 || res.status === 403) {
          const error = oauth2Error(res.text);
          if (res.status === 400 && error !== 'invalid_client') {
            throw new CollectError(
              'E0804',
              `${what} was rejected: HTTP 400${error ? ` (${error})` : ''}`,
              describeResponse(req, res),
            );
          }
          throw refused(what, req, res);
        }
        if (res.status < 200 || res.status > 299) {
          throw new CollectError('E0800', `${what} failed: HTTP ${res.status}`, describeResponse(req, res));
        }
        const json = parseJson(res.text, what);
        const token = tokenAt(json, ['access_token'], what);
        ctx.scrubber.add(token);
        const expiresIn = getPath(json, ['expires_in']);
        const lifetime = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : OAUTH2_DEFAULT_LIFETIME_S;
        const expiresAt = ctx.clock.now() + lifetime * 1000;
        ctx.logger.log('info', 'access token obtained', { expiresAt: new Date(expiresAt).toISOString() });
        return { token, expiresAt, renewBeforeMs: Math.min(OAUTH2_RENEW_BEFORE_S, lifetime / 2) * 1000 };
      });
      return {
        async headers() {
          return { Authorization: `Bearer ${await cache.get()}` };
        },
        renewable: true,
        invalidate: () => cache.invalidate(),
      };
    }
  }
}
