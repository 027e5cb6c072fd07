/**
 * The mock vendor API: a Node `http` server on 127.0.0.1 (ephemeral port) serving a
 * {@link MockScenario}'s pages per its pagination scheme, checking credentials (401 otherwise),
 * issuing expiring tokens, and injecting faults (429 with `Retry-After`, 4xx/5xx, connection
 * resets, a permanently failing page, a request quota with `X-RateLimit-*` headers) and the
 * hostile behaviours of {@link MockHostile} (credential echoes, cross-origin links and redirects
 * to a second recording server, pagination that never advances, oversized, endless and deeply
 * nested bodies).
 *
 * It is bounded (a request cap and a lifetime, after which it closes itself) and never keeps the
 * test process alive (`unref`).
 *
 * @module
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  carriedValues,
  deepRecordText,
  echoBody,
  openRecordsText,
  sendEndless,
  sendPadded,
  startForeignOrigin,
  type ForeignOrigin,
} from './hostile.ts';
import type { MockAuth, MockFailMode, MockFault, MockPage, MockParam, MockScenario } from './scenario.ts';

export type { MockScenario } from './scenario.ts';
export type { ForeignOrigin, ForeignRequest } from './hostile.ts';
export { loadScenario, normalizeScenario } from './scenario.ts';

/** One request as the server saw it (in arrival order). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Query parameters (the last value of a repeated name). */
  readonly query: Readonly<Record<string, string>>;
  /** Lowercased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** `data`, `token` (token/login endpoint) or `other`. */
  readonly endpoint: 'data' | 'token' | 'other';
  /** Page index served or attempted (data requests). */
  readonly page?: number;
  /** Status answered; 0 for a reset connection. */
  status: number;
  /** Body bytes written so far, for bodies streamed by a hostile behaviour (oversized, endless). */
  bytesSent?: number;
}

export interface MockApiOptions {
  /** Server clock in epoch milliseconds (token expiry, rate-limit windows, HTTP-dates). Default `Date.now`. */
  readonly now?: () => number;
  /** Start the foreign origin even when the scenario's hostile behaviours do not need it. */
  readonly foreign?: boolean;
}

export interface MockApi {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  close(): Promise<void>;
  readonly requests: RecordedRequest[];
  /** Change (or clear) the permanently failing page between runs, and how it fails (default 500). */
  setFailPage(page: number | undefined, mode?: MockFailMode): void;
  /**
   * The second server on another origin (another port), started when the scenario's hostile
   * behaviours point there (or with {@link MockApiOptions.foreign}); closed with this API.
   */
  readonly foreign: ForeignOrigin | undefined;
  /** Tokens issued by the token/OAuth2 endpoint so far (values: these are mock secrets too). */
  readonly issuedTokens: string[];
  /** Each `private_key_jwt` client assertion received, decoded, with the verdict of {@link verifyAssertion}. */
  readonly clientAssertions: AssertionVerdict[];
  /** Requests refused because the advertised quota was exhausted before its reset. */
  readonly rateLimitViolations: number;
}

const DEFAULT_MAX_REQUESTS = 2000;
const DEFAULT_LIFETIME_MS = 120_000;
/** Query parameter marking a same-origin redirect's hop count (never a scenario parameter). */
const HOP_PARAM = '_mock_hop';
/** Page token of {@link MockHostile.repeatLastPage}: it serves the last page again. */
const REPEAT_TOKEN = 'mock-repeat-last-page';
/** Prefix of {@link MockHostile.emptyPagesForever}'s tokens: `mock-empty-<n>` serves the n-th empty page. */
const EMPTY_TOKEN = 'mock-empty-';
/** Placeholder string replaced by the deep record's text in a serialised body. */
const DEEP_MARKER = '__mock_deep_record__';

function getPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const seg of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[seg];
  }
  return current;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      current[seg] = value;
      return;
    }
    const next = current[seg];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) current[seg] = {};
    current = current[seg] as Record<string, unknown>;
  });
}

/** Replaces the value at `path` (the root when `[]`); returns the new body. */
function withPath(body: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(body ?? {}) as Record<string, unknown>;
  setPath(copy, path, value);
  return copy;
}

function readParam(param: MockParam, query: URLSearchParams, json: unknown): string | undefined {
  if (param.in === 'query') return query.get(param.name) ?? undefined;
  const v = getPath(json, param.path);
  return v === undefined || v === null ? undefined : String(v);
}

