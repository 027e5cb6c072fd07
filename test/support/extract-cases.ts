/**
 * `extract` cases with their expected captures written by hand from the subset's meaning
 * (docs/language.md "extract"), each chosen where engines' own regex dialects differ: ASCII
 * shorthands (Rust's and Joni's are Unicode), `.` and `\r` (JavaScript's `.` excludes it), text
 * anchors (Joni's `^ $` are line anchors), leftmost-first alternation (not POSIX longest), code
 * points, groups that take no part, and pattern text that is syntax in some output (`${`, `%{`,
 * `{{`, quotes, backslashes). One rule per case, under the Endor Labs namespace, reading the
 * case's own field, so every engine runs all cases in one batch.
 *
 * @module
 */
import { parseRegex } from '../../dsl/regex.ts';
import type { IntegrationIR, RuleIR, StreamIR } from '../../compiler/ir.ts';
import { bundledMaps } from '../agreement/maps.ts';

/** A pattern, a record value, and the capture (named groups: their object; undefined: the rule fails). */
export type ExtractCase = readonly [
  pattern: string,
  value: unknown,
  capture: string | Readonly<Record<string, string>> | undefined,
];

export const EXTRACT_CASES: readonly ExtractCase[] = [
  ['from ([0-9.]+) port', 'conn from 10.0.0.1 port 22', '10.0.0.1'],
  ['(a|ab)(?:c|bcd)', 'abcd', 'a'],
  ['(a+?)b', 'aaab', 'aaa'],
  ['(a{2,3})', 'aaaa', 'aaa'],
  ['(a{2,3}?)', 'aaaa', 'aa'],
  ['(?:ab)+(c)', 'xababc', 'c'],
  ['(\\d+)', '\u0663\u0664 12', '12'],
  ['(\\w+)', 'é\u00e9a_1', 'a_1'],
  ['(\\s+)x', '\u00a0\u2003 \tx', ' \t'],
  ['(\\S+)', '\u00a0ab', '\u00a0ab'],
  ['(.+)', 'a\rb\u2028c\nd', 'a\rb\u2028c'],
  ['^(\\w+)', 'x\nyz', 'x'],
  ['^(y)', 'x\ny', undefined],
  ['(\\w)$', 'ab\n', undefined],
  ['(b)$', 'ab', 'b'],
  ['(.)', '😀x', '😀'],
  ['(.{2})$', 'a😀é', '😀é'],
  ['x(a)?|y', 'y', undefined],
  ['(a*)', 'bbb', undefined],
  ['\\$\\{(\\w+)\\}', 'x ${HOME} y', 'HOME'],
  ['%\\{(\\w+)\\}', '%{a}', 'a'],
  ['\\{\\{(\\w+)\\}\\}', '{{x}}', 'x'],
  ['\'(\\w+)"', 'say \'q" now', 'q'],
  ['\\\\(\\w+)', 'a\\b', 'b'],
  ['([^a-c]+)', 'abcdé', 'dé'],
  ['([\\d.-]+)', 'v-1.2', '-1.2'],
  ['(é+)', 'aéé', 'éé'],
  ['([A-Z]\\w*)', 5, undefined],
  ['\\t(\\x41+)\\u{1F600}', '\tAA😀', 'AA'],
  ['(?:code|status)[:=]\\s*(\\d{3})$', 'status= 404', '404'],
  // Named groups: the object of those that captured text.
  ['(?<user>\\w+)@(?<domain>[\\w.]+)', 'mail bob@example.org now', { user: 'bob', domain: 'example.org' }],
  ['(?<a>x)|(?<b>y)', 'zy', { b: 'y' }],
  ['(?<a>x*)(?<b>y)', 'y', { b: 'y' }],
  ['(?<a>q)', 'z', undefined],
  ['(?<a>a*)', 'b', undefined],
  ['(?<v>.)(?<t>\\$\\{x\\})', '😀${x}', { v: '😀', t: '${x}' }],
];

/** The Endor Labs map with one `extract` rule per case (`p0`, `p1`, ... into `extract_0`, ...) and the records. */
export function extractCaseMap(): { ir: IntegrationIR; stream: StreamIR; records: Record<string, unknown>[] } {
  const ir = bundledMaps().find((m) => m.ir.name === 'endor_labs')!.ir;
  const base = ir.streams[0] as StreamIR;
  const ns = base.mapping.namespace;
  const rules: RuleIR[] = EXTRACT_CASES.map(([pattern], i) => {
    const regex = parseRegex(pattern);
    if (regex.kind !== 'regex') throw new Error(`${pattern}: ${regex.message}`);
    return {
      destination: [...ns, `extract_${i}`],
      destinationType: { ecsType: 'keyword', array: false, vendor: true },
      op: 'set',
      value: { kind: 'field', path: [`p${i}`], transforms: [{ kind: 'extract', pattern, regex }] },
      loc: base.loc,
    };
  });
  const stream: StreamIR = {
    ...base,
    mapping: { namespace: ns, keepUnmapped: true, rules, remove: [], consumed: [] },
  };
  const records = EXTRACT_CASES.map(([, value], i) => ({ id: `r${i}`, [`p${i}`]: value }));
  return { ir: { ...ir, streams: [stream] }, stream, records };
}

/**
 * What a document shows of case `i`: the capture written under the namespace, or `undefined`
 * with the rule's error in `error.message`; a document that shows neither says so.
 */
export function extractOutcome(doc: Record<string, unknown>, i: number): unknown {
  const ns = (doc['endor_labs'] as Record<string, Record<string, unknown>> | undefined)?.['audit'];
  const value = ns?.[`extract_${i}`];
  const errors = ((doc['error'] as Record<string, unknown> | undefined)?.['message'] ?? []) as unknown[];
  const failed = (Array.isArray(errors) ? errors : [errors]).some((m) => String(m).endsWith(`.extract_${i}`));
  if ((typeof value === 'string' || (typeof value === 'object' && value !== null)) && !failed) return value;
  if (value === undefined && failed) return undefined;
  return 'neither';
}
