/**
 * `renderCond` (targets/elastic/painless.ts) leaves out what a condition already says: a disjunct
 * another one absorbs (`a || (a && b)`), a repeated one, the guards of a text test on a read an
 * earlier conjunct proved a String, and a parent guard an earlier conjunct proved; disjuncts that
 * start with the same parent guard share it (`m instanceof Map && (m.a != null || m.b != null)`). The property checks the rendered Painless against the
 * condition's meaning on random documents with the emulated evaluator (test/emulated/ingest,
 * itself checked against OpenSearch 2.19 by the agreement suites), which throws where Painless
 * would (a field read through a non-Map parent): a guard dropped wrongly fails it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldPath } from '../../../compiler/ir.ts';
import { renderCond, type Cond } from '../../../targets/elastic/painless.ts';
import { evalCondition } from '../../emulated/ingest/painless.ts';
import type { Json, JsonMap } from '../../emulated/ingest/document.ts';

const present = (...path: string[]): Cond => ({ kind: 'present', path });
const isString = (...path: string[]): Cond => ({ kind: 'instanceOf', path, types: ['String'] });
const contains = (text: string, ...path: string[]): Cond => ({ kind: 'contains', path, text });

describe('renderCond leaves out what the condition already says', () => {
  it('drops a disjunct that another absorbs, and a repeated one', () => {
    const cond: Cond = {
      kind: 'or',
      conds: [
        present('a', 'x'),
        { kind: 'and', conds: [present('a', 'x'), { kind: 'not', cond: present('u', 'x') }] },
        present('b'),
        present('b'),
      ],
    };
    expect(renderCond(cond)).toBe('(ctx.a instanceof Map && ctx.a.x != null) || ctx.b != null');
  });

  it('keeps one of two disjuncts that render alike, whatever their form', () => {
    const lone: Cond = { kind: 'and', conds: [present('b')] };
    expect(renderCond({ kind: 'or', conds: [lone, lone] })).toBe('ctx.b != null');
    expect(renderCond({ kind: 'or', conds: [lone, present('b')] })).toBe('ctx.b != null');
    expect(renderCond({ kind: 'or', conds: [{ kind: 'and', conds: [present('b'), present('c')] }, lone] })).toBe(
      'ctx.b != null',
    );
  });

  it('keeps a conjunction whose conjuncts no other disjunct repeats', () => {
    const cond: Cond = {
      kind: 'or',
      conds: [present('b'), { kind: 'and', conds: [present('a', 'x'), present('c')] }],
    };
    expect(renderCond(cond)).toBe('ctx.b != null || ((ctx.a instanceof Map && ctx.a.x != null) && ctx.c != null)');
  });

  it('tests a String once for the text tests after it in the same conjunction', () => {
    const cond: Cond = {
      kind: 'and',
      conds: [isString('a', 's'), { kind: 'or', conds: [contains('İ', 'a', 's'), contains('Σ', 'a', 's')] }],
    };
    expect(renderCond(cond)).toBe(
      "(ctx.a instanceof Map && ctx.a.s instanceof String) && (ctx.a.s.contains('İ') || ctx.a.s.contains('Σ'))",
    );
  });

  it('keeps the guards where nothing before proved the String', () => {
    // The String test comes after (Painless's `&&` runs left to right), or guards another path
    // (whose parent the first conjunct proved a Map).
    expect(renderCond({ kind: 'and', conds: [contains('x', 'a', 's'), isString('a', 's')] })).toBe(
      "(ctx.a instanceof Map && ctx.a.s instanceof String && ctx.a.s.contains('x')) && ctx.a.s instanceof String",
    );
    expect(renderCond({ kind: 'and', conds: [isString('a', 's'), contains('x', 'a', 't')] })).toBe(
      "(ctx.a instanceof Map && ctx.a.s instanceof String) && (ctx.a.t instanceof String && ctx.a.t.contains('x'))",
    );
    // A String proved inside one disjunct says nothing to its sibling.
    const sibling: Cond = {
      kind: 'or',
      conds: [{ kind: 'and', conds: [isString('a', 's'), present('b')] }, contains('x', 'a', 's')],
    };
    expect(renderCond(sibling)).toContain("(ctx.a.s instanceof String && ctx.a.s.contains('x'))");
  });

  it('writes a parent guard once for the disjuncts that start with it, nested on the next guard', () => {
    const cond: Cond = {
      kind: 'or',
      conds: [present('a', 's'), present('b'), present('a', 'm', 'u'), present('a', 'm', 'v'), present('a', 't')],
    };
    expect(renderCond(cond)).toBe(
      '(ctx.a instanceof Map && (ctx.a.s != null || (ctx.a.m instanceof Map && (ctx.a.m.u != null || ctx.a.m.v != null)) || ctx.a.t != null)) || ctx.b != null',
    );
    // One group alone is the whole condition, without outer parentheses; a lone disjunct keeps its own.
    expect(renderCond({ kind: 'or', conds: [present('a', 's'), present('a', 't')] })).toBe(
      'ctx.a instanceof Map && (ctx.a.s != null || ctx.a.t != null)',
    );
    expect(renderCond({ kind: 'or', conds: [present('a', 's'), present('b')] })).toBe(
      '(ctx.a instanceof Map && ctx.a.s != null) || ctx.b != null',
    );
  });

  it('leaves out a parent guard an earlier conjunct proved, also under a negation', () => {
    const cond: Cond = {
      kind: 'and',
      conds: [present('a', 'm', 'u'), { kind: 'not', cond: isString('a', 'm', 'u') }, present('a', 't')],
    };
    expect(renderCond(cond)).toBe(
      '(ctx.a instanceof Map && ctx.a.m instanceof Map && ctx.a.m.u != null) && !(ctx.a.m.u instanceof String) && ctx.a.t != null',
    );
    // A guard proved inside a disjunction or a negation says nothing to what follows.
    const inside: Cond = {
      kind: 'and',
      conds: [{ kind: 'or', conds: [present('a', 's'), present('b')] }, present('a', 't')],
    };
    expect(renderCond(inside)).toContain('(ctx.a instanceof Map && ctx.a.t != null)');
  });
});

/** What a condition means on a document (compiler/ir.ts `ConditionIR`; painless.ts `Cond`). */
function holds(cond: Cond, doc: JsonMap): boolean {
  const read = (path: FieldPath): { ok: boolean; value?: Json } => {
    let v: Json | undefined = doc;
    for (const key of path) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false };
      v = (v as JsonMap)[key];
    }
    return { ok: true, value: v };
  };
  const text = (path: FieldPath): string | undefined => {
    const r = read(path);
    return r.ok && typeof r.value === 'string' ? r.value : undefined;
  };
  switch (cond.kind) {
    case 'present': {
      const r = read(cond.path);
      return r.ok && r.value !== null && r.value !== undefined;
    }
    case 'instanceOf':
      return cond.types.includes('String') && text(cond.path) !== undefined;
    case 'contains':
      return text(cond.path)?.includes(cond.text) ?? false;
    case 'text': {
      const t = text(cond.path);
      if (t === undefined) return false;
      if (cond.method === 'startsWith') return t.startsWith(cond.text);
      return cond.method === 'endsWith' ? t.endsWith(cond.text) : t.includes(cond.text);
    }
    case 'not':
      return !holds(cond.cond, doc);
    case 'and':
      return cond.conds.every((c) => holds(c, doc));
    case 'or':
      return cond.conds.some((c) => holds(c, doc));
    default:
      throw new Error(`not generated here: ${cond.kind}`);
  }
}