/** A `private_key_jwt` assertion as the mock received it, and why it was refused. */
export interface AssertionVerdict {
  /** The assertion as received (a credential too: tests look for it where none may be). */
  readonly assertion: string;
  readonly valid: boolean;
  /** Empty when valid. */
  readonly reason: string;
  readonly header?: Record<string, unknown>;
  readonly claims?: Record<string, unknown>;
}

/**
 * Verifies a token request's client assertion (RFC 7523 §3): `client_assertion_type` is
 * `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`, no client secret or Basic header
 * beside it, a JWS compact serialization whose `alg` (RS256 or ES256 only, never `none`) the
 * public key verifies, and claims `iss` = `sub` = the client id, `aud` = the token URL, a `jti`
 * not seen before, `exp` after now (a minute of skew) and at most an hour after `iat`.
 */
export function verifyAssertion(
  form: URLSearchParams,
  headers: IncomingMessage['headers'],
  expect: {
    publicKey: string;
    clientId: string;
    audience: string;
    nowSeconds: number;
    seenJtis: Set<string>;
  },
): AssertionVerdict {
  const assertion = form.get('client_assertion') ?? '';
  const refuse = (reason: string, header?: Record<string, unknown>, claims?: Record<string, unknown>) => ({
    assertion,
    valid: false,
    reason,
    ...(header ? { header } : {}),
    ...(claims ? { claims } : {}),
  });
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    return refuse('client_assertion_type');
  if (form.has('client_secret') || headers.authorization !== undefined) return refuse('a second client authentication');
  const parts = assertion.split('.');
  if (parts.length !== 3) return refuse('not a JWS compact serialization');
  const [h = '', c = '', sig = ''] = parts;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return refuse('header or claims are not JSON');
  }
  const key: KeyObject = expect.publicKey.trim().startsWith('{')
    ? createPublicKey({ key: JSON.parse(expect.publicKey) as import('node:crypto').JsonWebKey, format: 'jwk' })
    : createPublicKey(expect.publicKey);
  const data = Buffer.from(`${h}.${c}`, 'ascii');
  const signature = Buffer.from(sig, 'base64url');
  const alg = header['alg'];
  const verified =
    alg === 'RS256' && key.asymmetricKeyType === 'rsa'
      ? verify('sha256', data, key, signature)
      : alg === 'ES256' && key.asymmetricKeyType === 'ec'
        ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)
        : false;
  if (!verified) return refuse(`signature (${String(alg)})`, header, claims);
  if (claims['iss'] !== expect.clientId || claims['sub'] !== expect.clientId) return refuse('iss/sub', header, claims);
  if (claims['aud'] !== expect.audience) return refuse('aud', header, claims);
  const { exp, iat, jti } = claims;
  if (typeof exp !== 'number' || typeof iat !== 'number') return refuse('exp/iat', header, claims);
  if (exp <= expect.nowSeconds - 60 || exp - iat > 3600 || iat > expect.nowSeconds + 60)
    return refuse('lifetime', header, claims);
  if (typeof jti !== 'string' || jti === '' || expect.seenJtis.has(jti)) return refuse('jti', header, claims);
  expect.seenJtis.add(jti);
  return { assertion, valid: true, reason: '', header, claims };
}

/** RFC 3339 → nanoseconds since the epoch as bigint (keeps microsecond fractions exact). */
export function instantNanos(text: string): bigint | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const nanosFrac = BigInt((frac + '000000000').slice(0, 9));
  return (BigInt(ms) - BigInt(offsetMin) * 60_000n) * 1_000_000n + nanosFrac;
}

function allRecords(scenario: MockScenario): unknown[] {
  if (scenario.records) return [...scenario.records];
  return scenario.pages.flatMap((p) => {
    const r = getPath(p.body, scenario.recordsPath);
    return Array.isArray(r) ? r : [];
  });
}

function emptyBody(scenario: MockScenario): unknown {
  if (scenario.emptyBody !== undefined) return scenario.emptyBody;
  return withPath({}, scenario.recordsPath, []);
}

/**
 * Starts the mock API for `scenario`. The returned `requests` array fills as requests arrive.
 * Errors in the scenario (e.g. an unknown credential name) surface as a 500 with the reason in the
 * body, recorded like any other request.
 */
