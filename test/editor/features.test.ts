/**
 * The language server's features in-process, on any text: random edits of the bundled maps and
 * random offsets never make hover, completion or go-to-definition throw, and every range they
 * return lies inside the document. Plus cases the LSP test does not reach.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completionsAt } from '../../editor/server/completion.ts';
import { definitionAt } from '../../editor/server/definition.ts';
import { hoverAt } from '../../editor/server/hover.ts';
import type { Range } from '../../editor/server/reference.ts';
import { declaredSymbols } from '../../editor/server/symbols.ts';
import { DocumentTokens } from '../../editor/server/tokens.ts';

const MAPS = ['maps/endor_labs.map', 'maps/entro.map', 'maps/enpass.map'].map((f) => readFileSync(f, 'utf8'));

function inside(range: Range, text: string): void {
  expect(range.start).toBeGreaterThanOrEqual(0);
  expect(range.start).toBeLessThanOrEqual(range.end);
  expect(range.end).toBeLessThanOrEqual(text.length);
}

describe('editor features on any text', () => {
  it('never throw and answer with ranges inside the document', () => {
    const edit = fc.record({
      map: fc.constantFrom(...MAPS.keys()),
      at: fc.nat(),
      remove: fc.nat({ max: 30 }),
      insert: fc.string({
        unit: fc.constantFrom('{', '}', '"', '\\', '.', '|', '(', ' ', '\n', 'x', '#', 'setting', '@'),
      }),
      offsets: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(edit, ({ map, at, remove, insert, offsets }) => {
        const original = MAPS[map]!;
        const pos = at % (original.length + 1);
        const text = original.slice(0, pos) + insert + original.slice(pos + remove);
        const doc = new DocumentTokens(text);
        for (const o of offsets) {
          const offset = o % (text.length + 1);
          const hover = hoverAt(doc, offset);
          if (hover) inside(hover.range, text);
          const completions = completionsAt(doc, offset);
          inside(completions.range, text);
          const target = definitionAt(doc, offset);
          if (target) inside(target, text);
        }
      }),
      { numRuns: 120, seed: 8080 },
    );
  });
});

describe('declared symbols', () => {
  it('reads settings, secrets and tables with their info, and skips broken declarations', () => {
    const doc = new DocumentTokens(
      'setting a: int = 3 required { title "A" description "The \\"a\\"" }\nsetting broken int\nsecret s { title "S" }\ntable t { "x" => "y" default "z" }\nstream q { map { x = setting.a } }\n',
    );
    const symbols = declaredSymbols(doc);
    expect(symbols.settings.map((s) => [s.name, s.type, s.default, s.required, s.title, s.description])).toEqual([
      ['a', 'int', '3', true, 'A', 'The "a"'],
    ]);
    expect(symbols.secrets.map((s) => [s.name, s.title])).toEqual([['s', 'S']]);
    expect(symbols.tables.map((t) => [t.name, t.entries, t.default])).toEqual([['t', [['x', 'y']], 'z']]);
  });

  it('reads a list table: its lists as written, its entries after them', () => {
    const doc = new DocumentTokens('table t {\n  "a" => ["x", "y"]\n  "b" => []\n  "c" => "z"\n  default ["d"]\n}\n');
    expect(declaredSymbols(doc).tables.map((t) => [t.name, t.entries, t.default])).toEqual([
      [
        't',
        [
          ['a', '["x", "y"]'],
          ['b', '[]'],
          ['c', 'z'],
        ],
        '["d"]',
      ],
    ]);
  });

  it('does not take a reference or a path segment for a declaration', () => {
    const doc = new DocumentTokens('stream q { map { a.setting = b\nc = setting.x } }\nsetting x: bool\n');
    expect(declaredSymbols(doc).settings.map((s) => s.name)).toEqual(['x']);
  });
});

describe('ECS release of the document', () => {
  const map = MAPS[2]!.replace('integration enpass {\n', 'integration enpass {\n  ecs "8.11.0"\n');
  const source = map.replace(
    '    service.name    = component',
    '    process.pgid = component\n    service.name    = component',
  );

  it('reads `ecs "VERSION"`, not the ecs.version path', () => {
    expect(source).toContain('ecs "8.11.0"');
    expect(declaredSymbols(new DocumentTokens(source)).ecsVersion).toBe('8.11.0');
    expect(declaredSymbols(new DocumentTokens('stream q { map { ecs.version = "x" } }')).ecsVersion).toBeUndefined();
  });

  it('hovers and completes fields of that release', () => {
    const doc = new DocumentTokens(source);
    const hover = hoverAt(doc, source.indexOf('process.pgid') + 'process.p'.length);
    expect(hover?.markdown).toMatch(/^\*\*process\.pgid\*\* `long` — ECS 8\.11\.0/);
    const plain = MAPS[2]!.replace(
      '    service.name    = component',
      '    process.pgid = component\n    service.name    = component',
    );
    expect(hoverAt(new DocumentTokens(plain), plain.indexOf('process.pgid') + 'process.p'.length)).toBeUndefined();
    const at = source.indexOf('process.pgid') + 'process.'.length;
    const labels = completionsAt(doc, at).items.map((c) => c.label);
    expect(labels).toContain('pgid');
    const plainAt = plain.indexOf('process.pgid') + 'process.'.length;
    const plainLabels = completionsAt(new DocumentTokens(plain), plainAt).items.map((c) => c.label);
    expect(plainLabels).not.toContain('pgid');
  });
});

describe('completion corner cases', () => {
  it('offers the declaration keywords at the top level and after a finished declaration', () => {
    const labels = (text: string) => completionsAt(new DocumentTokens(text), text.length).items.map((i) => i.label);
    expect(labels('')).toEqual(['integration', 'setting', 'secret', 'table', 'stream', 'defaults']);
    expect(labels('secret k\nse')).toEqual(expect.arrayContaining(['setting', 'secret', 'stream']));
  });

  it('offers setting types, auth kinds and conditions where the grammar wants them', () => {
    const labels = (text: string) => completionsAt(new DocumentTokens(text), text.length).items.map((i) => i.label);
    expect(labels('setting a: ')).toEqual(['string', 'url', 'duration', 'timestamp', 'int', 'bool']);
    expect(labels('stream s { auth ')).toEqual(['header', 'bearer', 'basic', 'token_exchange', 'oauth2']);
    expect(labels('defaults { auth ')).toEqual(['header', 'bearer', 'basic', 'token_exchange', 'oauth2']);
    expect(labels('defaults { ')).toEqual(expect.arrayContaining(['auth', 'request', 'paginate', 'cursor', 'retry']));
    expect(labels('stream s { map { a = b when ')).toEqual(expect.arrayContaining(['exists', 'not', 'setting']));
    expect(labels('stream s { map { a = b | date(')).toEqual(['iso8601', 'unix_ms', 'unix']);
  });

  it('completes ECS names at the start of a rule and after @', () => {
    const text = 'stream s { map {\n    @ti';
    const result = completionsAt(new DocumentTokens(text), text.length);
    expect(result.items.map((i) => i.label)).toContain('@timestamp');
    expect(result.range).toEqual({ start: text.length - 3, end: text.length });
  });
});
