/**
 * The engines' own tools the tests run, installed by `scripts/install-tools.sh` into
 * `.tools/bin` (versions pinned in `scripts/go-tools/<tool>/go.mod`; the native VRL CLI `vrl`
 * pinned by `VRL_VERSION` in the script and built from crates.io with `cargo install --locked`).
 *
 * A test that needs a missing tool fails with the command that installs it; it never skips.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures.ts';

export type ToolName = 'mito' | 'mustache' | 'package-spec-validate' | 'vrl';

export const INSTALL_COMMAND = 'bash scripts/install-tools.sh';

/** Absolute path of an installed tool. @throws Error naming the install command when it is missing. */
export function requireTool(name: ToolName): string {
  const path = join(REPO_ROOT, '.tools', 'bin', name);
  if (!existsSync(path)) throw new Error(`${name} is not installed: run \`${INSTALL_COMMAND}\``);
  return path;
}

export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool synchronously with a time bound (ms); output is captured, never inherited. */
export function runTool(
  name: ToolName,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; maxBuffer?: number } = {},
): ToolRun {
  const result = spawnSync(requireTool(name), args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 60_000,
    encoding: 'utf8',
    maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * {@link runTool} without blocking the worker: the tool runs while the test does other work
 * (engine requests, other tools). Resolves when the tool exits; rejects when it cannot start or
 * outlives `timeoutMs` (it is killed then).
 */
export function runToolAsync(
  name: ToolName,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ToolRun> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(requireTool(name), args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({
        status,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}
