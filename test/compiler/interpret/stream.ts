/**
 * Small builders of StreamIR for interpreter tests: only the mapping matters to `mapRecord`.
 *
 * @module
 */
import type { ConditionIR, MappingIR, RuleIR, StreamIR, TransformIR } from '../../../compiler/ir.ts';

export const loc = { file: 'test.map', offset: 0, length: 0, line: 1, column: 1 };
const path = (dotted: string) => (dotted === '' ? [] : dotted.split('.'));

/** A rule; `value` is a constant unless `from` names a record path. */
export function rule(
  target: string,
  source: { from: string; transforms?: TransformIR[] } | { const: string | number | boolean },
  options: { op?: 'set' | 'append'; when?: ConditionIR; ecsType?: string } = {},
): RuleIR {
  return {
    target: path(target),
    targetType: { ecsType: options.ecsType ?? 'keyword', array: options.op === 'append', vendor: false },
    op: options.op ?? 'set',
    value:
      'const' in source
        ? { kind: 'const', value: source.const }
        : { kind: 'field', path: path(source.from), transforms: source.transforms ?? [] },
    ...(options.when ? { when: options.when } : {}),
    loc,
  };
}

export function stream(mapping: Partial<MappingIR> & { rules: RuleIR[] }): StreamIR {
  return {
    name: 's',
    title: 'S',
    description: '',
    dataset: 'v.s',
    interval: { kind: 'seconds', seconds: 60 },
    source: {
      request: { method: 'GET', url: { parts: [{ kind: 'text', text: 'http://x' }] }, headers: [], query: [] },
      auth: { kind: 'none' },
      pagination: { kind: 'none' },
      records: [],
      rateLimit: { retryAfter: true },
      retry: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 30 },
      maxPagesPerRun: 100,
      loc,
    },
    mapping: { namespace: ['v', 's'], keepUnmapped: true, remove: [], consumed: [], ...mapping },
    loc,
  };
}

export const consumed = (from: string, target: string) => ({ path: path(from), whenTargetSet: path(target) });
