/**
 * The mock vendor API's scenario: what one data endpoint serves, how it authenticates and pages,
 * and which faults it injects. Used by `mapc collect` tests and the CEL (mito) tests alike.
 *
 * A scenario is plain JSON (`fixtures/<vendor>/<stream>/scenario.json`, response bodies in
 * `responses/*.json` next to it) plus `credentials`, which are never stored: {@link loadScenario}
 * fills every credential the auth names with a fresh random value, so a test can search its
 * captured output for those values.
 *
 * Paths are arrays of segments (`["list", "response", "next_page_token"]`) or, for convenience
 * in JSON, dotted strings (`"list.response.next_page_token"`); {@link normalizeScenario} turns
 * the latter into arrays.
 *
 * A hostile API is the same scenario with {@link MockHostile} options (`"hostile": {...}` in
 * JSON); `hostile.ts` holds their building blocks and data helpers (`tiedRecords`,
 * `hostileCredential`, `encodedForms`), `leaks.ts` the search of captured text for credentials
 * in every encoding.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ForeignOrigin } from './hostile.ts';

/** Where a pagination or filter value travels: the same shape as the IR's `ParamLocation`. */
export type MockParam =
  { readonly in: 'query'; readonly name: string } | { readonly in: 'body'; readonly path: readonly string[] };

/**
 * What the server accepts as credentials. Credential *names* (e.g. `api_token`) refer to
 * {@link MockScenario.credentials}; the server answers 401 when a data request lacks the exact
 * expected value.
 */
export type MockAuth =
  | { readonly kind: 'none' }
  /**
   * `<header>: <prefix><credential>` (Entro: the raw token is the whole `Authorization` value;
   * Okta: `Authorization: SSWS <token>`, prefix `SSWS `).
   */
  | { readonly kind: 'header'; readonly header: string; readonly secret: string; readonly prefix?: string }
  /** `Authorization: Bearer <credential>` (RFC 6750 §2.1). */
  | { readonly kind: 'bearer'; readonly secret: string }
  /** `Authorization: Basic base64(user:password)` (RFC 7617). */
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /**
   * A login endpoint (`method path`, JSON body) issuing an expiring token (Endor Labs:
   * `POST /v1/auth/api-key` with `{"key","secret"}` → `{"token"}`). `body` maps each JSON body field
   * to the credential it must equal. Data requests must carry `<header>: <prefix><token>`.
   * A token older than `lifetimeSeconds` (by the server's clock) is refused with 401.
   */
  | {
      readonly kind: 'token_exchange';
      readonly path: string;
      readonly method: 'POST' | 'GET';
      readonly body: Readonly<Record<string, string>>;
      readonly tokenPath: readonly string[];
      readonly lifetimeSeconds: number;
      /** When set, the response also carries the RFC 3339 expiry at this path. */
      readonly expiresAtPath?: readonly string[];
      readonly header: string;
      readonly prefix: string;
    }
  /**
   * RFC 6749 §4.4 client credentials: `POST path` with a form body `grant_type=client_credentials`
   * (and `scope`), the client authenticated by HTTP Basic or by `client_id`/`client_secret` form
   * fields (§2.3.1). Answers `{access_token, token_type: "Bearer", expires_in}`; data requests need
   * `Authorization: Bearer <access_token>`. `scopes`, when given, must all be requested.
   */
  | {
      readonly kind: 'oauth2_client_credentials';
      readonly path: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scopes: readonly string[];
      readonly lifetimeSeconds: number;
      /**
       * `private_key_jwt` (RFC 7523 §2.2): the client's public key (PEM or public JWK text). The
       * client then authenticates with a `client_assertion` only (no secret, no Basic header),
       * a JWT this key verifies (RS256 or ES256) whose claims are `iss` = `sub` = the client id,
       * `aud` = the token URL, a `jti` never seen before, `exp` in the future and at most an
       * hour after `iat` (./server.ts `verifyAssertion`); `clientSecret` is not used.
       */
      readonly publicKey?: string;
    };