const PATHS: FieldPath[] = [['a', 's'], ['a', 't'], ['a', 'm', 'u'], ['b']];
const TEXTS = ['x', 'İ', 'Σ'];

const arbCond: fc.Arbitrary<Cond> = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...PATHS).map((path): Cond => ({ kind: 'present', path })),
    fc.constantFrom(...PATHS).map((path): Cond => ({ kind: 'instanceOf', path, types: ['String'] })),
    fc
      .tuple(fc.constantFrom(...PATHS), fc.constantFrom(...TEXTS))
      .map(([path, text]): Cond => ({ kind: 'contains', path, text })),
    fc
      .tuple(
        fc.constantFrom(...PATHS),
        fc.constantFrom(...TEXTS),
        fc.constantFrom('startsWith', 'endsWith') as fc.Arbitrary<'startsWith' | 'endsWith'>,
      )
      .map(([path, text, method]): Cond => ({ kind: 'text', path, text, method })),
    tie('cond').map((c): Cond => ({ kind: 'not', cond: c })),
    // One-conjunct `and`s too: they render as their conjunct does.
    fc.array(tie('cond'), { minLength: 1, maxLength: 4 }).map((conds): Cond => ({ kind: 'and', conds })),
    fc.array(tie('cond'), { minLength: 2, maxLength: 4 }).map((conds): Cond => ({ kind: 'or', conds })),
  ),
})).cond;

const arbLeaf: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('x', 'İx', 'xΣ', 'abc', ''),
);
const arbShape = fc.constantFrom('map', 'text', 'missing');
const arbDoc: fc.Arbitrary<JsonMap> = fc
  .tuple(arbShape, arbLeaf, arbLeaf, arbLeaf, arbShape, arbLeaf)
  .map(([shape, s, t, b, mShape, u]) => {
    const doc: JsonMap = {};
    if (shape === 'map') {
      const a: JsonMap = {};
      if (s !== undefined) a['s'] = s;
      if (t !== undefined) a['t'] = t;
      if (mShape === 'map') a['m'] = u === undefined ? {} : { u };
      else if (mShape === 'text') a['m'] = 'not a map';
      doc['a'] = a;
    } else if (shape === 'text') doc['a'] = 'not a map';
    if (b !== undefined) doc['b'] = b;
    return doc;
  });

describe('renderCond: the rendered Painless means the condition', () => {
  it('on random conditions and documents, never reading through a non-Map (seeded)', () => {
    fc.assert(
      fc.property(arbCond, fc.array(arbDoc, { minLength: 4, maxLength: 4 }), (cond, docs) => {
        const source = renderCond(cond);
        for (const doc of docs)
          expect(evalCondition(source, doc), `${source} on ${JSON.stringify(doc)}`).toBe(holds(cond, doc));
      }),
      { seed: 20261207, numRuns: 600 },
    );
  });
});
