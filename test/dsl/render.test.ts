import { describe, expect, it } from 'vitest';
import { diagnostic, type Span } from '../../dsl/diagnostics.ts';
import { MAX_SECONDARY_SHOWN, renderDiagnostics, renderDiagnosticsJson } from '../../dsl/render.ts';

const source = ['first line', '\tindented = x', 'third', 'fourth', '', 'sixth'].join('\n');
const sources = new Map([['a.map', source]]);
const span = (line: number, column: number, length: number, file = 'a.map'): Span => ({
  file,
  line,
  column,
  length,
  offset: 0,
});

describe('renderDiagnostics', () => {
  it('renders nothing for no diagnostics', () => {
    expect(renderDiagnostics([], sources)).toBe('');
  });

  it('expands tabs to 4 spaces and keeps the marker under the token', () => {
    const d = diagnostic('E0004', 'error', 'expected "==", found "="', {
      span: span(2, 11, 1),
      message: 'expected "=="',
    });
    expect(renderDiagnostics([d], sources)).toBe(
      [
        'error[E0004]: expected "==", found "="',
        ' --> a.map:2:11',
        '  |',
        '2 |     indented = x',
        '  |              ^ expected "=="',
        '',
      ].join('\n'),
    );
  });

  it('shows secondary labels with - in line order, ... for skipped lines, then notes; widens the gutter', () => {
    const long = `${'x\n'.repeat(11)}second title\n`;
    const d = diagnostic(
      'E0007',
      'error',
      '"title" is given twice',
      { span: span(12, 1, 6, 'b.map'), message: 'again' },
      { secondary: [{ span: span(1, 1, 1, 'b.map'), message: 'first' }], notes: ['help: keep one', 'note: n'] },
    );
    expect(renderDiagnostics([d], new Map([['b.map', long]]))).toBe(
      [
        'error[E0007]: "title" is given twice',
        '  --> b.map:12:1',
        '   |',
        ' 1 | x',
        '   | - first',
        '...',
        '12 | second title',
        '   | ^^^^^^ again',
        '   = help: keep one',
        '   = note: n',
        '',
      ].join('\n'),
    );
  });

  it('separates diagnostics with a blank line and never leaves trailing whitespace', () => {
    const a = diagnostic('E0001', 'error', 'unexpected character ";"', { span: span(5, 1, 0), message: '' });
    const b = diagnostic('W0118', 'warning', 'stream sets no @timestamp', {
      span: span(3, 1, 5),
      message: 'this stream',
    });
    const text = renderDiagnostics([a, b], sources);
    expect(text.split('\n').filter((l) => l !== l.trimEnd())).toEqual([]);
    expect(text).toContain('5 |\n  | ^\n\nwarning[W0118]: stream sets no @timestamp');
  });

  it('clips a marker at the end of its line and marks at least one column', () => {
    const d = diagnostic('E0002', 'error', 'm', { span: span(3, 3, 50), message: 'l' });
    expect(renderDiagnostics([d], sources)).toContain('3 | third\n  |   ^^^ l');
    const zero = diagnostic('E0005', 'error', 'm', { span: span(3, 6, 0), message: 'here' });
    expect(renderDiagnostics([zero], sources)).toContain('  |      ^ here');
  });

  it('lists labels it cannot show (unknown file, other file) with their location', () => {
    const d = diagnostic(
      'E0114',
      'error',
      'duplicate declaration',
      { span: span(1, 1, 5, 'missing.map'), message: 'here' },
      { secondary: [{ span: span(3, 1, 5), message: 'also here' }] },
    );
    expect(renderDiagnostics([d], sources)).toBe(
      [
        'error[E0114]: duplicate declaration',
        ' --> missing.map:1:1',
        '  = here missing.map:1:1: here',
        '  = see a.map:3:1: also here',
        '',
      ].join('\n'),
    );
  });
  it('shows at most MAX_SECONDARY_SHOWN secondary labels and counts the rest; the JSON keeps all', () => {
    // 10,000 labels on one 100,000-character line rendered ~1 GB before (the map fuzzer found it).
    const line = 'x'.repeat(100_000);
    const many = new Map([['long.map', line]]);
    const labels = Array.from({ length: 10_000 }, (_, i) => ({
      span: span(1, 1 + i * 10, 1, 'long.map'),
      message: `place ${i}`,
    }));
    const d = diagnostic(
      'W0129',
      'warning',
      'many places',
      { span: span(1, 1, 1, 'long.map'), message: 'here' },
      {
        secondary: labels,
      },
    );
    const text = renderDiagnostics([d], many);
    expect(text.length).toBeLessThan(20 * 100_000);
    expect(text.match(/ place \d+$/gm)).toHaveLength(MAX_SECONDARY_SHOWN);
    expect(text).toContain(
      `= note: ${10_000 - MAX_SECONDARY_SHOWN} more places not shown (mapc check --format json lists all)`,
    );
    const json = JSON.parse(renderDiagnosticsJson([d])) as { secondary: unknown[] }[];
    expect(json[0]!.secondary).toHaveLength(10_000);
  });
});

describe('renderDiagnosticsJson', () => {
  it('prints a stable array with a fixed key order', () => {
    const d = diagnostic(
      'E0006',
      'error',
      'bad',
      { span: { file: 'a.map', offset: 3, length: 2, line: 1, column: 4 }, message: 'lbl' },
      { notes: ['help: h'] },
    );
    const text = renderDiagnosticsJson([d]);
    expect(JSON.parse(text)).toEqual([
      {
        code: 'E0006',
        severity: 'error',
        message: 'bad',
        primary: { file: 'a.map', line: 1, column: 4, offset: 3, length: 2, message: 'lbl' },
        secondary: [],
        notes: ['help: h'],
      },
    ]);
    expect(text.indexOf('"code"')).toBeLessThan(text.indexOf('"severity"'));
    expect(text.endsWith(']\n')).toBe(true);
    expect(renderDiagnosticsJson([])).toBe('[]\n');
  });
});
