/**
 * `now` tests (compiler/ir.ts `ConditionIR` `now`) on both real VRL runtimes (verel, VRL 0.25;
 * the `vrl` CLI, VRL 0.38), in the lean (record schema) and the fully guarded remap: the programs
 * compile without warnings, and on dates decades from now (neither clock can be fixed), texts no
 * format reads and values that are no strings, every rule and `drop when` does what the
 * interpreter does. The cross-engine suite on random maps is test/agreement/now.suite.ts.
 */
import { describe, expect, it } from 'vitest';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { defaultSettings } from '../../../compiler/interpret/settings.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { bundledMapWith } from '../../support/bundled-map.ts';
import { loadFixtureRecords } from '../../support/fixtures.ts';
import { remapOf, RUNTIMES } from './harness.ts';

const RULE = '    event.id           = uuid';

function endor(): IntegrationIR {
  return bundledMapWith('endor_labs', RULE, [
    '    drop when meta.create_time > now + 3650d',
    '    labels.old = "yes" when meta.create_time < now - 30d',
    '    labels.recent = "yes" when meta.create_time >= now-3650d format "dd/MM/yyyy", iso8601',
    '    labels.not_future = "yes" when not (meta.create_time > now)',
  ]);
}

/** `meta.create_time` values: far past, far future, a pattern date, unreadable texts, no string. */
const TIMES: readonly unknown[] = [
  '1990-05-01T10:00:00Z',
  '1990-05-01T10:00:00.123456789123+05:30',
  '2095-01-01T00:00:00Z',
  '2099-12-31T23:59:59.999-01:00',
  '01/02/2090',
  '01/02/1990',
  '1990-02-30T00:00:00Z',
  '1990-01-01T00:00:00',
  '1990-01-01T00:00:00+24:00',
  '9999-12-31T23:30:00-01:00',
  '',
  5,
  null,
];

const cases = RUNTIMES.flatMap((runtime) =>
  [
    ['lean', false],
    ['guarded', true],
  ].map(([form, strip]) => [runtime.name, form as string, runtime, strip as boolean] as const),
);

describe.each(cases)('now tests on %s (%s remap)', (_name, _form, runtime, strip) => {
  const ir = strip ? stripSchemas(endor()) : endor();
  // The native CLI runs a batch in one process, which an `abort` would end: a dropped record
  // (the `drop when`'s `abort`) becomes the event `{"dropped": true}` instead, on both runtimes.
  const program = [
    'mapc_test_dropped = false',
    remapOf(ir).replace(/^(\s*)abort$/gm, '$1mapc_test_dropped = true'),
    'if mapc_test_dropped { . = {"dropped": true} }',
  ].join('\n');
  const base = loadFixtureRecords('endor_labs', 'audit')[0] as Record<string, unknown>;
  const messages = TIMES.map((t) => JSON.stringify({ ...base, meta: { ...(base['meta'] as object), create_time: t } }));

  it('compiles without error or warning', () => {
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
  });

  it('writes and drops as the interpreter', () => {
    const stream = ir.streams[0]!;
    const settings = defaultSettings(ir);
    const results = runtime.runBatch(
      program,
      messages.map((message) => ({ message })),
    );
    const seen = { written: 0, dropped: 0 };
    messages.forEach((message, i) => {
      const want = mapRecord(stream, message, settings);
      const got = results[i]!;
      if (want.dropped) {
        seen.dropped += 1;
        expect(got, `record ${i} (${String(TIMES[i])})`).toEqual([{ dropped: true }]);
        return;
      }
      const labels = (want.doc['labels'] ?? {}) as Record<string, unknown>;
      if (Object.keys(labels).length > 0) seen.written += 1;
      expect(got[0]?.['dropped'], `record ${i}`).toBeUndefined();
      expect(got[0]?.['labels'] ?? {}, `record ${i} (${String(TIMES[i])})`).toEqual(labels);
    });
    // The values reach every outcome: dropped, a conditional write, none.
    expect(seen.dropped).toBe(2);
    expect(seen.written).toBeGreaterThan(3);
  });
});
