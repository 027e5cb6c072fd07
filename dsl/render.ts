/**
 * The one diagnostic renderer: deterministic text (no trailing whitespace, no colours) for the
 * terminal and golden files, and stable JSON for `mapc check --format json`.
 *
 * Text layout (after rustc / VRL's formatter):
 *
 * ```text
 * error[E0004]: expected "=" after "string", found "required"
 *   --> maps/x.map:12:27
 *    |
 * 12 | setting namespace: string required =
 *    |                           ^^^^^^^^ expected "="
 *    = help: ...
 * ```
 *
 * The primary label is underlined with `^`, secondary labels with `-`; every labelled line of
 * the same file is shown in line order, `...` marks skipped lines. Tabs in source lines are
 * shown as 4 spaces (markers follow); control characters as U+FFFD. A label in another file, or in a file missing from
 * `sources`, is listed as a note with its `file:line:col`.
 *
 * @module
 */
import type { Diagnostic, Label, Span } from './diagnostics.ts';

const TAB = '    ';

/**
 * Control characters (but tab), DEL, C1 controls and U+2028/U+2029: a terminal would act on
 * them (an ESC starts a control sequence) or break the line. Map text reaches diagnostics in
 * source lines and in messages, so the renderer shows each as U+FFFD, one character for one
 * (columns and markers stay aligned).
 */
const INVISIBLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

function visible(text: string): string {
  return text.replace(INVISIBLE, '\ufffd');
}

function location(span: Span): string {
  return `${span.file}:${span.line}:${span.column}`;
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

interface Marked {
  readonly label: Label;
  readonly primary: boolean;
}

/**
 * The most secondary labels one rendered diagnostic shows; the rest are counted in a note. Each
 * label repeats its line's text up to its column, so thousands of labels on one long line (a
 * generated or hostile map) would render gigabytes. The JSON form keeps every label.
 */
export const MAX_SECONDARY_SHOWN = 16;

/** Renders one diagnostic (no trailing newline). */
function renderOne(d: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const out: string[] = [`${d.severity}[${d.code}]: ${visible(d.message)}`];
  const p = d.primary.span;
  const text = sources.get(p.file);
  const lines = text === undefined ? undefined : splitLines(text);
  const shown: Marked[] = [];
  const elsewhere: Marked[] = [];
  const secondary = d.secondary.slice(0, MAX_SECONDARY_SHOWN);
  const hidden = d.secondary.length - secondary.length;
  for (const m of [{ label: d.primary, primary: true }, ...secondary.map((label) => ({ label, primary: false }))]) {
    const s = m.label.span;
    if (lines !== undefined && s.file === p.file && s.line >= 1 && s.line <= lines.length) shown.push(m);
    else elsewhere.push(m);
  }
  const lineNumbers = [...new Set(shown.map((m) => m.label.span.line))].sort((a, b) => a - b);
  const width = String(Math.max(p.line, ...lineNumbers)).length;
  const pad = ' '.repeat(width);
  out.push(`${pad}--> ${location(p)}`);
  if (lines !== undefined && shown.length > 0) {
    out.push(`${pad} |`);
    let previous: number | undefined;
    for (const n of lineNumbers) {
      if (previous !== undefined && n > previous + 1) out.push('...');
      previous = n;
      const raw = visible(lines[n - 1] ?? '');
      out.push(`${String(n).padStart(width)} | ${raw.replaceAll('\t', TAB)}`.trimEnd());
      const here = shown
        .filter((m) => m.label.span.line === n)
        .sort((a, b) => Number(b.primary) - Number(a.primary) || a.label.span.column - b.label.span.column);
      for (const m of here) {
        const col = m.label.span.column;
        const before = raw.slice(0, col - 1).replaceAll('\t', TAB);
        const available = Math.max(1, raw.length - (col - 1));
        const length = Math.max(1, Math.min(m.label.span.length, available));
        const underlined = raw.slice(col - 1, col - 1 + length);
        const markerWidth = Math.max(1, underlined.replaceAll('\t', TAB).length);
        const marker = (m.primary ? '^' : '-').repeat(markerWidth);
        out.push(`${pad} | ${' '.repeat(before.length)}${marker} ${visible(m.label.message)}`.trimEnd());
      }
    }
  }
  for (const m of elsewhere) {
    out.push(`${pad} = ${m.primary ? 'here' : 'see'} ${location(m.label.span)}: ${visible(m.label.message)}`.trimEnd());
  }
  if (hidden > 0)
    out.push(
      `${pad} = note: ${hidden} more place${hidden === 1 ? '' : 's'} not shown (mapc check --format json lists all)`,
    );
  for (const note of d.notes) out.push(`${pad} = ${visible(note)}`.trimEnd());
  return out.join('\n');
}

/**
 * Renders diagnostics in the given order, separated by blank lines; `sources` maps each span's
 * `file` to its text. Returns `''` for no diagnostics, else text ending with one newline.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  if (diagnostics.length === 0) return '';
  return `${diagnostics.map((d) => renderOne(d, sources)).join('\n\n')}\n`;
}

function spanJson(span: Span): Record<string, unknown> {
  return { file: span.file, line: span.line, column: span.column, offset: span.offset, length: span.length };
}

/**
 * Stable JSON (2-space indent, fixed key order, trailing newline) for editors and CI: an array of
 * `{code, severity, message, primary: {file, line, column, offset, length, message},
 * secondary: [same shape], notes: [string]}`.
 */
export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  const shaped = diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    primary: { ...spanJson(d.primary.span), message: d.primary.message },
    secondary: d.secondary.map((l) => ({ ...spanJson(l.span), message: l.message })),
    notes: [...d.notes],
  }));
  return `${JSON.stringify(shaped, null, 2)}\n`;
}
