/**
 * The engines' own tools the tests run, installed by `scripts/install-tools.sh` into
 * `.tools/bin` (versions pinned in `scripts/go-tools/<tool>/go.mod`; the native VRL CLI `vrl`
 * pinned by `VRL_VERSION` in the script and built from crates.io with `cargo install --locked`).
 *
 * A test that needs a missing tool fails with the command that installs it; it never skips.
 */
import { spawnSync } from 'node:child_process';
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
