import { describe, expect, it } from 'vitest';
import { deletePath, getPath, hasValue, setPath } from '../../../compiler/interpret/paths.ts';

describe('getPath', () => {
  const record = { a: { b: 1, n: null, list: [{ c: 2 }] }, s: 'text' };
  it('reads nested values; [] is the root', () => {
    expect(getPath(record, ['a', 'b'])).toBe(1);
    expect(getPath(record, [])).toBe(record);
  });
  it('does not index into arrays or strings', () => {
    expect(getPath(record, ['a', 'list', 'c'])).toBeUndefined();
    expect(getPath(record, ['a', 'list', '0'])).toBeUndefined();
    expect(getPath(record, ['s', 'length'])).toBeUndefined();
  });
  it('never resolves prototype members', () => {
    expect(getPath(record, ['constructor'])).toBeUndefined();
    expect(getPath(record, ['a', 'toString'])).toBeUndefined();
  });
  it('hasValue is false for missing and null', () => {
    expect(hasValue(record, ['a', 'n'])).toBe(false);
    expect(hasValue(record, ['a', 'zzz'])).toBe(false);
    expect(hasValue(record, ['a', 'b'])).toBe(true);
  });
});

describe('setPath and deletePath', () => {
  it('creates parents', () => {
    const doc: Record<string, unknown> = {};
    expect(setPath(doc, ['x', 'y', 'z'], 1)).toBe(true);
    expect(doc).toEqual({ x: { y: { z: 1 } } });
  });
  it('refuses to write through a non-object parent', () => {
    const doc: Record<string, unknown> = { x: 'text', l: [] };
    expect(setPath(doc, ['x', 'y'], 1)).toBe(false);
    expect(setPath(doc, ['l', 'y'], 1)).toBe(false);
    expect(doc).toEqual({ x: 'text', l: [] });
  });
  it('writes a __proto__ key as data, not as the prototype', () => {
    const doc: Record<string, unknown> = {};
    setPath(doc, ['__proto__', 'polluted'], true);
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(doc)).toBe('{"__proto__":{"polluted":true}}');
  });
  it('deleting a leaf keeps its emptied parents', () => {
    const doc = { a: { b: { c: 1 } } };
    deletePath(doc, ['a', 'b', 'c']);
    expect(doc).toEqual({ a: { b: {} } });
    deletePath(doc, ['missing', 'x']);
    expect(doc).toEqual({ a: { b: {} } });
  });
});