export async function startMockApi(scenario: MockScenario, options: MockApiOptions = {}): Promise<MockApi> {
  const now = options.now ?? Date.now;
  const requests: RecordedRequest[] = [];
  const issuedTokens: string[] = [];
  const clientAssertions: AssertionVerdict[] = [];
  const seenJtis = new Set<string>();
  const tokenIssuedAt = new Map<string, number>();
  const faultCounts = new Map<MockFault, number>();
  let failPage = scenario.failPage;
  let failMode: MockFailMode = scenario.failMode ?? 500;
  const hostile = scenario.hostile ?? {};
  const needsForeign =
    options.foreign === true || hostile.foreignLink !== undefined || hostile.redirect?.to === 'foreign';
  const foreign = needsForeign
    ? await startForeignOrigin(
        withPath(
          {},
          scenario.recordsPath,
          hostile.foreignRecords ?? [{ id: 'injected-by-foreign-origin', ts: '2999-01-01T00:00:00.000001Z' }],
        ),
        scenario.maxLifetimeMs ?? DEFAULT_LIFETIME_MS,
      )
    : undefined;
  let violations = 0;
  let quota = scenario.rateLimit ? { remaining: scenario.rateLimit.quota, resetAt: 0 } : undefined;
  const maxRequests = scenario.maxRequests ?? DEFAULT_MAX_REQUESTS;
  const sockets = new Set<Socket>();
  const records = allRecords(scenario);
  const pageBodies = scenario.pages.map((p) => p.body);

  const credential = (name: string): string => {
    const v = scenario.credentials[name];
    if (v === undefined) throw new Error(`scenario has no credential ${name}`);
    return v;
  };

  const tokenValid = (token: string | undefined, lifetimeSeconds: number): boolean => {
    if (token === undefined) return false;
    const at = tokenIssuedAt.get(token);
    return at !== undefined && now() < at + lifetimeSeconds * 1000;
  };

  const authorized = (auth: MockAuth, headers: IncomingMessage['headers']): boolean => {
    const authz = headers.authorization;
    switch (auth.kind) {
      case 'none':
        return true;
      case 'header':
        return headers[auth.header.toLowerCase()] === `${auth.prefix ?? ''}${credential(auth.secret)}`;
      case 'bearer':
        return authz === `Bearer ${credential(auth.secret)}`;
      case 'basic':
        return (
          authz ===
          `Basic ${Buffer.from(`${credential(auth.username)}:${credential(auth.password)}`).toString('base64')}`
        );
      case 'token_exchange': {
        const v = headers[auth.header.toLowerCase()];
        if (typeof v !== 'string' || !v.startsWith(auth.prefix)) return false;
        return tokenValid(v.slice(auth.prefix.length), auth.lifetimeSeconds);
      }
      case 'oauth2_client_credentials':
        return (
          typeof authz === 'string' && authz.startsWith('Bearer ') && tokenValid(authz.slice(7), auth.lifetimeSeconds)
        );
    }
  };

  const issueToken = (): string => {
    const token = `mock-token-${randomBytes(12).toString('hex')}`;
    issuedTokens.push(token);
    tokenIssuedAt.set(token, now());
    return token;
  };

  /** Answers the token endpoint; returns undefined when the request is not for it. */
  const tokenEndpoint = (
    method: string,
    path: string,
    headers: IncomingMessage['headers'],
    bodyText: string,
  ): { status: number; body: unknown } | undefined => {
    const auth = scenario.auth;
    if (auth.kind === 'token_exchange' && path === auth.path) {
      if (method !== auth.method) return { status: 405, body: { error: 'method not allowed' } };
      let json: unknown;
      try {
        json = bodyText === '' ? {} : JSON.parse(bodyText);
      } catch {
        return { status: 400, body: { error: 'body is not JSON' } };
      }
      const ok = Object.entries(auth.body).every(([field, cred]) => getPath(json, [field]) === credential(cred));
      if (!ok) return { status: 401, body: { error: 'invalid credentials' } };
      const token = issueToken();
      let body = withPath({}, auth.tokenPath, token);
      if (auth.expiresAtPath) {
        body = withPath(body, auth.expiresAtPath, new Date(now() + auth.lifetimeSeconds * 1000).toISOString());
      }
      return { status: 200, body };
    }
    if (auth.kind === 'oauth2_client_credentials' && path === auth.path) {
      if (method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
      if (!/^application\/x-www-form-urlencoded/.test(headers['content-type'] ?? '')) {
        return { status: 400, body: { error: 'invalid_request', error_description: 'form body expected' } };
      }
      const form = new URLSearchParams(bodyText);
      if (form.get('grant_type') !== 'client_credentials')
        return { status: 400, body: { error: 'unsupported_grant_type' } };
      if (auth.publicKey !== undefined) {
        // private_key_jwt: the assertion alone authenticates the client.
        const verdict = verifyAssertion(form, headers, {
          publicKey: auth.publicKey,
          clientId: credential(auth.clientId),
          audience: `http://${headers.host ?? ''}${path}`,
          nowSeconds: now() / 1000,
          seenJtis,
        });
        clientAssertions.push(verdict);
        if (!verdict.valid) return { status: 401, body: { error: 'invalid_client' } };
        const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
        if (!auth.scopes.every((s) => requested.includes(s))) return { status: 400, body: { error: 'invalid_scope' } };
        return {
          status: 200,
          body: { access_token: issueToken(), token_type: 'Bearer', expires_in: auth.lifetimeSeconds },
        };
      }
      let id = form.get('client_id');
      let secret = form.get('client_secret');
      const authz = headers.authorization;
      if (authz?.startsWith('Basic ')) {
        // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
        const decoded = Buffer.from(authz.slice(6), 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
        secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      }
      if (id !== credential(auth.clientId) || secret !== credential(auth.clientSecret)) {
        return { status: 401, body: { error: 'invalid_client' } };
      }
      const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
      if (!auth.scopes.every((s) => requested.includes(s))) return { status: 400, body: { error: 'invalid_scope' } };
      return {
        status: 200,
        body: {
          access_token: issueToken(),
          token_type: 'Bearer',
          expires_in: auth.lifetimeSeconds,
          scope: requested.join(' '),
        },
      };
    }
    return undefined;
  };

  /** Chooses the page for a data request: its index and body, before filtering. */
  const selectPage = (
    url: URL,
    json: unknown,
    bound: bigint | undefined,
  ): { index: number; body: unknown; headers?: Readonly<Record<string, string>> } | { error: string } => {
    const p = scenario.pagination;
    const q = url.searchParams;
    // A real API filters before it pages: with the incremental filter on, a page left empty by
    // the filter is skipped in favour of the next one that still has records.
    const fixedPage = (index: number): { index: number; body: unknown; headers?: Readonly<Record<string, string>> } => {
      let i = index;
      while (bound !== undefined && i < pageBodies.length - 1 && recordCount(filtered(pageBodies[i], bound)) === 0) i++;
      const base = pageAt(i);
      const page = { ...base, body: filtered(base.body, bound) };
      const last = i + 1 >= pageBodies.length;
      if (p.kind === 'page_token' || p.kind === 'cursor_has_more') {
        if (!last) return page;
        const tokenPath = p.tokenPath;
        const token = hostile.repeatLastPage ? REPEAT_TOKEN : hostile.emptyPagesForever ? `${EMPTY_TOKEN}1` : undefined;
        if (token === undefined) return page;
        let body = withPath(page.body, tokenPath, token);
        if (p.kind === 'cursor_has_more') body = withPath(body, p.hasMorePath, true);
        return { ...page, body };
      }
      if (p.kind !== 'link_header') return page;
      let target: number | undefined = last ? undefined : i + 1;
      if (last && hostile.repeatLastPage) target = 0;
      if (last && hostile.emptyPagesForever) target = i + 1;
      const next = new URL(url.href);
      if (target !== undefined) next.searchParams.set(p.pageParam, String(target));
      else if (!(hostile.pollingLink && last)) return page;
      return { ...page, headers: { ...(page.headers ?? {}), Link: `<${next.href}>; rel="next"` } };
    };
    switch (p.kind) {
      case 'none':
        return fixedPage(0);
      case 'page_token':
      case 'cursor_has_more': {
        const sent = readParam(p.param, q, json);
        if (sent === undefined || sent === '') return fixedPage(0);
        if (sent === REPEAT_TOKEN && hostile.repeatLastPage) return fixedPage(Math.max(0, pageBodies.length - 1));
        if (sent.startsWith(EMPTY_TOKEN) && hostile.emptyPagesForever) {
          const n = Number(sent.slice(EMPTY_TOKEN.length));
          const tokenPath = p.tokenPath;
          let body = withPath(emptyBody(scenario), tokenPath, `${EMPTY_TOKEN}${n + 1}`);
          if (p.kind === 'cursor_has_more') body = withPath(body, p.hasMorePath, true);
          return { index: pageBodies.length + n - 1, body };
        }
        const tokenPath = p.tokenPath;
        const prev = pageBodies.findIndex((b) => {
          const t = getPath(b, tokenPath);
          return t !== undefined && t !== null && String(t) === sent;
        });
        if (prev < 0) return { error: `unknown page token ${sent}` };
        return fixedPage(prev + 1);
      }
      case 'link_header': {
        const n = Number(q.get(p.pageParam) ?? '0');
        if (hostile.emptyPagesForever && Number.isInteger(n) && n >= pageBodies.length) {
          const next = new URL(url.href);
          next.searchParams.set(p.pageParam, String(n + 1));
          return { index: n, body: emptyBody(scenario), headers: { Link: `<${next.href}>; rel="next"` } };
        }
        if (!Number.isInteger(n) || n < 0 || n >= pageBodies.length) return { error: `no page ${q.get(p.pageParam)}` };
        return fixedPage(n);
      }
      case 'page_number': {
        const number = Number(readParam(p.param, q, json) ?? p.start);
        const size = Number(readParam(p.sizeParam, q, json) ?? p.defaultSize);
        if (!Number.isInteger(number) || !Number.isInteger(size) || size <= 0 || number < p.start) {
          return { error: 'bad page number or size' };
        }
        const index = number - p.start;
        const list = keepAfter(records, bound);
        return {
          index,
          body: withPath(emptyBody(scenario), scenario.recordsPath, list.slice(index * size, (index + 1) * size)),
        };
      }
      case 'offset': {
        const offset = Number(readParam(p.offsetParam, q, json) ?? 0);
        const limit = Number(readParam(p.limitParam, q, json) ?? p.defaultLimit);
        if (!Number.isInteger(offset) || !Number.isInteger(limit) || limit <= 0 || offset < 0) {
          return { error: 'bad offset or limit' };
        }
        const list = keepAfter(records, bound);
        let body = withPath(emptyBody(scenario), scenario.recordsPath, list.slice(offset, offset + limit));
        if (p.totalPath) body = withPath(body, p.totalPath, list.length);
        return { index: Math.floor(offset / limit), body };
      }
      case 'time_window': {
        const from = readParam(p.fromParam, q, json);
        const to = p.toParam ? readParam(p.toParam, q, json) : undefined;
        if (from === undefined) return { error: 'missing window parameter' };
        // Without `to` (when the API takes one): the open-ended window holding now, served only open pages.
        const open = p.toParam !== undefined && to === undefined;
        const index = scenario.pages.findIndex(
          (pg) =>
            pg.window?.from === from &&
            (pg.window.open === true) === open &&
            (pg.window.to === undefined || pg.window.to === to),
        );
        if (index < 0) return { index: -1, body: emptyBody(scenario) };
        const page = pageAt(index);
        return { ...page, body: filtered(page.body, bound) };
      }
    }
  };

  function pageAt(index: number): { index: number; body: unknown; headers?: Readonly<Record<string, string>> } {
    const page: MockPage | undefined = scenario.pages[index];
    if (!page) return { index, body: emptyBody(scenario) };
    return { index, body: page.body, ...(page.headers ? { headers: page.headers } : {}) };
  }

  /** The incremental filter's bound sent with this request, if any. */
  const sinceBound = (url: URL, json: unknown): bigint | undefined => {
    const since = scenario.since;
    if (!since) return undefined;
    const value = readParam(since.param, url.searchParams, json);
    if (value === undefined || value === '') return undefined;
    let text = value;
    if (since.pattern !== undefined) {
      const m = new RegExp(since.pattern).exec(value);
      if (!m || m[1] === undefined) return undefined;
      text = m[1];
    }
    return instantNanos(text);
  };

  const keepAfter = (list: readonly unknown[], bound: bigint | undefined): unknown[] => {
    const since = scenario.since;
    if (bound === undefined || !since) return [...list];
    return list.filter((r) => {
      const f = getPath(r, since.field);
      const t = typeof f === 'string' ? instantNanos(f) : undefined;
      return t === undefined || t > bound || (since.inclusive === true && t === bound);
    });
  };

  /** Applies the incremental filter to the records of `body`. */
  const filtered = (body: unknown, bound: bigint | undefined): unknown => {
    if (bound === undefined) return body;
    const list = getPath(body, scenario.recordsPath);
    if (!Array.isArray(list)) return body;
    return withPath(body, scenario.recordsPath, keepAfter(list, bound));
  };

  const recordCount = (body: unknown): number => {
    const list = getPath(body, scenario.recordsPath);
    return Array.isArray(list) ? list.length : 0;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        send(res, 500, { error: `mock server error: ${(error as Error).message}` });
      }
    });
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  function handle(req: IncomingMessage, res: ServerResponse, bodyText: string): void {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const hop = Number(url.searchParams.get(HOP_PARAM) ?? '0');
    url.searchParams.delete(HOP_PARAM);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const base = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: bodyText,
    };
    /** Answers `status` with `body`, or, for an error when credentials are echoed, with the echo. */
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
      const echo = hostile.echoCredentials;
      if (status < 400 || echo === undefined || echo === false) {
        send(res, status, body, extra);
        return;
      }
      const known = [...Object.values(scenario.credentials), ...issuedTokens];
      const values = carriedValues(headers, url.search, bodyText, known);
      const answer = echoBody(status, values, echo === 'json' ? 'json' : 'text');
      res.writeHead(status, {
        'Content-Type': answer.contentType,
        'Content-Length': Buffer.byteLength(answer.text),
        ...extra,
      });
      res.end(answer.text);
    };
    if (requests.length >= maxRequests) {
      requests.push({ ...base, endpoint: 'other', status: 503 });
      send(res, 503, { error: 'mock server request cap reached' });
      void close();
      return;
    }

    const token = tokenEndpoint(base.method, url.pathname, req.headers, bodyText);
    if (token) {
      requests.push({ ...base, endpoint: 'token', status: token.status });
      reply(token.status, token.body);
      return;
    }
    if (url.pathname !== scenario.path) {
      requests.push({ ...base, endpoint: 'other', status: 404 });
      reply(404, { error: 'not found' });
      return;
    }
    if (base.method !== scenario.method) {
      requests.push({ ...base, endpoint: 'data', status: 405 });
      reply(405, { error: 'method not allowed' });
      return;
    }
    if (!authorized(scenario.auth, req.headers)) {
      requests.push({ ...base, endpoint: 'data', status: 401 });
      reply(401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }

    // Quota accounting happens before page faults: every request that reaches the API uses one unit.
    const rl = scenario.rateLimit;
    const quotaHeaders: Record<string, string> = {};
    if (rl && quota) {
      const t = now();
      if (quota.resetAt !== 0 && t >= quota.resetAt) quota = { remaining: rl.quota, resetAt: 0 };
      if (quota.resetAt === 0) quota.resetAt = t + rl.windowSeconds * 1000;
      if (quota.remaining <= 0) {
        violations++;
        const record: RecordedRequest = { ...base, endpoint: 'data', status: 429 };
        requests.push(record);
        reply(
          429,
          { error: 'rate limit exceeded' },
          {
            [rl.remainingHeader]: '0',
            [rl.resetHeader]: String(Math.ceil(quota.resetAt / 1000)),
          },
        );
        return;
      }
      quota.remaining--;
      quotaHeaders[rl.remainingHeader] = String(quota.remaining);
      quotaHeaders[rl.resetHeader] = String(Math.ceil(quota.resetAt / 1000));
    }

    let json: unknown;
    if (bodyText !== '') {
      try {
        json = JSON.parse(bodyText);
      } catch {
        requests.push({ ...base, endpoint: 'data', status: 400 });
        reply(400, { error: 'body is not JSON' });
        return;
      }
    }
    const selected = selectPage(url, json, sinceBound(url, json));
    if ('error' in selected) {
      requests.push({ ...base, endpoint: 'data', status: 400 });
      reply(400, { error: selected.error }, quotaHeaders);
      return;
    }
    const record: RecordedRequest = { ...base, endpoint: 'data', page: selected.index, status: 200 };
    requests.push(record);

    if (failPage !== undefined && selected.index === failPage) {
      if (failMode === 'hang') {
        record.status = 0;
        return;
      }
      if (failMode === 'reset') {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      record.status = 500;
      reply(500, { error: 'injected permanent failure' }, quotaHeaders);
      return;
    }
    const fault = scenario.faults.find((f) => f.page === selected.index && (faultCounts.get(f) ?? 0) < (f.times ?? 1));
    if (fault) {
      faultCounts.set(fault, (faultCounts.get(fault) ?? 0) + 1);
      if (fault.status === 'hang') {
        record.status = 0;
        return;
      }
      if (fault.status === 'reset') {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      record.status = fault.status;
      const extra: Record<string, string> = { ...quotaHeaders };
      if (fault.retryAfter) {
        extra['Retry-After'] =
          fault.retryAfter.format === 'seconds'
            ? String(fault.retryAfter.seconds)
            : new Date(now() + fault.retryAfter.seconds * 1000).toUTCString();
      }
      reply(fault.status, { error: `injected ${fault.status}` }, extra);
      return;
    }

    const redirect = hostile.redirect;
    if (redirect && selected.index === redirect.page) {
      let location: string | undefined;
      if (redirect.to === 'foreign' && foreign) location = `${foreign.url}${url.pathname}${url.search}`;
      if (redirect.to === 'same' && hop < (redirect.hops ?? 1)) {
        const next = new URL(url.href);
        next.searchParams.set(HOP_PARAM, String(hop + 1));
        location = next.href;
      }
      if (location !== undefined) {
        record.status = redirect.status;
        res.writeHead(redirect.status, { Location: location, 'Content-Length': '0', ...quotaHeaders });
        res.end();
        return;
      }
    }

    const pageHeaders: Record<string, string> = { ...(selected.headers ?? {}), ...quotaHeaders };
    if (hostile.foreignLink && selected.index === hostile.foreignLink.page && foreign) {
      pageHeaders.Link = `<${foreign.url}${url.pathname}?page=${selected.index + 1}>; rel="next"`;
    }
    let body = selected.body;
    const deep = hostile.deepRecord;
    const withDeep = deep !== undefined && selected.index === deep.page && deepKept(deep.fields ?? {}, url, json);
    if (withDeep) {
      const list = getPath(body, scenario.recordsPath);
      const records = Array.isArray(list) ? [...(list as unknown[])] : [];
      records.splice(Math.min(deep.index ?? 0, records.length), 0, DEEP_MARKER);
      body = withPath(body, scenario.recordsPath, records);
    }
    if (hostile.endlessBody && selected.index === hostile.endlessBody.page) {
      record.bytesSent = 0;
      void sendEndless(res, pageHeaders, openRecordsText(scenario.recordsPath), (n) => {
        record.bytesSent = n;
      });
      return;
    }
    let text = JSON.stringify(body);
    if (withDeep) {
      text = text.replace(JSON.stringify(DEEP_MARKER), deepRecordText(deep.depth, deep.fields, deep.shape));
    }
    const big = hostile.oversized;
    if (big && selected.index === big.page) {
      record.bytesSent = 0;
      void sendPadded(res, 200, pageHeaders, text, big.bytes, big.chunked === true).then((n) => {
        record.bytesSent = n;
      });
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...pageHeaders,
    });
    res.end(text);
  }

  /** Whether the incremental filter keeps a deep record with these top-level fields. */
  function deepKept(fields: Readonly<Record<string, unknown>>, url: URL, json: unknown): boolean {
    return keepAfter([fields], sinceBound(url, json)).length === 1;
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      const own = new Promise<void>((done) => server.close(() => done()));
      for (const s of sockets) s.destroy();
      void Promise.all([own, foreign?.close()]).then(() => resolve());
    });
    return closed;
  };
  const lifetime = setTimeout(() => void close(), scenario.maxLifetimeMs ?? DEFAULT_LIFETIME_MS);
  lifetime.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close,
    requests,
    issuedTokens,
    clientAssertions,
    foreign,
    setFailPage(page, mode = 500) {
      failPage = page;
      failMode = mode;
    },
    get rateLimitViolations() {
      return violations;
    },
  };
}
