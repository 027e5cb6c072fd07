/**
 * `constantObjects` (targets/vector/vrl/plan.ts): which unconditional constants the lean remap
 * writes as one object literal per top-level field. The documents stay the interpreter's (the
 * fixtures, the goldens and the tier suites run the remaps); this says when the literal is taken
 * and when it must not be.
 */
import { describe, expect, it } from 'vitest';
import type { MappingIR, RuleIR } from '../../../compiler/ir.ts';
import { constantObjects } from '../../../targets/vector/vrl/plan.ts';
import { constant, field, rule } from '../../support/ir.ts';

const mapping = (rules: RuleIR[], extra: Partial<MappingIR> = {}): MappingIR => ({
  namespace: ['acme', 'audit'],
  keepUnmapped: true,
  rules,
  remove: [],
  consumed: [],
  ...extra,
});

const dataset = rule('event.dataset', constant('acme.audit'));
const kind = rule('event.kind', constant('event'));
const category = rule('event.category', constant('iam'), { op: 'append' });

const taken = (m: MappingIR): string[][] =>
  constantObjects(m).map((o) => [o.key, ...o.rules.map((r) => r.destination.join('.'))]);

describe('constant objects of the lean remap', () => {
  it('two or more constants under one field, with other rules writing its direct children', () => {
    const m = mapping([
      dataset,
      rule('event.id', field('uuid')),
      kind,
      category,
      rule('ecs.version', constant('9.4.0')),
    ]);
    expect(taken(m)).toEqual([['event', 'event.dataset', 'event.kind', 'event.category']]);
  });

  it('a conditional constant stays in place, and one left alone is not an object', () => {
    const when = { kind: 'exists' as const, path: ['x'], loc: dataset.loc };
    expect(taken(mapping([dataset, rule('event.kind', constant('alert'), { when })]))).toEqual([]);
  });

  it('not where another rule writes two levels below the field (VRL error 642 on a literal)', () => {
    expect(taken(mapping([dataset, kind, rule('event.risk.score', field('score'))]))).toEqual([]);
  });

  it('not a constant another rule writes at, above or below, or a copy reads', () => {
    expect(taken(mapping([dataset, kind, rule('event.kind', field('k'))]))).toEqual([]);
    expect(taken(mapping([dataset, kind, rule('event', field('e'))]))).toEqual([]);
    expect(taken(mapping([dataset, kind, rule('labels.kind', { kind: 'copy', from: ['event', 'kind'] })]))).toEqual([]);
  });

  it('not under the field that holds the kept record, nor with the record at the root', () => {
    expect(taken(mapping([dataset, kind], { namespace: ['event', 'vendor'] }))).toEqual([]);
    expect(taken(mapping([dataset, kind], { namespace: [] }))).toEqual([]);
    expect(taken(mapping([dataset, kind], { namespace: [], keepUnmapped: false }))).toEqual([
      ['event', 'event.dataset', 'event.kind'],
    ]);
  });
});
