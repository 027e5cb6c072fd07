/**
 * Regression: the Elastic Agent sends every event with its collection `@timestamp`. The IR
 * (compiler/ir.ts, steps 5 and 8) deletes a source consumed by `@timestamp` only when a rule wrote
 * `@timestamp`, and keeps the collection time only when none did. So a date that fails to parse
 * must leave its source in the vendor namespace, with the agent's stamp as `@timestamp`; a date
 * that parses replaces the stamp and consumes its source. Formerly the pipeline's consumed-removal
 * condition saw the agent's stamp and deleted the unparsable vendor value
 * (docs/target-differences.md, the former class "Elastic pipeline consumes the @timestamp source
 * when the agent set @timestamp").
 *
 * Expected documents: the reference interpreter's, plus the agent's stamp where it writes none.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../../compiler/ir.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';
import { acmeIR, field, rule } from '../../support/ir.ts';
import { simulate, type PipelineDefinition } from './processors.ts';
import type { JsonMap } from './document.ts';

const AGENT_STAMP = '2026-11-23T12:00:00.000Z';

function run(ir: IntegrationIR, source: JsonMap): JsonMap {
  const { pipeline, diagnostics } = buildPipeline(ir, ir.streams[0]!);
  expect(diagnostics).toEqual([]);
  const r = simulate(pipeline as unknown as PipelineDefinition, source);
  if (!r.ok) throw new Error(r.error);
  return r.doc;
}

describe('enpass @timestamp = created_at | date(iso8601), event sent with the agent @timestamp', () => {
  const ir = loadFixtureIR('enpass');
  const stream = ir.streams[0] as StreamIR;
  const expected = (record: unknown): JsonMap => {
    const doc = mapRecord(stream, JSON.stringify(record), defaultSettings(ir)).doc as JsonMap;
    return '@timestamp' in doc ? doc : { '@timestamp': AGENT_STAMP, ...doc };
  };
  const ingest = (record: unknown): JsonMap => run(ir, { '@timestamp': AGENT_STAMP, message: JSON.stringify(record) });

  it('an impossible date keeps created_at in enpass.events, the agent stamp and the conversion error', () => {
    const record = { event_id: 'e1', created_at: '2024-02-30T00:00:00Z' };
    const doc = ingest(record);
    expect(doc['@timestamp']).toBe(AGENT_STAMP);
    expect((doc['enpass'] as JsonMap)['events']).toEqual({ created_at: '2024-02-30T00:00:00Z' });
    expect((doc['error'] as JsonMap)['message']).toEqual(['mapc: cannot map created_at to @timestamp']);
    expect(doc).toEqual(expected(record));
  });

  it('a valid date replaces the agent stamp and consumes created_at', () => {
    const record = { event_id: 'e1', created_at: '2024-02-28T00:00:00Z' };
    const doc = ingest(record);
    expect(doc['@timestamp']).toBe('2024-02-28T00:00:00.000Z');
    expect((doc['enpass'] as JsonMap)['events']).toEqual({});
    expect(doc).toEqual(expected(record));
  });

  it('a null or missing date keeps the agent stamp (and the null source)', () => {
    for (const record of [{ event_id: 'e1', created_at: null }, { event_id: 'e1' }]) {
      const doc = ingest(record);
      expect(doc['@timestamp']).toBe(AGENT_STAMP);
      expect(doc).toEqual(expected(record));
    }
  });

  it('no temporary field survives, with or without an agent stamp', () => {
    const record = { event_id: 'e1', created_at: 'x' };
    expect(ingest(record)).not.toHaveProperty('_mapc');
    expect(run(ir, { message: JSON.stringify(record) })).not.toHaveProperty('@timestamp');
  });

  it('a pipeline-level failure (message not JSON) still leaves the agent @timestamp', () => {
    const doc = run(ir, { '@timestamp': AGENT_STAMP, message: '{not json' });
    expect(doc['@timestamp']).toBe(AGENT_STAMP);
    expect((doc['event'] as JsonMap)['kind']).toBe('pipeline_error');
    expect(doc).not.toHaveProperty('_mapc');
  });
});

describe('a consumed source whose target is @timestamp under a condition', () => {
  const ir = acmeIR({
    rules: [
      rule(
        '@timestamp',
        { kind: 'const', value: '2024-01-01T00:00:00.000Z' },
        { when: { kind: 'exists', path: ['stamp_it'] } },
      ),
      rule('event.id', field('id')),
    ],
    consumed: [{ path: ['at'], whenDestinationSet: ['@timestamp'] }],
  });

  it('condition false: the source stays and the agent stamp is kept', () => {
    const doc = run(ir, { '@timestamp': AGENT_STAMP, message: JSON.stringify({ id: 'a', at: 'raw' }) });
    expect(doc['@timestamp']).toBe(AGENT_STAMP);
    expect((doc['acme'] as JsonMap)['logs']).toEqual({ id: 'a', at: 'raw' });
  });

  it("condition true: the rule's value wins over the agent stamp and the source is consumed", () => {
    const doc = run(ir, { '@timestamp': AGENT_STAMP, message: JSON.stringify({ id: 'a', at: 'raw', stamp_it: 1 }) });
    expect(doc['@timestamp']).toBe('2024-01-01T00:00:00.000Z');
    expect((doc['acme'] as JsonMap)['logs']).toEqual({ id: 'a', stamp_it: 1 });
  });
});
