/**
 * Step 8 of compiler/ir.ts on VRL: a document whose `@timestamp` no rule wrote gets the collection
 * time, the source's `timestamp` field (read before the remap replaces the event root), else the
 * time the remap runs, formatted like every other date. Everything else stays as the interpreter
 * makes it, `error.message` included.
 */
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { loadFixtureIR, loadFixtureRecords } from '../../support/fixtures.ts';
import { checkVrl, DATE_TEXT, deploymentEnv, loadVectorConfig, runRemapBatch } from './harness.ts';
import { field, LOC, NO_PAGING_SOURCE, rule, vectorIR } from '../../support/ir.ts';

/** The remap program of the integration's only (or first) stream. */
function remapOf(ir: IntegrationIR): string {
  const { files } = vectorBackend.emit(ir, {});
  const config = loadVectorConfig(files.find((f) => f.path === 'vector.yaml')?.content ?? '', deploymentEnv(ir));
  const remap = Object.entries(config.transforms).find(([id]) => id.endsWith('_remap'))?.[1];
  if (!remap) throw new Error('no remap');
  return remap.source;
}

/**
 * `program` run on an event that carries a source `timestamp` of type timestamp, as Vector's
 * sources stamp it (a JSON input cannot hold that type, so a VRL timestamp literal is assigned
 * first, through `get` so that the program sees it untyped as in Vector).
 */
function withSourceTimestamp(program: string, literal: string): string {
  return `.timestamp = get({"t": t'${literal}'}, ["t"]) ?? null\n${program}`;
}

describe('Entro record whose date fails (record shape, exec source)', () => {
  const ir = loadFixtureIR('entro');
  const stream = ir.streams[0]!;
  const program = remapOf(ir);
  const record = { ...(loadFixtureRecords('entro', 'audit')[0] as Record<string, unknown>), date: '31/02/2024' };
  const message = JSON.stringify(record);
  const expected = mapRecord(stream, message, {});

  it('the interpreter writes no @timestamp and reports the failed date', () => {
    expect(expected.doc).not.toHaveProperty('@timestamp');
    expect(expected.doc['error']).toEqual({ message: ['mapc: cannot map date to @timestamp'] });
    // The failed value stays in the namespace (step 5: not consumed).
    expect((expected.doc['entro'] as { audit: { date: string } }).audit.date).toBe('31/02/2024');
  });

  it('VRL keeps the source timestamp, formatted to milliseconds in UTC, and everything else', () => {
    const stamped = withSourceTimestamp(program, '2024-11-13T15:30:45.123456789+02:00');
    expect(checkVrl(stamped)).toEqual({ errors: [], warnings: [] });
    const [[{ _id, ...doc } = {}] = []] = runRemapBatch(stamped, [{ message }]);
    expect(doc).toEqual({ ...expected.doc, '@timestamp': '2024-11-13T13:30:45.123Z' });
    expect(_id).toBe(expected.id);
  });

  it('VRL without a source timestamp uses the time the remap runs', () => {
    const before = Date.now();
    const [[{ _id, ...doc } = {}] = []] = runRemapBatch(program, [{ message }]);
    const after = Date.now();
    const stamp = doc['@timestamp'] as string;
    expect(stamp).toMatch(DATE_TEXT);
    // Millisecond truncation: the stamp is within [before - 1 ms, after].
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(stamp)).toBeLessThanOrEqual(after);
    const { '@timestamp': _stamp, ...rest } = doc;
    expect(rest).toEqual(expected.doc);
    expect(doc['error']).toEqual({ message: ['mapc: cannot map date to @timestamp'] });
  });

  it('a mapped @timestamp wins over the source timestamp', () => {
    const good = JSON.stringify(loadFixtureRecords('entro', 'audit')[0]);
    const [[doc = {}] = []] = runRemapBatch(withSourceTimestamp(program, '2030-01-01T00:00:00Z'), [{ message: good }]);
    expect(doc['@timestamp']).toBe('2024-11-12T00:00:00.000Z');
  });
});

describe('response shape (http_client source): every document of a body gets the source timestamp', () => {
  const ir = vectorIR(
    { rules: [rule('event.id', field('id'))], consumed: [{ path: ['id'], whenDestinationSet: ['event', 'id'] }] },
    { ...NO_PAGING_SOURCE, split: { path: ['finding'], loc: LOC } },
  );
  const program = withSourceTimestamp(remapOf(ir), '2024-01-02T03:04:05.678Z');

  it('before the remap replaces the event root with the first document', () => {
    expect(checkVrl(program)).toEqual({ errors: [], warnings: [] });
    const body = { data: { items: [{ id: 'a', finding: [1, 2] }, { id: 'b' }] } };
    const [docs = []] = runRemapBatch(program, [{ message: JSON.stringify(body) }]);
    expect(docs.map((d) => [d['event'], d['@timestamp']])).toEqual([
      [{ id: 'a' }, '2024-01-02T03:04:05.678Z'],
      [{ id: 'a' }, '2024-01-02T03:04:05.678Z'],
      [{ id: 'b' }, '2024-01-02T03:04:05.678Z'],
    ]);
  });

  it('and the error document of a body without records', () => {
    const [[doc = {}] = []] = runRemapBatch(program, [{ message: '{"data":{"items":"oops"}}' }]);
    expect(doc['@timestamp']).toBe('2024-01-02T03:04:05.678Z');
    expect(doc['event']).toEqual({ kind: 'pipeline_error', dataset: ir.streams[0]!.dataset });
  });
});
