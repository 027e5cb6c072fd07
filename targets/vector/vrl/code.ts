/**
 * A tiny VRL code builder: fresh variable names and indented blocks.
 *
 * VRL facts that shape the generated code (checked on VRL 0.25 through `@bpinternal/verel`):
 * - a variable first assigned inside a block is local to it, so results and flags are assigned
 *   before the `if` that may change them;
 * - an unused variable is warning 900, and handling the error of an expression VRL can prove
 *   infallible is error 104, so every value read from the record is typed `any` (read through
 *   `get(...) ?? null`) and each function starts from such an `any` value.
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

/** Longest line {@link compact} writes on one line. */
const ONE_LINE = 160;

/**
 * Like {@link block}, but on one line when the body (and the else body) is one short line:
 * `if a { b } else { c }`; an else body of one line stays on the closing line (`} else { c }`),
 * and one that is itself an `if` line chains as `else if`.
 */
export function compact(head: string, body: Lines, elseBody?: Lines): string[] {
  const elseLine = elseBody?.length === 1 ? elseBody[0] : undefined;
  const hasElse = elseBody !== undefined && elseBody.length > 0;
  const elsePart =
    elseLine === undefined ? undefined : elseLine.startsWith('if ') ? `else ${elseLine}` : `else { ${elseLine} }`;
  if (body.length === 1 && (!hasElse || elsePart !== undefined)) {
    const line = `${head} { ${body[0]} }${elsePart ? ` ${elsePart}` : ''}`;
    if (line.length <= ONE_LINE) return [line];
  }
  if (elseLine !== undefined && elseLine.startsWith('if ')) return [`${head} {`, ...indent(body), `} else ${elseLine}`];
  if (elsePart !== undefined && elsePart.length <= ONE_LINE) return [`${head} {`, ...indent(body), `} ${elsePart}`];
  return block(head, body, elseBody);
}

/** `if head { body } else if elseHead { elseBody }`, each part on one line when short, else as blocks. */
export function ifElseIf(head: string, body: Lines, elseHead: string, elseBody: Lines): string[] {
  const tail = compact(elseHead, elseBody);
  if (tail.length === 1) return compact(head, body, tail);
  return [`${head} {`, ...indent(body), `} else ${tail[0] ?? ''}`, ...tail.slice(1)];
}
