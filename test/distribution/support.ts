/**
 * Shared steps of the distribution tests: a temporary project holding the bundled maps, and one
 * `mapc collect` run of the Enpass map against the mock API (127.0.0.1) with a given `mapc`
 * command, checked against the fixture records.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { compileFile } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { envFor } from '../collector/harness.ts';
import { loadScenario } from '../mock-api/scenario.ts';
import { startMockApi } from '../mock-api/server.ts';
import { loadFixtureRecords, REPO_ROOT } from '../support/fixtures.ts';

export const REPO = REPO_ROOT;

/** A fresh directory with `maps/*.map` copied from the repository, and nothing else. */
export function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mapc-dist-'));
  mkdirSync(join(dir, 'maps'));
  for (const name of readdirSync(join(REPO, 'maps')).filter((n) => n.endsWith('.map')))
    cpSync(join(REPO, 'maps', name), join(dir, 'maps', name));
  return dir;
}

/** Runs `command` (argv) in `cwd`; a bounded synchronous run. */
export function run(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(command[0]!, command.slice(1), { cwd, env, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

/** `mapc build` into `generated/`: every target of the four bundled maps written, exit 0. */
export function expectBuild(mapc: readonly string[], cwd: string): void {
  const r = run([...mapc, 'build', '--no-fixtures'], cwd);
  expect(r.stderr).not.toMatch(/^error/m);
  expect(r.status).toBe(0);
  for (const vendor of ['endor_labs', 'entro', 'enpass', 'bitwarden'])
    for (const target of ['elastic', 'vector', 'logstash'])
      expect(r.stderr).toContain(`generated/${vendor}/${target}:`);
}

/**
 * One `mapc collect maps/enpass.map` with `mapc` (argv prefix) in `cwd` against the mock API
 * serving the Enpass fixture pages: every fixture record printed once, in order, exit 0.
 */
export async function expectCollect(mapc: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const ir = compileFile(join(REPO, 'maps', 'enpass.map')).ir as IntegrationIR;
  const scenario = loadScenario('enpass', 'events');
  const api = await startMockApi(scenario);
  try {
    const args = [
      ...mapc,
      'collect',
      'maps/enpass.map',
      '--state',
      join(cwd, 'enpass.state.json'),
      '--set',
      `base_url=${api.url}`,
      '--set',
      'backfill_start=2024-11-01T00:00:00Z',
    ];
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(args[0]!, args.slice(1), { cwd, env: { ...env, ...envFor(ir, scenario) } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.stderr).toContain('"collection complete"');
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(loadFixtureRecords('enpass', 'events'));
  } finally {
    await api.close();
  }
}
