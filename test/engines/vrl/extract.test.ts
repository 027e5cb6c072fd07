/**
 * `extract` on both real VRL runtimes (verel, VRL 0.25 in WASM; the native `vrl` CLI 0.38): the
 * remap compiles without error or warning, and every case of test/support/extract-cases.ts gives
 * its hand-written capture (or fails the rule), through `parse_regex` with the pattern as
 * `targets/vector/quote.ts` `extractRegex` writes it for Rust's `regex`.
 */
import { describe, expect, it } from 'vitest';
import { EXTRACT_CASES, extractCaseMap, extractOutcome } from '../../support/extract-cases.ts';
import { remapOf, RUNTIMES } from './harness.ts';

describe.each(RUNTIMES.map((r) => [r.name, r] as const))('extract on %s', (_name, runtime) => {
  const { ir, records } = extractCaseMap();
  const program = remapOf(ir);

  it('compiles without error or warning, and writes no $ (Vector would interpolate it)', () => {
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
    expect(program).not.toContain('$');
    expect(program).toContain('parse_regex(');
  });

  it('gives each case its capture, or fails the rule', () => {
    const outputs = runtime.runBatch(
      program,
      records.map((r) => ({ message: JSON.stringify(r) })),
    );
    const found = outputs.map((events, i) => extractOutcome(events[0] ?? {}, i));
    expect(found).toEqual(EXTRACT_CASES.map(([, , capture]) => capture));
  });
});
