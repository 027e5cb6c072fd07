/**
 * The cross-engine agreement suite, in one test file so that one real OpenSearch node serves all
 * of it: starting a node takes 10-15 s of the two shared cores, and four files used to start four.
 * The node starts in `beforeAll` (bounded by `startOpenSearch`'s 90 s and vitest's hookTimeout)
 * and is killed in `afterAll`, and also on process exit should the worker end without running
 * `afterAll` (`stop()` kills the node's process group synchronously before any await).
 *
 * The parts (run one with `npx vitest run test/agreement -t '<describe name>'`):
 * - ./fixtures.suite.ts: every fixture record gives `expected.json` on every engine;
 * - ./edges.suite.ts: curated odd values at every mapped path;
 * - ./property.suite.ts: random vendor-shaped records, and uncoercible values;
 * - ./classes.suite.ts: each difference class of ./classes.ts is still needed and no wider;
 * - ./redaction.suite.ts: redaction fails closed for every JSON type, and on the Entro map.
 *
 * Which engines run and what is stripped: ./engines.ts and docs/target-differences.md.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { startOpenSearch, type OpenSearchNode } from '../engines/opensearch/node.ts';
import { classSuite } from './classes.suite.ts';
import { edgeSuite } from './edges.suite.ts';
import { engines } from './engines.ts';
import { fixtureSuite } from './fixtures.suite.ts';
import { propertySuite } from './property.suite.ts';
import { redactionSuite } from './redaction.suite.ts';

let node: OpenSearchNode | undefined;
const stopOnExit = (): void => void node?.stop();

beforeAll(async () => {
  process.once('exit', stopOnExit);
  const started = performance.now();
  node = await startOpenSearch();
  console.log(`agreement: OpenSearch node up in ${Math.round(performance.now() - started)} ms at ${node.url}`);
});
afterAll(async () => {
  process.off('exit', stopOnExit);
  await node?.stop();
  node = undefined;
});

const engine = engines(() => node);

describe('fixtures', () => fixtureSuite(engine));
describe('edges', () => edgeSuite(engine));
describe('property', () => propertySuite(engine));
describe('classes', () => classSuite(engine));
describe('redaction', () => redactionSuite(engine));
