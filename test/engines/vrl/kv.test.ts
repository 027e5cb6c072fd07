/**
 * `kv` on both real VRL runtimes (verel, VRL 0.25 in WASM; the native `vrl` CLI 0.38): the remap
 * compiles without error or warning, and each hand-written text gives its hand-written object (or
 * fails the rule), for the default separators, `kv(";", ":")` and `kv(", ", "=>")`: the shape guard
 * (`kvShapeRegex`) in front of `parse_key_value(..., whitespace: "strict")`. The same cases on the
 * reference interpreter, so the three agree by construction of the expectations.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { baseMap } from '../../compiler/helpers.ts';
import { remapOf, RUNTIMES } from './harness.ts';

const FAIL = 'fail';

/** [text, separators, the object or FAIL] */
const CASES: readonly [string, 'd0' | 'd1' | 'd2', Record<string, unknown> | typeof FAIL][] = [
  ['user=alice action=login ip=10.0.0.1', 'd0', { user: 'alice', action: 'login', ip: '10.0.0.1' }],
  ['a=1 a=2 a=1', 'd0', { a: ['1', '2', '1'] }],
  ['a=b=c x==y', 'd0', { a: 'b=c', x: '=y' }],
  ['k[x]=(v) q=<z>', 'd0', { 'k[x]': '(v)', q: '<z>' }],
  ['é=日本 😀=x', 'd0', { é: '日本', '😀': 'x' }],
  // Where parse_key_value alone would differ from the rule: each fails.
  ['a= b=2', 'd0', FAIL], // lenient: {"a": "b=2"}; strict: {"a": ""}
  ['a=1 b', 'd0', FAIL], // a standalone key: {"b": true}
  ['a=1  b=2', 'd0', FAIL], // runs of spaces are one delimiter
  [' a=1', 'd0', FAIL], // leading spaces are eaten
  ['a="x y"', 'd0', FAIL], // quoted values
  ['a=x\u00a0', 'd0', FAIL], // values are trimmed of Unicode whitespace
  ['a.b=1', 'd0', FAIL], // the ingest processor would nest it
  ['', 'd0', FAIL],
  ['a:1;b:x:y', 'd1', { a: '1', b: 'x:y' }],
  ['a:1;', 'd1', FAIL], // parse_key_value errors on the trailing delimiter; ingest would accept it
  ['a:1;;b:2', 'd1', FAIL],
  ['a=>1, b=>2', 'd2', { a: '1', b: '2' }],
  ['a=>1,b=>2', 'd2', FAIL],
  ['a=>=>, b=>>', 'd2', { a: '=>', b: '>' }],
];

function kvMap(): IntegrationIR {
  const rules = [
    '    acme.audit.d0 = t0 | kv',
    '    acme.audit.d1 = t1 | kv(";", ":")',
    '    acme.audit.d2 = t2 | kv(", ", "=>")',
  ].join('\n');
  const { ir, diagnostics } = compileSource(baseMap({ rules }), 'kv.map');
  if (!ir) throw new Error(JSON.stringify(diagnostics));
  return ir;
}

const field = { d0: 't0', d1: 't1', d2: 't2' } as const;
const records = CASES.map(([text, out]) => ({ created: '2024-01-01T00:00:00Z', [field[out]]: text }));

/** The parsed object at `acme.audit.<out>`, or FAIL when the rule appended its error. */
function outcome(doc: Record<string, unknown>, out: string): unknown {
  const errors = ((doc['error'] as { message?: string[] } | undefined)?.message ?? []).join('\n');
  if (errors.includes(`to acme.audit.${out}`)) return FAIL;
  return ((doc['acme'] as Record<string, Record<string, unknown>>)['audit'] ?? {})[out];
}

const ir = kvMap();

it('the interpreter gives each case its object, or fails the rule', () => {
  const stream = ir.streams[0]!;
  const found = records.map(
    (r, i) => outcome(mapRecord(stream, JSON.stringify(r), defaultSettings(ir)).doc, CASES[i]![1]) as unknown,
  );
  expect(found).toEqual(CASES.map(([, , want]) => want));
});

describe.each(RUNTIMES.map((r) => [r.name, r] as const))('kv on %s', (_name, runtime) => {
  const program = remapOf(ir);

  it('compiles without error or warning, and writes no $ (Vector would interpolate it)', () => {
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
    expect(program).not.toContain('$');
    expect(program).toContain('parse_key_value(');
    expect(program).toContain('whitespace: "strict"');
  });

  it('gives each case its object, or fails the rule', () => {
    const outputs = runtime.runBatch(
      program,
      records.map((r) => ({ message: JSON.stringify(r) })),
    );
    const found = outputs.map((events, i) => outcome(events[0] ?? {}, CASES[i]![1]));
    expect(found).toEqual(CASES.map(([, , want]) => want));
  });
});
