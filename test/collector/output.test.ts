/**
 * Output ordering and secret scrubbing: the state moves only after the page's events are flushed
 * through a slow, backpressured stdout; every secret form is scrubbed from log lines.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonLogger } from '../../collector/log.ts';
import { SCRUBBED, Scrubber } from '../../collector/scrub.ts';
import { collectFromIR } from '../../collector/run.ts';
import type { PaginationIR } from '../../compiler/ir.ts';
import { hostileCredential } from '../mock-api/hostile.ts';
import { findLeaks } from '../mock-api/leaks.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { fakeClock, stateCursor, streamState, tempStateFile } from './harness.ts';
import { SYNTHETIC_LOC as LOC, syntheticIR } from '../support/ir.ts';
import { chunks, RECORDS, syntheticScenario } from './synthetic.ts';
import { readFileSync } from 'node:fs';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('event output', () => {
  it('writes each page in one write and saves the cursor only after that write is flushed', async () => {
    const pagination: PaginationIR = {
      kind: 'page_token',
      tokenPath: ['next'],
      param: { in: 'query', name: 'page_token' },
      loc: LOC,
    };
    const ir = syntheticIR({ pagination });
    const scenario = syntheticScenario({
      pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
      pages: chunks(RECORDS, 3).map((data, i, all) => (i < all.length - 1 ? { data, next: `tok-${i + 2}` } : { data })),
    });
    const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
    api = await startMockApi(scenario, { now: () => clock.now() });
    const stateFile = tempStateFile();

    let written = 0;
    let flushed = 0;
    let maxBuffered = 0;
    let maxQueued = 0;
    // A tiny buffer and a slow sink: write() returns false at once, callbacks come later.
    const stdout = new Writable({
      highWaterMark: 8,
      write(_chunk, _enc, done) {
        written++;
        maxQueued = Math.max(maxQueued, stdout.writableLength);
        setTimeout(() => {
          flushed++;
          done();
        }, 2);
      },
    });
    const checks: { flushed: number; cursor: string | undefined; max: string | undefined }[] = [];
    const result = await collectFromIR(ir, {
      env: {},
      sets: { base_url: api.url, start: '2024-04-30T00:00:00Z' },
      stdout,
      stderr: () => undefined,
      clock,
      stateFile,
      checkpointMs: 0,
      stateHooks: {
        beforeRename(temp) {
          maxBuffered = Math.max(maxBuffered, stdout.writableLength);
          const state = streamState(readFileSync(temp, 'utf8'), 'logs');
          checks.push({ flushed, cursor: state?.cursor, max: state?.sequence?.max });
        },
      },
    });
    expect(result.exitCode).toBe(0);
    // One write per page (3, 3 and 1 records), not one per record.
    expect(written).toBe(3);
    // Initial cursor (nothing written yet), then after each page exactly that page's write
    // flushed: the sequence's progress after pages 1 and 2, the committed cursor after the last.
    const start = '2024-04-30T00:00:00Z';
    expect(checks).toEqual([
      { flushed: 0, cursor: start, max: undefined },
      { flushed: 1, cursor: start, max: RECORDS[2]?.ts },
      { flushed: 2, cursor: start, max: RECORDS[5]?.ts },
      { flushed: 3, cursor: RECORDS[6]?.ts, max: undefined },
    ]);
    expect(maxBuffered).toBe(0);
    // Awaiting each page's write keeps at most one page queued behind the slow sink.
    const pageBytes = chunks(RECORDS, 3).map((page) => page.reduce((n, r) => n + JSON.stringify(r).length + 1, 0));
    expect(maxQueued).toBeLessThanOrEqual(Math.max(...pageBytes));
  });

  it('a stdout that fails is E0805 and the cursor stays', async () => {
    const pagination: PaginationIR = { kind: 'none' };
    const ir = syntheticIR({ pagination });
    const scenario = syntheticScenario({ pages: [{ data: RECORDS }] });
    const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
    api = await startMockApi(scenario, { now: () => clock.now() });
    const stateFile = tempStateFile();
    const stdout = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
      },
    });
    const lines: string[] = [];
    const result = await collectFromIR(ir, {
      env: {},
      sets: { base_url: api.url, start: '2024-04-30T00:00:00Z' },
      stdout,
      stderr: (l) => lines.push(l),
      clock,
      stateFile,
      checkpointMs: 0,
    });
    expect(result).toMatchObject({
      exitCode: 1,
      error: { code: 'E0805', message: 'cannot write events to the output: EPIPE' },
    });
    expect(stateCursor(readFileSync(stateFile, 'utf8'), 'logs')).toBe('2024-04-30T00:00:00Z');
  });
});

describe('scrubbing secrets (collector/scrub.ts)', () => {
  it('removes a secret in plain, URL-encoded, form-encoded and JSON-escaped forms from log lines', () => {
    const secret = 'p@ss w/"quote"+plus';
    const r = new Scrubber();
    r.add(secret);
    r.add('');
    const lines: string[] = [];
    const log = jsonLogger(r, (l) => lines.push(l));
    log.log('error', `failed with ${secret}`, {
      url: `https://x.example/?k=${encodeURIComponent(secret)}`,
      form: new URLSearchParams({ k: secret }).toString(),
      nested: { value: secret },
    });
    expect(lines).toHaveLength(1);
    const text = lines[0] ?? '';
    expect(text.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed).toEqual({
      level: 'error',
      msg: `failed with ${SCRUBBED}`,
      url: `https://x.example/?k=${SCRUBBED}`,
      form: `k=${SCRUBBED}`,
      nested: { value: SCRUBBED },
    });
  });

  it('removes base64, base64url, lowercase %xx and doubly JSON-escaped forms, over the whole line', () => {
    const secret = hostileCredential('redact');
    const r = new Scrubber();
    r.add(secret);
    const bytes = Buffer.from(secret, 'utf8');
    const forms = [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
      JSON.stringify(JSON.stringify(secret)),
    ];
    const lines: string[] = [];
    // A long line: the forms sit far beyond any length a log might be cut to.
    jsonLogger(r, (l) => lines.push(l)).log('error', `${'x'.repeat(5000)} ${forms.join(' | ')}`);
    expect(findLeaks(lines.join(''), [secret])).toEqual([]);
    expect(lines[0]).toContain(`${SCRUBBED} | ${SCRUBBED} | ${SCRUBBED} | `);
    expect(r.contains(`…${bytes.toString('base64')}…`)).toBe(true);
    expect(r.contains('nothing here')).toBe(false);
  });

  it('scrubs a longer secret whole even when it contains a shorter one', () => {
    const r = new Scrubber();
    r.add('abc');
    r.add('xxabcxx');
    expect(r.scrub('token xxabcxx and abc')).toBe(`token ${SCRUBBED} and ${SCRUBBED}`);
  });
});
