/**
 * A tiny VRL code builder: fresh variable names and indented blocks.
 *
 * VRL facts that shape the generated code (checked on VRL 0.25 through `@bpinternal/verel`):
 * - a variable first assigned inside a block is local to it, so results and flags are assigned
 *   before the `if` that may change them;
 * - an unused variable is warning 900, and handling the error of an expression VRL can prove
 *   infallible is error 104, so every value read from the record is typed `any` (read through
 *   `get(...) ?? null`) and each transform starts from such an `any` value.
 *
 * @module
 */

/** Generated lines, without trailing newlines. */
export type Lines = readonly string[];

export class VrlCode {
  private counter = 0;

  /** A fresh variable name: `mapc_<hint>_<n>`. */
  fresh(hint: string): string {
    this.counter += 1;
    return `mapc_${hint}_${this.counter}`;
  }
}

/** `head {` + indented body + `}`; with `elseBody`, `} else {` + indented else body. */
export function block(head: string, body: Lines, elseBody?: Lines): string[] {
  const out = [`${head} {`, ...indent(body)];
  if (elseBody && elseBody.length > 0) out.push('} else {', ...indent(elseBody));
  out.push('}');
  return out;
}

export function indent(lines: Lines): string[] {
  return lines.map((l) => (l === '' ? l : `  ${l}`));
}
