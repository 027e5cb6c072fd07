import { pathText, tableStrings, type AstNode, type MapRule, type StreamDecl } from '../../../dsl/ast.ts';
import { closest } from '../../../dsl/suggest.ts';
import type { CheckContext } from '../context.ts';
import type { CheckRule } from '../rule.ts';
import { resolveDestination, vendorRoots, type ResolvedDestination } from '../destination.ts';
import {
  conversionFor,
  producedType,
  transformType,
  typeClass,
  type ProducedType,
  type TypeClass,
} from '../value-type.ts';
import { isIp } from '../../literals.ts';
import { nearest } from '../walk.ts';
import { yieldsStructure } from './transforms.ts';

/** Destinations lowering sets itself (`compiler/ir.ts` MappingIR.rules). */
const RESERVED_DESTINATIONS: Readonly<Record<string, string>> = {
  'ecs.version': 'mapc sets ecs.version to the ECS version the map was checked against',
  'event.dataset': "mapc sets event.dataset from the stream's `dataset`",
  'event.original': 'mapc sets event.original to the raw record text; ask for it with `original when setting.NAME`',
  'error.message': 'every target appends its conversion errors to error.message (compiler/ir.ts step 4)',
};

function resolved(ctx: CheckContext, rule: MapRule, ancestors: readonly AstNode[]): ResolvedDestination | undefined {
  const stream = nearest(ancestors, 'Stream');
  if (!stream) return undefined;
  return resolveDestination(
    ctx.ecs,
    pathText(rule.destination),
    vendorRoots(ctx.symbols.integration?.name.value, stream, stream.map),
  );
}

/** Every destination is an ECS field (E0100) or lies under the vendor namespace (E0103). */
export const DestinationFieldRule: CheckRule = (ctx) => ({
  Rule(rule, ancestors) {
    const destination = pathText(rule.destination);
    const reserved =
      RESERVED_DESTINATIONS[destination] ??
      (destination.startsWith('data_stream.')
        ? 'data_stream.* is set by the data stream each target writes to (type logs, the dataset, the namespace)'
        : destination === 'error'
          ? 'every target appends its conversion errors to error.message (compiler/ir.ts step 4)'
          : undefined);
    if (reserved) {
      ctx.error('E0107', `${destination} is set by mapc`, rule.destination.loc, 'cannot be mapped', {
        notes: [`note: ${reserved}`],
      });
      return;
    }
    const r = resolved(ctx, rule, ancestors);
    if (!r) return;
    const help = (s: readonly string[]): string[] => (s[0] ? [`help: did you mean ${s[0]}?`] : []);
    switch (r.kind) {
      case 'unknown-ecs':
        ctx.error(
          'E0100',
          `unknown ECS field ${destination}`,
          rule.destination.loc,
          `not a field of ECS ${ctx.ecs.version}`,
          {
            notes: help(r.suggestions),
          },
        );
        break;
      case 'outside':
        ctx.error(
          'E0103',
          `${destination} is neither an ECS field nor under the vendor namespace`,
          rule.destination.loc,
          `not ECS ${ctx.ecs.version}, not vendor`,
          {
            notes: [
              ...help(r.suggestions),
              ...(r.roots[0]
                ? [`note: vendor fields go under ${r.roots.join(' or ')}, e.g. ${r.roots[0]}.${destination}`]
                : []),
            ],
          },
        );
        break;
      case 'namespace-root':
        ctx.error(
          'E0103',
          `${destination} is the vendor namespace itself`,
          rule.destination.loc,
          'would replace the whole kept record',
          {
            notes: [`help: map to a field under it, e.g. ${destination}.name`],
          },
        );
        break;
      default:
        break;
    }
  },
});

/** `=` on an ECS array field (E0112) and `+=` on an ECS single-value field (E0120). */
export const ArrayOpRule: CheckRule = (ctx) => ({
  Rule(rule, ancestors) {
    const r = resolved(ctx, rule, ancestors);
    if (r?.kind !== 'ecs') return;
    const destination = pathText(rule.destination);
    if (r.field.array && rule.op === '=') {
      ctx.error('E0112', `${destination} is an array field: use +=`, rule.opLoc, 'replaces the whole array', {
        notes: [`note: ECS marks ${destination} normalize: array`, `help: write \`${destination} += ...\``],
      });
    } else if (!r.field.array && rule.op === '+=') {
      ctx.error('E0120', `${destination} holds one value: use =`, rule.opLoc, 'not an array field', {
        notes: [`help: write \`${destination} = ...\``],
      });
    }
  },
});

