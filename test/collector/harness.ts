/**
 * Test harness for `mapc collect`: a fake clock shared by the collector and the mock API (sleeps
 * advance it instantly), in-memory stdout/stderr capture, environment built from the scenario's
 * random credentials, and a leak check for every secret and issued token.
 *
 * @module
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, inject } from 'vitest';
import type { Clock } from '../../collector/clock.ts';
import { collectFromIR, type CollectOptions, type CollectResult } from '../../collector/run.ts';
import type { StreamState } from '../../collector/state.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import type { MockApi } from '../mock-api/server.ts';
import type { MockScenario } from '../mock-api/scenario.ts';

export interface FakeClock extends Clock {
  /** Every sleep requested, in milliseconds, in order. */
  readonly sleeps: number[];
  advance(ms: number): void;
}

/**
 * A clock at `startMs` whose `sleep` advances time at once (or rejects, advancing nothing, when
 * its signal has aborted); `random` is fixed at 0.5.
 */
export function fakeClock(startMs: number): FakeClock {
  let t = startMs;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      sleeps.push(ms);
      t += Math.max(0, ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    sleeps,
    advance(ms) {
      t += ms;
    },
  };
}

export interface RunOutput {
  readonly result: CollectResult;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed, one value per line. */
  readonly events: unknown[];
  /** stderr parsed, one object per line. */
  readonly logs: Record<string, unknown>[];
  readonly state: string | undefined;
}

/**
 * A state file path in a fresh directory under the run's scratch directory (`mapcTempDir`,
 * test/support/global-setup.ts), which the run removes when it ends.
 */
export function tempStateFile(): string {
  return join(mkdtempSync(join(inject('mapcTempDir'), 'collect-')), 'state.json');
}

/** Environment: each IR secret whose name the scenario has a credential for, by its envVar. */
export function envFor(
  ir: IntegrationIR,
  scenario: MockScenario,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const secret of ir.secrets) {
    const value = scenario.credentials[secret.name];
    if (value !== undefined) env[secret.envVar] = value;
  }
  return { ...env, ...overrides };
}

export interface RunArgs {
  readonly ir: IntegrationIR;
  readonly scenario: MockScenario;
  readonly api: MockApi;
  readonly clock: FakeClock;
  readonly stateFile?: string;
  readonly sets?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly options?: Partial<CollectOptions>;
}

/** One in-process `collect` run against the mock API; `base_url` points at it. */
export async function run(args: RunArgs): Promise<RunOutput> {
  const chunks: string[] = [];
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const errLines: string[] = [];
  const result = await collectFromIR(args.ir, {
    env: args.env ?? envFor(args.ir, args.scenario),
    sets: { ...args.scenario.settings, base_url: args.api.url, ...(args.sets ?? {}) },
    stdout,
    stderr: (line) => errLines.push(line),
    clock: args.clock,
    ...(args.stateFile !== undefined ? { stateFile: args.stateFile } : {}),
    // The per-page state semantics (compiler/ir.ts 1.2) are tested as written; the deferred
    // checkpoint has its own tests (ties.test.ts, state.test.ts).
    checkpointMs: 0,
    ...(args.options ?? {}),
  });
  const out = chunks.join('');
  const err = errLines.join('');
  const state =
    args.stateFile !== undefined && existsSync(args.stateFile) ? readFileSync(args.stateFile, 'utf8') : undefined;
  return {
    result,
    stdout: out,
    stderr: err,
    events:
      out === ''
        ? []
        : out
            .trimEnd()
            .split('\n')
            .map((l) => JSON.parse(l) as unknown),
    logs:
      err === ''
        ? []
        : err
            .trimEnd()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
    state,
  };
}

/** The committed cursor a state file text holds for `stream`. */
export function stateCursor(state: string | undefined, stream: string): string | undefined {
  return streamState(state, stream)?.cursor;
}

/** The state a state file text holds for `stream` (committed cursor and sequence in progress). */
export function streamState(state: string | undefined, stream: string): StreamState | undefined {
  if (state === undefined) return undefined;
  return (JSON.parse(state) as { streams: Record<string, StreamState> }).streams[stream];
}

/** Fails when any credential value or issued token appears in any of the captured texts. */
export function expectNoSecrets(
  api: MockApi,
  scenario: MockScenario,
  outputs: readonly RunOutput[],
  extra: readonly string[] = [],
): void {
  const secrets = [...Object.values(scenario.credentials), ...api.issuedTokens, ...extra].filter((s) => s !== '');
  expect(secrets.length).toBeGreaterThan(0);
  for (const o of outputs) {
    for (const text of [o.stdout, o.stderr, o.state ?? '', o.result.error?.message ?? '']) {
      for (const s of secrets) expect(text.includes(s), `secret value leaked: ${text.slice(0, 200)}`).toBe(false);
    }
  }
}
