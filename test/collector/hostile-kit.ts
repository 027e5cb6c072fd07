/**
 * Shared pieces of the hostile-API tests of `mapc collect`: the pagination kinds as (IR, mock)
 * pairs that page any list of records, the auth kinds likewise, the leak check over everything a
 * run leaves behind (stdout, stderr, state, error, requests that reached another origin), and a
 * real `mapc collect` child process with its peak resident memory.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { AuthIR, IntegrationIR, PaginationIR } from '../../compiler/ir.ts';
import { findLeaks, type Leak } from '../mock-api/leaks.ts';
import type { MockApi } from '../mock-api/server.ts';
import { hostileCredential } from '../mock-api/hostile.ts';
import type { MockScenario } from '../mock-api/scenario.ts';
import type { RunOutput } from './harness.ts';
import { SYNTHETIC_LOC as LOC } from '../support/ir.ts';
import { chunks } from './synthetic.ts';

/** A pagination kind: its IR, and the mock scenario fields that page `records` by `perPage`. */
export interface PagingKind {
  readonly name: PaginationIR['kind'];
  readonly ir: PaginationIR;
  scenario(records: readonly unknown[], perPage: number): Record<string, unknown>;
}

export function pagingKind(
  name: 'page_token' | 'cursor_has_more' | 'link_header' | 'page_number' | 'offset',
  perPage: number,
): PagingKind {
  switch (name) {
    case 'page_token':
      return {
        name,
        ir: { kind: 'page_token', tokenPath: ['next'], param: { in: 'query', name: 'page_token' }, loc: LOC },
        scenario: (records, n) => ({
          pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
          pages: chunks(records, n).map((data, i, all) =>
            i < all.length - 1 ? { data, next: `tok-${i + 2}` } : { data },
          ),
        }),
      };
    case 'cursor_has_more':
      return {
        name,
        ir: {
          kind: 'cursor_has_more',
          tokenPath: ['meta', 'cursor'],
          hasMorePath: ['meta', 'has_more'],
          param: { in: 'query', name: 'cursor' },
          loc: LOC,
        },
        scenario: (records, n) => ({
          pagination: {
            kind: 'cursor_has_more',
            tokenPath: 'meta.cursor',
            hasMorePath: 'meta.has_more',
            param: 'cursor',
          },
          pages: chunks(records, n).map((data, i, all) => ({
            data,
            meta: { has_more: i < all.length - 1, cursor: `c${i + 2}` },
          })),
        }),
      };
    case 'link_header':
      return {
        name,
        ir: { kind: 'link_header', loc: LOC },
        scenario: (records, n) => ({
          pagination: { kind: 'link_header', pageParam: 'p' },
          pages: chunks(records, n).map((data) => ({ data })),
        }),
      };
    case 'page_number':
      return {
        name,
        ir: {
          kind: 'page_number',
          param: { in: 'query', name: 'page' },
          start: 1,
          size: { param: { in: 'query', name: 'per_page' }, value: perPage },
          loc: LOC,
        },
        scenario: (records) => ({
          pagination: { kind: 'page_number', param: 'page', start: 1, sizeParam: 'per_page' },
          records,
        }),
      };
    case 'offset':
      return {
        name,
        ir: {
          kind: 'offset',
          offsetParam: { in: 'query', name: 'offset' },
          limitParam: { in: 'query', name: 'limit' },
          limit: perPage,
          loc: LOC,
        },
        scenario: (records) => ({
          pagination: { kind: 'offset', offsetParam: 'offset', limitParam: 'limit' },
          records,
        }),
      };
  }
}

/** An auth kind: its IR, secrets, extra settings, and the mock's auth, with hostile credential values. */
export interface AuthKind {
  /** The auth kind, or `oauth2 private_key_jwt` for the OAuth2 client that signs an assertion. */
  readonly name: string;
  readonly ir: AuthIR;
  readonly secrets: string[];
  readonly settings: { name: string; type: 'string' }[];
  readonly mock: Record<string, unknown>;
  /** Credential values (hostile: quotes, backslash, `+`, `/`, `%`, `&`, `=`, a space). */
  readonly credentials: Record<string, string>;
  /** `--set` values the auth needs (the Basic user name from a setting). */
  readonly sets: Record<string, string>;
  /** Wrong values that still parse, where a hostile text would not (a private key): by secret name. */
  readonly wrong?: Record<string, string>;
}

/** A P-256 key pair as PEM texts (the private key a `private_key_jwt` client signs with). */
function ecKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

const url = (path: string) => ({
  parts: [
    { kind: 'setting' as const, name: 'base_url' },
    { kind: 'text' as const, text: path },
  ],
});

