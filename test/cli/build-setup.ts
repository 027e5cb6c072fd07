/**
 * Vitest global setup: builds `dist/` (scripts/build.ts) before any test runs, so that every
 * test that starts the CLI as users do (`node bin/mapc.js ...`) runs the current sources, never
 * an earlier build.
 */
import { main } from '../../scripts/build.ts';

export default async function setup(): Promise<void> {
  await main(['--split-only', '--quiet']);
}
