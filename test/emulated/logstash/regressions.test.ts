/**
 * Regression tests of four former Logstash differences (docs/target-differences.md), each on its
 * minimal case through the generated filters: the expected values follow from the IR
 * (compiler/ir.ts: `append` adds values not already present by strict JSON equality; simple case
 * mapping; `iso8601` is RFC 3339 with `T` and an offset; pattern fields have their exact width),
 * and the reference interpreter must give the same document.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../../compiler/ir.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { emitVendor, runPipeline } from './support.ts';

function pipeline(ir: IntegrationIR) {
  const conf = logstashBackend.emit(ir, {}).files.find((f) => f.path.endsWith('.conf'))!.content;
  const stream = ir.streams[0] as StreamIR;
  return (record: unknown) => {
    const message = JSON.stringify(record);
    const actual = runPipeline(conf, message);
    expect(actual.doc).toEqual(mapRecord(stream, message, defaultSettings(ir)).doc);
    return actual.doc as Record<string, any>;
  };
}

const CANNOT_MAP_CREATED_AT = 'mapc: cannot map created_at to @timestamp';

// The records below are not of the shape Enpass's schema declares: they test the guarded lowering
// (the map without its schema), which handles any JSON type. Tier 2 on the lean form: lean.test.ts.
describe('enpass: += (append) by strict JSON equality', () => {
  const run = pipeline(stripSchemas(emitVendor('enpass').ir));

  it('appends an object', () => {
    expect(run({ event_id: 'e1', actor: { name: { a: 1 } } }).related.user).toEqual([{ a: 1 }]);
  });

  it('drops duplicates inside an appended array', () => {
    expect(run({ event_id: 'e1', actor: { email: ['a', 'a'] } }).related.user).toEqual(['a']);
  });

  it('keeps 0 and "0" apart, and treats 1 and 1.0 as one number', () => {
    expect(run({ event_id: 'e1', actor: { name: 0, email: '0' } }).related.user).toEqual([0, '0']);
    expect(run({ event_id: 'e1', actor: { name: true, email: 'true' } }).related.user).toEqual([true, 'true']);
    const floats = runPipeline(
      logstashBackend.emit(stripSchemas(emitVendor('enpass').ir), {}).files.find((f) => f.path.endsWith('.conf'))!
        .content,
      '{"event_id":"e1","actor":{"name":1,"email":[1.0,{"a":2},{"a":2.0}]}}',
    );
    expect((floats.doc['related'] as Record<string, unknown>)['user']).toEqual([1, { a: 2 }]);
  });

  it('an empty array value leaves an empty array, as the interpreter writes it', () => {
    expect(run({ event_id: 'e1', actor: { email: [] } }).related.user).toEqual([]);
  });
});

describe('simple Unicode case mapping', () => {
  it('enpass lowercase: İSTANBUL becomes istanbul (simple mapping of U+0130 is i)', () => {
    const run = pipeline(emitVendor('enpass').ir);
    expect(run({ event_id: 'e1', activity: 'İSTANBUL' }).event.action).toBe('istanbul');
  });

  it('uppercase: ß, ﬃ and ŉ stay, ᾀ becomes ᾈ, braces (the wrapper) survive', () => {
    const base = loadFixtureIR('enpass');
    const stream = base.streams[0] as StreamIR;
    const rules = stream.mapping.rules.map((r) =>
      r.destination.join('.') === 'event.action' && r.value.kind === 'field'
        ? { ...r, value: { ...r.value, transforms: [{ kind: 'uppercase' as const }] } }
        : r,
    );
    const ir: IntegrationIR = { ...base, streams: [{ ...stream, mapping: { ...stream.mapping, rules } }] };
    const run = pipeline(ir);
    expect(run({ event_id: 'e1', activity: 'straße ﬃ ᾀ ŉ {ß}{} x{' }).event.action).toBe('STRAßE ﬃ ᾈ ŉ {ß}{} X{');
    expect(run({ event_id: 'e1', activity: 'ǰ{SS}' }).event.action).toBe('ǰ{SS}');
    // Same full uppercase (ST, Ϊ́, Ϋ́), different simple mappings (none: each stays itself).
    const same = '\ufb05\ufb06 \u0390\u1fd3 \u03b0\u1fe3 {0}';
    expect(run({ event_id: 'e1', activity: same }).event.action).toBe(same);
    // Same full uppercase ἈΙ and the same simple one ᾈ.
    expect(run({ event_id: 'e1', activity: '\u1f80\u1f88' }).event.action).toBe('\u1f88\u1f88');
  });
});

describe('date(iso8601) accepts RFC 3339 date-times only', () => {
  const run = pipeline(emitVendor('enpass').ir);

  for (const text of [
    '2024-11-13',
    '2024-11-13T15:30:45',
    '2024-11-13 15:30:45Z',
    '2024-11-13T15:30:45+0100',
    '2024-11-13t15:30:45z',
  ]) {
    it(`${text}: a conversion error, no @timestamp`, () => {
      const doc = run({ event_id: 'e1', created_at: text });
      expect(doc).not.toHaveProperty('@timestamp');
      expect(doc.error.message).toEqual([CANNOT_MAP_CREATED_AT]);
    });
  }

  it('RFC 3339 forms still parse, a long fraction truncated to milliseconds', () => {
    expect(run({ event_id: 'e1', created_at: '2024-11-13T15:30:45Z' })['@timestamp']).toBe('2024-11-13T15:30:45.000Z');
    expect(run({ event_id: 'e1', created_at: '2024-11-13T15:30:45.98765432101Z' })['@timestamp']).toBe(
      '2024-11-13T15:30:45.987Z',
    );
    expect(run({ event_id: 'e1', created_at: '2024-11-13T15:30:45.5-05:30' })['@timestamp']).toBe(
      '2024-11-13T21:00:45.500Z',
    );
  });
});

describe('entro date("dd/MM/yyyy", iso8601): pattern fields have their exact width', () => {
  const run = pipeline(emitVendor('entro').ir);

  it('1/3/2024 is a conversion error', () => {
    const doc = run({ date: '1/3/2024' });
    expect(doc).not.toHaveProperty('@timestamp');
    expect(doc.error.message).toEqual(['mapc: cannot map date to @timestamp']);
  });

  it('01/03/2024 parses; an ISO date-time falls through to the second format', () => {
    expect(run({ date: '01/03/2024' })['@timestamp']).toBe('2024-03-01T00:00:00.000Z');
    expect(run({ date: '2024-03-01T10:00:00Z' })['@timestamp']).toBe('2024-03-01T10:00:00.000Z');
  });
});
