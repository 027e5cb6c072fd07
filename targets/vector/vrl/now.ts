/**
 * The VRL of a `now` test (compiler/ir.ts `ConditionIR` `now`: `published < now - 30d`): one block
 * expression, so that it stands wherever a condition does (`if`, `&&`, `||`, `!`):
 *
 * ```
 * { mapc_now_s = string(<value>) ?? ""; mapc_now_ok = false; mapc_now_ms = 0
 *   if match(mapc_now_s, r'<format 1>') { mapc_now_t, mapc_now_e = parse_timestamp(...); ... }
 *   if !mapc_now_ok && match(mapc_now_s, r'<format 2>') { ... }
 *   mapc_now_ok && mapc_now_ms < to_unix_timestamp(now(), unit: "milliseconds") - 2592000000 }
 * ```
 *
 * Each format is tried only on the exact text the interpreter reads (the `date` transform's
 * regexes and `parse_timestamp` calls, `./typed.ts` `dateParse`), the first that parses winning,
 * and only an instant within years 0000-9999 counts (MIN_MS/MAX_MS). A value that is not a string
 * reads as `""`, which no format's regex matches (each wants a field's digits). Now is VRL's
 * `now()` (https://vector.dev/docs/reference/vrl/functions/#now, VRL 0.25), compared in integer
 * milliseconds (`to_unix_timestamp`, which floors like the interpreter's reading). The block's
 * variables are assigned before they are read, so every `now` test of a program reuses them.
 *
 * @module
 */
import type { CompareOpIR, ConditionIR } from '../../../compiler/ir.ts';
import type { Span } from '../../../dsl/diagnostics.ts';
import { vrlRegex } from '../quote.ts';
import { MAX_MS, MIN_MS } from './functions.ts';
import { dateParse } from './typed.ts';

const OPERATOR: Readonly<Record<CompareOpIR, string>> = { lt: '<', le: '<=', gt: '>', ge: '>=' };

/** The block expression of a `now` test on the VRL value `value` (any type). */
export function nowTestText(c: Extract<ConditionIR, { kind: 'now' }>, value: string, at: Span): string {
  const where = c.loc ?? at;
  const attempts = c.formats.map((format, i) => {
    const { parse, regex } = dateParse(format, 'mapc_now_s', where);
    const body =
      `mapc_now_t, mapc_now_e = ${parse}; ` +
      'mapc_now_ms = to_unix_timestamp(mapc_now_t, unit: "milliseconds"); ' +
      `mapc_now_ok = mapc_now_e == null && mapc_now_ms >= ${MIN_MS} && mapc_now_ms <= ${MAX_MS}`;
    const guard = `${i === 0 ? '' : '!mapc_now_ok && '}match(mapc_now_s, ${vrlRegex(regex)})`;
    return `if ${guard} { ${body} }`;
  });
  const offset = c.offsetMs === 0 ? '' : c.offsetMs < 0 ? ` - ${-c.offsetMs}` : ` + ${c.offsetMs}`;
  const test = `mapc_now_ok && mapc_now_ms ${OPERATOR[c.op]} to_unix_timestamp(now(), unit: "milliseconds")${offset}`;
  return `({ mapc_now_s = string(${value}) ?? ""; mapc_now_ok = false; mapc_now_ms = 0; ${attempts.join('; ')}; ${test} })`;
}
