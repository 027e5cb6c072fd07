/**
 * Plain-text tables for the human-readable report: first column left-aligned, the others
 * right-aligned (they hold numbers).
 *
 * @module
 */

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Milliseconds with 3 significant digits (`0.412`, `12.3`, `1234`). */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** A rate or count with thousands separators, no decimals (`12,345`); one decimal below 10. */
export function rate(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '-';
  if (value < 10) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

export function mib(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '-';
}
