/**
 * The `http_client` shape of the remap: one event per response body, records extracted at
 * `records`, split, mapped; checked on VRL against the interpreter's extractRecords, splitRecord
 * and mapRecord.
 */
import { describe, expect, it } from 'vitest';
import { extractRecords, mapRecord, splitRecord } from '../../../compiler/interpret/index.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import {
  checkVrl,
  deploymentEnv,
  loadVectorConfig,
  runRemapBatch,
  runUnitTests,
  withoutCollectionTime,
} from './harness.ts';
import { constant, field, LOC, NO_PAGING_SOURCE, rule, vectorIR } from '../../support/ir.ts';

const ir = vectorIR(
  {
    rules: [
      rule('event.id', field('id')),
      rule('rule.name', field('finding.kind', { kind: 'lowercase' })),
      rule('event.kind', constant('alert'), { when: { kind: 'exists', path: ['finding', 'kind'] } }),
    ],
    consumed: [{ path: ['id'], whenDestinationSet: ['event', 'id'] }],
    documentId: { fields: [['id'], ['finding', 'kind']], loc: LOC },
  },
  { ...NO_PAGING_SOURCE, split: { path: ['finding'], loc: LOC } },
);
const stream = ir.streams[0]!;

const bodies = [
  { data: { items: [{ id: 'a', finding: [{ kind: 'X' }, { kind: 'Y' }] }, { id: 'b', finding: [] }, { id: 'c' }] } },
  { data: { items: [] } },
  { data: {} },
  { data: { items: null } },
];

function interpreter(body: unknown): unknown[] {
  return extractRecords(stream.source, body)
    .flatMap((r) => splitRecord(stream.source.split, r))
    .map((r) => {
      const mapped = mapRecord(stream, JSON.stringify(r), {});
      return { ...mapped.doc, _id: mapped.id };
    });
}

describe('remap of a response body (http_client source)', () => {
  const { files, diagnostics } = vectorBackend.emit(ir, {});
  const config = loadVectorConfig(files.find((f) => f.path === 'vector.yaml')?.content ?? '', deploymentEnv(ir));
  const program = config.transforms.test_events_remap?.source ?? '';

  it('uses http_client without any W0501 diagnostic (W0503: retries happen at the next interval)', () => {
    expect(config.sources.test_events_source?.type).toBe('http_client');
    expect(diagnostics.map((d) => d.code)).toEqual(['W0503']);
  });

  it('compiles with zero errors and zero warnings', () => {
    expect(checkVrl(program)).toEqual({ errors: [], warnings: [] });
  });

  it('extracts, splits and maps every record as the interpreter does', () => {
    const outputs = runRemapBatch(
      program,
      bodies.map((b) => ({ message: JSON.stringify(b) })),
    );
    const expected = bodies.map(interpreter);
    expect(outputs.map((docs, i) => docs.map((d, j) => withoutCollectionTime(d, expected[i]?.[j])))).toEqual(expected);
    expect(outputs[0]?.length).toBe(4);
  });

  it('turns a body without a records array into one pipeline_error document', () => {
    const [[doc, ...rest] = []] = runRemapBatch(program, [{ message: '{"data":{"items":"oops"}}' }]);
    expect(rest).toEqual([]);
    expect(doc?.error).toEqual({ message: ['mapc: the response has no array of records at data.items'] });
  });

  it('generates unit tests whose input is a response body around the record, and they pass', () => {
    const record = { id: 'z', finding: { kind: 'Q' } };
    const message = JSON.stringify(record);
    const mapped = mapRecord(stream, message, {});
    const { files: withTests } = vectorBackend.emit(ir, {
      fixtures: new Map([['events', [{ message, expected: { _id: mapped.id!, doc: mapped.doc } }]]]),
    });
    const c = loadVectorConfig(withTests.find((f) => f.path === 'vector.yaml')?.content ?? '', deploymentEnv(ir));
    expect(c.tests?.[0]?.inputs[0]?.log_fields.message).toBe(JSON.stringify({ data: { items: [record] } }));
    expect(runUnitTests(c).map((r) => r.passed)).toEqual([true]);
  });
});
