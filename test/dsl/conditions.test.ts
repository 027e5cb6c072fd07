/**
 * Record conditions in the language (docs/language.md, "Conditions"): the grammar and its
 * precedence (`not` > `and` > `or`, parentheses), the lowering to `ConditionIR`, `drop when`, the
 * formatter (round trip, idempotent, a condition's `(` spaced), the keywords offered by the
 * editor's completion, and parse errors at the offending token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Condition, MapBlock, MapFile, StreamDecl } from '../../dsl/ast.ts';
import { parseMap } from '../../dsl/index.ts';
import { formatMap } from '../../dsl/format/index.ts';
import { compileSource } from '../../compiler/compile.ts';
import type { ConditionIR } from '../../compiler/ir.ts';
import { completionsAt } from '../../editor/server/completion.ts';
import { DocumentTokens } from '../../editor/server/tokens.ts';
import { baseMap } from '../compiler/helpers.ts';
import { REPO_ROOT } from '../support/fixtures.ts';

const withRules = (rules: string): string => baseMap({ rules: `    ${rules}` });

/** The map block of the file's one stream. */
const mapOf = (ast: MapFile | undefined): MapBlock =>
  (ast!.declarations.find((d) => d.kind === 'Stream') as StreamDecl).map!;

/** The `when` of the map's last rule, as the parser gives it. */
function whenOf(condition: string): Condition {
  const { ast, diagnostics } = parseMap(withRules(`event.kind = "alert" when ${condition}`), 'c.map');
  expect(diagnostics).toEqual([]);
  const rules = mapOf(ast).rules;
  return rules[rules.length - 1]!.when!;
}

/** A condition as nested text: the shape the parser gave it. */
function shape(c: Condition): string {
  switch (c.kind) {
    case 'AndCondition':
      return `and(${c.operands.map(shape).join(', ')})`;
    case 'OrCondition':
      return `or(${c.operands.map(shape).join(', ')})`;
    case 'NotCondition':
      return `not(${shape(c.operand)})`;
    case 'ExistsCondition':
      return `${c.negated ? '!' : ''}exists ${c.path.segments.map((s) => s.name).join('.')}`;
    case 'CompareCondition':
      return `${c.path.segments[0]!.name} ${c.op} ${JSON.stringify(c.value.value)}`;
    case 'InCondition':
      return `${c.path.segments[0]!.name} in ${JSON.stringify(c.values.map((v) => v.value))}`;
    case 'TextCondition':
      return `${c.path.segments[0]!.name} ${c.op} ${JSON.stringify(c.value.value)}`;
    case 'NowCondition': {
      const offset = c.offset ? ` ${c.offset.sign} ${c.offset.duration.raw}` : '';
      const formats = c.formats.map((f) => f.pattern ?? f.format).join(', ');
      return `${c.path.segments[0]!.name} ${c.op} now${offset}${formats ? ` format ${formats}` : ''}`;
    }
    case 'SettingCondition':
      return `setting.${c.setting.name.value}`;
  }
}

/** The lowered `when` of the map's last rule. */
function lowered(condition: string): ConditionIR {
  const { ir, diagnostics } = compileSource(withRules(`event.kind = "alert" when ${condition}`), 'c.map');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const rules = ir!.streams[0]!.mapping.rules;
  return rules[rules.length - 1]!.when!;
}

