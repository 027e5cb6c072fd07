/**
 * Lowers a stream's `map { }` block to {@link MappingIR}: options with their defaults, the two
 * constant rules mapc prepends, each rule with its resolved destination type, and `consumed`.
 *
 * @module
 */
import type {
  Condition,
  EnrichOption,
  IdOption,
  MapRule,
  RuleValue,
  StreamDecl,
  TableDecl,
  TextCondition,
  Transform,
} from '../../dsl/ast.ts';
import { isListTable, pathText, type TableValue } from '../../dsl/ast.ts';
import type { EcsSchema } from '../ecs/index.ts';
import { resolveDestination, vendorFieldType, vendorRoots } from '../check/destination.ts';
import type {
  CompareOpIR,
  ConditionIR,
  ConsumedIR,
  DocumentIdIR,
  FieldPath,
  FieldTypeIR,
  MappingIR,
  RuleIR,
  DestinationType,
  TextOpIR,
  TransformIR,
  UserAgentIR,
  ValueIR,
} from '../ir.ts';
import { dateFormat, LoweringError, path, span } from './common.ts';
import type { PathTyper } from './schema.ts';
import { rewritten, UNDECLARED } from '../schema/resolve.ts';
import { overlap } from '../rule-paths.ts';
import { KV_DEFAULTS } from '../ir.ts';

/** `typeOf` gives the declared type of each path read (`lowerSchema`); without a schema none is set. */
export function lowerMapping(
  integration: string,
  stream: StreamDecl,
  tables: ReadonlyMap<string, TableDecl>,
  ecs: EcsSchema,
  typeOf: PathTyper = () => undefined,
): MappingIR {
  const map = stream.map;
  const namespace: FieldPath = map?.namespace ? path(map.namespace) : [integration, stream.name.value];
  const roots = vendorRoots(integration, stream, map);
  const keepUnmapped = map?.unmapped?.mode !== 'drop';
  // A rule reading what an earlier rule wrote inside the namespace sees that value, not the
  // vendor's: its declared type no longer holds (FieldTypeIR `undeclared`).
  const written: FieldPath[] = [];
  const rules = (map?.rules ?? []).map((rule) => {
    const seen = [...written];
    const destination = path(rule.destination);
    if (keepUnmapped && isUnder(destination, namespace)) written.push(destination.slice(namespace.length));
    const ruleTypeOf: PathTyper = (p) => {
      const type = typeOf(p);
      return type && rewritten(p, seen) ? UNDECLARED : type;
    };
    return lowerRule(rule, roots, tables, ecs, ruleTypeOf);
  });
  // A `remove ... when` sees the record after every rule.
  const afterRules: PathTyper = (p) => {
    const type = typeOf(p);
    return type && rewritten(p, written) ? UNDECLARED : type;
  };
  const unconditional = (map?.remove ?? []).filter((r) => r.when === undefined);
  const conditional = (map?.remove ?? []).filter((r) => r.when !== undefined);
  const remove = unconditional.flatMap((r) => r.paths.map(path));
  return {
    namespace,
    keepUnmapped,
    ...(map?.original ? { original: { setting: map.original.when.name.value } } : {}),
    rules: [...constantRules(stream, ecs), ...rules],
    remove,
    ...typesOf('removeTypes', remove, typeOf),
    ...(unconditional.length > 0 ? { removeLoc: unconditional.flatMap((r) => r.paths.map((p) => span(p.loc))) } : {}),
    ...(conditional.length > 0
      ? {
          removeWhen: conditional.map((r) => {
            const paths = r.paths.map(path);
            return {
              paths,
              when: lowerCondition(r.when!, afterRules),
              ...typesOf('pathTypes', paths, typeOf),
              pathLocs: r.paths.map((p) => span(p.loc)),
              loc: span(r.loc),
            };
          }),
        }
      : {}),
    consumed: consumed(rules, namespace),
    ...(map?.id ? { documentId: documentId(map.id, typeOf) } : {}),
    ...(map && map.drop.length > 0
      ? {
          drop: map.drop.map((d) => lowerCondition(d.when, typeOf)),
          dropLoc: map.drop.map((d) => span(d.loc)),
        }
      : {}),
    ...(map?.dropEmpty ? { dropEmpty: true as const } : {}),
    ...(map && map.enrich.some((e) => e.database !== 'user_agent')
      ? {
          enrich: map.enrich.flatMap((e) => {
            if (e.database === 'user_agent') return [];
            const field = path(e.field);
            // The checks (E0184) guarantee `<prefix>.ip`.
            const target = [...field.slice(0, -1), e.database === 'geoip' ? 'geo' : 'as'];
            return [{ database: e.database, field, target, loc: span(e.loc) }];
          }),
        }
      : {}),
    ...userAgent(map?.enrich.find((e) => e.database === 'user_agent')),
  };
}

