/**
 * `collected_at` (compiler/ir.ts ValueIR `collection_time`) on every engine: the interpreter is
 * given a sentinel collection time (./engines.ts), each engine writes its own (the Agent event's
 * `@timestamp` set aside by the ingest pipeline, Vector's source `timestamp` or now, Logstash's
 * event `@timestamp`), and ./check.ts requires a date in the IR's form since the run began
 * wherever the interpreter wrote the sentinel, including after a rule that replaced `@timestamp`
 * and through `copy(...)`.
 */
import { expect, it } from 'vitest';
import { bundledMapWith } from '../support/bundled-map.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { checkedCollectionTimes, failures, runAll } from './check.ts';
import { COLLECTION_TIME_SENTINEL, type Engine, type EngineName } from './engines.ts';

const RULE = '    event.id           = uuid';

/** `maps/endor_labs.map` with collection-time rules after its `@timestamp` rule. */
function endorWithCollectionTime() {
  return bundledMapWith('endor_labs', RULE, [
    '    event.created = collected_at',
    '    event.start = collected_at when spec.payload.success == true',
    '    event.end = copy(event.created)',
  ]);
}

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function collectionTimeSuite(engine: (name: EngineName) => Engine): void {
  it.each([
    ['with its record schema (lean output)', false],
    ['without (fully guarded output)', true],
  ])('writes each engine its collection time, %s', async (_label, strip) => {
    const ir = strip ? stripSchemas(endorWithCollectionTime()) : endorWithCollectionTime();
    const stream = ir.streams[0]!;
    const records = loadFixtureRecords('endor_labs', stream.name) as Record<string, unknown>[];
    const { outputs } = await runAll(
      engine,
      ir,
      stream.name,
      records.map((r) => JSON.stringify(r)),
    );
    let seen = 0;
    records.forEach((record, i) => {
      const output = outputs.interpreter[i]!;
      if (output.crash !== undefined) throw new Error(`interpreter: ${output.crash}`);
      const event = (output.doc as { event: Record<string, unknown> }).event;
      expect(event['created'], `record ${i}`).toBe(COLLECTION_TIME_SENTINEL);
      expect(event['end'], `record ${i}`).toBe(COLLECTION_TIME_SENTINEL);
      const payload = (record['spec'] as { payload?: { success?: unknown } }).payload;
      expect(event['start'], `record ${i}`).toBe(payload?.success === true ? COLLECTION_TIME_SENTINEL : undefined);
      for (const name of ['vrl', 'opensearch', 'ingest', 'logstash'] as const) {
        const got = outputs[name][i]!;
        if (got.crash !== undefined) continue; // reported by failures() below
        const created = (got.doc as { event?: { created?: unknown } }).event?.created;
        expect(typeof created, `${name} record ${i}`).toBe('string');
        seen += 1;
      }
    });
    expect(seen).toBe(records.length * 4);
    expect(failures(stream, records as never, outputs, new Map())).toEqual([]);
  });

  it('refuses a collection time that is not a date since the run began', () => {
    const want = { event: { created: COLLECTION_TIME_SENTINEL } };
    expect(checkedCollectionTimes({ event: { created: new Date().toISOString() } }, want).problems).toEqual([]);
    for (const bad of ['2001-01-01T00:00:00.000Z', '2030-01-01T00:00:00Z', 5, undefined])
      expect(checkedCollectionTimes({ event: { created: bad } }, want).problems, String(bad)).toHaveLength(1);
  });
}
