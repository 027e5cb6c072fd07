/**
 * `mask(n)` compiles and masks for every width the checks may allow, on verel (VRL 0.25): the
 * remap uses `truncate`, not a `.{n}` regex (which VRL rejected from about n = 50,000: Rust
 * regex's size limit), and a width whose double exceeds any string length needs no big literal
 * (`mask(99999999999999999999)` was an invalid integer literal). Results agree with the
 * interpreter at the 2n / 2n + 1 boundary, with astral characters counted as one.
 */
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { checkVrl, deploymentEnv, loadVectorConfig, runRemapBatch } from './harness.ts';
import { field, rule, vectorIR } from '../../support/ir.ts';

describe.each([1, 4, 10_000, 50_000, 1_000_000, 2 ** 60, 99999999999999999999])('mask(%d)', (keep) => {
  const ir = vectorIR({ rules: [rule('labels.m', field('v', { kind: 'redact', mode: 'mask', keep }))] });
  const stream = ir.streams[0]!;
  const { files, diagnostics } = vectorBackend.emit(ir, {});
  const text = files.find((f) => f.path === 'vector.yaml')?.content ?? '';
  const program = loadVectorConfig(text, deploymentEnv(ir)).transforms.test_events_remap?.source ?? '';

  it('compiles with no error and no warning', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(program).not.toMatch(/\.\{\d/);
    expect(checkVrl(program)).toEqual({ errors: [], warnings: [] });
  });

  it('masks as the interpreter does at the 2n boundary', () => {
    const lengths = keep <= 50_000 ? [0, 2 * keep, 2 * keep + 1, 2 * keep + 7] : [0, 5, 100_001];
    // n characters, alternating an astral character and an ASCII one.
    const values = lengths.map((n) => [...'𝄞a'.repeat(Math.ceil(n / 2))].slice(0, n).join(''));
    const messages = values.map((v) => JSON.stringify({ v }));
    const docs = runRemapBatch(
      program,
      messages.map((message) => ({ message })),
    );
    messages.forEach((message, i) => {
      const expected = (mapRecord(stream, message, {}).doc.labels as Record<string, unknown>).m;
      const actual = ((docs[i]?.[0] ?? {}).labels as Record<string, unknown>).m;
      expect(actual, `length ${lengths[i]}`).toBe(expected);
    });
  });
});
