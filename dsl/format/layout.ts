/**
 * Lines of a formatted map and how they are laid out: indentation, column alignment and the
 * column of trailing comments. The printer (`dsl/format/printer.ts`) decides what goes on which
 * line; this module decides only where on the line it goes.
 *
 * Alignment (`docs/language.md`, "Canonical layout"), in the manner of elastic tabstops / Go's
 * `text/tabwriter`: the items of a block that sit on consecutive lines (own-line comments do not
 * break the run, a blank line or a different kind of item does) form a run; each line is a list of
 * cells, and cell `k` of every line of the run that has a cell after it is padded to the widest
 * such cell. A cell wider than {@link ALIGN_LIMIT} is not padded and does not widen the column
 * (nor do later cells of its line), so one long name does not push a whole block to the right.
 *
 * Widths are counted in Unicode code points.
 *
 * @module
 */

/** Spaces per indentation level. */
export const INDENT = 2;

/** Cells wider than this (code points) stay out of their column's alignment. */
export const ALIGN_LIMIT = 32;

export interface Line {
  /** Indentation in levels. */
  readonly indent: number;
  /** The line's text in cells; a line that is not aligned has one cell. */
  readonly cells: string[];
  /**
   * Columns whose cells are padded on the left (right-aligned): the operator column of rules, so
   * that `=` lines up under the `=` of `+=`.
   */
  readonly right: ReadonlySet<number>;
  /** Lines align only with lines of the same key; `undefined`: never aligned. */
  align: string | undefined;
  /** A trailing comment (`# ...`), written after the cells. */
  comment: string | undefined;
  /** A blank line comes before this one. */
  readonly blank: boolean;
  /** An own-line comment: `cells[0]` is the comment. */
  readonly isComment: boolean;
  /** Trailing comments are aligned within one unit (a top-level declaration). */
  readonly unit: number;
}

function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Runs of lines that align together (indices into `lines`). */
function runs(lines: readonly Line[]): number[][] {
  const out: number[][] = [];
  let run: number[] = [];
  let key: string | undefined;
  let indent = -1;
  const close = (): void => {
    if (run.length > 1) out.push(run);
    run = [];
    key = undefined;
  };
  lines.forEach((line, i) => {
    if (line.blank) close();
    if (line.isComment) {
      if (line.indent !== indent) close();
      return;
    }
    if (line.align === undefined || line.align !== key || line.indent !== indent) close();
    if (line.align !== undefined) {
      key = line.align;
      indent = line.indent;
      run.push(i);
    } else {
      indent = -1;
    }
  });
  close();
  return out;
}

/** The padding after each cell of each line (`pads[i][k]`: spaces added after cell k of line i). */
function padding(lines: readonly Line[]): Map<number, number[]> {
  const pads = new Map<number, number[]>();
  for (const run of runs(lines)) {
    const excluded = new Set<number>();
    const columns = Math.max(...run.map((i) => lines[i]!.cells.length)) - 1;
    for (let k = 0; k < columns; k++) {
      const members = run.filter((i) => lines[i]!.cells.length > k + 1 && !excluded.has(i));
      const cellWidth = (i: number): number => width(lines[i]!.cells[k]!);
      for (const i of members) if (cellWidth(i) > ALIGN_LIMIT) excluded.add(i);
      const aligned = members.filter((i) => !excluded.has(i));
      const column = Math.max(0, ...aligned.map(cellWidth));
      for (const i of aligned) {
        const p = pads.get(i) ?? [];
        p[k] = column - cellWidth(i);
        pads.set(i, p);
      }
    }
  }
  return pads;
}

/**
 * Renders lines to text: LF line ends, one blank line where `blank` is set (never first), no
 * trailing whitespace, a final line break (none for an empty file). Trailing comments of a unit
 * start one space after the longest line of that unit that carries one.
 */
export function renderLines(lines: readonly Line[]): string {
  const pads = padding(lines);
  const texts = lines.map((line, i) => {
    const indent = ' '.repeat(INDENT * line.indent);
    if (line.isComment) return indent + line.cells[0]!;
    const p = pads.get(i) ?? [];
    let text = '';
    line.cells.forEach((cell, k) => {
      const pad = ' '.repeat(p[k] ?? 0);
      if (k > 0) text += ' ';
      text += line.right.has(k) ? pad + cell : cell + pad;
    });
    return indent + text;
  });
  const commentColumn = new Map<number, number>();
  lines.forEach((line, i) => {
    if (line.comment === undefined) return;
    commentColumn.set(line.unit, Math.max(commentColumn.get(line.unit) ?? 0, width(texts[i]!) + 1));
  });
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (line.blank && out.length > 0) out.push('');
    let text = texts[i]!;
    if (line.comment !== undefined) {
      text += ' '.repeat((commentColumn.get(line.unit) ?? 0) - width(text)) + line.comment;
    }
    out.push(text);
  });
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
