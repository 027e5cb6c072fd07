/**
 * The auth × pagination kinds the bundled maps do not use, each emitted as a CEL program, run on
 * mito against the mock API as the Agent runs it: every record once and in order, credentials sent
 * as specified (the mock answers 401 otherwise), pagination values where the IR puts them.
 */
import { describe, expect, it } from 'vitest';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { CelAgent } from './agent.ts';
import { allStrings, compileStream, cursorSteps, fleetVars, messages, withApi } from './harness.ts';
import { celIR, LOC, nv, secret, setting, settingIR, t } from '../../support/ir.ts';

const RECORDS = [1, 2, 3, 4, 5].map((n) => ({
  id: `e${n}`,
  ts: `2024-11-1${n}T08:00:00.00000${n}Z`,
  n,
  tags: ['a', `t${n}`],
}));

function agentFor(ir: IntegrationIR, vars: Record<string, unknown>): CelAgent {
  return compileStream(ir, ir.streams[0]!, fleetVars(ir, vars)).agent;
}

function expectNoSecrets(values: unknown, secrets: readonly string[]): void {
  const strings = allStrings(values);
  for (const s of secrets) expect(strings.filter((x) => x.includes(s))).toEqual([]);
}

describe('CEL input on mito: auth and pagination kinds', () => {
  it('bearer token with an opaque cursor and has_more', async () => {
    const ir = celIR(
      {
        auth: { kind: 'bearer', secret: 'api_token', loc: LOC },
        pagination: {
          kind: 'cursor_has_more',
          tokenPath: ['meta', 'next'],
          hasMorePath: ['meta', 'has_more'],
          param: { in: 'query', name: 'cursor' },
          loc: LOC,
        },
      },
      ['api_token'],
    );
    await withApi(
      {
        path: '/v1/events',
        auth: { kind: 'bearer', secret: 'api_token' },
        pagination: { kind: 'cursor_has_more', tokenPath: 'meta.next', hasMorePath: 'meta.has_more', param: 'cursor' },
        recordsPath: 'data',
        pages: [
          { data: RECORDS.slice(0, 2), meta: { next: 'c2', has_more: true } },
          { data: RECORDS.slice(2, 4), meta: { next: 'c3', has_more: true } },
          { data: RECORDS.slice(4), meta: { next: 'c4', has_more: false } },
        ],
      },
      async (api, creds) => {
        const agent = agentFor(ir, { base_url: api.url, api_token: creds.api_token });
        const run = await agent.periodicRun();
        expect(run.errors).toEqual([]);
        expect(messages(run.published)).toEqual(RECORDS);
        expect(api.requests.map((r) => [r.query.cursor, r.status])).toEqual([
          [undefined, 200],
          ['c2', 200],
          ['c3', 200],
        ]);
        expect(api.requests.every((r) => r.headers.authorization === `Bearer ${creds.api_token}`)).toBe(true);
        expectNoSecrets([run.published, agent.loggedStates], Object.values(creds));
      },
    );
  });

  it('HTTP basic auth, POST JSON body with page numbers in the body', async () => {
    const ir = celIR(
      {
        request: {
          method: 'POST',
          url: t(setting('base_url'), '/v1/events'),
          headers: [nv('Accept', t('application/json'))],
          query: [],
          body: {
            kind: 'object',
            entries: [
              {
                key: 'filter',
                value: {
                  kind: 'object',
                  entries: [{ key: 'tenant', value: { kind: 'string', template: t(setting('tenant')) } }],
                },
              },
            ],
          },
        },
        auth: { kind: 'basic', username: { kind: 'setting', name: 'user' }, password: 'password', loc: LOC },
        pagination: {
          kind: 'page_number',
          param: { in: 'body', path: ['paging', 'page'] },
          start: 1,
          size: { param: { in: 'body', path: ['paging', 'per_page'] }, value: 2 },
          loc: LOC,
        },
      },
      ['password'],
      [settingIR('user', 'string'), settingIR('tenant', 'string')],
    );
    await withApi(
      {
        path: '/v1/events',
        method: 'POST',
        auth: { kind: 'basic', username: 'user', password: 'password' },
        credentials: { user: 'svc-reader' },
        pagination: {
          kind: 'page_number',
          param: { in: 'body', path: 'paging.page' },
          start: 1,
          sizeParam: { in: 'body', path: 'paging.per_page' },
          defaultSize: 100,
        },
        recordsPath: 'data',
        records: RECORDS,
        emptyBody: { data: [] },
      },
      async (api, creds) => {
        const agent = agentFor(ir, { base_url: api.url, user: 'svc-reader', tenant: 'acme', password: creds.password });
        const run = await agent.periodicRun();
        expect(run.errors).toEqual([]);
        expect(messages(run.published)).toEqual(RECORDS);
        // Pages of 2, 2, 1: the short third page ends the pagination.
        expect(api.requests.map((r) => [r.status, JSON.parse(r.body), r.headers['content-type']])).toEqual(
          [1, 2, 3].map((page) => [
            200,
            { filter: { tenant: 'acme' }, paging: { page, per_page: 2 } },
            'application/json',
          ]),
        );
        expectNoSecrets([run.published, agent.loggedStates], [creds.password!]);
      },
    );
  });

  it('OAuth2 client credentials requested by the program, the token cached, offset pagination stopping at total', async () => {
    const ir = celIR(
      {
        auth: {
          kind: 'oauth2_client_credentials',
          tokenUrl: t(setting('base_url'), '/oauth/token'),
          clientId: { kind: 'secret', name: 'client_id' },
          clientSecret: 'client_secret',
          scopes: ['audit.read', 'audit.list'],
          loc: LOC,
        },
        pagination: {
          kind: 'offset',
          offsetParam: { in: 'query', name: 'offset' },
          limitParam: { in: 'query', name: 'limit' },
          limit: 2,
          totalPath: ['total'],
          loc: LOC,
        },
      },
      ['client_id', 'client_secret'],
    );
    await withApi(
      {
        path: '/v1/events',
        auth: {
          kind: 'oauth2',
          path: '/oauth/token',
          clientId: 'client_id',
          clientSecret: 'client_secret',
          scopes: ['audit.read', 'audit.list'],
        },
        // Characters that form encoding changes, to prove the Basic credentials are encoded first.
        credentials: { client_id: 'svc reader+1', client_secret: `s3cr:t/${Math.random().toString(36).slice(2)}` },
        pagination: {
          kind: 'offset',
          offsetParam: 'offset',
          limitParam: 'limit',
          defaultLimit: 100,
          totalPath: 'total',
        },
        recordsPath: 'data',
        records: RECORDS.slice(0, 4),
        emptyBody: { data: [] },
      },
      async (api, creds) => {
        const { template, agent } = compileStream(
          ir,
          ir.streams[0]!,
          fleetVars(ir, { base_url: api.url, client_id: creds.client_id, client_secret: creds.client_secret }),
        );
        // Not the input's auth.oauth2: its client would set the token on redirect hops to any origin.
        expect(template).not.toContain('auth.oauth2');
        expect(agent.config.redact).toEqual({ fields: ['client_id', 'client_secret', 'auth'] });
        const run = await agent.periodicRun();
        expect(run.errors).toEqual([]);
        expect(messages(run.published)).toEqual(RECORDS.slice(0, 4));
        const data = api.requests.filter((r) => r.endpoint === 'data');
        // Offset 4 reaches total 4: no third request.
        expect(data.map((r) => [r.query.offset, r.query.limit, r.status])).toEqual([
          ['0', '2', 200],
          ['2', '2', 200],
        ]);
        // One token request for both pages (RFC 6749 §4.4.2, client authenticated per §2.3.1).
        const tokens = api.requests.filter((r) => r.endpoint === 'token');
        const form = (v: string): string => encodeURIComponent(v).replace(/%20/g, '+');
        expect(tokens.map((r) => [r.status, r.headers.authorization, r.body])).toEqual([
          [
            200,
            `Basic ${Buffer.from(`${form(creds.client_id!)}:${form(creds.client_secret!)}`).toString('base64')}`,
            'grant_type=client_credentials&scope=audit.read+audit.list',
          ],
        ]);
        expect(data.every((r) => r.headers.authorization === `Bearer ${api.issuedTokens[0]}`)).toBe(true);
        expectNoSecrets([run.published, agent.loggedStates], [...Object.values(creds), ...api.issuedTokens]);
      },
    );
  });

  it('RFC 8288 Link headers, with a record_max cursor sent in the query', async () => {
    const ir = celIR({
      request: {
        method: 'GET',
        url: t(setting('base_url'), '/v1/events'),
        headers: [],
        query: [nv('since', t({ kind: 'cursor' }))],
      },
      pagination: { kind: 'link_header', loc: LOC },
      cursor: {
        kind: 'record_max',
        field: ['ts'],
        format: { kind: 'iso8601' },
        initial: { setting: 'backfill_start', lookbackSeconds: 0 },
        loc: LOC,
      },
    });
    await withApi(
      {
        path: '/v1/events',
        pagination: { kind: 'link_header', pageParam: 'page' },
        recordsPath: 'data',
        pages: [{ data: RECORDS.slice(0, 2) }, { data: RECORDS.slice(2, 4) }, { data: RECORDS.slice(4) }],
        since: { param: 'since', field: 'ts' },
      },
      async (api) => {
        const agent = agentFor(ir, { base_url: api.url, backfill_start: '2024-01-01T00:00:00Z' });
        const run = await agent.periodicRun();
        expect(run.errors).toEqual([]);
        expect(messages(run.published)).toEqual(RECORDS);
        expect(api.requests.map((r) => [r.query.page, r.query.since])).toEqual([
          [undefined, '2024-01-01T00:00:00Z'],
          ['1', '2024-01-01T00:00:00Z'],
          ['2', '2024-01-01T00:00:00Z'],
        ]);
        const next = (page: number): string => `${api.url}/v1/events?since=2024-01-01T00%3A00%3A00Z&page=${page}`;
        expect(cursorSteps(agent.persistHistory)).toEqual([
          { committed: '2024-01-01T00:00:00Z', eventsPublished: 1 },
          { committed: '2024-01-01T00:00:00Z', next: next(1), eventsPublished: 3 },
          { committed: '2024-01-01T00:00:00Z', next: next(2), eventsPublished: 5 },
          { committed: RECORDS[4]!.ts, eventsPublished: 6 },
        ]);
        const rerun = await new CelAgent(agent.config, agent.persistedCursor).periodicRun();
        expect(rerun.published).toEqual([]);
        expect(api.requests.at(-1)?.query.since).toBe(RECORDS[4]!.ts);
      },
    );
  });

  it('token exchange with an expiry in the login response, renewed before it expires', async () => {
    const ir = celIR(
      {
        auth: {
          kind: 'token_exchange',
          request: {
            method: 'POST',
            url: t(setting('base_url'), '/auth/login'),
            headers: [],
            query: [],
            body: {
              kind: 'object',
              entries: [
                { key: 'client', value: { kind: 'string', template: t(setting('client_name')) } },
                { key: 'secret', value: { kind: 'string', template: t(secret('api_secret')) } },
              ],
            },
          },
          tokenPath: ['data', 'access'],
          lifetimeSeconds: 600,
          expiresAtPath: ['data', 'expires_at'],
          renewBeforeSeconds: 60,
          header: nv('X-Auth-Token', t({ kind: 'token' })),
          loc: LOC,
        },
      },
      ['api_secret'],
      [settingIR('client_name', 'string')],
    );
    await withApi(
      {
        path: '/v1/events',
        auth: {
          kind: 'token_exchange',
          path: '/auth/login',
          body: { client: 'client_name', secret: 'api_secret' },
          tokenPath: 'data.access',
          expiresAtPath: 'data.expires_at',
          lifetimeSeconds: 3600,
          header: 'X-Auth-Token',
          prefix: '',
        },
        credentials: { client_name: 'acme' },
        recordsPath: 'data',
        pages: [{ data: RECORDS }],
      },
      async (api, creds) => {
        const agent = agentFor(ir, { base_url: api.url, client_name: 'acme', api_secret: creds.api_secret });
        const first = await agent.periodicRun();
        expect(messages(first.published)).toEqual(RECORDS);
        // The expiry comes from the login response (one hour), not from the 10-minute fallback.
        const expires = Date.parse(String((agent.state.auth as Record<string, unknown>).expires));
        expect(expires - Date.now()).toBeGreaterThan(3000 * 1000);
        // Cached: a second run does not log in again.
        await agent.periodicRun();
        expect(api.issuedTokens).toHaveLength(1);
        // Within renew_before of the expiry: log in again before the data request.
        (agent.state.auth as Record<string, unknown>).expires = new Date(Date.now() + 30_000).toISOString();
        const third = await agent.periodicRun();
        expect(third.errors).toEqual([]);
        expect(api.issuedTokens).toHaveLength(2);
        const data = api.requests.filter((r) => r.endpoint === 'data');
        expect(data.map((r) => [r.status, r.headers['x-auth-token']])).toEqual([
          [200, api.issuedTokens[0]],
          [200, api.issuedTokens[0]],
          [200, api.issuedTokens[1]],
        ]);
        expectNoSecrets(
          [first.published, third.published, agent.loggedStates],
          [creds.api_secret!, ...api.issuedTokens],
        );
      },
    );
  });

  it('waits for the quota reset announced by X-RateLimit-Remaining / X-RateLimit-Reset', async () => {
    const ir = celIR({
      pagination: { kind: 'page_token', tokenPath: ['next'], param: { in: 'query', name: 'page_token' }, loc: LOC },
      rateLimit: { retryAfter: true, remainingHeader: 'X-RateLimit-Remaining', resetHeader: 'X-RateLimit-Reset' },
    });
    await withApi(
      {
        path: '/v1/events',
        pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
        recordsPath: 'data',
        pages: [
          { data: RECORDS.slice(0, 2), next: 'p2' },
          { data: RECORDS.slice(2, 4), next: 'p3' },
          { data: RECORDS.slice(4) },
        ],
        rateLimit: { quota: 2, windowSeconds: 2 },
      },
      async (api) => {
        const agent = agentFor(ir, { base_url: api.url });
        const run = await agent.periodicRun();
        expect(run.errors).toEqual([]);
        expect(messages(run.published)).toEqual(RECORDS);
        expect(api.rateLimitViolations).toBe(0);
      },
    );
  });

  it('stops at max_pages and continues the same pagination at the next interval', async () => {
    const ir = celIR({
      pagination: { kind: 'page_token', tokenPath: ['next'], param: { in: 'query', name: 'page_token' }, loc: LOC },
      maxPagesPerRun: 2,
    });
    await withApi(
      {
        path: '/v1/events',
        pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
        recordsPath: 'data',
        pages: [
          { data: RECORDS.slice(0, 2), next: 'p2' },
          { data: RECORDS.slice(2, 4), next: 'p3' },
          { data: RECORDS.slice(4) },
        ],
      },
      async (api) => {
        const agent = agentFor(ir, { base_url: api.url });
        const first = await agent.periodicRun();
        expect(messages(first.published)).toEqual(RECORDS.slice(0, 4));
        const second = await agent.periodicRun();
        expect(messages(second.published)).toEqual(RECORDS.slice(4));
        expect(api.requests.map((r) => r.query.page_token)).toEqual([undefined, 'p2', 'p3']);
      },
    );
  });
});