/** `user_agent user_agent.original` (the checks, E0198/E0197: that field, given once). */
function userAgent(item: EnrichOption | undefined): { userAgent?: UserAgentIR } {
  if (item === undefined) return {};
  const field = path(item.field);
  return { userAgent: { field, target: field.slice(0, -1), loc: span(item.loc) } };
}

function documentId(id: IdOption, typeOf: PathTyper): DocumentIdIR {
  const fields = id.paths.map(path);
  const loc = span(id.loc);
  if (id.raw !== undefined) {
    const field = fields[0]!; // the visitor allows exactly one path after `raw`
    const fieldType = typeOf([]) === undefined ? undefined : typeOf(field);
    return { kind: 'raw', field, ...(fieldType ? { fieldType } : {}), loc };
  }
  return { fields, ...typesOf('fieldTypes', fields, typeOf), loc };
}

/** `{ [key]: the type of each path }`, or `{}` without a schema. */
function typesOf<K extends string>(
  key: K,
  paths: readonly FieldPath[],
  typeOf: PathTyper,
): { [P in K]?: FieldTypeIR[] } {
  if (typeOf([]) === undefined) return {}; // no schema: even the record itself has no type
  const types = paths.map(typeOf);
  if (types.some((t) => t === undefined)) return {};
  return { [key]: types as FieldTypeIR[] } as { [P in K]?: FieldTypeIR[] };
}

/** `ecs.version` = the map's ECS version (at the map block) and `event.dataset` = the stream's dataset (at its `dataset`). */
function constantRules(stream: StreamDecl, ecs: EcsSchema): RuleIR[] {
  if (!stream.dataset) throw new LoweringError(`stream ${stream.name.value} has no dataset`, stream.name.loc);
  const ecsType = (name: string): DestinationType => {
    const field = ecs.field(name);
    return { ecsType: field?.type ?? 'keyword', array: field?.array ?? false, vendor: false };
  };
  return [
    {
      destination: ['ecs', 'version'],
      destinationType: ecsType('ecs.version'),
      op: 'set',
      value: { kind: 'const', value: ecs.version },
      loc: span(stream.map?.loc ?? stream.loc),
    },
    {
      destination: ['event', 'dataset'],
      destinationType: ecsType('event.dataset'),
      op: 'set',
      value: { kind: 'const', value: stream.dataset.value },
      loc: span(stream.dataset.loc),
    },
  ];
}

function lowerRule(
  rule: MapRule,
  roots: readonly string[],
  tables: ReadonlyMap<string, TableDecl>,
  ecs: EcsSchema,
  typeOf: PathTyper,
): RuleIR {
  const resolved = resolveDestination(ecs, pathText(rule.destination), roots);
  let destinationType: DestinationType;
  if (resolved.kind === 'ecs') {
    destinationType = { ecsType: resolved.field.type, array: resolved.field.array, vendor: false };
  } else if (resolved.kind === 'vendor') {
    destinationType = { ecsType: vendorFieldType(ecs, rule.value), array: rule.op === '+=', vendor: true };
  } else {
    throw new LoweringError(
      `destination ${pathText(rule.destination)} is not ECS and not under the vendor namespace`,
      rule.destination.loc,
    );
  }
  return {
    destination: path(rule.destination),
    destinationType,
    op: rule.op === '=' ? 'set' : 'append',
    value: lowerValue(rule.value, tables, typeOf),
    ...(rule.when ? { when: lowerCondition(rule.when, typeOf) } : {}),
    ...(rule.onError?.value === 'ignore' ? { onError: 'ignore' as const } : {}),
    loc: span(rule.loc),
  };
}

