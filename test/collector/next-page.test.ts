/**
 * `cursor { next_page }` in `mapc collect` (IR `CursorIR` `next_page`): a complete page sequence
 * leaves its last page's position as the state, and the next run polls there instead of sending
 * the map's own request again; a position on another origin, with user information, or holding a
 * credential is never kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CursorIR } from '../../compiler/ir.ts';
import { pollPosition, type PageResult } from '../../collector/pager.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { fakeClock, run, streamState, tempStateFile } from './harness.ts';
import { pagingKind } from './hostile-kit.ts';
import { SYNTHETIC_LOC, syntheticIR } from '../support/ir.ts';
import { RECORDS, syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const START = '2024-04-30T00:00:00Z';
const NEXT_PAGE: CursorIR = {
  kind: 'next_page',
  initial: { setting: 'start', lookbackSeconds: 0 },
  loc: SYNTHETIC_LOC,
};
const dataRequests = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'data');

/** `cursor_has_more` with its token at `meta.cursor` sent as query `cursor` (the hostile kit's); the pages are {@link hasMorePages}. */
const HAS_MORE_KIND = pagingKind('cursor_has_more', 3);
const HAS_MORE = HAS_MORE_KIND.ir;
/** `cursor_has_more` pages whose last one carries a cursor with `has_more: false` (1Password's Events API does). */
const hasMorePages = (credential?: string) => [
  { data: RECORDS.slice(0, 3), meta: { has_more: true, cursor: 'c2' } },
  // The last page of the first run: no more now, but the cursor to poll with later.
  { data: RECORDS.slice(3, 6), meta: { has_more: false, cursor: credential ?? 'c3' } },
  // What the API has for that cursor by the second run.
  { data: RECORDS.slice(6), meta: { has_more: false, cursor: 'c4' } },
];

async function setup(pages: unknown[], credentials: Record<string, string> = {}) {
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  const scenario = syntheticScenario({
    ...HAS_MORE_KIND.scenario([], 3),
    pages,
    ...(Object.keys(credentials).length > 0
      ? { auth: { kind: 'header', header: 'X-API-Key', secret: 'api_key' }, credentials }
      : {}),
  });
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { scenario, clock, api, stateFile: tempStateFile() };
}

describe('cursor { next_page } with cursor_has_more', () => {
  it('polls from the last page cursor: each run sends one request per new page and never the first request again', async () => {
    const t = await setup(hasMorePages());
    const ir = syntheticIR({ pagination: HAS_MORE, cursor: NEXT_PAGE });
    const first = await run({ ...t, ir });
    expect(first.result.exitCode).toBe(0);
    expect(first.events).toEqual(RECORDS.slice(0, 6));
    // `{cursor}` renders the initial instant and never moves; the sequence is kept as where to poll.
    expect(streamState(first.state, 'logs')).toEqual({
      cursor: START,
      sequence: { next: { kind: 'token', value: 'c3' }, pages: 0, emptyPages: 0, seen: [] },
    });
    const second = await run({ ...t, ir });
    expect(second.result.exitCode).toBe(0);
    expect(second.events).toEqual(RECORDS.slice(6));
    expect(streamState(second.state, 'logs')).toMatchObject({ sequence: { next: { kind: 'token', value: 'c4' } } });
    // Nothing new: one request with the kept cursor, no events, the cursor kept.
    const third = await run({ ...t, ir });
    expect(third.result.exitCode).toBe(0);
    expect(third.events).toEqual([]);
    expect(streamState(third.state, 'logs')).toMatchObject({ sequence: { next: { kind: 'token', value: 'c4' } } });
    expect(dataRequests(t.api).map((r) => r.query['cursor'] ?? null)).toEqual([null, 'c2', 'c3', 'c4']);
    expect(second.logs.some((l) => l['msg'] === 'polling from where the last page sequence ended')).toBe(true);
  });

  it('without next_page the same API is read from its first request every run (the control)', async () => {
    const t = await setup(hasMorePages());
    const ir = syntheticIR({ pagination: HAS_MORE, cursor: null, query: [] });
    expect((await run({ ...t, ir })).result.exitCode).toBe(0);
    const second = await run({ ...t, ir });
    expect(second.result.exitCode).toBe(0);
    expect(second.events).toEqual(RECORDS.slice(0, 6));
    expect(dataRequests(t.api).map((r) => r.query['cursor'] ?? null)).toEqual([null, 'c2', null, 'c2']);
  });

  it('a last page cursor that holds the API key is not kept (logged), and the key is in no state', async () => {
    const key = 'k-5ecret-value-0123456789';
    const t = await setup(hasMorePages(key), { api_key: key });
    const ir = syntheticIR({
      pagination: HAS_MORE,
      cursor: NEXT_PAGE,
      auth: { kind: 'header', header: 'X-API-Key', secret: 'api_key', loc: SYNTHETIC_LOC },
      secrets: ['api_key'],
    });
    const out = await run({ ...t, ir });
    expect(out.result.exitCode).toBe(0);
    expect(streamState(out.state, 'logs')).toEqual({ cursor: START });
    expect(out.state).not.toContain(key);
    expect(out.logs.some((l) => l['msg'] === 'the last page position holds a credential; it is not kept')).toBe(true);
  });
});

