import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Engine tests (mito, VRL WASM, Go parsers) start processes; keep a generous per-test bound.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
