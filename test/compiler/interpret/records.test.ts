import { describe, expect, it } from 'vitest';
import type { SourceIR } from '../../../compiler/ir.ts';
import { extractRecords, InterpretError, splitRecord } from '../../../compiler/interpret/index.ts';
import { interpreterStream, LOC as loc } from '../../support/ir.ts';

const split = (dotted: string) => ({ path: dotted.split('.'), loc });
const source = (records: string[]): SourceIR => ({ ...interpreterStream({ rules: [] }).source, records });

describe('splitRecord', () => {
  const record = { results: { id: 'r1', secrets: [{ t: 'a' }, { t: 'b' }] }, date: 'd' };
  it('makes one event per element, keeping parent fields', () => {
    expect(splitRecord(split('results.secrets'), record)).toEqual([
      { results: { id: 'r1', secrets: { t: 'a' } }, date: 'd' },
      { results: { id: 'r1', secrets: { t: 'b' } }, date: 'd' },
    ]);
  });
  it('does not change its input', () => {
    const copy = JSON.parse(JSON.stringify(record));
    splitRecord(split('results.secrets'), record);
    expect(record).toEqual(copy);
  });
  it.each([
    ['an empty array', { results: { secrets: [] } }],
    ['null', { results: { secrets: null } }],
    ['a missing path', { results: {} }],
    ['an object', { results: { secrets: { t: 'a' } } }],
    ['a string', { results: { secrets: 'none' } }],
  ])('leaves a record with %s as one event, unchanged', (_, r) => {
    const out = splitRecord(split('results.secrets'), r);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual(r);
  });
  it('without a split, returns the record itself', () => {
    expect(splitRecord(undefined, record)).toEqual([record]);
  });
  it('splits arrays of scalars too', () => {
    expect(splitRecord(split('tags'), { id: 1, tags: ['x', 'y'] })).toEqual([
      { id: 1, tags: 'x' },
      { id: 1, tags: 'y' },
    ]);
  });
});

describe('extractRecords', () => {
  it('reads the array at the records path', () => {
    expect(extractRecords(source(['list', 'objects']), { list: { objects: [{ a: 1 }, { a: 2 }] } })).toEqual([
      { a: 1 },
      { a: 2 },
    ]);
  });
  it('reads a body that is itself the array', () => {
    expect(extractRecords(source([]), [{ a: 1 }])).toEqual([{ a: 1 }]);
  });
  it('treats a missing or null array as an empty page', () => {
    expect(extractRecords(source(['list', 'objects']), { list: {} })).toEqual([]);
    expect(extractRecords(source(['events']), { events: null })).toEqual([]);
  });
  it('throws E0701 when the value is not an array', () => {
    expect(() => extractRecords(source(['list', 'objects']), { list: { objects: { a: 1 } } })).toThrow(InterpretError);
    expect(() => extractRecords(source([]), { a: 1 })).toThrow(
      /E0701: expected an array of records at the response body, found an object/,
    );
  });
});
