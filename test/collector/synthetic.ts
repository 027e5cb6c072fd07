/**
 * The mock API side of the synthetic integration (`syntheticIR` in test/support/ir.ts: one stream
 * `logs`, records under `data`, cursor `record_max` on `ts`): its records and the matching mock
 * scenario.
 *
 * @module
 */
import { normalizeScenario, type MockScenario } from '../mock-api/scenario.ts';

/** Seven records with ascending timestamps: `{id: "r1", ts: "2024-05-01T00:01:00.000001Z"}` ... */
export const RECORDS = Array.from({ length: 7 }, (_, i) => ({
  id: `r${i + 1}`,
  ts: `2024-05-01T00:0${i + 1}:00.00000${i + 1}Z`,
  msg: `event ${i + 1}`,
}));

/** Splits records into pages of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A mock scenario for the stream of `syntheticIR` (test/support/ir.ts): `/logs`, records under `data`, the `since` filter. */
export function syntheticScenario(input: Record<string, unknown>, cursorIn: 'query' | 'body' = 'query'): MockScenario {
  return normalizeScenario({
    path: '/logs',
    method: cursorIn === 'body' ? 'POST' : 'GET',
    recordsPath: 'data',
    since: { param: cursorIn === 'body' ? { in: 'body', path: ['filter', 'since'] } : 'since', field: 'ts' },
    settings: { start: '2024-04-30T00:00:00Z' },
    ...input,
  });
}