export function authKinds(): AuthKind[] {
  const clientKey = ecKeyPair();
  const secretTemplate = (name: string) => ({
    kind: 'string' as const,
    template: { parts: [{ kind: 'secret' as const, name }] },
  });
  const user = hostileCredential('user');
  return [
    {
      name: 'header',
      ir: { kind: 'header', header: 'X-API-Key', secret: 'api_key', loc: LOC },
      secrets: ['api_key'],
      settings: [],
      mock: { kind: 'header', header: 'X-API-Key', secret: 'api_key' },
      credentials: { api_key: hostileCredential('key') },
      sets: {},
    },
    {
      name: 'bearer',
      ir: { kind: 'bearer', secret: 'api_token', loc: LOC },
      secrets: ['api_token'],
      settings: [],
      mock: { kind: 'bearer', secret: 'api_token' },
      credentials: { api_token: hostileCredential('bearer') },
      sets: {},
    },
    {
      name: 'basic',
      ir: { kind: 'basic', username: { kind: 'setting', name: 'user' }, password: 'api_password', loc: LOC },
      secrets: ['api_password'],
      settings: [{ name: 'user', type: 'string' }],
      mock: { kind: 'basic', username: 'user', password: 'api_password' },
      credentials: { user, api_password: hostileCredential('password') },
      sets: { user },
    },
    {
      name: 'token_exchange',
      ir: {
        kind: 'token_exchange',
        request: {
          method: 'POST',
          url: url('/login'),
          headers: [],
          query: [],
          body: {
            kind: 'object',
            entries: [
              { key: 'key', value: secretTemplate('api_key') },
              { key: 'secret', value: secretTemplate('api_secret') },
            ],
          },
        },
        tokenPath: ['token'],
        lifetimeSeconds: 3600,
        renewBeforeSeconds: 60,
        header: {
          name: 'Authorization',
          value: { parts: [{ kind: 'text', text: 'Bearer ' }, { kind: 'token' }] },
          omitIfEmpty: false,
        },
        loc: LOC,
      },
      secrets: ['api_key', 'api_secret'],
      settings: [],
      mock: { kind: 'token_exchange', path: '/login', body: { key: 'api_key', secret: 'api_secret' } },
      credentials: { api_key: hostileCredential('key'), api_secret: hostileCredential('secret') },
      sets: {},
    },
    {
      name: 'oauth2_client_credentials',
      ir: {
        kind: 'oauth2_client_credentials',
        tokenUrl: url('/oauth/token'),
        clientId: { kind: 'secret', name: 'client_id' },
        clientSecret: 'client_secret',
        scopes: ['audit.read'],
        loc: LOC,
      },
      secrets: ['client_id', 'client_secret'],
      settings: [],
      mock: {
        kind: 'oauth2_client_credentials',
        path: '/oauth/token',
        clientId: 'client_id',
        clientSecret: 'client_secret',
        scopes: ['audit.read'],
      },
      credentials: { client_id: hostileCredential('client'), client_secret: hostileCredential('csecret') },
      sets: {},
    },
    {
      name: 'oauth2 private_key_jwt',
      ir: {
        kind: 'oauth2_client_credentials',
        tokenUrl: url('/oauth/token'),
        clientId: { kind: 'secret', name: 'client_id' },
        privateKey: 'client_key',
        scopes: ['audit.read'],
        loc: LOC,
      },
      secrets: ['client_id', 'client_key'],
      settings: [],
      mock: {
        kind: 'oauth2_client_credentials',
        path: '/oauth/token',
        clientId: 'client_id',
        scopes: ['audit.read'],
        publicKey: clientKey.publicKey,
      },
      credentials: { client_id: hostileCredential('client'), client_key: clientKey.privateKey },
      sets: {},
      // Another key: the assertion is well formed and its signature wrong (401, E0803).
      wrong: { client_key: ecKeyPair().privateKey },
    },
  ];
}

/** Everything a run left behind where a credential must never appear. */
export function leftBehind(outputs: readonly RunOutput[], api: MockApi): string[] {
  return [
    ...outputs.flatMap((o) => [o.stdout, o.stderr, o.state ?? '', o.result.error?.message ?? '']),
    ...(api.foreign?.requests.map((r) => JSON.stringify(r)) ?? []),
  ];
}

/** Every leak of the scenario's credentials and issued tokens (plus `extra`) in `texts`. */
export function leaks(
  api: MockApi,
  scenario: MockScenario,
  texts: readonly string[],
  extra: readonly string[] = [],
): Leak[] {
  const credentials = [
    ...Object.values(scenario.credentials),
    ...api.issuedTokens,
    ...api.clientAssertions.map((a) => a.assertion),
    ...extra,
  ];
  expect(credentials.length).toBeGreaterThan(0);
  return texts.flatMap((t) => findLeaks(t, credentials));
}

/** The result of a `mapc collect` child process. */
export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size of the child (VmHWM of /proc/<pid>/status), in bytes; 0 when unreadable. */
  readonly peakRssBytes: number;
}

/** Reads a process's VmHWM (peak RSS) in bytes, or 0. */
function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs `node bin/mapc.js collect <irFile> ...args` with `env` added to this process's environment.
 * `until` (polled every 20 ms) may return true to SIGKILL the child; peak RSS is sampled as it runs.
 * Bounded by `timeoutMs` (then SIGKILL).
 */
export async function runChild(
  ir: IntegrationIR,
  irFile: string,
  args: readonly string[],
  env: Record<string, string>,
  opts: { until?: () => boolean; timeoutMs?: number } = {},
): Promise<ChildRun> {
  writeFileSync(irFile, JSON.stringify(ir));
  const child = spawn(process.execPath, ['bin/mapc.js', 'collect', irFile, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let peak = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    if (child.pid !== undefined) peak = Math.max(peak, peakRss(child.pid));
    if (opts.until?.() === true || Date.now() - started > (opts.timeoutMs ?? 60_000)) child.kill('SIGKILL');
  }, 20);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  clearInterval(timer);
  return { code, signal, stdout, stderr, peakRssBytes: peak };
}

/** NDJSON text → values. */
export function ndjson(text: string): unknown[] {
  return text.trim() === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown);
}
