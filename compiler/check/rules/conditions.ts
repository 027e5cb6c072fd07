/**
 * Record conditions (a rule's `when`, `drop when`; docs/language.md, "Conditions"): `<`, `<=`,
 * `>`, `>=` compare numbers (E0119 for another literal); `in [...]` lists at least one value
 * (E0119); a condition nests at most {@link MAX_CONDITION_DEPTH} levels and an `in` list holds at
 * most {@link MAX_IN_VALUES} values (E0128); where the stream declares a record schema, a test
 * that can never hold for the declared type is an error at the test (E0167: `contains` on an
 * integer, `<` on a string, `in` with no value of a declared type). A `now` test compares with
 * `<`, `<=`, `>`, `>=` (E0119), moves now by at most {@link MAX_NOW_OFFSET_DAYS} days (E0128),
 * reads text formats only and never a field declared `format ip` (E0199).
 *
 * @module
 */
import type { Condition, Literal, NowCondition, PathNode, Span, StreamDecl } from '../../../dsl/ast.ts';
import { pathSegments, pathText } from '../../../dsl/ast.ts';
import { MAX_CONDITION_DEPTH, MAX_IN_VALUES, MAX_NOW_OFFSET_DAYS } from '../../../dsl/limits.ts';
import type { FieldTypeIR, ValueType } from '../../ir.ts';
import { rewritten } from '../../schema/resolve.ts';
import type { CheckContext } from '../context.ts';
import type { CheckRule } from '../rule.ts';
import { namespaceOf, pathReads, schemaIndex } from '../schema.ts';

const MAX_NOW_OFFSET_MS = MAX_NOW_OFFSET_DAYS * 86_400_000;

const BOUNDS_NOTE = 'note: the bounds of the language are listed in docs/language.md ("Bounds")';

/** `<` etc. compare numbers; `in` lists something; bounds (E0119, E0128). */
export const ConditionValuesRule: CheckRule = (ctx) => ({
  CompareCondition(c) {
    if (c.op === '==' || c.op === '!=' || c.value.kind === 'Number') return;
    ctx.error('E0119', `${c.op} compares numbers, found ${literalWord(c.value)}`, c.value.loc, 'expected a number', {
      notes: [
        'note: <, <=, > and >= hold only when the field is a JSON number; a string never compares',
        'help: to test text, use ==, in [...], starts_with, ends_with or contains',
      ],
    });
  },
  NowCondition(c) {
    if (c.op === '==' || c.op === '!=') {
      ctx.error('E0119', `${c.op} now can never be tested`, c.nowLoc, 'an instant, not a value', {
        notes: [
          'note: now is the time the record is processed, to the millisecond: no date equals it',
          'help: compare with <, <=, > or >=: `published < now - 30d`',
        ],
      });
    }
    const offset = c.offset?.duration;
    if (offset && offset.milliseconds > MAX_NOW_OFFSET_MS) {
      ctx.error(
        'E0128',
        `now ${c.offset!.sign} ${offset.raw} moves now by more than ${MAX_NOW_OFFSET_DAYS}d`,
        offset.loc,
        `at most ${MAX_NOW_OFFSET_DAYS}d`,
        { notes: [BOUNDS_NOTE] },
      );
    }
    for (const format of c.formats) {
      if (format.format !== 'unix' && format.format !== 'unix_ms') continue;
      ctx.error(
        'E0199',
        `now compares dates written as text; ${format.format} reads epoch numbers`,
        format.loc,
        'not a text date format',
        {
          notes: [
            'note: a now test reads the field with iso8601 (the default) or a date pattern like "dd/MM/yyyy"',
            'help: for epoch times, compare the number itself: `created_ms < 1700000000000`',
          ],
        },
      );
    }
  },
  InCondition(c) {
    if (c.values.length === 0) {
      ctx.error('E0119', `${pathText(c.path)} in [] can never hold`, c.loc, 'an empty list', {
        notes: ['help: list at least one value: `path in ["a", "b"]`'],
      });
      return;
    }
    const extra = c.values[MAX_IN_VALUES];
    if (extra) {
      ctx.error(
        'E0128',
        `in [...] lists ${c.values.length} values; at most ${MAX_IN_VALUES} are allowed`,
        extra.loc,
        `value ${MAX_IN_VALUES + 1}`,
        { notes: [BOUNDS_NOTE, 'help: a lookup table maps many values'] },
      );
    }
  },
  Rule(rule) {
    if (rule.when) depth(ctx, rule.when);
  },
  Drop(drop) {
    depth(ctx, drop.when);
  },
});

function literalWord(value: Literal): string {
  return value.kind === 'String' ? `the string ${JSON.stringify(value.value)}` : `${value.value}`;
}

