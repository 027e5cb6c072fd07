/**
 * `{now}` in the CEL program, run on mito against the mock API (the collector's twin:
 * test/collector/request-time.test.ts): RFC 3339 in UTC with whole seconds, the instant the page
 * sequence started; every page of the sequence sends the same, a sequence resumed by a later
 * periodic run included.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { compileStream, fleetVars, messages, withApi } from './harness.ts';
import { celIR, LOC, nv, setting, t } from '../../support/ir.ts';

const RECORDS = [1, 2, 3].map((n) => ({ id: `e${n}`, ts: `2024-11-1${n}T08:00:00Z` }));
const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('CEL input on mito: {now}', () => {
  it('pages of one sequence send the instant it started, across periodic runs too', async () => {
    const ir = celIR({
      request: {
        method: 'GET',
        url: t(setting('base_url'), '/v1/events'),
        headers: [],
        query: [nv('end', t({ kind: 'now' }))],
      },
      pagination: { kind: 'page_token', tokenPath: ['next'], param: { in: 'query', name: 'page' }, loc: LOC },
      maxPagesPerRun: 2,
    });
    await withApi(
      {
        path: '/v1/events',
        pagination: { kind: 'page_token', tokenPath: 'next', param: 'page' },
        recordsPath: 'data',
        pages: [
          { data: RECORDS.slice(0, 1), next: 'p2' },
          { data: RECORDS.slice(1, 2), next: 'p3' },
          { data: RECORDS.slice(2) },
        ],
      },
      async (api) => {
        const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url }));
        const before = Math.floor(Date.now() / 1000) * 1000;
        const first = await agent.periodicRun();
        const after = Date.now();
        expect(first.errors).toEqual([]);
        expect(messages(first.published)).toEqual(RECORDS.slice(0, 2));
        // Over a second later, the third page (the same sequence) still sends the first instant.
        await sleep(1100);
        const second = await agent.periodicRun();
        expect(second.errors).toEqual([]);
        expect(messages(second.published)).toEqual(RECORDS.slice(2));
        const ends = api.requests.map((r) => r.query['end']);
        expect(api.requests.map((r) => r.query['page'])).toEqual([undefined, 'p2', 'p3']);
        expect(new Set(ends).size).toBe(1);
        const end = ends[0]!;
        expect(end).toMatch(RFC3339_SECONDS);
        expect(Date.parse(end)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(end)).toBeLessThanOrEqual(after);
        // A new sequence sends its own instant.
        await agent.periodicRun();
        const next = api.requests[3]!;
        expect(next.query['page']).toBeUndefined();
        expect(Date.parse(next.query['end']!)).toBeGreaterThan(Date.parse(end));
      },
    );
  });
});
