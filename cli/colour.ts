/**
 * Colour on a terminal. Whether to colour follows Node's own rules for its output
 * (https://github.com/nodejs/node/blob/v20.19.0/doc/api/cli.md, "FORCE_COLOR=[1, 2, 3]") and
 * https://no-color.org/:
 *
 * 1. `FORCE_COLOR` set to `1`, `2`, `3`, `true` or the empty string: colour, whatever else says;
 *    set to any other value (`0`, `false`): no colour.
 * 2. `NO_COLOR` set and not empty: no colour.
 * 3. Otherwise colour exactly when the stream is a terminal and `TERM` is not `dumb`.
 *
 * {@link colourDiagnostics} colours the text of `dsl/render.ts` after the fact, so that renderer
 * stays the one deterministic layout (golden files, `--format json`, pipes) and colour is only
 * ever added on top: removing the escapes gives back the exact plain text.
 *
 * @module
 */

/** The values of `FORCE_COLOR` that turn colour on (Node: 16, 256 or 16 million colours). */
const FORCE_ON: ReadonlySet<string> = new Set(['1', '2', '3', 'true', '']);

/** Whether to colour what is written to `stream` (see the module doc). */
export function colourEnabled(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return FORCE_ON.has(force);
  const noColour = env['NO_COLOR'];
  if (noColour !== undefined && noColour !== '') return false;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

/** SGR sequences (ECMA-48 "Select Graphic Rendition"). */
const SGR = {
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  cyan: '\u001b[36m',
  green: '\u001b[32m',
  reset: '\u001b[0m',
} as const;

export type Style = Exclude<keyof typeof SGR, 'reset'>;

/** `text` in `styles`, reset after it. */
export function paint(text: string, ...styles: Style[]): string {
  if (text === '' || styles.length === 0) return text;
  return `${styles.map((s) => SGR[s]).join('')}${text}${SGR.reset}`;
}

/** Removes every SGR sequence (what {@link paint} adds). */
export function stripColour(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

const HEADING = /^(error|warning)(\[[EW]\d{4}\])(:)(.*)$/;
const ARROW = /^(\s*)(-->)(.*)$/;
const GUTTER = /^(\s*\d*\s*)(\|)(.*)$/;
const NOTE = /^(\s*)(=)( (?:help|note|see|here)\b[^:]*:)?(.*)$/;

/**
 * Colours rendered diagnostics (`renderDiagnostics` text, several separated by blank lines):
 * `error[...]` red and `warning[...]` yellow, their message bold; `-->`, the line-number gutter
 * and `=` blue; markers under the primary span in the severity's colour, `-` markers blue.
 */
export function colourDiagnostics(text: string): string {
  let severity: 'red' | 'yellow' = 'red';
  return text
    .split('\n')
    .map((line) => {
      const heading = HEADING.exec(line);
      if (heading) {
        severity = heading[1] === 'error' ? 'red' : 'yellow';
        return `${paint(`${heading[1]}${heading[2]}`, 'bold', severity)}${paint(`${heading[3]}${heading[4]}`, 'bold')}`;
      }
      const arrow = ARROW.exec(line);
      if (arrow) return `${arrow[1]}${paint(arrow[2]!, 'bold', 'blue')}${arrow[3]}`;
      const gutter = GUTTER.exec(line);
      if (gutter) {
        const rest = gutter[3]!;
        // Marker lines have an empty gutter; a numbered line is source text, never coloured.
        const markers = /\d/.test(gutter[1]!) ? null : /^(\s*)(\^+|-+)(.*)$/.exec(rest);
        const body = markers
          ? `${markers[1]}${paint(`${markers[2]}${markers[3]}`, 'bold', markers[2]!.startsWith('^') ? severity : 'blue')}`
          : rest;
        return `${paint(`${gutter[1]}${gutter[2]}`, 'bold', 'blue')}${body}`;
      }
      const note = NOTE.exec(line);
      if (note) return `${note[1]}${paint(note[2]!, 'bold', 'blue')}${note[3] ? paint(note[3], 'bold') : ''}${note[4]}`;
      return line;
    })
    .join('\n');
}

/** Colours a one-line CLI message `error: ...` / `warning: ...` (see `cliError`). */
export function colourMessage(text: string): string {
  const m = /^(error|warning)(:)/.exec(text);
  if (!m) return text;
  return `${paint(m[1]!, 'bold', m[1] === 'error' ? 'red' : 'yellow')}${paint(m[2]!, 'bold')}${text.slice(m[0].length)}`;
}
