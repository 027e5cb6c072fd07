/**
 * `mapc collect --state <file>` keeps the compiled map in `<file>.ir.json` (collector/ir-cache.ts)
 * and uses it while it matches the map's bytes, path and the mapc build; anything else compiles.
 * Run as a process (`node bin/mapc.js collect`) against the mock API: the cache key holds the
 * build's id (`BUILD_ID`, dsl/bundled.ts), which only the built CLI has; in process there is no
 * cache.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { irCacheKey, readIrCache, writeIrCache } from '../../collector/ir-cache.ts';
import { compileFile } from '../../compiler/compile.ts';
import { IR_VERSION, type IntegrationIR } from '../../compiler/ir.ts';
import { loadScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { envFor } from '../collector/harness.ts';

const REPO = join(import.meta.dirname, '..', '..');

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly logs: Record<string, unknown>[];
}

function collect(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'mapc.js'), 'collect', ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => {
      const logs = stderr
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, stdout, logs });
    });
  });
}

describe('the compiled map next to the state file', () => {
  it('is written by the first run, used by the next while the map is unchanged, and rebuilt when it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapc-ir-cache-'));
    const map = join(dir, 'enpass.map');
    cpSync(join(REPO, 'maps', 'enpass.map'), map);
    const state = join(dir, 'state.json');
    const cache = `${state}.ir.json`;
    const ir = compileFile(map).ir as IntegrationIR;
    const scenario = loadScenario('enpass', 'events');
    api = await startMockApi(scenario);
    const args = [
      map,
      '--state',
      state,
      '--set',
      `base_url=${api.url}`,
      '--set',
      'backfill_start=2024-11-01T00:00:00Z',
    ];
    const env = envFor(ir, scenario);

    const first = await collect(args, env);
    expect(first.code).toBe(0);
    expect(existsSync(cache)).toBe(true);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    const written = JSON.parse(readFileSync(cache, 'utf8')) as { file: string; ir: IntegrationIR };
    expect(written.file).toBe(map);
    expect(written.ir).toEqual(ir);

    // Proof that the next run reads the cache instead of compiling: a cached IR whose request
    // path differs from the map's is what the server sees.
    const tampered = structuredClone(written) as unknown as {
      ir: { streams: { source: { request: { url: unknown } } }[] };
    };
    const url = JSON.stringify(tampered.ir.streams[0]?.source.request.url);
    expect(url).toContain('/api/v1/event-logs');
    tampered.ir.streams[0]!.source.request.url = JSON.parse(url.replace('/api/v1/event-logs', '/from-the-cache'));
    writeFileSync(cache, JSON.stringify(tampered));
    const before = api.requests.length;
    const second = await collect(args, env);
    expect(api.requests.slice(before).map((r) => r.path)).toEqual(['/from-the-cache']);
    expect(second.code).toBe(1);

    // A changed map (one byte more) is compiled again, and the cache rewritten from it.
    appendFileSync(map, '\n');
    const third = await collect(args, env);
    expect(third.code).toBe(0);
    expect(api.requests.slice(before + 1).every((r) => r.path === '/api/v1/event-logs')).toBe(true);
    expect((JSON.parse(readFileSync(cache, 'utf8')) as { ir: IntegrationIR }).ir).toEqual(ir);
  });
});

describe('readIrCache', () => {
  const ir = compileFile(join(REPO, 'maps', 'entro.map')).ir as IntegrationIR;
  const source = readFileSync(join(REPO, 'maps', 'entro.map'));
  const key = irCacheKey('maps/entro.map', source, 'build-a', IR_VERSION);

  it('returns the IR only for exactly the key it was written with', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mapc-ir-cache-')), 'state.json.ir.json');
    expect(readIrCache(path, key)).toBeUndefined();
    expect(writeIrCache(path, key, ir)).toBe(true);
    expect(readIrCache(path, key)).toEqual(ir);
    expect(readIrCache(path, { ...key, build: 'build-b' })).toBeUndefined();
    expect(readIrCache(path, { ...key, file: 'other/entro.map' })).toBeUndefined();
    expect(
      readIrCache(path, irCacheKey('maps/entro.map', Buffer.concat([source, Buffer.from(' ')]), 'build-a', IR_VERSION)),
    ).toBe(undefined);
  });

  it('ignores a malformed file and an entry of another IR version', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mapc-ir-cache-')), 'state.json.ir.json');
    for (const text of [
      '',
      '{',
      'null',
      '[]',
      JSON.stringify({ mapcIrCache: 2, ...key, ir }),
      JSON.stringify({ mapcIrCache: 1, ...key, ir: { ...ir, irVersion: IR_VERSION + 1 } }),
      JSON.stringify({ mapcIrCache: 1, ...key }),
    ]) {
      writeFileSync(path, text);
      expect(readIrCache(path, key)).toBeUndefined();
    }
  });

  it('writes nothing, and says so, where the directory does not exist', () => {
    const path = join(tmpdir(), `mapc-no-such-dir-${process.pid}`, 'state.json.ir.json');
    expect(writeIrCache(path, key, ir)).toBe(false);
    expect(existsSync(path)).toBe(false);
  });
});