/** How the server chooses the page to serve from a request. */
export type MockPagination =
  /** Always `pages[0]`. */
  | { readonly kind: 'none' }
  /**
   * `pages` in order; the first request carries no token, the next one the token found at
   * `tokenPath` of the previous page's body (absent/empty = last page).
   */
  | { readonly kind: 'page_token'; readonly tokenPath: readonly string[]; readonly param: MockParam }
  /** Like `page_token`, with the page token (the vendor's "cursor") at `tokenPath` and `has_more` at `hasMorePath`. */
  | {
      readonly kind: 'cursor_has_more';
      readonly tokenPath: readonly string[];
      readonly hasMorePath: readonly string[];
      readonly param: MockParam;
    }
  /**
   * All records (see {@link MockScenario.records}) sliced by page number and size: page `n` holds
   * records `[(n - start) * size, (n - start + 1) * size)`; a missing page number means `start`.
   */
  | {
      readonly kind: 'page_number';
      readonly param: MockParam;
      readonly start: number;
      readonly sizeParam: MockParam;
      /** Size used when the request does not send one. */
      readonly defaultSize: number;
    }
  /** All records sliced by offset and limit; `totalPath` (optional) receives the record count. */
  | {
      readonly kind: 'offset';
      readonly offsetParam: MockParam;
      readonly limitParam: MockParam;
      readonly defaultLimit: number;
      readonly totalPath?: readonly string[];
    }
  /**
   * `pages` in order; page `i` is served at the data path with query `pageParam=i` (none = 0)
   * and carries `Link: <absolute url of page i+1>; rel="next"` (RFC 8288 §3) except the last.
   */
  | { readonly kind: 'link_header'; readonly pageParam: string }
  /**
   * The page whose `window.from` equals the request's `fromParam` value (and whose `window.to`,
   * when given, equals `toParam`'s); any other window gets {@link MockScenario.emptyBody}. With a
   * `toParam`, a request without it asks for the open-ended window that holds now: it gets only
   * a page marked `window.open` (and an open page only such a request), as the mock of Elastic's
   * own Entro system test serves today's records only to the request without `to`
   * (elastic/integrations `packages/entro/_dev/deploy/docker/files/config.yml`).
   */
  | { readonly kind: 'time_window'; readonly fromParam: MockParam; readonly toParam?: MockParam };

