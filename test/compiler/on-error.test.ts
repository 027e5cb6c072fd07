/**
 * `on_error ignore|record` (compiler/ir.ts RuleIR.onError): the syntax and its parse errors, the
 * IR, the interpreter and `mapc fmt`. Every engine: test/agreement/on-error.suite.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { mapRecord } from '../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { parseMap } from '../../dsl/index.ts';
import { formatMap } from '../../dsl/format/index.ts';
import { baseMap, brief } from './helpers.ts';

function ir(rules: string): IntegrationIR {
  const result = compileSource(baseMap({ rules }), 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  return result.ir;
}

describe('on_error', () => {
  const rules = [
    '    source.ip = addr | ip on_error ignore',
    '    destination.ip = addr | ip on_error ignore when exists go',
    '    host.ip += addr | ip on_error record',
    '    acme.audit.on_error = 1',
  ].join('\n');

  it('marks ignore in the IR, leaves record (the default) out, and reads a next-line on_error as a rule', () => {
    const lowered = ir(rules).streams[0]!.mapping.rules.slice(-4);
    expect(lowered.map((r) => r.onError)).toEqual(['ignore', 'ignore', undefined, undefined]);
    expect(lowered[1]!.when).toEqual({ kind: 'exists', path: ['go'] });
    expect(lowered[3]!.destination).toEqual(['acme', 'audit', 'on_error']);
  });

  it('a failing ignored rule writes and appends nothing; a recorded one appends its error', () => {
    const stream = ir(rules).streams[0]!;
    const { doc } = mapRecord(stream, JSON.stringify({ addr: 'null', go: true }), {});
    expect(doc).not.toHaveProperty('source');
    expect(doc).not.toHaveProperty('destination');
    expect((doc['error'] as { message: string[] }).message).toEqual(['mapc: cannot map addr to host.ip']);
    const ok = mapRecord(stream, JSON.stringify({ addr: '10.0.0.1', go: true }), {}).doc as Record<string, unknown>;
    expect(ok['source']).toEqual({ ip: '10.0.0.1' });
  });

  it.each([
    ['on_error skip', 'expected ignore or record after on_error, found "skip"', 'skip'],
    ['on_error', 'expected ignore or record, found "}"', '}'],
  ])('refuses `%s` at the word', (written, message, at) => {
    const text = baseMap({ rules: `    source.ip = addr | ip ${written}` });
    const { diagnostics } = parseMap(text, 'test.map');
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['E0004', message]]);
    const offset =
      written === 'on_error' ? text.indexOf('}', text.indexOf(written)) : text.indexOf(at, text.indexOf('on_error'));
    expect(diagnostics[0]!.primary.span.offset).toBe(offset);
  });

  it('mapc fmt keeps it on the rule line and formats twice the same', () => {
    const formatted = formatMap(baseMap({ rules: '    source.ip   =   addr | ip   on_error    ignore' }), 'test.map');
    if (!formatted.ok) throw new Error('must format');
    expect(formatted.text).toMatch(/source\.ip += addr \| ip on_error ignore\n/);
    const again = formatMap(formatted.text, 'test.map');
    expect(again.ok && again.text).toBe(formatted.text);
  });
});