function lowerValue(value: RuleValue, tables: ReadonlyMap<string, TableDecl>, typeOf: PathTyper): ValueIR {
  if (value.kind === 'FieldValue') {
    const source = typeOf(path(value.path));
    return {
      kind: 'field',
      path: path(value.path),
      transforms: value.transforms.map((t) => lowerTransform(t, tables)),
      ...(source ? { source } : {}),
    };
  }
  if (value.kind === 'SelectValue') {
    // A selection reads no declared type (compiler/ir.ts ValueIR `select`: it never fails on a violation).
    return {
      kind: 'select',
      array: path(value.array),
      key: path(value.key),
      equals: value.equals.value,
      rest: value.rest ? path(value.rest) : [],
      transforms: value.transforms.map((t) => lowerTransform(t, tables)),
      equalsLoc: span(value.equals.loc),
    };
  }
  if (value.kind === 'ElementsValue') {
    return {
      kind: 'elements',
      array: path(value.array),
      fields: value.fields.map((f) => ({ name: f.name.name, from: f.from ? path(f.from) : [f.name.name] })),
      nameLocs: value.fields.map((f) => span(f.name.loc)),
    };
  }
  if (value.kind === 'CopyValue') return { kind: 'copy', from: path(value.field) };
  if (value.kind === 'CollectionTime') return { kind: 'collection_time' };
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
      // A list table: every value a list (a string one of one element).
      const list = isListTable(table);
      const value = (v: TableValue): string | string[] =>
        v.kind === 'String' ? (list ? [v.value] : v.value) : v.items.map((i) => i.value);
      return {
        kind: 'lookup',
        table: table.name.value,
        entries: table.entries.map((e) => ({ from: e.from.value, to: value(e.to), loc: span(e.loc) })),
        ...(table.default ? { default: value(table.default), defaultLoc: span(table.default.loc) } : {}),
        ...(list ? { list: true as const } : {}),
      };
    }
    case 'HashTransform':
      return { kind: 'redact', mode: 'hash' };
    case 'MaskTransform':
      return { kind: 'redact', mode: 'mask', keep: t.keep.value };
    case 'JsonTransform':
      return { kind: 'json' };
    case 'KvTransform':
      return {
        kind: 'kv',
        fieldSeparator: t.fieldSeparator?.value ?? KV_DEFAULTS.fieldSeparator,
        valueSeparator: t.valueSeparator?.value ?? KV_DEFAULTS.valueSeparator,
        loc: span(t.fieldSeparator?.loc ?? t.loc),
      };
    case 'ExtractTransform':
      if (t.regex.kind !== 'regex') throw new Error('internal: extract pattern refused by the checks reached lowering');
      return { kind: 'extract', pattern: t.pattern.value, regex: t.regex, loc: span(t.pattern.loc) };
    case 'SplitTransform':
      return { kind: 'split', separator: t.separator.value, loc: span(t.separator.loc) };
  }
}

