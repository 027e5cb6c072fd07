/**
 * Redaction fails closed on the reference interpreter (compiler/ir.ts step 4), for every JSON
 * type at every redacted path layout of test/support/redaction.ts.
 */
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { REDACTION_INPUTS, redactionIR, redactionProblems, redactionRecord } from '../../support/redaction.ts';

const ir = redactionIR();

describe.each(['kept', 'dropped'] as const)('interpreter, record %s', (name) => {
  const stream = ir.streams.find((s) => s.name === name)!;
  it.each(REDACTION_INPUTS.map((input) => [input.label, input] as const))('%s at every redacted path', (_l, input) => {
    const { doc } = mapRecord(stream, JSON.stringify(redactionRecord(name, input)), {});
    expect(redactionProblems(ir, name, input, doc)).toEqual([]);
  });
});
