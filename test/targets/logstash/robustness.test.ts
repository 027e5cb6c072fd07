/**
 * The Logstash backend on inputs of extreme size or depth (issue 7): a 10,000-long transform chain
 * used to overflow the printer's stack (a spread of every line into `push`); printing, the JSON
 * body of a polled request and the test reader are iterative now.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR, JsonTemplate, RuleIR, StreamIR } from '../../../compiler/ir.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { runPipeline } from '../../emulated/logstash/support.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';

const entro = loadFixtureIR('entro');
const CHAIN = 10_000;

describe('size and depth', () => {
  it(`a ${CHAIN}-long transform chain is written and runs as the interpreter does`, () => {
    const stream = entro.streams[0]!;
    const base = stream.mapping.rules.find((r) => r.value.kind === 'field') as RuleIR;
    const rule: RuleIR = {
      ...base,
      destination: ['event', 'reason'],
      op: 'set',
      destinationType: { ecsType: 'keyword', array: false, vendor: false },
      value: {
        kind: 'field',
        path: ['results', 'request_id'],
        transforms: Array.from({ length: CHAIN }, () => ({ kind: 'lowercase' }) as const),
      },
    };
    const { when: _, ...unconditional } = rule;
    const s: StreamIR = { ...stream, mapping: { ...stream.mapping, rules: [...stream.mapping.rules, unconditional] } };
    const ir: IntegrationIR = { ...entro, streams: [s] };
    const out = logstashBackend.emit(ir, {});
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const conf = out.files.find((f) => f.path === 'entro-audit.conf')!.content;
    expect(conf.split('lowercase => [').length - 1).toBeGreaterThanOrEqual(CHAIN);
    const message = JSON.stringify({ results: { request_id: 'ǅß-Ab' }, date: '01/02/2024' });
    const want = mapRecord(s, message, defaultSettings(ir));
    expect(runPipeline(conf, message)).toEqual(
      want.id === undefined ? { doc: want.doc } : { _id: want.id, doc: want.doc },
    );
    expect((want.doc['event'] as Record<string, unknown>)['reason']).toBe('ǆß-ab');
  }, 300_000);

  it('a JSON request body nested 10,000 deep is written without recursion', () => {
    let body: JsonTemplate = { kind: 'string', template: { parts: [{ kind: 'text', text: 'leaf' }] } };
    for (let i = 0; i < 10_000; i++) body = { kind: 'object', entries: [{ key: 'k', value: body }] };
    const polled: IntegrationIR = {
      ...entro,
      streams: entro.streams.map((s): StreamIR => ({
        ...s,
        source: {
          ...s.source,
          pagination: { kind: 'none' },
          cursor: undefined,
          retry: { ...s.source.retry, maxAttempts: 0 },
          rateLimit: { retryAfter: false },
          request: { ...s.source.request, method: 'POST', query: [], body },
        },
      })),
    };
    const out = logstashBackend.emit(polled, {});
    expect(out.diagnostics).toEqual([]);
    const conf = out.files.find((f) => f.path === 'entro-audit.conf')!.content;
    expect(conf).toContain(`"body" => '${'{"k":'.repeat(10_000)}"leaf"${'}'.repeat(10_000)}'`);
  });
});