describe('condition grammar', () => {
  it('not binds tighter than and, and tighter than or; parentheses group', () => {
    expect(shape(whenOf('exists a or exists b and exists c'))).toBe('or(exists a, and(exists b, exists c))');
    expect(shape(whenOf('(exists a or exists b) and exists c'))).toBe('and(or(exists a, exists b), exists c)');
    expect(shape(whenOf('not exists a and exists b'))).toBe('and(!exists a, exists b)');
    expect(shape(whenOf('not (exists a and exists b)'))).toBe('not(and(exists a, exists b))');
    expect(shape(whenOf('not not a == 1'))).toBe('not(not(a == 1))');
    expect(shape(whenOf('a == 1 or b == 2 or c == 3'))).toBe('or(a == 1, b == 2, c == 3)');
  });

  it('every test: comparisons, in, text tests, settings', () => {
    expect(shape(whenOf('a < 1 and b <= 2.5 and c > -3 and d >= 0'))).toBe('and(a < 1, b <= 2.5, c > -3, d >= 0)');
    expect(shape(whenOf('a in ["x", 2, true]'))).toBe('a in ["x",2,true]');
    expect(shape(whenOf('a starts_with "x" or a ends_with "y" or a contains "z"'))).toBe(
      'or(a starts_with "x", a ends_with "y", a contains "z")',
    );
    expect(shape(whenOf('setting.keep_original and a != "b"'))).toBe('and(setting.keep_original, a != "b")');
  });

  it('now tests: a bare now, a signed offset (now-30d too), formats after it', () => {
    expect(shape(whenOf('a < now'))).toBe('a < now');
    expect(shape(whenOf('a >= now - 30d and b > now + 1h'))).toBe('and(a >= now - 30d, b > now + 1h)');
    expect(shape(whenOf('a <= now-12h'))).toBe('a <= now - 12h');
    expect(shape(whenOf('a < now - 1d format "dd/MM/yyyy", iso8601 or exists b'))).toBe(
      'or(a < now - 1d format dd/MM/yyyy, iso8601, exists b)',
    );
    // `now` stays a name: a field called now, a path segment.
    expect(shape(whenOf('now == 1 and x.now < now'))).toBe('and(now == 1, x < now)');
  });

  it('a field called like a condition word is quoted at the start of a condition path', () => {
    expect(shape(whenOf('"exists" == 1 and "not" in [2] and "setting".x == 3'))).toBe(
      'and(exists == 1, not in [2], setting == 3)',
    );
    expect(shape(whenOf('in == 1 and and.or == 2'))).toBe('and(in == 1, and == 2)');
  });

  it('drop when: any number, in source order, read as map items', () => {
    const { ast, diagnostics } = parseMap(
      withRules('drop when a == 1\n    drop = b\n    drop when exists c or exists d'),
      'c.map',
    );
    expect(diagnostics).toEqual([]);
    const map = mapOf(ast);
    expect(map.drop.map((d) => shape(d.when))).toEqual(['a == 1', 'or(exists c, exists d)']);
    // A field called `drop` is still a rule target.
    expect(map.rules.map((r) => r.destination.segments.map((s) => s.name).join('.'))).toContain('drop');
  });

  it('drop empty: a map item beside drop when, lowered to MappingIR.dropEmpty; once only; another word is E0004', () => {
    const source = withRules('drop when a == 1\n    drop empty\n    drop = b');
    const { ast, diagnostics } = parseMap(source, 'c.map');
    expect(diagnostics).toEqual([]);
    const map = mapOf(ast);
    expect(map.dropEmpty).toMatchObject({ kind: 'DropEmpty', loc: { line: map.drop[0]!.loc.line + 1, column: 5 } });
    expect(map.drop).toHaveLength(1);
    const compiled = compileSource(withRules('drop empty'), 'c.map');
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compiled.ir?.streams[0]?.mapping.dropEmpty).toBe(true);
    expect(compileSource(withRules('drop when a == 1'), 'c.map').ir?.streams[0]?.mapping).not.toHaveProperty(
      'dropEmpty',
    );

    const twice = parseMap(withRules('drop empty\n    drop empty'), 'c.map').diagnostics;
    expect(twice.map((d) => [d.code, d.message])).toEqual([['E0007', '"drop empty" is given twice in the map block']]);

    const typo = parseMap(withRules('drop empti'), 'c.map').diagnostics;
    expect(typo.map((d) => [d.code, d.message])).toEqual([
      ['E0004', 'expected "when" or "empty" after "drop", found "empti"'],
    ]);
    expect(typo[0]!.notes).toEqual(['help: did you mean "empty"?']);
  });
});

describe('condition lowering', () => {
  it('each form lowers to its ConditionIR kind', () => {
    expect(lowered('a < 1')).toEqual({ kind: 'compare', op: 'lt', path: ['a'], value: 1 });
    expect(lowered('a >= 2.5')).toEqual({ kind: 'compare', op: 'ge', path: ['a'], value: 2.5 });
    expect(lowered('a in ["x", 2]')).toMatchObject({ kind: 'in', path: ['a'], values: ['x', 2] });
    expect(lowered('a starts_with "x"')).toMatchObject({ kind: 'text', op: 'prefix', path: ['a'], value: 'x' });
    expect(lowered('a ends_with "x"')).toMatchObject({ kind: 'text', op: 'suffix', value: 'x' });
    expect(lowered('a contains "x"')).toMatchObject({ kind: 'text', op: 'contains', value: 'x' });
    expect(lowered('a != 1 and not exists b')).toEqual({
      kind: 'and',
      all: [
        { kind: 'not', condition: { kind: 'equals', path: ['a'], value: 1 } },
        { kind: 'not', condition: { kind: 'exists', path: ['b'] } },
      ],
    });
    expect(lowered('exists a or setting.keep_original')).toEqual({
      kind: 'or',
      any: [
        { kind: 'exists', path: ['a'] },
        { kind: 'setting', name: 'keep_original' },
      ],
    });
  });

  it('a now test lowers to ConditionIR now: offset in milliseconds, iso8601 by default', () => {
    expect(lowered('a < now - 30d')).toMatchObject({
      kind: 'now',
      op: 'lt',
      path: ['a'],
      formats: [{ kind: 'iso8601' }],
      offsetMs: -30 * 86_400_000,
    });
    expect(lowered('a >= now')).toMatchObject({ kind: 'now', op: 'ge', offsetMs: 0 });
    expect(Object.is((lowered('a >= now - 0s') as { offsetMs: number }).offsetMs, 0)).toBe(true);
    expect(lowered('a > now + 500ms format "yyyy.MM.dd", iso8601')).toMatchObject({
      kind: 'now',
      op: 'gt',
      offsetMs: 500,
      formats: [{ kind: 'pattern', pattern: { text: 'yyyy.MM.dd' } }, { kind: 'iso8601' }],
    });
  });

  it('drop when lowers to MappingIR.drop with its locations; no drop, no field', () => {
    const { ir } = compileSource(withRules('drop when a == 1\n    drop when b > 2'), 'c.map');
    const mapping = ir!.streams[0]!.mapping;
    expect(mapping.drop).toEqual([
      { kind: 'equals', path: ['a'], value: 1 },
      { kind: 'compare', op: 'gt', path: ['b'], value: 2 },
    ]);
    expect(mapping.dropLoc?.map((l) => l.line)).toHaveLength(2);
    expect(compileSource(baseMap(), 'c.map').ir!.streams[0]!.mapping).not.toHaveProperty('drop');
  });
});

