/**
 * One mistake, one error: each cascade of issue 10 (item 8) on a bundled map gives exactly one
 * diagnostic, at the mistake's line and column, and none on the correct lines after it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { parseMap } from '../../dsl/index.ts';

const entro = readFileSync('maps/entro.map', 'utf8');

/** `maps/entro.map` with `from` (which must occur once) replaced by `to`. */
function edited(from: string, to: string): string {
  expect(entro.split(from)).toHaveLength(2);
  return entro.replace(from, to);
}

/** 1-based line of the first occurrence of `text` in `source`. */
function lineOf(source: string, text: string): number {
  return source.slice(0, source.indexOf(text)).split('\n').length;
}

function only(source: string): Diagnostic {
  const { ast, diagnostics } = parseMap(source, 'entro.map');
  expect(ast).toBeUndefined();
  expect(diagnostics.map((d) => `${d.primary.span.line}:${d.primary.span.column} ${d.message}`)).toHaveLength(1);
  return diagnostics[0]!;
}

function at(d: Diagnostic): [string, string, number, number] {
  return [d.code, d.primary.span.file, d.primary.span.line, d.primary.span.column];
}

describe('one mistake gives one error', () => {
  it('a misspelt keyword (paginte) is one error with "did you mean `paginate`"', () => {
    const source = edited('  paginate time_window {', '  paginte time_window {');
    const d = only(source);
    expect(at(d)).toEqual(['E0004', 'entro.map', lineOf(source, 'paginte'), 3]);
    expect(d.message).toContain('found "paginte"');
    expect(d.notes).toEqual(['help: did you mean "paginate"?']);
  });

  it('a misspelt declaration keyword (strem) is one error with "did you mean `stream`"', () => {
    const source = edited('stream audit {', 'strem audit {');
    const d = only(source);
    expect(at(d)).toEqual(['E0004', 'entro.map', lineOf(source, 'strem'), 1]);
    expect(d.notes).toEqual(['help: did you mean "stream"?']);
  });

  it('`in` with parentheses is one error at the parenthesis, with the bracket form as help', () => {
    const source = edited(
      'event.action          = "secret-exposed" when exists results.secrets.secret_type',
      'event.action          = "secret-exposed" when date in ("a", "b")',
    );
    const d = only(source);
    const line = lineOf(source, 'when date in');
    const text = source.split('\n')[line - 1]!;
    expect(at(d)).toEqual(['E0004', 'entro.map', line, text.indexOf(' in (') + 5]);
    expect(d.notes).toEqual(['help: the values of `in` are a list in brackets: `action in ["login", "logout"]`']);
  });

  it('a condition missing its operand after `and` is one error at the token after it', () => {
    const line = '    event.kind            = "alert" when exists results.secrets.secret_type\n';
    const source = edited(line, line.replace('\n', ' and\n'));
    const d = only(source);
    expect(d.code).toBe('E0004');
    expect(d.primary.span.line).toBe(lineOf(source, 'secret_type and') + 1);
    expect(d.notes).toEqual([
      `note: the condition ending with "and" on line ${lineOf(source, 'secret_type and')} goes on here`,
    ]);
  });

  it('an unclosed parenthesis in a condition is one error', () => {
    const line = '    event.kind            = "alert" when exists results.secrets.secret_type\n';
    const source = edited(line, line.replace('when exists', 'when (exists'));
    const { diagnostics } = parseMap(source, 'entro.map');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain('")"');
  });

  it('a YAML-style `name: value` item is one error with a help', () => {
    const source = edited('  records $\n', '  records: $\n');
    const d = only(source);
    expect(at(d)).toEqual(['E0004', 'entro.map', lineOf(source, 'records:'), 10]);
    expect(d.notes).toEqual(['help: items are written without a colon: `records ...`, not `records: ...`']);
  });

  it('YAML-style items on several lines give one error each, none on the correct lines between', () => {
    const source = edited('  title    "Audit logs"', '  title: "Audit logs"').replace(
      '  records $\n',
      '  records: $\n',
    );
    const { diagnostics } = parseMap(source, 'entro.map');
    expect(diagnostics.map((d) => [d.primary.span.line, d.primary.span.column])).toEqual([
      [lineOf(source, 'title: "Audit'), 8],
      [lineOf(source, 'records:'), 10],
    ]);
  });

  it('a missing "}" of a JSON body is reported at the body\'s brace, naming the body', () => {
    const source = edited(
      '  request GET "{base_url}/v1/scan/auditLogs" {\n',
      '  request POST "{base_url}/v1/scan/auditLogs" {\n    body { "a": 1, "b": { "c": 2 }\n',
    );
    const d = only(source);
    const line = lineOf(source, 'body {');
    expect(at(d)).toEqual(['E0005', 'entro.map', line, 10]);
    expect(d.message).toBe(`the \`body {\` opened at ${line}:10 is not closed`);
    expect(d.secondary.map((l) => [l.span.line, l.span.column, l.message])).toEqual([
      [line + 1, 5, 'expected "}" before this'],
    ]);
  });

  it('an unclosed block names the construct and where it was opened', () => {
    const source = edited('    step   1d\n    format "dd/MM/yyyy"\n  }\n', '    step   1d\n    format "dd/MM/yyyy"\n');
    const d = only(source);
    const line = lineOf(source, 'paginate time_window {');
    expect(at(d)).toEqual(['E0005', 'entro.map', line, 24]);
    expect(d.message).toBe(`the \`paginate time_window {\` opened at ${line}:24 is not closed`);
    expect(d.secondary[0]!.span.line).toBe(lineOf(source, '  records $'));
  });

  it('two separate mistakes give two errors, each at its own line', () => {
    const source = edited('  paginate time_window {', '  paginte time_window {').replace(
      '    unmapped  keep',
      '    unmaped  keep',
    );
    const { diagnostics } = parseMap(source, 'entro.map');
    expect(diagnostics.map((d) => [d.code, d.primary.span.line, d.primary.span.column])).toEqual([
      ['E0004', lineOf(source, 'paginte'), 3],
      ['E0004', lineOf(source, 'unmaped'), 5],
    ]);
    expect(diagnostics[1]!.notes).toEqual(['help: did you mean "unmapped"?']);
  });

  it('the bundled maps parse without a diagnostic (recovery never touches a valid map)', () => {
    for (const f of ['maps/entro.map', 'maps/endor_labs.map', 'maps/enpass.map']) {
      const { ast, diagnostics } = parseMap(readFileSync(f, 'utf8'), f);
      expect(diagnostics).toEqual([]);
      expect(ast).toBeDefined();
    }
  });

  it('an unclosed stream followed by another declaration is closed before it, not at the end', () => {
    const source = 'stream a {\n  interval 5m\n\nstream b {\n  interval 5m\n}\n';
    const { diagnostics } = parseMap(source, 'u.map');
    expect(diagnostics.map((d) => [d.code, d.primary.span.line, d.primary.span.column, d.message])).toEqual([
      ['E0005', 1, 10, 'the `stream a {` opened at 1:10 is not closed'],
    ]);
    expect(diagnostics[0]!.secondary.map((l) => [l.span.line, l.span.column])).toEqual([[4, 1]]);
  });

  it('an unclosed block inside a stream is blamed, not the stream whose "}" is there', () => {
    const source = 'stream a {\n  map {\n    event.kind = "event"\n  interval 5m\n}\n';
    const { diagnostics } = parseMap(source, 'u.map');
    expect(diagnostics.map((d) => [d.code, d.primary.span.line, d.primary.span.column, d.message])).toEqual([
      ['E0005', 2, 7, 'the `map {` opened at 2:7 is not closed'],
    ]);
  });

  it('balanced braces are never blamed, however they are indented', () => {
    const source = 'stream a {\n      map {\n  event.kind = "event"\n}\n      interval 5m\n    }\n';
    const { ast, diagnostics } = parseMap(source, 'u.map');
    expect(diagnostics).toEqual([]);
    expect(ast).toBeDefined();
  });
});
