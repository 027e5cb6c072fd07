import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { documentId } from '../../../compiler/interpret/document-id.ts';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const loc = { file: 'm.map', offset: 0, length: 0, line: 1, column: 1 };

describe('documentId', () => {
  it('hashes "|path|value|" pairs in declared order', () => {
    const id = { fields: [['a'], ['b', 'c']], loc };
    expect(documentId(id, { a: 'x', b: { c: 12 } })).toBe(sha('|a|x|b.c|12|'));
    expect(documentId(id, { b: { c: 12 }, a: 'x' })).toBe(sha('|a|x|b.c|12|'));
    expect(documentId({ fields: [['b', 'c'], ['a']], loc }, { a: 'x', b: { c: 12 } })).toBe(sha('|b.c|12|a|x|'));
  });
  it('writes missing and null as empty, booleans and numbers as JSON', () => {
    const id = { fields: [['m'], ['n'], ['t'], ['f'], ['d']], loc };
    expect(documentId(id, { n: null, t: true, f: 1.5, d: -3 })).toBe(sha('|m||n||t|true|f|1.5|d|-3|'));
  });
  it('distinguishes no value from the text of a value only by content: "12" and 12 agree', () => {
    const id = { fields: [['v']], loc };
    expect(documentId(id, { v: '12' })).toBe(documentId(id, { v: 12 }));
    expect(documentId(id, { v: '' })).toBe(documentId(id, {}));
  });
  it('hashes UTF-8 text, is lowercase hex of 64 digits', () => {
    const id = { fields: [['u']], loc };
    const out = documentId(id, { u: 'café ☕' });
    expect(out).toBe(sha('|u|café ☕|'));
    expect(out).toMatch(/^[0-9a-f]{64}$/);
  });
});