/** Transforms that need a string input. */
const STRING_ONLY = new Set([
  'CaseTransform',
  'LookupTransform',
  'HashTransform',
  'MaskTransform',
  'SplitTransform',
  'JsonTransform',
  'KvTransform',
  'ExtractTransform',
]);

function fits(cls: TypeClass, produced: ProducedType): boolean {
  switch (cls) {
    case 'text':
      return produced === 'any' || produced === 'keyword';
    case 'ip':
      return produced === 'ip';
    case 'date':
      return produced === 'date';
    case 'integer':
      return produced === 'long';
    case 'float':
      return produced === 'double' || produced === 'long';
    case 'boolean':
      return produced === 'boolean';
    case 'free':
      return true;
    case 'object':
      return false;
  }
}

/**
 * The value's type fits the ECS field's type (E0101): `ip`, `date`, numeric and boolean fields
 * need the matching conversion or literal; text-like fields take copies and strings; a string
 * transform after a non-string conversion is an error too.
 */
export const ValueTypeRule: CheckRule = (ctx) => ({
  Rule(rule, ancestors) {
    const value = rule.value;
    if (value.kind === 'FieldValue' || value.kind === 'SelectValue') {
      let current: ProducedType = 'any';
      for (const t of value.transforms) {
        if (STRING_ONLY.has(t.kind) && (current === 'long' || current === 'double' || current === 'boolean')) {
          ctx.error(
            'E0101',
            `${transformName(t.kind)} needs a string, but the value was converted to ${current}`,
            t.loc,
            `input is ${current}`,
          );
          return;
        }
        current = transformType(t);
      }
    }
    const r = resolved(ctx, rule, ancestors);
    if (r?.kind !== 'ecs') return;
    // Parsed JSON may be of any type, named captures are an object: `./transforms.ts` (E0181) says where they may go.
    if (
      (value.kind === 'FieldValue' || value.kind === 'SelectValue') &&
      value.transforms.some((t) => t.kind !== 'SplitTransform' && yieldsStructure(t))
    )
      return;
    const destination = pathText(rule.destination);
    const cls = typeClass(r.field.type);
    const produced = producedType(ctx.ecs, value);
    if (cls === 'object') {
      ctx.error(
        'E0101',
        `${destination} is an ECS ${r.field.type} field`,
        rule.destination.loc,
        'holds other fields, not a value',
        {
          notes: [`help: map to a field under ${destination}`],
        },
      );
      return;
    }
    // A literal IP string is as good as `| ip`.
    if (cls === 'ip' && value.kind === 'String' && isIp(value.value)) return;
    if (fits(cls, produced)) return;
    const conversion = conversionFor(cls);
    const label =
      value.kind === 'CollectionTime'
        ? 'the collection time, a date'
        : value.kind === 'CopyValue'
          ? `a copy of ${pathText(value.field)}, ${article(produced)} ${produced}`
          : value.kind === 'FieldValue' || value.kind === 'SelectValue'
            ? produced === 'any'
              ? 'copied as is'
              : `converted to ${produced}`
            : `a ${literalName(value.kind)} literal`;
    const notes: string[] = [];
    if (value.kind === 'FieldValue' && conversion)
      notes.push(`help: convert it: \`${destination} = ${pathText(value.path)} ${conversion}\``);
    else if (
      cls === 'text' &&
      value.kind !== 'FieldValue' &&
      value.kind !== 'SelectValue' &&
      value.kind !== 'ElementsValue' &&
      value.kind !== 'CopyValue' &&
      value.kind !== 'CollectionTime'
    )
      notes.push(`help: quote it: "${String(value.value)}"`);
    else if (cls === 'text') notes.push('help: text fields take the value as is or `| keyword`');
    ctx.error(
      'E0101',
      `${destination} is ${article(r.field.type)} ${r.field.type} field; the value does not fit`,
      value.loc,
      label,
      {
        secondary: [{ span: rule.destination.loc, message: `ECS type ${r.field.type}` }],
        notes,
      },
    );
  },
});

function transformName(kind: string): string {
  return (
    {
      CaseTransform: 'lowercase/uppercase',
      LookupTransform: 'lookup',
      HashTransform: 'hash',
      MaskTransform: 'mask',
      SplitTransform: 'split',
      JsonTransform: 'json',
      ExtractTransform: 'extract',
      KvTransform: 'kv',
    }[kind] ?? kind
  );
}

