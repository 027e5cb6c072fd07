/**
 * Rate limits, retries and the page cap: `Retry-After` as an HTTP-date, connection resets,
 * bounded retries with capped exponential backoff and full jitter, `X-RateLimit-*` quotas, a
 * requests-per-second floor, and the per-run page cap.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../collector/http.ts';
import type { PaginationIR, RateLimitIR, RetryIR } from '../../compiler/ir.ts';
import type { MockScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { fakeClock, run, streamState, tempStateFile } from './harness.ts';
import { SYNTHETIC_LOC as LOC, syntheticIR } from '../support/ir.ts';
import { chunks, RECORDS, syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const pageToken: PaginationIR = {
  kind: 'page_token',
  tokenPath: ['next'],
  param: { in: 'query', name: 'page_token' },
  loc: LOC,
};
const pagesOf = (size: number) =>
  chunks(RECORDS, size).map((data, i, all) => (i < all.length - 1 ? { data, next: `tok-${i + 2}` } : { data }));

async function setup(o: {
  faults?: MockScenario['faults'];
  retry?: RetryIR;
  rateLimit?: RateLimitIR;
  mockRateLimit?: Record<string, unknown>;
  pageSize?: number;
  maxPagesPerRun?: number;
}) {
  const ir = syntheticIR({
    pagination: pageToken,
    ...(o.retry ? { retry: o.retry } : {}),
    ...(o.rateLimit ? { rateLimit: o.rateLimit } : {}),
    ...(o.maxPagesPerRun !== undefined ? { maxPagesPerRun: o.maxPagesPerRun } : {}),
  });
  const scenario = syntheticScenario({
    pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
    pages: pagesOf(o.pageSize ?? 3),
    faults: o.faults ?? [],
    ...(o.mockRateLimit ? { rateLimit: o.mockRateLimit } : {}),
  });
  // Whole seconds, so an HTTP-date (second precision) is exact.
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

const statuses = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'data').map((r) => r.status);

describe('rate limits and retries', () => {
  it('waits until a Retry-After HTTP-date', async () => {
    const t = await setup({ faults: [{ page: 1, status: 429, retryAfter: { seconds: 30, format: 'http-date' } }] });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(t.clock.sleeps).toEqual([30_000]);
  });

  it('honours Retry-After on a 503 as well', async () => {
    const t = await setup({ faults: [{ page: 0, status: 503, retryAfter: { seconds: 12, format: 'seconds' } }] });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(t.clock.sleeps).toEqual([12_000]);
  });

  it('retries a reset connection (network error) with backoff', async () => {
    const t = await setup({ faults: [{ page: 2, status: 'reset' }] });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(statuses(t.api)).toEqual([200, 200, 0, 200]);
    // Full jitter with random() = 0.5 over min(30 s, 1 s * 2^0).
    expect(t.clock.sleeps).toEqual([500]);
    expect(out.logs.some((l) => l.level === 'warn' && String(l.msg).includes('network error'))).toBe(true);
  });

  it('backs off exponentially, capped at the maximum, with full jitter', async () => {
    const t = await setup({
      faults: [{ page: 0, status: 502, times: 4 }],
      retry: { maxAttempts: 4, backoffBaseSeconds: 2, backoffMaxSeconds: 5 },
    });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    // 0.5 x min(5, 2 x 2^n) s for n = 0..3: 2, 4, 5, 5 s halved.
    expect(t.clock.sleeps).toEqual([1000, 2000, 2500, 2500]);
  });

  it("gives up after the bounded number of retries, keeping the cursor and page 1's progress", async () => {
    const t = await setup({
      faults: [{ page: 1, status: 500, times: 10 }],
      retry: { maxAttempts: 2, backoffBaseSeconds: 1, backoffMaxSeconds: 30 },
    });
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0800' } });
    expect(out.result.error?.message).toBe('page 2 failed after 3 attempts: HTTP 500');
    expect(statuses(t.api)).toEqual([200, 500, 500, 500]);
    expect(t.clock.sleeps).toEqual([500, 1000]);
    expect(streamState(out.state, 'logs')).toMatchObject({
      cursor: '2024-04-30T00:00:00Z',
      sequence: { next: { kind: 'token', value: 'tok-2' }, max: RECORDS[2]?.ts, pages: 1 },
    });
  });

  it('refuses to wait out a Retry-After longer than 15 minutes', async () => {
    const t = await setup({ faults: [{ page: 0, status: 429, retryAfter: { seconds: 3600, format: 'seconds' } }] });
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0800' } });
    expect(out.result.error?.message).toContain('3600 s');
    expect(t.clock.sleeps).toEqual([]);
  });

  it('a 429 without Retry-After is retried with backoff when the map ignores Retry-After', async () => {
    const t = await setup({
      faults: [{ page: 0, status: 429, retryAfter: { seconds: 99, format: 'seconds' } }],
      rateLimit: { retryAfter: false },
    });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(t.clock.sleeps).toEqual([500]);
  });

  it('waits for X-RateLimit-Reset when X-RateLimit-Remaining reaches 0, never exceeding the quota', async () => {
    const t = await setup({
      pageSize: 1,
      rateLimit: { retryAfter: true, remainingHeader: 'X-RateLimit-Remaining', resetHeader: 'X-RateLimit-Reset' },
      mockRateLimit: { quota: 2, windowSeconds: 10 },
    });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(t.api.rateLimitViolations).toBe(0);
    expect(statuses(t.api)).toEqual(Array(7).fill(200));
    // 7 pages at 2 per 10 s window: three waits for a reset, each to the end of a window.
    expect(t.clock.sleeps).toEqual([10_000, 10_000, 10_000]);
  });

  it('without the quota headers in the map, the same API answers 429s that are retried', async () => {
    const t = await setup({
      pageSize: 1,
      mockRateLimit: { quota: 2, windowSeconds: 10 },
      retry: { maxAttempts: 10, backoffBaseSeconds: 4, backoffMaxSeconds: 16 },
    });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(t.api.rateLimitViolations).toBeGreaterThan(0);
  });

  it('spaces requests to the requests-per-second limit', async () => {
    const t = await setup({ rateLimit: { retryAfter: true, requestsPerSecond: 2 } });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(t.clock.sleeps).toEqual([500, 500]);
  });
});

describe('page cap', () => {
  it('stops at max_pages with exit 0; the next run continues from the cursor', async () => {
    const t = await setup({ maxPagesPerRun: 2 });
    const first = await run(t);
    expect(first.result).toMatchObject({ exitCode: 0, pages: 2 });
    expect(first.events).toEqual(RECORDS.slice(0, 6));
    expect(first.logs.some((l) => String(l.msg).startsWith('page cap reached'))).toBe(true);
    const second = await run(t);
    expect(second.result.exitCode).toBe(0);
    expect(second.events).toEqual(RECORDS.slice(6));
    const third = await run(t);
    expect(third.events).toEqual([]);
  });
});

describe('per-request timeout', () => {
  it('covers the whole body: a body that trickles forever is a timeout (network error, retried)', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/logs`;
      const http = new HttpClient({
        clock: fakeClock(0),
        retry: { maxAttempts: 1, backoffBaseSeconds: 1, backoffMaxSeconds: 1 },
        rateLimit: { retryAfter: true },
        logger: { log: () => undefined },
        timeoutMs: 300,
      });
      const started = Date.now();
      await expect(
        http.send({ method: 'GET', url, headers: {}, urlTemplate: '{base_url}/logs' }, 'page 1'),
      ).rejects.toThrow('page 1 failed after 2 attempts: network error (timeout)');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
