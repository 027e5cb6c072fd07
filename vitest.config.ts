/**
 * The test suite in four tiers (vitest projects), each runnable alone (`npm run test:<tier>`);
 * `npm test` runs all of them in one vitest process (one build, one OpenSearch node):
 *
 * - `unit`: mapc's own modules in process; the CLI in process (`runMapcIn`, test/support/mapc.ts)
 *   and, once per command, as users run it (`node bin/mapc.js`, test/cli/binary.test.ts); the
 *   collector against the mock API; the distribution. No engine of a target.
 * - `emulated`: mapc's emulations of the engines (test/emulated/: the ingest processors, the
 *   Logstash filters, Vector's environment interpolation), each checked on its own documented
 *   behaviours, and the backends' output run on them. Two Logstash files also hand the printed
 *   text to the real config parser (`mustache format`) once per run.
 * - `engines`: the real engines and tools (test/engines/: OpenSearch 2.19, mito, verel and the
 *   native vrl CLI, mustache, package-spec-validate), and the backend tests and benchmarks that
 *   run their output on them; the map fuzzer (every fuzzed program through verel).
 * - `agreement`: the same records through the interpreter and every engine, documents compared
 *   (test/agreement/), and the injection suites (test/security/injection-*), which check that each
 *   target's engine reads every hostile string as exactly the interpreter's value.
 *
 * A new test file lands in `unit` unless it is in one of the folders or lists below.
 */
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const EMULATED = ['test/emulated/**/*.test.ts', 'test/targets/elastic/{bool-settings,lean,pipeline}.test.ts'];

const ENGINES = [
  'test/engines/**/*.test.ts',
  'test/tools/**/*.test.ts',
  'test/bench-baselines/**/*.test.ts',
  'test/fuzz/**/*.test.ts',
  'test/cli/test-command.test.ts',
  'test/targets/elastic/{cel,quote}.test.ts',
  'test/targets/logstash/{http-poller,quote}.test.ts',
  'test/targets/vector/backend.test.ts',
];

const AGREEMENT = ['test/agreement/**/*.test.ts', 'test/security/injection-*.test.ts'];

/**
 * Files that need a fresh module graph: `vi.mock` of a module other files import, or a
 * `process.chdir`. Every other file shares its tier's worker and module graph (`isolate: false`):
 * no fork and no module load per file, and verel's 13 MB WebAssembly module (VRL) is compiled
 * once per worker instead of once per file. A file that changes global state (process.env, the
 * working directory, a mock) restores it before it ends, or joins this list.
 */
const UNIT_ISOLATED = ['test/collector/hostile-bodies.test.ts'];

const ALL_TESTS = 'test/**/*.test.ts';

function tier(name: string, include: string[], extra: TestProjectInlineConfiguration['test'] = {}) {
  return {
    extends: true,
    test: { name, include, globalSetup: ['test/support/global-setup.ts'], ...extra },
  } satisfies TestProjectInlineConfiguration;
}

export default defineConfig({
  test: {
    // Engine tests (mito, VRL WASM, Go parsers) start processes; keep a generous per-test bound.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at a time, one per core of the CI machine. vitest's default is one worker
    // fewer than the cores (`availableParallelism() - 1`), which on two cores ran every file in
    // turn on one of them.
    maxWorkers: 2,
    projects: [
      tier('unit', [ALL_TESTS], { exclude: [...EMULATED, ...ENGINES, ...AGREEMENT, ...UNIT_ISOLATED], isolate: false }),
      tier('unit-isolated', UNIT_ISOLATED),
      tier('emulated', EMULATED, { isolate: false }),
      tier('engines', ENGINES, { isolate: false }),
      tier('agreement', AGREEMENT, { isolate: false }),
    ],
  },
});