function lowerCondition(c: Condition, typeOf: PathTyper): ConditionIR {
  switch (c.kind) {
    case 'ExistsCondition': {
      const source = typeOf(path(c.path));
      const exists: ConditionIR = { kind: 'exists', path: path(c.path), ...(source ? { source } : {}) };
      return c.negated ? { kind: 'not', condition: exists } : exists;
    }
    case 'CompareCondition': {
      const source = typeOf(path(c.path));
      const typed = source ? { source } : {};
      if (c.op === '==' || c.op === '!=') {
        const equals: ConditionIR = { kind: 'equals', path: path(c.path), value: c.value.value, ...typed };
        return c.op === '==' ? equals : { kind: 'not', condition: equals };
      }
      // The checks (E0119) refuse a non-number here.
      if (typeof c.value.value !== 'number') throw new LoweringError(`${c.op} needs a number`, c.value.loc);
      return { kind: 'compare', op: COMPARE_OPS[c.op], path: path(c.path), value: c.value.value, ...typed };
    }
    case 'NowCondition': {
      // The checks refuse == and != (E0119).
      if (c.op === '==' || c.op === '!=') throw new LoweringError(`${c.op} now never holds`, c.nowLoc);
      const source = typeOf(path(c.path));
      const offset = c.offset === undefined ? 0 : (c.offset.sign === '-' ? -1 : 1) * c.offset.duration.milliseconds;
      return {
        kind: 'now',
        op: COMPARE_OPS[c.op],
        path: path(c.path),
        formats: c.formats.length === 0 ? [{ kind: 'iso8601' }] : c.formats.map(dateFormat),
        // `+ 0` so that `now - 0s` is 0, never -0 (which JSON would print as 0 but === tells apart).
        offsetMs: offset + 0,
        ...(source ? { source } : {}),
        loc: span(c.nowLoc),
      };
    }
    case 'InCondition': {
      const source = typeOf(path(c.path));
      return {
        kind: 'in',
        path: path(c.path),
        values: c.values.map((v) => v.value),
        ...(source ? { source } : {}),
        loc: c.values.map((v) => span(v.loc)),
      };
    }
    case 'TextCondition': {
      const source = typeOf(path(c.path));
      return {
        kind: 'text',
        op: TEXT_OPS[c.op],
        path: path(c.path),
        value: c.value.value,
        ...(source ? { source } : {}),
        loc: span(c.value.loc),
      };
    }
    case 'NotCondition':
      return { kind: 'not', condition: lowerCondition(c.operand, typeOf) };
    case 'AndCondition':
      return { kind: 'and', all: c.operands.map((o) => lowerCondition(o, typeOf)) };
    case 'OrCondition':
      return { kind: 'or', any: c.operands.map((o) => lowerCondition(o, typeOf)) };
    case 'SettingCondition':
      return { kind: 'setting', name: c.setting.name.value };
  }
}

const COMPARE_OPS: Readonly<Record<'<' | '<=' | '>' | '>=', CompareOpIR>> = {
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
};

const TEXT_OPS: Readonly<Record<TextCondition['op'], TextOpIR>> = {
  starts_with: 'prefix',
  ends_with: 'suffix',
  contains: 'contains',
};

/**
 * `MappingIR.consumed`: for each distinct source path read by a `set` rule whose destination lies
 * outside the namespace, the first such rule's destination (appends, conditions and writes inside
 * the namespace consume nothing). A source path at, above or below a field some rule writes inside
 * the namespace is not consumed either: deleting it would delete that rule's write
 * (`okta.uuid = uuid` beside `event.id = uuid` keeps `okta.uuid`).
 */
function consumed(rules: readonly RuleIR[], namespace: FieldPath): ConsumedIR[] {
  const out: ConsumedIR[] = [];
  const seen = new Set<string>();
  const writtenInside = rules
    .filter((rule) => isUnder(rule.destination, namespace))
    .map((rule) => rule.destination.slice(namespace.length));
  for (const rule of rules) {
    if (rule.op !== 'set' || rule.value.kind !== 'field' || isUnder(rule.destination, namespace)) continue;
    const source = rule.value.path;
    if (writtenInside.some((written) => overlap(written, source))) continue;
    const key = JSON.stringify(source);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: rule.value.path, whenDestinationSet: rule.destination });
  }
  return out;
}

function isUnder(field: FieldPath, prefix: FieldPath): boolean {
  return field.length > prefix.length && prefix.every((segment, i) => field[i] === segment);
}
