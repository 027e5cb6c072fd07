/**
 * The state file: atomic replacement (a crash between write and rename leaves the previous
 * state whole), clear errors for a corrupt or foreign state, and a real process killed mid-run
 * (SIGKILL) leaving a valid state at the last completed page.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/compile.ts';
import type { IntegrationIR, PaginationIR } from '../../compiler/ir.ts';
import { loadScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { envFor, expectNoSecrets, fakeClock, run, streamState, tempStateFile } from './harness.ts';
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

async function setup() {
  const ir = syntheticIR({ pagination: pageToken });
  const scenario = syntheticScenario({
    pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
    pages: chunks(RECORDS, 3).map((data, i, all) => (i < all.length - 1 ? { data, next: `tok-${i + 2}` } : { data })),
  });
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

describe('state file', () => {
  it('a crash between the temporary file and the rename leaves the previous state whole', async () => {
    const t = await setup();
    const temps: string[] = [];
    let writes = 0;
    const out = await run({
      ...t,
      options: {
        stateHooks: {
          beforeRename(temp) {
            writes++;
            // The temporary file is complete (and fsynced) before the rename.
            temps.push(readFileSync(temp, 'utf8'));
            // Writes: initial cursor, page 1, page 2 (crashes here).
            if (writes === 3) throw new Error('injected crash before rename');
          },
        },
      },
    });
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0805' } });
    // Page 1's progress: the committed cursor stays until the page sequence completes.
    expect(streamState(out.state, 'logs')).toMatchObject({
      cursor: '2024-04-30T00:00:00Z',
      sequence: { next: { kind: 'token', value: 'tok-2' }, max: RECORDS[2]?.ts },
    });
    expect(JSON.parse(temps[2] ?? '')).toMatchObject({
      streams: { logs: { sequence: { next: { kind: 'token', value: 'tok-3' }, max: RECORDS[5]?.ts } } },
    });
    // Page 2's events were written before the failed state write: delivery is at least once.
    expect(out.events).toEqual(RECORDS.slice(0, 6));
    expect(readdirSync(dirname(t.stateFile))).toEqual(['state.json']);

    const next = await run(t);
    expect(next.result.exitCode).toBe(0);
    expect(next.events).toEqual(RECORDS.slice(3));
  });

  it('a state file that is not JSON is E0801 and nothing is requested', async () => {
    const t = await setup();
    writeFileSync(t.stateFile, '{"version": 1, "integ');
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0801' } });
    expect(t.api.requests).toEqual([]);
    expect(readFileSync(t.stateFile, 'utf8')).toBe('{"version": 1, "integ');
  });

  it('a state file of another integration is E0801', async () => {
    const t = await setup();
    writeFileSync(t.stateFile, JSON.stringify({ version: 1, integration: 'entro', streams: {} }));
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0801' } });
    expect(out.result.error?.message).toContain('belongs to integration entro, not synthetic');
  });

  it('a stored cursor that is not an instant is E0801', async () => {
    const t = await setup();
    writeFileSync(
      t.stateFile,
      JSON.stringify({ version: 1, integration: 'synthetic', streams: { logs: { cursor: 'yesterday' } } }),
    );
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0801' } });
    expect(t.api.requests).toEqual([]);
  });

  it('reads a version 1 state (a cursor per stream) and writes it back as version 2', async () => {
    const t = await setup();
    writeFileSync(
      t.stateFile,
      JSON.stringify({ version: 1, integration: 'synthetic', streams: { logs: { cursor: RECORDS[2]?.ts } } }),
    );
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(t.api.requests[0]?.query.since).toBe(RECORDS[2]?.ts);
    expect(out.events).toEqual(RECORDS.slice(3));
    expect(JSON.parse(out.state ?? '')).toEqual({
      version: 2,
      integration: 'synthetic',
      streams: { logs: { cursor: RECORDS[6]?.ts } },
    });
  });

  it('a malformed sequence in progress is E0801 and nothing is requested', async () => {
    const t = await setup();
    writeFileSync(
      t.stateFile,
      JSON.stringify({
        version: 2,
        integration: 'synthetic',
        streams: { logs: { cursor: RECORDS[0]?.ts, sequence: { next: { kind: 'token' }, pages: 1 } } },
      }),
    );
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0801' } });
    expect(out.result.error?.message).toMatch(/malformed sequence in progress/);
    expect(t.api.requests).toEqual([]);
  });

  it('a stream state with neither a cursor nor a sequence, or a cursor that is not text, is E0801', async () => {
    for (const [st, message] of [
      [{}, /neither a cursor nor a sequence in progress/],
      [{ cursor: 7 }, /cursor that is not a string/],
    ] as const) {
      const t = await setup();
      writeFileSync(t.stateFile, JSON.stringify({ version: 2, integration: 'synthetic', streams: { logs: st } }));
      const out = await run(t);
      expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0801' } });
      expect(out.result.error?.message).toMatch(message);
      expect(t.api.requests).toEqual([]);
      await api?.close();
    }
  });

  it('a stored position that no longer fits the map (or another origin) restarts the sequence', async () => {
    const t = await setup();
    const sequence = (next: unknown) =>
      JSON.stringify({
        version: 2,
        integration: 'synthetic',
        streams: { logs: { cursor: '2024-04-30T00:00:00Z', sequence: { next, pages: 1, emptyPages: 0, seen: [] } } },
      });
    for (const next of [
      { kind: 'offset', value: 3 },
      { kind: 'url', value: 'https://old-base-url.example/logs?page=2' },
    ]) {
      writeFileSync(t.stateFile, sequence(next));
      const out = await run(t);
      expect(out.result.exitCode).toBe(0);
      expect(out.events).toEqual(RECORDS);
      expect(out.logs.some((l) => String(l.msg).includes('it restarts at its first page'))).toBe(true);
    }
    expect(t.api.requests.map((r) => r.query.page_token)).toEqual([
      undefined,
      'tok-2',
      'tok-3',
      undefined,
      'tok-2',
      'tok-3',
    ]);
  });

  it('never writes a state holding a credential (a page token echoing it)', async () => {
    const ir = syntheticIR({
      pagination: pageToken,
      auth: { kind: 'bearer', secret: 'api_token', loc: LOC },
      secrets: ['api_token'],
    });
    const scenario = syntheticScenario({
      auth: { kind: 'bearer', secret: 'api_token' },
      credentials: { api_token: 'mock-token-echoed-in-page-tokens' },
      pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
      pages: [{ data: RECORDS.slice(0, 3), next: 'mock-token-echoed-in-page-tokens' }, { data: RECORDS.slice(3) }],
    });
    const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
    api = await startMockApi(scenario, { now: () => clock.now() });
    const stateFile = tempStateFile();
    const out = await run({ ir, scenario, api, clock, stateFile });
    expect(out.result.error).toMatchObject({ code: 'E0805' });
    expect(out.result.error?.message).toMatch(/holds a credential/);
    expect(streamState(out.state, 'logs')).toEqual({ cursor: '2024-04-30T00:00:00Z' });
    expectNoSecrets(api, scenario, [out]);
  });

  it('keeps only the cursor: no secret or token in the state file', async () => {
    const ir: IntegrationIR = compileFile('maps/endor_labs.map').ir as IntegrationIR;
    const scenario = loadScenario('endor_labs', 'audit');
    const clock = fakeClock(Date.parse('2024-11-20T00:00:00Z'));
    api = await startMockApi(scenario, { now: () => clock.now() });
    const stateFile = tempStateFile();
    const out = await run({ ir, scenario, api, clock, stateFile, sets: { backfill_start: '2024-11-01T00:00:00Z' } });
    expect(out.result.exitCode).toBe(0);
    expect(JSON.parse(out.state ?? '')).toEqual({
      version: 2,
      integration: 'endor_labs',
      streams: { audit: { cursor: '2024-11-13T17:45:00.000001Z' } },
    });
    expectNoSecrets(api, scenario, [out]);
  });
});

describe('a real mapc collect process killed mid-run', () => {
  it('SIGKILL while waiting for page 2 leaves the state of page 1, and a new run completes', async () => {
    const records = loadFixtureRecords('enpass', 'events');
    const ir = compileFile('maps/enpass.map').ir as IntegrationIR;
    const scenario = { ...loadScenario('enpass', 'events'), faults: [{ page: 1, status: 'hang' as const }] };
    const mock = await startMockApi(scenario);
    api = mock;
    const stateFile = tempStateFile();
    const env = { ...process.env, ...envFor(ir, scenario) };
    const args = [
      'bin/mapc.js',
      'collect',
      'maps/enpass.map',
      '--state',
      stateFile,
      '--set',
      `base_url=${api.url}`,
      '--set',
      'backfill_start=2024-11-01T00:00:00Z',
      '--checkpoint-ms',
      '0',
    ];

    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    // Wait until the collector is stuck on page 2: the hanging request has arrived and page 1's
    // progress is in the state file. Page 2 is requested ahead, while page 1 is still being
    // written (the lookahead, collector/run.ts), so its request can arrive before page 1's
    // checkpoint is written (fsync and rename: slow on a loaded machine); a kill in between
    // leaves the state before page 1, whose events the next run then repeats (at-least-once).
    const page2Asked = (): boolean => mock.requests.some((r) => r.page === 1);
    const page1Recorded = (): boolean => {
      try {
        return streamState(readFileSync(stateFile, 'utf8'), 'events')?.sequence?.pages === 1;
      } catch {
        return false; // not written yet
      }
    };
    const deadline = Date.now() + 60_000;
    while (!(page2Asked() && page1Recorded()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(page2Asked()).toBe(true);
    expect(page1Recorded()).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(streamState(readFileSync(stateFile, 'utf8'), 'events')).toMatchObject({
      cursor: '2024-11-01T00:00:00Z',
      sequence: { max: '2024-11-13T09:20:44.123456Z', pages: 1 },
    });
    // No temporary file left; the compiled map is kept next to the state (collector/ir-cache.ts).
    expect(readdirSync(dirname(stateFile)).sort()).toEqual(['state.json', 'state.json.ir.json']);
    const firstEvents = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(firstEvents).toEqual(records.slice(0, 2));
    for (const l of stderr.trimEnd().split('\n')) expect(JSON.parse(l)).toHaveProperty('level');

    // The hang fault is spent; the next run picks up from page 2.
    const second = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout2 = '';
    let stderr2 = '';
    second.stdout.on('data', (c: Buffer) => (stdout2 += c.toString('utf8')));
    second.stderr.on('data', (c: Buffer) => (stderr2 += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => second.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    const rest = stdout2
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect([...firstEvents, ...rest]).toEqual(records);
    for (const text of [stdout, stderr, stdout2, stderr2, readFileSync(stateFile, 'utf8')]) {
      for (const secret of Object.values(scenario.credentials)) expect(text.includes(secret)).toBe(false);
    }
  });
});

describe('deferred checkpoints (CollectOptions.checkpointMs)', () => {
  it('a sequence in progress is written at most once per interval; its completion always', async () => {
    const t = await setup();
    let writes = 0;
    const out = await run({
      ...t,
      options: { checkpointMs: 3_600_000, stateHooks: { beforeRename: () => void writes++ } },
    });
    expect(out.result.exitCode).toBe(0);
    expect(out.result.pages).toBeGreaterThan(2);
    // The first run's cursor, then the completed sequence: no page in between.
    expect(writes).toBe(2);
    expect(streamState(out.state, t.ir.streams[0]!.name)?.sequence).toBeUndefined();
  });

  it('a run ended by an error still writes the progress of the pages it delivered', async () => {
    const t = await setup();
    t.api.setFailPage(2); // the third page (0-based), a permanent 500
    const out = await run({ ...t, options: { checkpointMs: 3_600_000 } });
    expect(out.result.exitCode).toBe(1);
    // Pages 1 and 2 were delivered: the saved sequence resumes at page 3.
    expect(streamState(out.state, t.ir.streams[0]!.name)?.sequence?.next).toEqual({ kind: 'token', value: 'tok-3' });
  });
});
