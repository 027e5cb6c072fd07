/**
 * The interpreter's selections (compiler/ir.ts ValueIR `select`): the first element that is an
 * object whose key equals the literal by strict JSON equality, then the rest path; nothing
 * selected, a missing or null value, or no array does nothing; transforms after it; no failure.
 */
import { describe, expect, it } from 'vitest';
import type { TransformIR, ValueIR } from '../../../compiler/ir.ts';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { interpreterStream, rule } from '../../support/ir.ts';

const select = (
  equals: string | number | boolean,
  rest: string[] = ['id'],
  key: string[] = ['type'],
  transforms: TransformIR[] = [],
): ValueIR => ({ kind: 'select', array: ['target'], key, equals, rest, transforms });

const out = (value: ValueIR, target: unknown): unknown => {
  const s = interpreterStream({ keepUnmapped: false, rules: [rule('user.name', value)] });
  return mapRecord(s, JSON.stringify({ target }), {}).doc;
};

describe('select', () => {
  it('takes the first matching object, skipping non-objects and other values', () => {
    const target = [
      1,
      'User',
      null,
      ['User'],
      { type: 'user', id: 'x' },
      { type: 'User', id: 'a' },
      { type: 'User', id: 'b' },
    ];
    expect(out(select('User'), target)).toEqual({ user: { name: 'a' } });
  });
  it('reads only the first match: a missing or null rest there does nothing, even with a later match', () => {
    expect(out(select('User'), [{ type: 'User' }, { type: 'User', id: 'b' }])).toEqual({});
    expect(
      out(select('User'), [
        { type: 'User', id: null },
        { type: 'User', id: 'b' },
      ]),
    ).toEqual({});
  });
  it('compares strictly: 2 equals 2.0, never "2"; true is never "true"', () => {
    expect(
      out(select(2, ['id'], ['rank']), [
        { rank: '2', id: 's' },
        { rank: 2.0, id: 'n' },
      ]),
    ).toEqual({
      user: { name: 'n' },
    });
    expect(
      out(select(true, ['id'], ['on']), [
        { on: 'true', id: 's' },
        { on: 1, id: 'o' },
      ]),
    ).toEqual({});
  });
  it('walks nested keys and rests, and an empty rest gives the whole element', () => {
    expect(out(select('x', ['d', 'n'], ['m', 'k']), [{ m: { k: 'x' }, d: { n: 'deep' } }])).toEqual({
      user: { name: 'deep' },
    });
    expect(out(select('x', [], ['k']), [{ k: 'x', v: 1 }])).toEqual({ user: { name: { k: 'x', v: 1 } } });
  });
  it('does nothing for no array, null, an object or an empty array', () => {
    for (const target of [undefined, null, { type: 'User', id: 'a' }, 'User', []]) {
      expect(out(select('User'), target)).toEqual({});
    }
  });
  it('runs the transforms on the selected value, and fails like a field when they cannot convert', () => {
    expect(out(select('User', ['id'], ['type'], [{ kind: 'uppercase' }]), [{ type: 'User', id: 'ab' }])).toEqual({
      user: { name: 'AB' },
    });
    expect(out(select('User', ['id'], ['type'], [{ kind: 'uppercase' }]), [{ type: 'User', id: 5 }])).toEqual({
      error: { message: ['mapc: cannot map target[type == "User"].id to user.name'] },
    });
  });
});

describe('elements', () => {
  const elements = (fields: { name: string; from: string[] }[]): ValueIR => ({
    kind: 'elements',
    array: ['target'],
    fields,
  });
  const fields = [
    { name: 'id', from: ['id'] },
    { name: 'alternate_id', from: ['alternateId'] },
    { name: 'name', from: ['detail', 'name'] },
  ];
  it('keeps the object elements, each with the listed fields present and not null, in the listed order', () => {
    const target = [
      { alternateId: 'a@b', id: 'u1', extra: 1, detail: { name: 'Ann' } },
      'x',
      null,
      [1],
      { id: null, alternateId: { v: [1] } },
      {},
    ];
    const doc = out(elements(fields), target) as { user: { name: unknown[] } };
    expect(doc.user.name).toEqual([{ id: 'u1', alternate_id: 'a@b', name: 'Ann' }, { alternate_id: { v: [1] } }, {}]);
    expect(Object.keys(doc.user.name[0] as object)).toEqual(['id', 'alternate_id', 'name']);
  });
  it('does nothing for no array; an empty array gives an empty array', () => {
    for (const target of [undefined, null, { id: 'u1' }, 'x']) expect(out(elements(fields), target)).toEqual({});
    expect(out(elements(fields), [])).toEqual({ user: { name: [] } });
  });
});
