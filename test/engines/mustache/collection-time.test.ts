/**
 * The Logstash pipeline of a map with `collected_at` parses with `mustache` (the Logstash config
 * parser) and is already in its format; the set-aside filters are in it. Its behaviour is proven
 * by the agreement suite (test/agreement/collection-time.suite.ts) on the Logstash evaluator.
 */
import { expect, it } from 'vitest';
import { bundledMapWith } from '../../support/bundled-map.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { firstDifference, mustacheFormat } from './tokens.ts';

const RULE = '    event.id           = uuid';

it('a collected_at pipeline parses with mustache, in its format', () => {
  const ir = bundledMapWith('endor_labs', RULE, ['    event.created = collected_at']);
  const conf = logstashBackend.emit(ir, {}).files.find((f) => f.path.endsWith('.conf'))?.content ?? '';
  expect(conf).toContain('"[@timestamp]" => "[@metadata][mapc][collected]"');
  const formatted = mustacheFormat(conf);
  expect(formatted, firstDifference(conf, formatted)).toBe(conf);
});
