import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI runs from dist/ (bin/mapc.js): build it from the current sources first.
    globalSetup: ['test/cli/build-setup.ts'],
    // Engine tests (mito, VRL WASM, Go parsers) start processes; keep a generous per-test bound.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