function literalName(kind: string): string {
  return kind === 'String' ? 'string' : kind === 'Number' ? 'number' : 'boolean';
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/**
 * Constants written to fields with ECS allowed values (`event.kind`, `event.category`,
 * `event.type`, `event.outcome`) are allowed values, and so are the `to` values and default of
 * a lookup table feeding one (E0102).
 */
export const AllowedValuesRule: CheckRule = (ctx) => ({
  Rule(rule, ancestors) {
    const r = resolved(ctx, rule, ancestors);
    if (r?.kind !== 'ecs' || !r.field.allowedValues) return;
    const allowed = r.field.allowedValues;
    const destination = pathText(rule.destination);
    const report = (
      value: string,
      span: typeof rule.loc,
      extra: { secondary?: { span: typeof rule.loc; message: string }[] } = {},
    ): void => {
      if (allowed.includes(value)) return;
      const best = closest(value, allowed, 1)[0];
      ctx.error(
        'E0102',
        `${JSON.stringify(value)} is not an allowed value of ${destination}`,
        span,
        'not in ECS allowed values',
        {
          ...extra,
          notes: [
            ...(best ? [`help: did you mean ${JSON.stringify(best)}?`] : []),
            `note: ECS ${ctx.ecs.version} allows ${allowed.join(', ')}`,
          ],
        },
      );
    };
    const value = rule.value;
    if (value.kind === 'String') {
      report(value.value, value.loc);
      return;
    }
    if (value.kind !== 'FieldValue') return;
    const last = value.transforms[value.transforms.length - 1];
    if (last?.kind !== 'LookupTransform') return;
    const table = ctx.symbols.tables.get(last.table.value);
    if (!table) return;
    const secondary = [{ span: rule.destination.loc, message: `feeds ${destination} here` }];
    for (const entry of table.entries) for (const s of tableStrings(entry.to)) report(s.value, s.loc, { secondary });
    if (table.default) for (const s of tableStrings(table.default)) report(s.value, s.loc, { secondary });
  },
});

/** A destination written twice with `=` needs a `when` on every such rule; `=` and `+=` never mix (E0107). */
export const UniqueDestinationsRule: CheckRule = (ctx) => ({
  Map(map) {
    const byDestination = new Map<string, MapRule[]>();
    for (const rule of map.rules) {
      const key = pathText(rule.destination);
      byDestination.set(key, [...(byDestination.get(key) ?? []), rule]);
    }
    for (const [destination, rules] of byDestination) {
      const first = rules[0]!;
      const mixed = rules.find((r) => r.op !== first.op);
      if (mixed) {
        ctx.error('E0107', `${destination} is both set and appended to`, mixed.destination.loc, `uses ${mixed.op}`, {
          secondary: [{ span: first.destination.loc, message: `uses ${first.op} here` }],
        });
        continue;
      }
      const sets = rules.filter((r) => r.op === '=');
      if (sets.length < 2 || sets.every((r) => r.when)) continue;
      const second = sets[1]!;
      ctx.error('E0107', `${destination} is mapped twice`, second.destination.loc, 'mapped again here', {
        secondary: [{ span: first.destination.loc, message: 'first mapped here' }],
        notes: ['help: give every rule for this field a `when` condition, or remove one'],
      });
    }
  },
});

/** The vendor namespace does not collide with ECS (E0103). */
export const NamespaceRule: CheckRule = (ctx) => ({
  Stream(stream: StreamDecl) {
    const explicit = stream.map?.namespace;
    const integration = ctx.symbols.integration?.name.value;
    const ns = explicit
      ? pathText(explicit)
      : integration !== undefined
        ? `${integration}.${stream.name.value}`
        : undefined;
    if (ns === undefined) return;
    const first = ns.split('.')[0]!;
    if (!ctx.ecs.resolve(ns) && !ctx.ecs.isFieldSet(first)) return;
    const span = explicit?.loc ?? ctx.symbols.integration?.name.loc ?? stream.name.loc;
    ctx.error('E0103', `vendor namespace ${ns} collides with ECS field set ${first}`, span, 'ECS owns this name', {
      notes: ['help: keep vendor fields under the integration name, e.g. `namespace my_vendor.audit`'],
    });
  },
});
