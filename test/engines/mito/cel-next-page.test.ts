/**
 * `cursor { next_page }` in the CEL program, run on mito against the mock API as the Agent runs
 * it (the collector's twin: test/collector/next-page.test.ts): a complete page sequence leaves
 * its last page's position in the persisted cursor, so the next periodic run polls there; a
 * position on another origin, or holding a credential, is never kept.
 */
import { describe, expect, it } from 'vitest';
import type { CursorIR, IntegrationIR } from '../../../compiler/ir.ts';
import { CelAgent } from './agent.ts';
import { allStrings, compileStream, fleetVars, messages, withApi } from './harness.ts';
import { celIR, LOC, nv, setting, t } from '../../support/ir.ts';

const RECORDS = [1, 2, 3, 4, 5].map((n) => ({ id: `e${n}`, ts: `2024-11-1${n}T08:00:00Z`, n }));
const NEXT_PAGE: CursorIR = { kind: 'next_page', initial: { setting: 'backfill_start', lookbackSeconds: 0 }, loc: LOC };
const START = '2024-01-01T00:00:00Z';

function agentFor(ir: IntegrationIR, vars: Record<string, unknown>): CelAgent {
  return compileStream(ir, ir.streams[0]!, fleetVars(ir, vars)).agent;
}

const request = {
  method: 'GET' as const,
  url: t(setting('base_url'), '/v1/events'),
  headers: [],
  query: [nv('since', t({ kind: 'cursor' }))],
};

function hasMoreIR(): IntegrationIR {
  return celIR(
    {
      request,
      auth: { kind: 'bearer', secret: 'api_token', loc: LOC },
      pagination: {
        kind: 'cursor_has_more',
        tokenPath: ['meta', 'next'],
        hasMorePath: ['meta', 'has_more'],
        param: { in: 'query', name: 'cursor' },
        loc: LOC,
      },
      cursor: NEXT_PAGE,
    },
    ['api_token'],
  );
}

const hasMoreApi = (lastCursor: string) => ({
  path: '/v1/events',
  auth: { kind: 'bearer', secret: 'api_token' },
  pagination: { kind: 'cursor_has_more', tokenPath: 'meta.next', hasMorePath: 'meta.has_more', param: 'cursor' },
  recordsPath: 'data',
  pages: [
    { data: RECORDS.slice(0, 2), meta: { next: 'c2', has_more: true } },
    // No more now, and the cursor to poll with later (1Password's Events API answers so).
    { data: RECORDS.slice(2, 4), meta: { next: lastCursor, has_more: false } },
    // What the API has for that cursor by the next run.
    { data: RECORDS.slice(4), meta: { next: 'c4', has_more: false } },
  ],
});

describe('CEL input on mito: cursor { next_page }', () => {
  it('cursor_has_more: each periodic run polls from the last page cursor, never the first request again', async () => {
    await withApi(hasMoreApi('c3'), async (api, creds) => {
      const agent = agentFor(hasMoreIR(), { base_url: api.url, api_token: creds.api_token, backfill_start: START });
      const first = await agent.periodicRun();
      expect(first.errors).toEqual([]);
      expect(messages(first.published)).toEqual(RECORDS.slice(0, 4));
      expect(agent.persistedCursor).toEqual({ since: START, seq: { token: 'c3' } });
      // After an Agent restart, from the persisted cursor alone.
      const restarted = new CelAgent(agent.config, agent.persistedCursor);
      const second = await restarted.periodicRun();
      expect(second.errors).toEqual([]);
      expect(messages(second.published)).toEqual(RECORDS.slice(4));
      expect(restarted.persistedCursor).toEqual({ since: START, seq: { token: 'c4' } });
      const third = await restarted.periodicRun();
      expect(third.errors).toEqual([]);
      expect(third.published).toEqual([]);
      expect(api.requests.map((r) => [r.query.cursor, r.query.since])).toEqual([
        [undefined, START],
        ['c2', START],
        ['c3', START],
        ['c4', START],
      ]);
    });
  });

  it('a last page cursor holding the bearer token is not kept: the cursor keeps `since` alone', async () => {
    const secret = 'tok-0123456789abcdef';
    await withApi({ ...hasMoreApi(`x${secret}x`), credentials: { api_token: secret } }, async (api) => {
      const agent = agentFor(hasMoreIR(), { base_url: api.url, api_token: secret, backfill_start: START });
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(messages(run.published)).toEqual(RECORDS.slice(0, 4));
      expect(agent.persistedCursor).toEqual({ since: START });
      expect(allStrings([agent.persistedCursor, agent.loggedStates]).filter((s) => s.includes(secret))).toEqual([]);
    });
  });

  it('link_header: keeps the polling next link of the last page and polls it with one request', async () => {
    const ir = celIR({ request, pagination: { kind: 'link_header', loc: LOC }, cursor: NEXT_PAGE });
    await withApi(
      {
        path: '/v1/events',
        pagination: { kind: 'link_header', pageParam: 'page' },
        recordsPath: 'data',
        pages: [{ data: RECORDS.slice(0, 2) }, { data: RECORDS.slice(2, 4) }, { data: RECORDS.slice(4) }],
        hostile: { pollingLink: true },
      },
      async (api) => {
        const agent = agentFor(ir, { base_url: api.url, backfill_start: START });
        const first = await agent.periodicRun();
        expect(first.errors).toEqual([]);
        expect(messages(first.published)).toEqual(RECORDS);
        const last = `${api.url}/v1/events?since=2024-01-01T00%3A00%3A00Z&page=2`;
        expect(agent.persistedCursor).toEqual({ since: START, seq: { url: last } });
        const before = api.requests.length;
        const second = await agent.periodicRun();
        expect(second.errors).toEqual([]);
        expect(api.requests.length - before).toBe(1);
        expect(api.requests.at(-1)?.query.page).toBe('2');
        // The kept page is fetched again: its records come again (the document id de-duplicates).
        expect(messages(second.published)).toEqual(RECORDS.slice(4));
      },
    );
  });

  it('link_header: a last next link on another origin is not kept; the page URL is', async () => {
    const ir = celIR({ request, pagination: { kind: 'link_header', loc: LOC }, cursor: NEXT_PAGE });
    await withApi(
      {
        path: '/v1/events',
        pagination: { kind: 'link_header', pageParam: 'page' },
        recordsPath: 'data',
        pages: [{ data: [], headers: { Link: '<https://evil.example.net/v1/events?page=9>; rel="next"' } }],
      },
      async (api) => {
        const agent = agentFor(ir, { base_url: api.url, backfill_start: START });
        const run = await agent.periodicRun();
        expect(run.errors).toEqual([]);
        expect(agent.persistedCursor).toEqual({
          since: START,
          seq: { url: `${api.url}/v1/events?since=2024-01-01T00%3A00%3A00Z` },
        });
      },
    );
  });
});
