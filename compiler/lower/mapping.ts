/**
 * Lowers a stream's `map { }` block to {@link MappingIR}: options with their defaults, the two
 * constant rules mapc prepends, each rule with its resolved target type, and `consumed`.
 *
 * @module
 */
import type { Condition, MapRule, RuleValue, StreamDecl, TableDecl, Transform } from '../../dsl/ast.ts';
import { pathText } from '../../dsl/ast.ts';
import { ECS_VERSION, ecsField } from '../ecs/index.ts';
import { resolveTarget, vendorFieldType, vendorRoots } from '../check/target.ts';
import type { ConditionIR, ConsumedIR, FieldPath, MappingIR, RuleIR, TargetType, TransformIR, ValueIR } from '../ir.ts';
import { dateFormat, LoweringError, path, span } from './common.ts';

export function lowerMapping(
  integration: string,
  stream: StreamDecl,
  tables: ReadonlyMap<string, TableDecl>,
): MappingIR {
  const map = stream.map;
  const namespace: FieldPath = map?.namespace ? path(map.namespace) : [integration, stream.name.value];
  const roots = vendorRoots(integration, stream, map);
  const rules = (map?.rules ?? []).map((rule) => lowerRule(rule, roots, tables));
  return {
    namespace,
    keepUnmapped: map?.unmapped?.mode !== 'drop',
    ...(map?.original ? { original: { setting: map.original.when.name.value } } : {}),
    rules: [...constantRules(stream), ...rules],
    remove: (map?.remove ?? []).flatMap((r) => r.paths.map(path)),
    ...(map && map.remove.length > 0 ? { removeLoc: map.remove.flatMap((r) => r.paths.map((p) => span(p.loc))) } : {}),
    consumed: consumed(rules, namespace),
    ...(map?.id ? { documentId: { fields: map.id.paths.map(path), loc: span(map.id.loc) } } : {}),
  };
}

/** `ecs.version` = ECS 9.4.0 (at the map block) and `event.dataset` = the stream's dataset (at its `dataset`). */
function constantRules(stream: StreamDecl): RuleIR[] {
  if (!stream.dataset) throw new LoweringError(`stream ${stream.name.value} has no dataset`, stream.name.loc);
  const ecsType = (name: string): TargetType => {
    const field = ecsField(name);
    return { ecsType: field?.type ?? 'keyword', array: field?.array ?? false, vendor: false };
  };
  return [
    {
      target: ['ecs', 'version'],
      targetType: ecsType('ecs.version'),
      op: 'set',
      value: { kind: 'const', value: ECS_VERSION },
      loc: span(stream.map?.loc ?? stream.loc),
    },
    {
      target: ['event', 'dataset'],
      targetType: ecsType('event.dataset'),
      op: 'set',
      value: { kind: 'const', value: stream.dataset.value },
      loc: span(stream.dataset.loc),
    },
  ];
}

function lowerRule(rule: MapRule, roots: readonly string[], tables: ReadonlyMap<string, TableDecl>): RuleIR {
  const resolved = resolveTarget(pathText(rule.target), roots);
  let targetType: TargetType;
  if (resolved.kind === 'ecs') {
    targetType = { ecsType: resolved.field.type, array: resolved.field.array, vendor: false };
  } else if (resolved.kind === 'vendor') {
    targetType = { ecsType: vendorFieldType(rule.value), array: rule.op === '+=', vendor: true };
  } else {
    throw new LoweringError(
      `target ${pathText(rule.target)} is not ECS and not under the vendor namespace`,
      rule.target.loc,
    );
  }
  return {
    target: path(rule.target),
    targetType,
    op: rule.op === '=' ? 'set' : 'append',
    value: lowerValue(rule.value, tables),
    ...(rule.when ? { when: lowerCondition(rule.when) } : {}),
    loc: span(rule.loc),
  };
}

function lowerValue(value: RuleValue, tables: ReadonlyMap<string, TableDecl>): ValueIR {
  if (value.kind === 'FieldValue') {
    return {
      kind: 'field',
      path: path(value.path),
      transforms: value.transforms.map((t) => lowerTransform(t, tables)),
    };
  }
  return { kind: 'const', value: value.value };
}

function lowerTransform(t: Transform, tables: ReadonlyMap<string, TableDecl>): TransformIR {
  switch (t.kind) {
    case 'ConvertTransform':
      return { kind: 'convert', to: t.to };
    case 'DateTransform':
      return { kind: 'date', formats: t.formats.map(dateFormat) };
    case 'CaseTransform':
      return { kind: t.to };
    case 'LookupTransform': {
      const table = tables.get(t.table.value);
      if (!table) throw new LoweringError(`unknown lookup table ${t.table.value}`, t.table.loc);
      return {
        kind: 'lookup',
        table: table.name.value,
        entries: table.entries.map((e) => ({ from: e.from.value, to: e.to.value, loc: span(e.loc) })),
        ...(table.default ? { default: table.default.value, defaultLoc: span(table.default.loc) } : {}),
      };
    }
    case 'HashTransform':
      return { kind: 'redact', mode: 'hash' };
    case 'MaskTransform':
      return { kind: 'redact', mode: 'mask', keep: t.keep.value };
  }
}

function lowerCondition(c: Condition): ConditionIR {
  switch (c.kind) {
    case 'ExistsCondition': {
      const exists: ConditionIR = { kind: 'exists', path: path(c.path) };
      return c.negated ? { kind: 'not', condition: exists } : exists;
    }
    case 'CompareCondition': {
      const equals: ConditionIR = { kind: 'equals', path: path(c.path), value: c.value.value };
      return c.op === '==' ? equals : { kind: 'not', condition: equals };
    }
    case 'SettingCondition':
      return { kind: 'setting', name: c.setting.name.value };
  }
}

/**
 * `MappingIR.consumed`: for each distinct source path read by a `set` rule whose target lies
 * outside the namespace, the first such rule's target (appends, conditions and writes inside
 * the namespace consume nothing).
 */
function consumed(rules: readonly RuleIR[], namespace: FieldPath): ConsumedIR[] {
  const out: ConsumedIR[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.op !== 'set' || rule.value.kind !== 'field' || isUnder(rule.target, namespace)) continue;
    const key = JSON.stringify(rule.value.path);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: rule.value.path, whenTargetSet: rule.target });
  }
  return out;
}

function isUnder(target: FieldPath, prefix: FieldPath): boolean {
  return target.length > prefix.length && prefix.every((segment, i) => target[i] === segment);
}
