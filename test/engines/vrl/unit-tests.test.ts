/**
 * The harness that runs generated Vector unit tests can fail: a wrong expectation, a wrong id, a
 * condition returning false, a missing transform and an input the remap drops all fail.
 */
import { describe, expect, it } from 'vitest';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';
import { deploymentEnv, loadVectorConfig, runUnitTests, type VectorConfig } from './harness.ts';

const ir = loadFixtureIR('entro');
const cases = loadFixtureCases('entro', 'audit').slice(0, 2);

function configWith(mutate: (c: (typeof cases)[number]) => (typeof cases)[number]): VectorConfig {
  const { files } = vectorBackend.emit(ir, { fixtures: new Map([['audit', cases.map(mutate)]]) });
  return loadVectorConfig(files.find((f) => f.path === 'vector.yaml')?.content ?? '', deploymentEnv(ir));
}

describe('running generated Vector unit tests', () => {
  it('passes with the true expectations', () => {
    expect(runUnitTests(configWith((c) => c)).map((r) => [r.name, r.passed])).toEqual([
      ['entro.audit collector log lines bypass the mapping', true],
      ['entro.audit fixture record 1', true],
      ['entro.audit fixture record 2', true],
    ]);
  });

  it('fails on a deliberately wrong document', () => {
    const results = runUnitTests(
      configWith((c) => ({ ...c, expected: { ...c.expected, doc: { ...c.expected.doc, rule: { name: 'Wrong' } } } })),
    );
    expect(results.map((r) => r.passed)).toEqual([true, false, false]);
    expect(results[1]?.failures[0]).toMatch(/assertion failed/);
  });

  it('fails on a wrong document id and on a missing field', () => {
    const wrongId = runUnitTests(configWith((c) => ({ ...c, expected: { ...c.expected, _id: '0'.repeat(64) } })));
    expect(wrongId.map((r) => r.passed)).toEqual([true, false, false]);
    const missing = runUnitTests(
      configWith((c) => {
        const { rule: _rule, ...doc } = c.expected.doc;
        return { ...c, expected: { ...c.expected, doc } };
      }),
    );
    expect(missing.map((r) => r.passed)).toEqual([true, false, false]);
  });

  it('fails on a condition returning false, a missing transform, and no emitted event', () => {
    const config = configWith((c) => c);
    const [, first] = config.tests ?? [];
    if (!first) throw new Error('no test generated');
    const falseCondition = {
      ...first,
      outputs: [{ ...(first.outputs ?? [])[0]!, conditions: [{ type: 'vrl', source: '.event.kind == "event"' }] }],
    };
    const noTransform = { ...first, inputs: [{ ...first.inputs[0]!, insert_at: 'nope' }] };
    const results = runUnitTests({ ...config, tests: [falseCondition, noTransform] });
    expect(results.map((r) => r.passed)).toEqual([false, false]);
    expect(results[0]?.failures[0]).toMatch(/returned false/);
    expect(results[1]?.failures).toEqual(['no transform nope', 'entro_audit_remap emitted no event']);
  });

  it('fails when a log line reaches the mapping (no_outputs_from), and follows the route into the remap', () => {
    const config = configWith((c) => c);
    const [routeTest] = config.tests ?? [];
    if (!routeTest) throw new Error('no route test generated');
    const asRecord = {
      ...routeTest,
      inputs: [{ ...routeTest.inputs[0]!, log_fields: { message: cases[0]!.message, stream: 'stdout' } }],
      outputs: [],
    };
    const [result] = runUnitTests({ ...config, tests: [asRecord] });
    expect(result?.failures).toEqual([
      'entro_audit_route.records emitted 1 event(s)',
      'entro_audit_remap emitted 1 event(s)',
    ]);
  });
});