describe('cursor { next_page } with link_header', () => {
  it('keeps the polling API next link of the last page and polls it with one request', async () => {
    const kind = pagingKind('link_header', 3);
    const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
    const scenario = syntheticScenario({ ...kind.scenario(RECORDS, 3), hostile: { pollingLink: true } });
    api = await startMockApi(scenario, { now: () => clock.now() });
    const t = { scenario, clock, api, stateFile: tempStateFile() };
    const ir = syntheticIR({ pagination: kind.ir, cursor: NEXT_PAGE });
    const first = await run({ ...t, ir });
    expect(first.events).toEqual(RECORDS);
    const kept = JSON.parse(first.state!).streams.logs.sequence.next as { kind: string; value: string };
    expect(kept.kind).toBe('url');
    expect(new URL(kept.value).searchParams.get('p')).toBe('2');
    const before = dataRequests(api).length;
    const second = await run({ ...t, ir });
    expect(second.result.exitCode).toBe(0);
    expect(dataRequests(api).length - before).toBe(1);
    // The kept page is fetched again: its records come again (at least once; the id de-duplicates).
    expect(second.events).toEqual(RECORDS.slice(6));
  });
});

describe('pollPosition', () => {
  const LINK = { kind: 'link_header', loc: SYNTHETIC_LOC } as const;
  const page = (link: string | undefined, body: unknown = {}): PageResult => ({
    body,
    headers: new Headers(link ? { link } : {}),
    recordCount: 0,
    url: 'https://api.example.com/v1/logs?p=2',
  });
  const origin = 'https://api.example.com';

  it('keeps a same-origin next link, else the URL the last page came from', () => {
    const first = { kind: 'first' } as const;
    expect(pollPosition(LINK, first, page('</v1/logs?after=9>; rel="next"'), origin)).toEqual({
      kind: 'url',
      value: 'https://api.example.com/v1/logs?after=9',
    });
    for (const foreign of [
      '<https://evil.example.net/v1/logs?after=9>; rel="next"',
      '<http://api.example.com/v1/logs?after=9>; rel="next"',
      '<https://user:pass@api.example.com/v1/logs>; rel="next"',
      '<http://[::1>; rel="next"',
      undefined,
    ]) {
      expect(pollPosition(LINK, first, page(foreign), origin)).toEqual({
        kind: 'url',
        value: 'https://api.example.com/v1/logs?p=2',
      });
    }
  });

  it('cursor_has_more: the last page cursor, else the cursor it was fetched with, else nothing', () => {
    const token = { kind: 'token', value: 'c7' } as const;
    expect(pollPosition(HAS_MORE, token, page(undefined, { meta: { cursor: 'c8', has_more: false } }), origin)).toEqual(
      {
        kind: 'token',
        value: 'c8',
      },
    );
    expect(pollPosition(HAS_MORE, token, page(undefined, { meta: { cursor: '' } }), origin)).toEqual(token);
    expect(pollPosition(HAS_MORE, { kind: 'first' }, page(undefined, {}), origin)).toBeUndefined();
  });
});
