/**
 * The cross-engine agreement suite, on the run's shared OpenSearch node
 * (test/engines/opensearch/shared.ts: started by the first file that needs it, ended by the
 * global teardown), awaited in `beforeAll` (bounded by vitest's hookTimeout).
 *
 * The parts (run one with `npx vitest run test/agreement -t '<describe name>'`):
 * - ./fixtures.suite.ts: every fixture record gives `expected.json` on every engine;
 * - ./edges.suite.ts: curated odd values at every mapped path;
 * - ./property.suite.ts: random vendor-shaped records, and uncoercible values;
 * - ./classes.suite.ts: each difference class of ./classes.ts is still needed and no wider;
 * - ./redaction.suite.ts: redaction fails closed for every JSON type, and on the Entro map;
 * - ./namespace-writes.suite.ts: a namespace write of a field another rule consumes is kept;
 * - ./conditions.suite.ts: random record conditions and `drop when`s on random records;
 * - ./digit-names.suite.ts: each bundled map renamed to an integration name that starts with a digit;
 * - ./ecs-release.suite.ts: each bundled map on ECS 8.11.0 (`ecs "8.11.0"`);
 * - ./collection-time.suite.ts: `collected_at` writes each engine's own collection time;
 * - ./on-error.suite.ts: rules marked `on_error ignore` fail quietly, alike on every engine;
 * - ./transforms.suite.ts: random `split` separators on random texts; `json` of random JSON texts;
 *   random `extract` patterns on random texts;
 * - ./drop-empty.suite.ts: `drop empty` on records rich in null, "", [] and {}.
 * - ./user-agent.suite.ts: `user_agent` on the agreed corpus of agents and random odd values.
 *
 * Which engines run and what is stripped: ./engines.ts and docs/target-differences.md.
 */
import { beforeAll, describe } from 'vitest';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { classSuite } from './classes.suite.ts';
import { collectionTimeSuite } from './collection-time.suite.ts';
import { conditionSuite } from './conditions.suite.ts';
import { digitNameSuite } from './digit-names.suite.ts';
import { dropEmptySuite } from './drop-empty.suite.ts';
import { ecsReleaseSuite } from './ecs-release.suite.ts';
import { edgeSuite } from './edges.suite.ts';
import { engines } from './engines.ts';
import { fixtureSuite } from './fixtures.suite.ts';
import { namespaceWriteSuite } from './namespace-writes.suite.ts';
import { onErrorSuite } from './on-error.suite.ts';
import { propertySuite } from './property.suite.ts';
import { redactionSuite } from './redaction.suite.ts';
import { extractSuite, jsonSuite, transformSuite } from './transforms.suite.ts';
import { userAgentSuite } from './user-agent.suite.ts';

let node: OpenSearchNode | undefined;

beforeAll(async () => {
  node = await sharedOpenSearch();
});

const engine = engines(() => node);

describe('fixtures', () => fixtureSuite(engine));
describe('edges', () => edgeSuite(engine));
describe('property', () => propertySuite(engine));
describe('classes', () => classSuite(engine));
describe('redaction', () => redactionSuite(engine));
describe('namespace writes', () => namespaceWriteSuite(engine));
describe('conditions', () => conditionSuite(engine));
describe('digit names', () => digitNameSuite(engine));
describe('ECS release', () => ecsReleaseSuite(engine));
describe('collection time', () => collectionTimeSuite(engine));
describe('on_error', () => onErrorSuite(engine));
describe('drop empty', () => dropEmptySuite(engine));
describe('transforms', () => {
  transformSuite(engine);
  jsonSuite(engine);
});
describe('extract', () => extractSuite(engine));
describe('user_agent', () => userAgentSuite(engine));
