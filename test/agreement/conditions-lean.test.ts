/**
 * Record conditions and `drop when` in the lean forms (a stream with a record schema: the lean
 * ingest pipeline, the lean VRL remap, the lean Logstash filters), on records that conform and
 * records that violate the schema (tier 2: a condition reads values exactly as without a schema):
 * every local engine (interpreter, VRL, ingest evaluator, Logstash evaluator) writes and drops as
 * the interpreter. OpenSearch runs the same pipelines in ./conditions.suite.ts (schema-less).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { StreamIR } from '../../compiler/ir.ts';
import { failures } from './check.ts';
import { conditionRecord } from './conditions.ts';
import { LOCAL_ENGINES, type EngineName, type EngineOutput } from './engines.ts';

const SEED = 20261207;

const MAP = `integration acme {
  title "Acme"
  vendor "Acme"
  version "0.1.0"
  description "Acme audit logs."
}
setting base_url: url = "https://api.acme.test"
setting strict: bool = false
secret api_token
stream audit {
  dataset "acme.audit"
  interval 5m
  auth bearer secret.api_token
  request GET "{base_url}/v1/logs"
  records $
  record {
    a string optional nullable
    b number | string optional
    n object optional
    n.x any optional
    s integer optional
  }
  map {
    drop when a == "drop" or (s > 100 and not exists b)
    drop when n.x in ["noise", 5] and not setting.strict
    labels.prefix = "yes" when a starts_with "ab" and b >= 2.5
    labels.suffix = "yes" when not (a ends_with "😀") or s <= -1
    labels.inside = "yes" when a contains "{{a}}" or n.x contains "x/y"
    labels.listed = "yes" when b in ["5", 5, true] or s < 10
    labels.number = s | keyword when exists s and not (s > 5)
  }
}`;

describe('conditions and drop when in the lean forms (record schema)', () => {
  const { ir, diagnostics } = compileSource(MAP, 'lean.map');
  it('compiles', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ir?.streams[0]?.schema).toBeDefined();
  });

  it.each([false, true])('300 records (conforming and not), strict %s: every local engine agrees', async (strict) => {
    const stream = ir!.streams[0] as StreamIR;
    const extra = fc.constantFrom<Record<string, unknown>>(
      { a: 'drop' },
      { s: 101 },
      { n: { x: 'noise' } },
      { n: { x: 5 } },
      { a: 'abc', b: 3 },
      { a: 'x😀', s: -1 },
      { a: 'x{{a}}y' },
      { b: '5' },
      { b: 5, s: 50 },
    );
    const records = fc.sample(
      fc.tuple(conditionRecord, extra).map(([r, e]) => ({ ...r, ...e })),
      { numRuns: 300, seed: SEED },
    );
    const messages = records.map((r) => JSON.stringify(r));
    const outputs = {} as Record<EngineName, EngineOutput[]>;
    for (const [name, engine] of Object.entries(LOCAL_ENGINES))
      outputs[name as EngineName] = await engine(ir!, 'audit', messages, { strict });
    // The local engines only: OpenSearch gives the ingest evaluator's results (./conditions.suite.ts).
    outputs.opensearch = outputs.ingest;
    const dropped = outputs.interpreter.filter((o) => o.crash === undefined && o.dropped).length;
    console.log(`lean conditions, strict ${strict}: ${records.length} records, ${dropped} dropped`);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(records.length);
    const found = failures(stream, records as never, outputs, new Map());
    expect(found, `seed ${SEED}: ${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`).toEqual([]);
  });
});
