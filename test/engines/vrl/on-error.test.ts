/**
 * `on_error ignore` on both real VRL runtimes: the remaps (lean and guarded) of the Entro and
 * Endor Labs maps with every rule ignored compile without error or warning (a failure with
 * nothing to do is the statement `null`: VRL refuses an empty block), and a failing ignored rule
 * writes and appends nothing where the same rule recorded appends its error.
 */
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../../compiler/compile.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { loadFixtureRecords } from '../../support/fixtures.ts';
import { remapOf, RUNTIMES } from './harness.ts';

function ignoringAll(ir: IntegrationIR): IntegrationIR {
  return {
    ...ir,
    streams: ir.streams.map((s) => ({
      ...s,
      mapping: { ...s.mapping, rules: s.mapping.rules.map((r) => ({ ...r, onError: 'ignore' as const })) },
    })),
  };
}

const cases = RUNTIMES.flatMap((runtime) =>
  ['endor_labs', 'entro'].flatMap((vendor) =>
    [false, true].map((strip) => [runtime.name, vendor, strip ? 'guarded' : 'lean', runtime, strip] as const),
  ),
);

describe.each(cases)('on_error ignore on %s: %s (%s remap)', (_n, vendor, _form, runtime, strip) => {
  const compiled = compileFile(`maps/${vendor}.map`).ir!;
  const base = strip ? stripSchemas(compiled) : compiled;
  const program = remapOf(ignoringAll(base));

  it('compiles without error or warning', () => {
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
  });

  it('appends no error for a failing rule that the recorded map reports', () => {
    const record = loadFixtureRecords(vendor, 'audit')[0] as Record<string, unknown>;
    const broken = vendor === 'entro' ? { ...record, date: '31/02/2024' } : { ...record, meta: { create_time: 'x' } };
    const message = JSON.stringify(broken);
    const [[recorded = {}] = []] = runtime.runBatch(remapOf(base), [{ message }]);
    expect((recorded['error'] as { message?: string[] } | undefined)?.message?.length ?? 0).toBeGreaterThan(0);
    const [[ignored = {}] = []] = runtime.runBatch(program, [{ message }]);
    expect(ignored).not.toHaveProperty('error');
  });
});
