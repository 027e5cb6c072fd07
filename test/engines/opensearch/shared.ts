/**
 * One OpenSearch node per test run, shared by every test file that needs one: a node takes
 * 10-30 s of the two shared cores to start, and six files used to start one each.
 *
 * The run's global setup (test/support/global-setup.ts) makes an empty directory and provides its
 * path (`inject('mapcOpenSearchDir')`). The first test file that calls {@link sharedOpenSearch}
 * takes the lock (`mkdir`, atomic), starts the node with its output in that directory and not tied
 * to the worker (./node.ts `detachedLog`), and writes `node.json` (URL, process group, run dir);
 * every other file waits for `node.json`. Nothing starts a node unless a test asks for one. The
 * global teardown ends the node ({@link stopSharedOpenSearch}). Tests only `_simulate`, which
 * keeps no state on the node, so files may share it in any order.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOpenSearch, type OpenSearchNode } from './node.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory of the run's shared OpenSearch node (./shared.ts). */
    mapcOpenSearchDir: string;
  }
}

interface NodeRecord {
  readonly url: string;
  readonly pgid: number;
  readonly runDir: string;
}

/** Bound on starting the node (./node.ts) plus the wait of the files that did not start it. */
const START_TIMEOUT_MS = 90_000;
const WAIT_TIMEOUT_MS = 150_000;

/** A client of a running node: `request` as in ./node.ts; `stop` does nothing (the run owns it). */
function client(record: NodeRecord): OpenSearchNode {
  return {
    ...record,
    async request(method, path, body) {
      const response = await fetch(record.url + path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, json: await response.json() };
    },
    async stop() {},
  };
}

/**
 * The run's OpenSearch node, started by the first caller.
 * @throws Error when the node is not installed or did not start (with its output), or when the
 *   test runs without the global setup that provides the directory.
 */
export async function sharedOpenSearch(): Promise<OpenSearchNode> {
  // Imported here, not at the top: the global teardown loads this module outside any test.
  const { inject } = await import('vitest');
  const dir = inject('mapcOpenSearchDir');
  if (!dir) throw new Error('no shared OpenSearch directory: run the tests through vitest.config.ts');
  const recordFile = join(dir, 'node.json');
  const errorFile = join(dir, 'error.txt');
  let starter = false;
  try {
    mkdirSync(join(dir, 'lock'));
    starter = true;
  } catch {
    // another file is starting it
  }
  if (starter) {
    try {
      const node = await startOpenSearch(START_TIMEOUT_MS, undefined, join(dir, 'node.log'));
      const record: NodeRecord = { url: node.url, pgid: node.pgid, runDir: node.runDir };
      writeFileSync(`${recordFile}.tmp`, JSON.stringify(record));
      renameSync(`${recordFile}.tmp`, recordFile);
      return client(record);
    } catch (error) {
      writeFileSync(errorFile, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (existsSync(recordFile)) return client(JSON.parse(readFileSync(recordFile, 'utf8')) as NodeRecord);
    if (existsSync(errorFile))
      throw new Error(`the shared OpenSearch node did not start: ${readFileSync(errorFile, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the shared OpenSearch node was not up within ${WAIT_TIMEOUT_MS} ms`);
}

/** Ends the node started in `dir` (if any) and removes its files; for the global teardown. */
export function stopSharedOpenSearch(dir: string): void {
  const recordFile = join(dir, 'node.json');
  if (existsSync(recordFile)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as NodeRecord;
    try {
      process.kill(-record.pgid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(record.runDir, { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
}
