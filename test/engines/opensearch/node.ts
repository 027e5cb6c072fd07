/**
 * Starts a real OpenSearch node (assembled by `scripts/install-opensearch.sh` into
 * `.tools/opensearch`, with the `ingest-common` and `lang-painless` modules) on 127.0.0.1 and
 * an ephemeral-ish free port, for running generated ingest pipelines through
 * `POST _ingest/pipeline/_simulate` (https://opensearch.org/docs/2.19/ingest-pipelines/simulate-ingest/).
 *
 * Why OpenSearch and not Elasticsearch: Elasticsearch's integ-test-zip on Maven Central ships
 * no ingest-common or lang-painless module, and no Elasticsearch module jars are published
 * there; OpenSearch 2.19 publishes both. See README "How each target is proven".
 *
 * The node runs as the unprivileged user `mapc-os` when the tests run as root (OpenSearch
 * refuses root), with a 512 MiB heap, a private config/data/log dir under the OS temp dir, and
 * is killed by {@link OpenSearchNode.stop}. Start-up is bounded by `startTimeoutMs`.
 */
import { spawn, type ChildProcess, execFileSync, type StdioOptions } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/fixtures.ts';

const HOME = join(REPO_ROOT, '.tools', 'opensearch');
const RUN_AS = 'mapc-os';

export interface OpenSearchNode {
  readonly url: string;
  /** The node's process group (`process.kill(-pgid)` ends it) and its private run directory. */
  readonly pgid: number;
  readonly runDir: string;
  /** POST/PUT/GET a JSON body; resolves with the parsed JSON response (any status). */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Throws the install command when the node is not installed: a missing engine fails the test.
 * `home` defaults to this checkout's `.tools/opensearch` (`mapc test` passes the one it found).
 */
export function requireOpenSearch(home: string = HOME): { home: string; javaHome: string } {
  const stamp = join(home, '.mapc-java-home');
  if (!existsSync(join(home, 'bin', 'opensearch')) || !existsSync(stamp)) {
    throw new Error('OpenSearch is not installed: run `bash scripts/install-opensearch.sh`');
  }
  return { home, javaHome: readFileSync(stamp, 'utf8').trim() };
}

/**
 * Starts a node and waits until it answers (at most `startTimeoutMs`).
 * `detachedLog`: write the node's output to that file instead of a pipe and do not keep this
 * process alive for it, so the node outlives the process that started it (the shared node of
 * ./shared.ts, ended by the test run's global teardown).
 */
export async function startOpenSearch(
  startTimeoutMs = 90_000,
  installed: string = HOME,
  detachedLog?: string,
): Promise<OpenSearchNode> {
  const { home, javaHome } = requireOpenSearch(installed);
  const runDir = mkdtempSync(join(tmpdir(), 'mapc-opensearch-'));
  const config = join(runDir, 'config');
  mkdirSync(join(runDir, 'logs'));
  mkdirSync(join(runDir, 'data'));
  cpSync(join(home, 'config'), config, { recursive: true });
  // jvm.options writes GC logs and error files relative to the working directory, which is the
  // read-only install; point them at the run dir.
  const jvmOptions = join(config, 'jvm.options');
  writeFileSync(
    jvmOptions,
    readFileSync(jvmOptions, 'utf8')
      .replaceAll('file=logs/', `file=${runDir}/logs/`)
      .replaceAll('ErrorFile=logs/', `ErrorFile=${runDir}/logs/`)
      .replaceAll('HeapDumpPath=data', `HeapDumpPath=${runDir}/data`),
  );
  const port = await freePort();
  const asRoot = userInfo().uid === 0;
  if (asRoot) execFileSync('chown', ['-R', RUN_AS, runDir]);
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    OPENSEARCH_JAVA_HOME: javaHome,
    OPENSEARCH_PATH_CONF: config,
    OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m',
  };
  const args = [
    join(home, 'bin', 'opensearch'),
    '-Ediscovery.type=single-node',
    '-Enetwork.host=127.0.0.1',
    `-Ehttp.port=${port}`,
    `-Epath.data=${join(runDir, 'data')}`,
    `-Epath.logs=${join(runDir, 'logs')}`,
    '-Ecluster.routing.allocation.disk.threshold_enabled=false',
    // The suites install thousands of pipelines, each compiling its Mustache templates and Painless
    // scripts; the per-context default of 75 compilations per 5 minutes would refuse them
    // (circuit_breaking_exception "Too many dynamic script compilations").
    '-Escript.context.template.max_compilations_rate=unlimited',
    '-Escript.context.ingest.max_compilations_rate=unlimited',
    // No GeoIP lookup cache: OpenSearch (forked from Elasticsearch 7.10) keys it by address and
    // response class only, not by database (Elasticsearch keys it by database path since 7.12,
    // elastic/elasticsearch#68581), so after test/engines/opensearch/geoip.test.ts looks addresses
    // up in the test databases, a pipeline reading the empty default database would get their
    // cached answers. Every suite shares this node.
    '-Eingest.geoip.cache_size=0',
  ];
  const logFd = detachedLog === undefined ? undefined : openSync(detachedLog, 'a');
  const stdio: StdioOptions = logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd];
  const child: ChildProcess = asRoot
    ? spawn('runuser', ['-u', RUN_AS, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...args], {
        cwd: runDir,
        stdio,
        detached: true,
      })
    : spawn(args[0]!, args.slice(1), { cwd: runDir, env, stdio, detached: true });
  if (logFd !== undefined) {
    closeSync(logFd);
    child.unref();
  }
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const lastOutput = (): string =>
    detachedLog === undefined ? output : readFileSync(detachedLog, 'utf8').slice(-20_000);

  const url = `http://127.0.0.1:${port}`;
  const request: OpenSearchNode['request'] = async (method, path, body) => {
    const response = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, json: await response.json() };
  };
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(runDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const health = await request('GET', '/_cluster/health?wait_for_status=yellow&timeout=1s');
      if (health.status === 200) return { url, pgid: child.pid ?? -1, runDir, request, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`OpenSearch did not start within ${startTimeoutMs} ms:\n${lastOutput()}`);
}