/** Levels of a condition: a test is 1, each `not`/`and`/`or` above it adds one. */
function depth(ctx: CheckContext, root: Condition): void {
  // An explicit stack: the parser bounds parentheses, not this walk's own recursion.
  const stack: { c: Condition; level: number }[] = [{ c: root, level: 1 }];
  while (stack.length > 0) {
    const { c, level } = stack.pop()!;
    if (level > MAX_CONDITION_DEPTH) {
      ctx.error('E0128', `condition nested more than ${MAX_CONDITION_DEPTH} levels deep`, c.loc, `level ${level}`, {
        notes: [BOUNDS_NOTE, 'help: a condition that deep is hard to read; split the rule'],
      });
      return;
    }
    if (c.kind === 'NotCondition') stack.push({ c: c.operand, level: level + 1 });
    else if (c.kind === 'AndCondition' || c.kind === 'OrCondition')
      for (const o of [...c.operands].reverse()) stack.push({ c: o, level: level + 1 });
  }
}

/** Tests that can never hold for the declared type of their path (E0167). */
export const ConditionTypesRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const index = schemaIndex(stream);
    if (!index) return;
    const typed = new Map<PathNode, FieldTypeIR>();
    for (const read of pathReads(stream, namespaceOf(stream, ctx.symbols.integration?.name.value))) {
      if (read.kind !== 'condition') continue;
      const path = pathSegments(read.path);
      if (rewritten(path, read.written ?? [])) continue;
      const resolved = index.resolve(path);
      if (resolved.kind === 'found') typed.set(read.path, resolved.type);
    }
    for (const c of conditionsOf(stream)) checkTypes(ctx, c, typed);
  },
});

function conditionsOf(stream: StreamDecl): Condition[] {
  return [
    ...(stream.map?.drop ?? []).map((d) => d.when),
    ...(stream.map?.rules ?? []).flatMap((r) => (r.when ? [r.when] : [])),
  ];
}

function checkTypes(ctx: CheckContext, root: Condition, typed: ReadonlyMap<PathNode, FieldTypeIR>): void {
  const stack: Condition[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (c.kind === 'NotCondition') stack.push(c.operand);
    else if (c.kind === 'AndCondition' || c.kind === 'OrCondition') stack.push(...c.operands);
    else if (c.kind === 'CompareCondition' && c.op !== '==' && c.op !== '!=') {
      needs(ctx, c.path, typed, ['integer', 'number'], `${c.op} compares numbers`, c.loc);
    } else if (c.kind === 'TextCondition') {
      needs(ctx, c.path, typed, ['string'], `${c.op} tests strings`, c.loc);
    } else if (c.kind === 'NowCondition') {
      needs(ctx, c.path, typed, ['string'], `${c.op} now reads date text`, c.loc);
      ipOnly(ctx, c, typed);
    } else if (c.kind === 'InCondition') {
      const wanted = [...new Set(c.values.flatMap((v) => literalTypes(v)))];
      needs(ctx, c.path, typed, wanted, 'no listed value is', c.loc);
    }
  }
}

/** A `now` test of a string field the schema declares `format ip` (and no date format) can never hold (E0199). */
function ipOnly(ctx: CheckContext, c: NowCondition, typed: ReadonlyMap<PathNode, FieldTypeIR>): void {
  const type = typed.get(c.path);
  if (!type || type.types.includes('any') || type.formats.length === 0) return;
  if (!type.formats.every((f) => f.kind === 'ip')) return;
  ctx.error(
    'E0199',
    `${c.op} now reads a date, but ${pathText(c.path)} is declared format ip: the condition can never hold`,
    c.loc,
    'never a date',
    { notes: ['note: a value no date format reads makes a now test false (docs/language.md, "Conditions")'] },
  );
}

/** The declared value types a literal can equal. */
function literalTypes(value: Literal): ValueType[] {
  if (value.kind === 'String') return ['string'];
  if (value.kind === 'Boolean') return ['boolean'];
  return Number.isInteger(value.value) ? ['integer', 'number'] : ['number'];
}

function needs(
  ctx: CheckContext,
  path: PathNode,
  typed: ReadonlyMap<PathNode, FieldTypeIR>,
  wanted: readonly ValueType[],
  what: string,
  span: Span,
): void {
  const type = typed.get(path);
  if (!type || type.types.some((t) => t === 'any' || wanted.includes(t))) return;
  const declared = type.types.join(' | ');
  ctx.error(
    'E0167',
    `${what} but ${pathText(path)} is declared ${declared}: the condition can never hold`,
    span,
    `never true for ${declared}`,
    { notes: ['note: a condition on a value of another type is false (docs/language.md, "Conditions")'] },
  );
}
