/** The record depth bound of the record semantics: measured without recursion, mapped to the error document. */
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_DEPTH, RECORD_TOO_DEEP_MESSAGE } from '../../../compiler/ir.ts';
import { mapRecord, nestedDeeperThan } from '../../../compiler/interpret/index.ts';
import { constant, field, interpreterStream, rule } from '../../support/ir.ts';

/** An object nested `levels` deep: `{"a":{"a":...1}}` (the outer object is level 1). */
const objects = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const ERROR_DOC = { doc: { event: { kind: 'pipeline_error' }, error: { message: [RECORD_TOO_DEEP_MESSAGE] } } };

describe('nestedDeeperThan', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(nestedDeeperThan(1, 0)).toBe(false);
    expect(nestedDeeperThan({}, 0)).toBe(true);
    expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: 1 }] }, 2)).toBe(true);
    expect(nestedDeeperThan({ a: [[], [[{}]]] }, 4)).toBe(true);
  });
  it(`is ${MAX_RECORD_DEPTH} by default, and finds a deep branch among wide ones`, () => {
    expect(nestedDeeperThan(JSON.parse(objects(MAX_RECORD_DEPTH)))).toBe(false);
    expect(nestedDeeperThan(JSON.parse(objects(MAX_RECORD_DEPTH + 1)))).toBe(true);
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, { x: [1, 2, { y: i }] }]));
    expect(nestedDeeperThan(wide)).toBe(false);
    expect(nestedDeeperThan({ ...wide, deep: JSON.parse(objects(MAX_RECORD_DEPTH)) })).toBe(true);
  });
  it('judges a record 1,000,000 levels deep without exhausting the stack', () => {
    expect(nestedDeeperThan(JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`))).toBe(true);
  });
});

describe('mapRecord on deep records', () => {
  const s = interpreterStream({
    rules: [rule('event.id', field('id'))],
    documentId: { fields: [['id']], loc: rule('x', constant(1)).loc },
  });
  it(`maps a record ${MAX_RECORD_DEPTH} levels deep as usual`, () => {
    const record = `{"id":"x","d":${objects(MAX_RECORD_DEPTH - 1)}}`;
    const out = mapRecord(s, record, {});
    expect(out.doc).toHaveProperty('event.id', 'x');
    expect(out.id).toMatch(/^[0-9a-f]{64}$/);
  });
  it(`turns a deeper record into the error document, with no id`, () => {
    expect(mapRecord(s, `{"id":"x","d":${objects(MAX_RECORD_DEPTH)}}`, {})).toEqual(ERROR_DOC);
    expect(mapRecord(s, `{"id":"x","d":${objects(10_000)}}`, {})).toEqual(ERROR_DOC);
  });
});
