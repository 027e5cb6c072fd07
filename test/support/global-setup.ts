/**
 * The global setup of every test tier (vitest.config.ts), run once per `vitest` process however
 * many tiers it runs (vitest calls a project's global setup once per project: the first call does
 * the work, the last teardown undoes it):
 *
 * - builds `dist/` (scripts/build.ts) before any test runs, so that every test that starts the CLI
 *   as users do (`node bin/mapc.js ...`) runs the current sources, never an earlier build;
 * - provides the directory of the run's shared OpenSearch node (test/engines/opensearch/shared.ts),
 *   which the first test that needs a node starts, and ends that node at teardown;
 * - provides a temporary directory for the run's scratch files (`mapcTempDir`: state files of the
 *   collector tests, test/collector/harness.ts), removed at teardown.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { main as build } from '../../scripts/build.ts';
import { stopSharedOpenSearch } from '../engines/opensearch/shared.ts';

interface RunState {
  users: number;
  ready: Promise<{ openSearchDir: string; tempDir: string }>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory for the run's scratch files, removed when the run ends. */
    mapcTempDir: string;
  }
}

const KEY = Symbol.for('mapc.test.global-setup');
const state = globalThis as unknown as { [KEY]?: RunState };

export default async function setup(project: TestProject): Promise<() => void> {
  const run = (state[KEY] ??= {
    users: 0,
    ready: (async () => {
      await build(['--split-only', '--quiet']);
      return {
        openSearchDir: mkdtempSync(join(tmpdir(), 'mapc-opensearch-shared-')),
        tempDir: mkdtempSync(join(tmpdir(), 'mapc-test-run-')),
      };
    })(),
  });
  run.users += 1;
  const { openSearchDir, tempDir } = await run.ready;
  project.provide('mapcOpenSearchDir', openSearchDir);
  project.provide('mapcTempDir', tempDir);
  return () => {
    run.users -= 1;
    if (run.users > 0) return;
    stopSharedOpenSearch(openSearchDir);
    rmSync(tempDir, { recursive: true, force: true });
    delete state[KEY];
  };
}
