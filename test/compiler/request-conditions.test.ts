/**
 * Request items under a condition (`when window.complete`, `when setting.x`, `not`) and the first
 * run's start (`cursor { start setting.<timestamp|duration> }`, `start 30d`): syntax and lowering
 * (docs/language.md, "Request conditions", "Where the first run starts"). Their checks are in
 * test/compiler/rules/ (request-conditions, references, split-id).
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { parseMap } from '../../dsl/index.ts';
import type { CursorIR, NameValue } from '../../compiler/ir.ts';
import { brief } from './helpers.ts';
import { at } from './rules/support.ts';
import { windowed } from './rules/windowed.ts';

function compiled(source: string) {
  const result = compileSource(source, 'acme.map');
  expect(brief(result.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
  return result.ir!.streams[0]!;
}

describe('request conditions: syntax', () => {
  it('a condition that is not a word, a setting or not is E0004 naming the forms', () => {
    const source = windowed({ query: 'query "to" = "{window.end}" when "complete"' });
    const parsed = parseMap(source, 'test.map');
    expect(brief(parsed.diagnostics)).toEqual([
      `E0004 ${at(source, '"complete"')} expected a request condition (window.complete, setting.NAME or not ...), found the string "complete"`,
    ]);
  });
});

describe('lowering', () => {
  const query = (items: readonly NameValue[], name: string) => items.find((q) => q.name === name)!;

  it('window.complete, setting and not become RequestConditionIR', () => {
    const stream = compiled(
      windowed({
        query: 'query "to" = "{window.end}" when not not window.complete',
        header: 'header "X-Open" = "yes" optional when not setting.open_ended',
      }),
    );
    expect(query(stream.source.request.query, 'from').when).toBeUndefined();
    expect(query(stream.source.request.query, 'to').when).toEqual({
      kind: 'not',
      operand: { kind: 'not', operand: { kind: 'window_complete' } },
    });
    expect(query(stream.source.request.headers, 'X-Open')).toMatchObject({
      omitIfEmpty: true,
      when: { kind: 'not', operand: { kind: 'setting', name: 'open_ended' } },
    });
  });

  it('cursor start: a timestamp setting, a duration setting, a literal look-back, nothing', () => {
    const initial = (start: string) => (compiled(windowed({ start })).source.cursor as CursorIR).initial;
    expect(initial('start setting.backfill')).toEqual({ setting: 'backfill', lookbackSeconds: 0 });
    expect(initial('start setting.look_back')).toEqual({ lookbackSetting: 'look_back', lookbackSeconds: 0 });
    expect(initial('start 30d')).toEqual({ lookbackSeconds: 30 * 86_400 });
    expect(initial('')).toEqual({ lookbackSeconds: 0 });
  });
});