describe('conditions in the formatter', () => {
  it('round-trips every form, spaces a condition group, and is idempotent', () => {
    const messy = withRules(
      [
        'drop   when a=="x" or(b<2 and not exists c)',
        'drop when d in ["p","q" , 3]',
        'event.kind   = "alert" when not(a starts_with "x")and b ends_with "y"',
        'event.action = action when a contains "z" or((b >= 1))',
        'drop when t<now-30d format  "dd/MM/yyyy" ,iso8601',
      ].join('\n    '),
    );
    const once = formatMap(messy, 'c.map');
    if (!once.ok) throw new Error('does not parse');
    expect(once.text).toContain('drop when a == "x" or (b < 2 and not exists c)');
    expect(once.text).toContain('drop when d in ["p", "q", 3]');
    expect(once.text).toContain('when not (a starts_with "x") and b ends_with "y"');
    expect(once.text).toContain('when a contains "z" or ((b >= 1))');
    // A signed duration is one token: the formatter keeps `now -30d` as written.
    expect(once.text).toContain('drop when t < now -30d format "dd/MM/yyyy", iso8601');
    const twice = formatMap(once.text, 'c.map');
    expect(twice.ok && twice.text).toBe(once.text);
    // The same IR, but for where each literal is written.
    const ir = (text: string) =>
      JSON.stringify(compileSource(text, 'c.map').ir?.streams[0]?.mapping.drop, (k, v: unknown) =>
        k === 'loc' ? undefined : v,
      );
    expect(ir(once.text)).toBe(ir(messy));
  });
});

describe('conditions in the editor', () => {
  const labels = (text: string) => completionsAt(new DocumentTokens(text), text.length).items.map((i) => i.label);

  it('offers the condition words where they fit', () => {
    expect(labels('stream s { map { a = b when ')).toEqual(expect.arrayContaining(['exists', 'not', 'setting']));
    expect(labels('stream s { map { a = b when x ')).toEqual(
      expect.arrayContaining(['in', 'starts_with', 'ends_with', 'contains']),
    );
    expect(labels('stream s { map { a = b when exists x ')).toEqual(expect.arrayContaining(['and', 'or']));
    expect(labels('stream s { map { ')).toEqual(expect.arrayContaining(['drop']));
  });
});

describe('condition parse errors point at the offending token', () => {
  const errors = (condition: string) =>
    parseMap(withRules(`event.kind = "alert" when ${condition}`), 'c.map').diagnostics.map(
      (d) => `${d.primary.span.column} ${d.message}`,
    );
  const col = (condition: string, needle: string) => `    event.kind = "alert" when ${condition}`.indexOf(needle) + 1;

  it('one error each, at the token', () => {
    expect(errors('a in ("x")')).toEqual([`${col('a in ("x")', '(')} expected "[" after "in", found "("`]);
    expect(errors('a starts_with 5')).toEqual([
      `${col('a starts_with 5', '5')} expected a string after "starts_with", found "5"`,
    ]);
    expect(errors('a < ')).toHaveLength(1);
    expect(errors('a and b == 1')[0]).toMatch(/expected a test/);
    expect(errors('(exists a')).toHaveLength(1);
    expect(errors('exists a or')).toHaveLength(1);
    expect(errors('a < now 1h')).toEqual([`${col('a < now 1h', '1h')} expected "+" or "-" before 1h`]);
    expect(errors('a < now - 1w')[0]).toMatch(/invalid duration "1w"/);
  });
});

describe('the example of docs/language.md ("Conditions")', () => {
  it('compiles without a diagnostic of its own', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/language.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Conditions'));
    const example = /```\n([\s\S]*?)```/.exec(section)![1]!;
    const body = example.split('\n').slice(1, -2).join('\n');
    const source = baseMap({ rules: body, decls: 'setting lab_mode: bool = false' });
    const { diagnostics } = compileSource(source, 'doc.map');
    // W0122: declarations of baseMap the example does not use.
    expect(diagnostics.filter((d) => d.code !== 'W0122').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });
});