/** One response body the server can serve. */
export interface MockPage {
  readonly body: unknown;
  /** Time-window pagination: the window this body answers. */
  readonly window?: { readonly from: string; readonly to?: string; readonly open?: boolean };
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A fault answered instead of a page, the first `times` times that page is requested. */
export interface MockFault {
  /** 0-based index of the page (see {@link MockPagination}) whose requests get the fault. */
  readonly page: number;
  /**
   * An HTTP status, `reset` to destroy the connection without an answer (network error), or
   * `hang` to never answer (until the server closes): a client stuck mid-run, to be killed.
   */
  readonly status: 400 | 401 | 403 | 404 | 429 | 500 | 502 | 503 | 'reset' | 'hang';
  /** Default 1. */
  readonly times?: number;
  /** `Retry-After` as delta-seconds or as an HTTP-date `seconds` from the server's now (RFC 9110 §10.2.3). */
  readonly retryAfter?: { readonly seconds: number; readonly format: 'seconds' | 'http-date' };
}

/**
 * A request quota advertised in `remainingHeader`/`resetHeader` (reset as epoch seconds). Every
 * data request uses one unit; once none is left, requests before the reset time get 429 (without
 * `Retry-After`) and count as violations in {@link MockApi.rateLimitViolations}.
 */
export interface MockRateLimit {
  readonly quota: number;
  readonly windowSeconds: number;
  readonly remainingHeader: string;
  readonly resetHeader: string;
}

/**
 * An incremental filter the real API applies: records whose `field` instant is not strictly
 * after the value sent in `param` are left out of every page (Endor Labs:
 * `list_parameters.filter=meta.create_time > date(<cursor>)`). `pattern` is a regular expression
 * whose first group captures the instant (default: the whole value). Empty value = no filter.
 * Instants: RFC 3339 text, compared at nanosecond precision.
 */
/**
 * The API's incremental filter: records whose `field` (RFC 3339) is after the instant sent in
 * `param` (the text `pattern`'s first group captures, when given). Strictly after by default;
 * at or after with `inclusive` (Bitwarden's `start`: `[Date] >= @StartDate`).
 */
export interface MockSinceFilter {
  readonly param: MockParam;
  readonly pattern?: string;
  readonly field: readonly string[];
  readonly inclusive?: boolean;
}

/** How a permanently failing page fails (see {@link MockScenario.failPage}). */
export type MockFailMode = 500 | 'reset' | 'hang';

/**
 * What a hostile (or merely broken) vendor API does, each independent of the others. Page
 * indexes are 0-based, as in {@link MockFault}. Anything aimed at another origin goes to the
 * mock's {@link ForeignOrigin} (`MockApi.foreign`), a second server on another 127.0.0.1 port
 * that records every request it gets and answers records an attacker would inject
 * ({@link MockHostile.foreignRecords}).
 */
export interface MockHostile {
  /**
   * Every error answer (status >= 400: 401 for missing credentials, 400/404/405, injected
   * faults, token endpoint refusals) carries the credentials the request carried (each header
   * value, the query, the body, a decoded Basic pair, each scenario credential or issued token
   * found in them) in raw, JSON-escaped, URL-encoded, form-encoded, base64 and base64url forms.
   * `text` (or `true`): a `text/plain` body with one `form: value` line each; `json`: a JSON
   * body whose `error` field is the first value.
   */
  readonly echoCredentials?: boolean | 'text' | 'json';
  /** Page `page` carries `Link: <foreign origin/path?page=page+1>; rel="next"` (any pagination kind). */
  readonly foreignLink?: { readonly page: number };
  /**
   * Data requests for page `page` are answered with a redirect `status` to the same URL on the
   * foreign origin (`to: 'foreign'`) or on this server with a hop marker (`to: 'same'`); a
   * same-origin redirect repeats `hops` times (default 1) before the page is served.
   */
  readonly redirect?: {
    readonly page: number;
    readonly status: 301 | 302 | 303 | 307 | 308;
    readonly to: 'same' | 'foreign';
    readonly hops?: number;
  };
  /**
   * After the last page, pagination points back to a position already used, forever:
   * `page_token`/`cursor_has_more` (with `has_more: true`): the last page carries a token that
   * serves the last page again; `link_header`: the last page links to page 0 (a cycle).
   */
  readonly repeatLastPage?: boolean;
  /**
   * After the last page, empty pages that still claim more, forever: a fresh page token (with
   * `has_more: true` for `cursor_has_more`) or, for `link_header`, a link to the next (empty) page.
   */
  readonly emptyPagesForever?: boolean;
  /** `link_header`: the last page (and any empty page) carries a next link to its own URL, as polling APIs do. */
  readonly pollingLink?: boolean;
  /** Page `page`'s body is padded with spaces to `bytes` bytes (chunked: without `Content-Length`). */
  readonly oversized?: { readonly page: number; readonly bytes: number; readonly chunked?: boolean };
  /** Page `page`'s body never ends: records streamed with chunked encoding until the client goes away. */
  readonly endlessBody?: { readonly page: number };
  /**
   * Page `page` holds, at `index` of its records (default 0, clamped to the end), a record
   * nested `depth` levels deep: `{...fields, "nested": {"a": {"a": ...}}}` (or arrays with
   * `shape: 'array'`). `fields` (default none) also decide whether the incremental filter keeps it.
   */
  readonly deepRecord?: {
    readonly page: number;
    readonly depth: number;
    readonly index?: number;
    readonly fields?: Readonly<Record<string, unknown>>;
    readonly shape?: 'object' | 'array';
  };
  /** Records the foreign origin answers (default one record, id `injected-by-foreign-origin`, dated 2999). */
  readonly foreignRecords?: readonly unknown[];
}

export interface MockScenario {
  /** Data endpoint path, e.g. `/v1/namespaces/acme/audit-logs`. */
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly auth: MockAuth;
  readonly pagination: MockPagination;
  /** Where the records are in a body; `[]` = the body is the array. */
  readonly recordsPath: readonly string[];
  readonly pages: readonly MockPage[];
  /** For `page_number`/`offset`: all records (default: the concatenation of `pages`' records). */
  readonly records?: readonly unknown[];
  /** Body served for an unknown window or past the last page (default: `[]` or an envelope with no records). */
  readonly emptyBody?: unknown;
  readonly since?: MockSinceFilter;
  readonly faults: readonly MockFault[];
  readonly rateLimit?: MockRateLimit;
  /** Index of a page that always fails (a run stopped mid-way); change it with `setFailPage`. */
  readonly failPage?: number;
  /** How {@link failPage} fails: HTTP 500 (default), `reset` (connection destroyed) or `hang` (no answer). */
  readonly failMode?: MockFailMode;
  /** Misbehaviours of a hostile API (none by default). */
  readonly hostile?: MockHostile;
  /** Credential name → test value. Never written to disk. */
  readonly credentials: Readonly<Record<string, string>>;
  /** Setting values a client needs to reach this scenario (e.g. the namespace in `path`), by setting name. */
  readonly settings: Readonly<Record<string, string>>;
  /** Safety bounds: the server answers 503 and stops after this many requests (default 2000)... */
  readonly maxRequests?: number;
  /** ...or this many milliseconds after start (default 120000). */
  readonly maxLifetimeMs?: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh random credential value, recognisable in captured output (`mock-cred-<hex>`). */
export function randomCredential(): string {
  return `mock-cred-${randomBytes(12).toString('hex')}`;
}

/** The credential names an auth refers to. */
export function credentialNames(auth: MockAuth): string[] {
  switch (auth.kind) {
    case 'none':
      return [];
    case 'header':
    case 'bearer':
      return [auth.secret];
    case 'basic':
      return [auth.username, auth.password];
    case 'token_exchange':
      return Object.values(auth.body);
    case 'oauth2_client_credentials':
      return auth.publicKey !== undefined ? [auth.clientId] : [auth.clientId, auth.clientSecret];
  }
}

type Loose = Record<string, unknown>;

function asPath(value: unknown, fallback: readonly string[] = []): readonly string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value === '' || value === '$' ? [] : value.split('.');
  return fallback;
}

function asParam(value: unknown, what: string): MockParam {
  if (typeof value === 'string') return { in: 'query', name: value };
  const v = value as Loose | undefined;
  if (v?.in === 'query' && typeof v.name === 'string') return { in: 'query', name: v.name };
  if (v?.in === 'body') return { in: 'body', path: asPath(v.path ?? v.name) };
  throw new Error(`mock scenario: ${what} must be "name" or {"in":"query","name"} or {"in":"body","path"}`);
}

function normalizeAuth(a: Loose | undefined): MockAuth {
  const kind = a?.kind ?? 'none';
  switch (kind) {
    case 'none':
      return { kind: 'none' };
    case 'header':
      return {
        kind: 'header',
        header: String(a?.header ?? 'Authorization'),
        secret: String(a?.secret),
        ...(typeof a?.prefix === 'string' ? { prefix: a.prefix } : {}),
      };
    case 'bearer':
      return { kind: 'bearer', secret: String(a?.secret) };
    case 'basic':
      return { kind: 'basic', username: String(a?.username), password: String(a?.password) };
    case 'token_exchange':
      return {
        kind: 'token_exchange',
        path: String(a?.path),
        method: a?.method === 'GET' ? 'GET' : 'POST',
        body: (a?.body ?? {}) as Record<string, string>,
        tokenPath: asPath(a?.tokenPath, ['token']),
        lifetimeSeconds: Number(a?.lifetimeSeconds ?? 3600),
        ...(a?.expiresAtPath !== undefined ? { expiresAtPath: asPath(a.expiresAtPath) } : {}),
        header: String(a?.header ?? 'Authorization'),
        prefix: String(a?.prefix ?? 'Bearer '),
      };
    case 'oauth2_client_credentials':
    case 'oauth2':
      return {
        kind: 'oauth2_client_credentials',
        path: String(a?.path ?? '/oauth/token'),
        clientId: String(a?.clientId ?? 'client_id'),
        clientSecret: String(a?.clientSecret ?? 'client_secret'),
        scopes: Array.isArray(a?.scopes) ? a.scopes.map(String) : [],
        lifetimeSeconds: Number(a?.lifetimeSeconds ?? 3600),
        ...(typeof a?.publicKey === 'string' ? { publicKey: a.publicKey } : {}),
      };
    default:
      throw new Error(`mock scenario: unknown auth kind ${String(kind)}`);
  }
}

function normalizePagination(p: Loose | undefined): MockPagination {
  const kind = p?.kind ?? 'none';
  switch (kind) {
    case 'none':
      return { kind: 'none' };
    case 'page_token':
      return { kind: 'page_token', tokenPath: asPath(p?.tokenPath), param: asParam(p?.param, 'page_token.param') };
    case 'cursor_has_more':
      return {
        kind: 'cursor_has_more',
        tokenPath: asPath(p?.tokenPath),
        hasMorePath: asPath(p?.hasMorePath),
        param: asParam(p?.param, 'cursor_has_more.param'),
      };
    case 'page_number':
      return {
        kind: 'page_number',
        param: asParam(p?.param, 'page_number.param'),
        start: Number(p?.start ?? 1),
        sizeParam: asParam(p?.sizeParam, 'page_number.sizeParam'),
        defaultSize: Number(p?.defaultSize ?? 100),
      };
    case 'offset':
      return {
        kind: 'offset',
        offsetParam: asParam(p?.offsetParam, 'offset.offsetParam'),
        limitParam: asParam(p?.limitParam, 'offset.limitParam'),
        defaultLimit: Number(p?.defaultLimit ?? 100),
        ...(p?.totalPath !== undefined ? { totalPath: asPath(p.totalPath) } : {}),
      };
    case 'link_header':
      return { kind: 'link_header', pageParam: String(p?.pageParam ?? 'page') };
    case 'time_window':
      return {
        kind: 'time_window',
        fromParam: asParam(p?.fromParam ?? 'from', 'time_window.fromParam'),
        ...(p?.toParam !== null ? { toParam: asParam(p?.toParam ?? 'to', 'time_window.toParam') } : {}),
      };
    default:
      throw new Error(`mock scenario: unknown pagination kind ${String(kind)}`);
  }
}

/**
 * Fills defaults and converts dotted paths, so hand-written scenarios (and JSON files) may leave
 * out what has a sensible default: `method` GET, `auth` none, `pagination` none, `faults` [],
 * `credentials` random values for every credential the auth names.
 * Pages may be given as bodies directly when they are not objects with a `body` key.
 */
export function normalizeScenario(input: Loose): MockScenario {
  const auth = normalizeAuth(input.auth as Loose | undefined);
  const given = (input.credentials ?? {}) as Record<string, string>;
  const credentials: Record<string, string> = { ...given };
  for (const name of credentialNames(auth)) credentials[name] ??= randomCredential();
  const rawPages = (input.pages ?? []) as unknown[];
  const pages: MockPage[] = rawPages.map((p) =>
    typeof p === 'object' && p !== null && !Array.isArray(p) && 'body' in p ? (p as MockPage) : { body: p },
  );
  const rl = input.rateLimit as Loose | undefined;
  const since = input.since as Loose | undefined;
  return {
    path: String(input.path ?? '/'),
    method: input.method === 'POST' ? 'POST' : 'GET',
    auth,
    pagination: normalizePagination(input.pagination as Loose | undefined),
    recordsPath: asPath(input.recordsPath ?? input.records_path),
    pages,
    ...(Array.isArray(input.records) ? { records: input.records } : {}),
    ...(input.emptyBody !== undefined ? { emptyBody: input.emptyBody } : {}),
    ...(since
      ? {
          since: {
            param: asParam(since.param, 'since.param'),
            field: asPath(since.field),
            ...(typeof since.pattern === 'string' ? { pattern: since.pattern } : {}),
            ...(since.inclusive === true ? { inclusive: true } : {}),
          },
        }
      : {}),
    faults: ((input.faults ?? []) as MockFault[]).map((f) => ({ ...f })),
    ...(rl
      ? {
          rateLimit: {
            quota: Number(rl.quota ?? 10),
            windowSeconds: Number(rl.windowSeconds ?? 60),
            remainingHeader: String(rl.remainingHeader ?? 'X-RateLimit-Remaining'),
            resetHeader: String(rl.resetHeader ?? 'X-RateLimit-Reset'),
          },
        }
      : {}),
    ...(typeof input.failPage === 'number' ? { failPage: input.failPage } : {}),
    ...(input.failMode !== undefined ? { failMode: input.failMode as MockFailMode } : {}),
    ...(input.hostile !== undefined ? { hostile: input.hostile as MockHostile } : {}),
    credentials,
    settings: (input.settings ?? {}) as Record<string, string>,
    ...(typeof input.maxRequests === 'number' ? { maxRequests: input.maxRequests } : {}),
    ...(typeof input.maxLifetimeMs === 'number' ? { maxLifetimeMs: input.maxLifetimeMs } : {}),
  };
}

/**
 * Loads `fixtures/<vendor>/<stream>/scenario.json`. Page entries may be `{"file": "responses/x.json"}`
 * (or a bare file name string ending in `.json`), read relative to the scenario's directory;
 * without `pages`, every `responses/*.json` is served in file-name order.
 * Throws with the file name when the scenario is missing or malformed.
 */
export function loadScenario(vendor: string, stream: string, root: string = REPO_ROOT): MockScenario {
  const dir = join(root, 'fixtures', vendor, stream);
  const file = join(dir, 'scenario.json');
  let raw: Loose;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Loose;
  } catch (error) {
    throw new Error(`mock scenario ${file}: ${(error as Error).message}`);
  }
  const readJson = (rel: string): unknown => JSON.parse(readFileSync(join(dir, rel), 'utf8'));
  let pages: unknown[];
  if (Array.isArray(raw.pages)) {
    pages = raw.pages.map((p: unknown) => {
      if (typeof p === 'string' && p.endsWith('.json')) return { body: readJson(p) };
      if (typeof p === 'object' && p !== null && 'file' in p) {
        const { file: rel, ...rest } = p as { file: string } & Loose;
        return { ...rest, body: readJson(rel) };
      }
      return p;
    });
  } else {
    const respDir = join(dir, 'responses');
    pages = existsSync(respDir)
      ? readdirSync(respDir)
          .filter((f) => f.endsWith('.json') && f !== 'login.json')
          .sort()
          .map((f) => ({ body: readJson(join('responses', f)) }))
      : [];
  }
  return normalizeScenario({ ...raw, pages });
}
