/**
 * Redaction fails closed (compiler/ir.ts step 4) on the ingest evaluator (test/emulated/ingest): `hash` and `mask` of every JSON
 * type, in place under the namespace, to ECS fields, after other transforms, into a target that
 * cannot be written and with the record not kept (test/support/redaction.ts).
 */
import { describe, expect, it } from 'vitest';
import { LOCAL_ENGINES } from '../../agreement/engines.ts';
import { REDACTION_INPUTS, REDACTION_LAYOUTS, runRedactionCases } from '../../support/redaction.ts';

describe('redaction fails closed on the ingest evaluator (test/emulated/ingest)', () => {
  it(`${REDACTION_INPUTS.length} values of every JSON type at ${REDACTION_LAYOUTS.length} redacted paths`, async () => {
    const { docs, problems } = await runRedactionCases(LOCAL_ENGINES.ingest);
    expect(docs.size).toBe(2 * REDACTION_INPUTS.length);
    expect(problems).toEqual([]);
  });
});
