/**
 * `collected_at` on both real VRL runtimes: the rule writes the source's `timestamp` (Vector's
 * `exec`/`http_client` sources stamp each event with the time they read it), formatted as every
 * date, in the fully guarded and the lean (record schema) remap alike, even after a rule wrote
 * `@timestamp`; without a source timestamp, the time the remap runs.
 */
import { describe, expect, it } from 'vitest';
import { bundledMapWith } from '../../support/bundled-map.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { loadFixtureCases, loadFixtureRecords } from '../../support/fixtures.ts';
import { DATE_TEXT, deploymentEnv, loadVectorConfig, remapOf, RUNTIMES, runUnitTests } from './harness.ts';

const RULE = '    event.id           = uuid';

function endor(): IntegrationIR {
  return bundledMapWith('endor_labs', RULE, ['    event.created = collected_at']);
}

const cases = RUNTIMES.flatMap((runtime) =>
  [
    ['lean', false],
    ['guarded', true],
  ].map(([form, strip]) => [runtime.name, form as string, runtime, strip as boolean] as const),
);

describe.each(cases)('collected_at on %s (%s remap)', (_name, _form, runtime, strip) => {
  const ir = strip ? stripSchemas(endor()) : endor();
  const program = remapOf(ir);
  const message = JSON.stringify(loadFixtureRecords('endor_labs', 'audit')[0]);

  it('compiles without error or warning', () => {
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
  });

  it('writes the source timestamp in the IR date form, beside the record @timestamp', () => {
    const stamped = `.timestamp = get({"t": t'2024-11-13T15:30:45.123456789+02:00'}, ["t"]) ?? null\n${program}`;
    const [[doc = {}] = []] = runtime.runBatch(stamped, [{ message }]);
    expect((doc['event'] as Record<string, unknown>)['created']).toBe('2024-11-13T13:30:45.123Z');
    expect(doc['@timestamp']).not.toBe('2024-11-13T13:30:45.123Z');
  });

  it('without a source timestamp writes the time the remap runs', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const [[doc = {}] = []] = runtime.runBatch(program, [{ message }]);
    const created = (doc['event'] as Record<string, unknown>)['created'] as string;
    expect(created).toMatch(DATE_TEXT);
    expect(Date.parse(created)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(created)).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

describe.each(RUNTIMES.map((r) => [r.name, r] as const))(
  'generated Vector unit tests with collected_at on %s',
  (_n, runtime) => {
    it('pass: each collection-time field is checked for its form, then left out of the comparison', () => {
      const ir = bundledMapWith('entro', '    event.id              = results.request_id', [
        '    event.created = collected_at',
        '    event.start = collected_at when results.secrets.line_number > 1000',
      ]);
      const fixtures = new Map([['audit', loadFixtureCases('entro', 'audit')]]);
      const { files } = vectorBackend.emit(ir, { fixtures });
      const config = loadVectorConfig(files.find((f) => f.path === 'vector.yaml')?.content ?? '', deploymentEnv(ir));
      expect(JSON.stringify(config)).toContain('event.created is not a collection time');
      const results = runUnitTests(config, runtime).filter((r) => r.name.includes('fixture record'));
      expect(results).toHaveLength(fixtures.get('audit')!.length);
      expect(results.filter((r) => !r.passed)).toEqual([]);
    });
  },
);
