/**
 * Running one CEL evaluation on mito, Elastic's CEL runtime (`github.com/elastic/mito/cmd/mito`,
 * pinned v1.24.1 in `scripts/go-tools/mito/go.mod`, built into `.tools/bin/mito` by
 * `scripts/install-tools.sh`).
 *
 * mito CLI facts used (mito `mito.go`, v1.24.1): `-data <file>` exposes the JSON object as
 * `state`; `-max_executions 1` stops after one evaluation (otherwise it loops while `want_more`);
 * `-cfg <file>` takes run control YAML (`auth.oauth2` with `client.id`, `client.secret`,
 * `token_url`, `scopes`; `auth.basic`); the result is printed as JSON on stdout, an evaluation error
 * on stderr with exit status 2. mito's HTTP client is rate limited to 1 request/s (burst 1) per
 * process.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const MITO_VERSION = 'v1.24.1';
export const INSTALL_COMMAND = 'bash scripts/install-tools.sh';

/**
 * The two binaries: `mito`, Elastic's own command line, and `mito-agent`, the same command line
 * with the Elastic Agent CEL input's redirect policy (`-max_redirects`, see
 * `scripts/go-tools/mito-agent/main.go`), used to replay the Agent (`agent.ts`).
 */
export type MitoBinary = 'mito' | 'mito-agent';

/** Path of a mito binary; throws (so the test fails) with the install command when missing. */
export function mitoPath(binary: MitoBinary = 'mito'): string {
  const variable = binary === 'mito' ? 'MITO' : 'MITO_AGENT';
  const path = process.env[variable] ?? join(ROOT, '.tools', 'bin', binary);
  if (!existsSync(path)) {
    throw new Error(
      `${binary} ${MITO_VERSION} is not installed at ${path}: run \`${INSTALL_COMMAND}\` from the repository root`,
    );
  }
  return path;
}

export type EvalResult =
  { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly error: string };

/** mito run control (`-cfg`): what the CEL input's `auth.oauth2` and `resource.max_body_size` map to. */
export interface MitoConfig {
  readonly auth?: Record<string, unknown>;
  /** mito `rc.Config.MaxBodySize`: a larger response body fails the request ("response body too big"). */
  readonly max_body_size?: number;
}

/** How to run mito: which binary, and `-max_redirects` for `mito-agent`. */
export interface MitoRun {
  readonly binary: MitoBinary;
  readonly maxRedirects?: number;
}

/** Evaluates `program` once with `state`; resolves with the returned state or the error text. */
export async function evalOnce(
  program: string,
  state: Record<string, unknown>,
  config?: MitoConfig,
  run: MitoRun = { binary: 'mito' },
): Promise<EvalResult> {
  const mito = mitoPath(run.binary);
  const dir = mkdtempSync(join(tmpdir(), 'mapc-mito-'));
  const src = join(dir, 'program.cel');
  const data = join(dir, 'state.json');
  writeFileSync(src, program);
  writeFileSync(data, JSON.stringify(state));
  const args = ['-data', data, '-max_executions', '1'];
  if (run.binary === 'mito-agent' && run.maxRedirects !== undefined)
    args.unshift('-max_redirects', String(run.maxRedirects));
  if (config) {
    const cfg = join(dir, 'cfg.yml');
    writeFileSync(cfg, yaml.dump(config));
    args.push('-cfg', cfg);
  }
  args.push(src);
  return new Promise((resolve) => {
    execFile(mito, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (error) {
        resolve({ ok: false, error: `${stderr || error.message}`.trim() });
        return;
      }
      try {
        resolve({ ok: true, value: JSON.parse(stdout) as Record<string, unknown> });
      } catch (e) {
        resolve({ ok: false, error: `unparsable mito output: ${(e as Error).message}: ${stdout.slice(0, 500)}` });
      }
    });
  });
}

/** Compiles `program` (no evaluation side effects beyond CEL compilation): the error text, or undefined. */
export async function compileError(program: string): Promise<string | undefined> {
  // An evaluation with an empty state fails at run time, not compile time; only compile errors count here.
  const r = await evalOnce(program, {});
  if (r.ok) return undefined;
  return /failed compilation|failed program instantiation/.test(r.error) ? r.error : undefined;
}
