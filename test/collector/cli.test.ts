/**
 * The `mapc collect` command line: option parsing, compile errors, stream selection, settings
 * validation, and the whole command as a process (`node bin/mapc.js collect ...`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_MS, MAX_RESPONSE_BYTES, parseWholeNumber, registerCollectCommand } from '../../collector/cli.ts';
import { collectFromIR } from '../../collector/run.ts';
import { compileFile } from '../../compiler/compile.ts';
import { splitSetPairs } from '../../compiler/interpret/settings.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { loadScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { envFor, tempStateFile } from './harness.ts';
import { SYNTHETIC_LOC as LOC, syntheticIR } from '../support/ir.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function collectErrors(ir: IntegrationIR, options: Parameters<typeof collectFromIR>[1]) {
  const lines: string[] = [];
  const result = await collectFromIR(ir, { ...options, stderr: (l) => lines.push(l) });
  return { result, logs: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('mapc collect options', () => {
  it('splits --set name=value, keeping "=" inside values; a later pair wins', () => {
    expect(splitSetPairs(['a=1', 'filter=x=y', 'empty=', 'a=2'])).toEqual({
      ok: true,
      values: { a: '2', filter: 'x=y', empty: '' },
    });
    expect(splitSetPairs(['a=1', 'novalue'])).toEqual({ ok: false, malformed: 'novalue' });
    expect(splitSetPairs(['=x'])).toEqual({ ok: false, malformed: '=x' });
  });

  it('registers collect with its options on a commander program', () => {
    const program = new Command('mapc');
    registerCollectCommand(program);
    const collect = program.commands.find((c) => c.name() === 'collect');
    expect(collect?.options.map((o) => o.long)).toEqual([
      '--stream',
      '--state',
      '--mapped',
      '--validate',
      '--max-response-bytes',
      '--checkpoint-ms',
      '--set',
      '--geoip-database',
    ]);
  });

  it('an unknown --set name is E0806 listing the settings', async () => {
    const ir = syntheticIR({ pagination: { kind: 'none' } });
    const { result } = await collectErrors(ir, { sets: { base_url: 'http://127.0.0.1:1', nope: 'x' }, env: {} });
    expect(result.error).toEqual({
      code: 'E0806',
      message: '--set nope: the map has no setting nope (settings: base_url, start)',
    });
  });

  it('a setting of the wrong type is E0806 naming where it came from', async () => {
    const ir = syntheticIR({ pagination: { kind: 'none' } });
    const { result } = await collectErrors(ir, {
      env: { SYNTHETIC_BASE_URL: 'http://127.0.0.1:1', SYNTHETIC_START: 'last tuesday' },
    });
    expect(result.error).toEqual({
      code: 'E0806',
      message:
        'environment variable SYNTHETIC_START: setting start must be an RFC 3339 timestamp (2024-11-01T00:00:00Z)',
    });
  });

  it('a missing required setting is E0802 naming its --set and environment variable', async () => {
    const ir = syntheticIR({ pagination: { kind: 'none' } });
    const { result, logs } = await collectErrors(ir, { env: {} });
    expect(result.error).toEqual({
      code: 'E0802',
      message: 'missing setting base_url (--set base_url=... or environment variable SYNTHETIC_BASE_URL)',
    });
    expect(logs).toEqual([expect.objectContaining({ level: 'error', code: 'E0802' })]);
  });

  it('a map with several streams needs --stream; an unknown one is E0806', async () => {
    const one = syntheticIR({ pagination: { kind: 'none' } });
    const stream = one.streams[0];
    if (!stream) throw new Error('no stream');
    const ir: IntegrationIR = { ...one, streams: [stream, { ...stream, name: 'other', loc: LOC }] };
    const env = { SYNTHETIC_BASE_URL: 'http://127.0.0.1:1' };
    expect((await collectErrors(ir, { env })).result.error).toEqual({
      code: 'E0806',
      message: 'the map has 2 streams; choose one with --stream (logs, other)',
    });
    expect((await collectErrors(ir, { env, stream: 'nope' })).result.error?.message).toBe(
      '--stream nope: the map has no such stream (streams: logs, other)',
    );
  });
});

// Spawned, not in process (test/support/mapc.ts): `collect` logs a map's compile diagnostics and
// its option errors on the process's stderr (collector/cli.ts) and reads its map and --state
// from the process's working directory; these tests prove the command as Vector and Logstash
// start it. Its options and errors are tested in process above (collectFromIR).
describe('mapc collect as a process', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['bin/mapc.js', 'collect', ...args], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('a --set without a name is E0806, before the map is read', () => {
    const res = cli(['no-such.map', '--set', '=x']);
    expect(res.status).toBe(1);
    expect(JSON.parse(res.stderr.trimEnd())).toEqual({
      level: 'error',
      msg: '--set =x: expected name=value',
      code: 'E0806',
    });
  });

  it('a --geoip-database that is no MaxMind database is E0806, before the map is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapc-collect-'));
    const bad = join(dir, 'GeoLite2-City.mmdb');
    writeFileSync(bad, 'not a database');
    const res = cli(['no-such.map', '--geoip-database', bad]);
    expect(res.status).toBe(1);
    const line = JSON.parse(res.stderr.trimEnd()) as { code: string; msg: string };
    expect(line.code).toBe('E0806');
    expect(line.msg).toContain(`--geoip-database: E0704: ${bad}: not a MaxMind DB file`);
  });

  it('a map that does not compile exits 2 with its diagnostics as JSON lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapc-collect-'));
    const map = join(dir, 'broken.map');
    writeFileSync(map, 'integration broken {\n  title "Broken"\n');
    const res = cli([map]);
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    const lines = res.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatchObject({ level: 'error', location: expect.stringMatching(/broken\.map:\d+:\d+$/) });
    expect(lines[lines.length - 1]).toMatchObject({ level: 'error', code: 'E0807' });
  });

  it('collects the Endor Labs fixture through the CLI, then nothing on the second run', async () => {
    const ir = compileFile('maps/endor_labs.map').ir as IntegrationIR;
    const scenario = loadScenario('endor_labs', 'audit');
    api = await startMockApi(scenario);
    const state = tempStateFile();
    const args = [
      'maps/endor_labs.map',
      '--state',
      state,
      '--set',
      `base_url=${api.url}`,
      '--set',
      'namespace=acme-corp',
      '--set',
      'backfill_start=2024-11-01T00:00:00Z',
    ];
    const env = envFor(ir, scenario);
    // spawnSync would block the mock server running in this process: an async child instead.
    const runOnce = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/mapc.js', 'collect', ...args], { env: { ...process.env, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const first = await runOnce();
    expect(first.code).toBe(0);
    expect(
      first.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(loadFixtureRecords('endor_labs', 'audit'));
    const logs = first.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs[logs.length - 1]).toMatchObject({ level: 'info', msg: 'collection complete', pages: 3, events: 7 });
    const second = await runOnce();
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    for (const text of [first.stdout, first.stderr, second.stderr]) {
      for (const secret of [...Object.values(scenario.credentials), ...api.issuedTokens])
        expect(text.includes(secret)).toBe(false);
    }
  });
});

describe('setting sources', () => {
  it('--set wins over the environment, and an empty value counts as unset', async () => {
    const ir = syntheticIR({ pagination: { kind: 'none' } });
    // base_url from the environment is invalid, but --set overrides it with another invalid one:
    // the message names the --set, proving its precedence without any request.
    const a = await collectErrors(ir, { env: { SYNTHETIC_BASE_URL: 'ftp://x' }, sets: { base_url: 'nope' } });
    expect(a.result.error?.message).toBe('--set base_url: setting base_url must be an absolute http(s) URL');
    const b = await collectErrors(ir, { env: { SYNTHETIC_BASE_URL: '' }, sets: { base_url: '' } });
    expect(b.result.error?.code).toBe('E0802');
  });
});

describe('setting text (the rule mapc preview --set uses too)', () => {
  const ir = syntheticIR({
    pagination: { kind: 'none' },
    settings: [
      { name: 'verbose', type: 'bool' },
      { name: 'limit', type: 'int' },
    ],
  });
  const base_url = 'http://127.0.0.1:1';

  it('a bool is exactly true or false, from --set and from the environment', async () => {
    for (const text of ['TRUE', 'True', 'yes', '1']) {
      const fromSet = await collectErrors(ir, { env: {}, sets: { base_url, verbose: text } });
      expect(fromSet.result.error, text).toEqual({
        code: 'E0806',
        message: '--set verbose: setting verbose must be true or false',
      });
      const fromEnv = await collectErrors(ir, { env: { SYNTHETIC_VERBOSE: text }, sets: { base_url } });
      expect(fromEnv.result.error?.message, text).toBe(
        'environment variable SYNTHETIC_VERBOSE: setting verbose must be true or false',
      );
    }
  });

  it('an int is decimal digits within the safe integers', async () => {
    for (const text of ['1.5', '1e3', '9007199254740992', ' 1']) {
      const { result } = await collectErrors(ir, { env: {}, sets: { base_url, limit: text } });
      expect(result.error, text).toEqual({ code: 'E0806', message: '--set limit: setting limit must be an integer' });
    }
  });
});

describe('whole-number options', () => {
  it('--checkpoint-ms takes a whole number of milliseconds from 0 to one hour, else E0806', () => {
    expect(parseWholeNumber(CHECKPOINT_MS, '0')).toBe(0);
    expect(parseWholeNumber(CHECKPOINT_MS, '1500')).toBe(1500);
    expect(parseWholeNumber(CHECKPOINT_MS, '3600000')).toBe(3_600_000);
    for (const bad of ['-1', '1.5', '1e3', '', '3600001', 'soon']) {
      expect(() => parseWholeNumber(CHECKPOINT_MS, bad), bad).toThrow(expect.objectContaining({ code: 'E0806' }));
    }
    expect(() => parseWholeNumber(CHECKPOINT_MS, '3600001')).toThrow(
      '--checkpoint-ms 3600001: expected a whole number of milliseconds from 0 to 3600000',
    );
  });

  it('--max-response-bytes takes a whole number of bytes, at least 1, else E0806', () => {
    expect(parseWholeNumber(MAX_RESPONSE_BYTES, '1')).toBe(1);
    expect(parseWholeNumber(MAX_RESPONSE_BYTES, '67108864')).toBe(67_108_864);
    for (const bad of ['0', '-1', '1.5', '64k', '', '9007199254740992']) {
      expect(() => parseWholeNumber(MAX_RESPONSE_BYTES, bad), bad).toThrow(expect.objectContaining({ code: 'E0806' }));
    }
    expect(() => parseWholeNumber(MAX_RESPONSE_BYTES, '0')).toThrow(
      '--max-response-bytes 0: expected a whole number of bytes (at least 1)',
    );
  });
});
