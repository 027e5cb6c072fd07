/**
 * Selecting an array element (compiler/ir.ts ValueIR `select`) on both real VRL runtimes (verel,
 * VRL 0.25 in WASM; the native `vrl` CLI 0.38): the remap of the selection map (lean, with its
 * record schema, and guarded, without) compiles without error or warning, and on the curated and
 * random records of test/support/select-map.ts writes the fields the interpreter writes.
 */
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../compiler/interpret/map-record.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { CURATED, RANDOM, selectMap } from '../../support/select-map.ts';
import { remapOf, RUNTIMES } from './harness.ts';

/** The fields the selections write (absent ones as `null`, so a missing write is seen). */
function selected(doc: Record<string, unknown>): unknown[] {
  const at = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc) ??
    null;
  return [
    'user.target.id',
    'user.target.email',
    'user.target.full_name',
    'acme.audit.app',
    'acme.audit.by_rank',
    'acme.audit.primary',
    'event.kind',
    'related.user',
    'acme.audit.targets',
    'acme.audit.target',
    'error.message',
  ].map(at);
}

describe.each(RUNTIMES.map((r) => [r.name, r] as const))('selections on %s', (_name, runtime) => {
  const lean = selectMap();
  describe.each([
    ['lean', lean],
    ['guarded', stripSchemas(lean)],
  ] as const)('%s', (_form, ir) => {
    const program = remapOf(ir);
    const records = [...CURATED, ...RANDOM];
    it('compiles without error or warning', () => {
      expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
      expect(program).toContain('for_each(');
    });
    it("writes the interpreter's values", () => {
      const outputs = runtime.runBatch(
        program,
        records.map((r) => ({ message: JSON.stringify(r) })),
      );
      const stream = ir.streams[0]!;
      const want = records.map((r) => selected(mapRecord(stream, JSON.stringify(r), {}).doc));
      const got = outputs.map((events) => selected((events[0] ?? {}) as Record<string, unknown>));
      expect(got).toEqual(want);
      expect(want.filter((w) => w[0] !== null).length).toBeGreaterThan(5);
    });
  });
});
