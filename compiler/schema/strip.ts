/**
 * The IR a map would have without its `record` block.
 *
 * @module
 */
import type { ConditionIR, IntegrationIR, RuleIR, StreamIR, ValueIR } from '../ir.ts';

/**
 * `ir` without record schemas: no `StreamIR.schema` and no {@link FieldTypeIR} anywhere, exactly
 * what lowering gives for the same map without `record` blocks. Tier 1 (module doc of
 * `compiler/ir.ts`) says a conforming record maps to the same document either way; tests compare
 * the two, and compare engines that do not read schemas yet with this IR's interpreter.
 */
export function stripSchemas(ir: IntegrationIR): IntegrationIR {
  return { ...ir, streams: ir.streams.map(stripStream) };
}

function stripStream(stream: StreamIR): StreamIR {
  const { schema: _schema, ...rest } = stream;
  const { split, cursor } = stream.source;
  const { removeTypes: _removeTypes, documentId, ...mapping } = stream.mapping;
  return {
    ...rest,
    source: {
      ...stream.source,
      ...(split ? { split: { path: split.path, loc: split.loc } } : {}),
      ...(cursor
        ? {
            cursor: cursor.kind === 'record_max' ? (({ fieldType: _t, ...c }) => c)(cursor) : cursor,
          }
        : {}),
    },
    mapping: {
      ...mapping,
      rules: mapping.rules.map(stripRule),
      ...(mapping.drop ? { drop: mapping.drop.map(stripCondition) } : {}),
      ...(documentId
        ? {
            documentId:
              documentId.kind === 'raw'
                ? { kind: 'raw', field: documentId.field, loc: documentId.loc }
                : { fields: documentId.fields, loc: documentId.loc },
          }
        : {}),
      ...(mapping.removeWhen
        ? {
            removeWhen: mapping.removeWhen.map(({ pathTypes: _t, ...r }) => ({ ...r, when: stripCondition(r.when) })),
          }
        : {}),
    },
  };
}

function stripRule(rule: RuleIR): RuleIR {
  return { ...rule, value: stripValue(rule.value), ...(rule.when ? { when: stripCondition(rule.when) } : {}) };
}

function stripValue(value: ValueIR): ValueIR {
  if (value.kind !== 'field') return value;
  const { source: _source, ...rest } = value;
  return rest;
}

function stripCondition(condition: ConditionIR): ConditionIR {
  switch (condition.kind) {
    case 'exists':
    case 'equals':
    case 'in':
    case 'compare':
    case 'now':
    case 'text': {
      const { source: _source, ...rest } = condition;
      return rest;
    }
    case 'not':
      return { kind: 'not', condition: stripCondition(condition.condition) };
    case 'and':
      return { kind: 'and', all: condition.all.map(stripCondition) };
    case 'or':
      return { kind: 'or', any: condition.any.map(stripCondition) };
    case 'setting':
      return condition;
  }
}
