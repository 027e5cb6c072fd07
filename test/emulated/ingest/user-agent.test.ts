/**
 * `user_agent user_agent.original` (compiler/ir.ts `UserAgentIR`) in the generated ingest
 * pipeline, run by the evaluator's `user_agent` processor (./user-agent.ts, the processor's
 * parser read from OpenSearch 2.19's sources over uap-core 0.18.0's regexes), against the
 * interpreter (uap-ref-impl over the same regexes). The real node, with its own regexes:
 * test/engines/opensearch/user-agent.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { baseMap, brief } from '../../compiler/helpers.ts';
import { AGREED, DIFFERING, withDifferences } from '../../support/user-agents.ts';
import { simulate, type PipelineDefinition } from './processors.ts';

const MAP = baseMap({ rules: '    user_agent.original = ua\n    user_agent user_agent.original' });

describe('user_agent in the ingest pipeline', () => {
  const result = compileSource(MAP, 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  const stream = result.ir.streams[0]!;
  const { pipeline, diagnostics } = buildPipeline(result.ir, stream);
  const record = (ua: unknown): string => JSON.stringify({ created: '2024-01-01T00:00:00Z', ua });
  const run = (message: string): unknown => {
    const got = simulate(pipeline as unknown as PipelineDefinition, { message });
    if (!got.ok) throw new Error(`${message}: ${got.error}`);
    return got.doc;
  };

  it('writes the user_agent processor as Elastic packages do, after the rules', () => {
    expect(diagnostics).toEqual([]);
    const steps = pipeline.processors as Record<string, Record<string, unknown>>[];
    const at = steps.findIndex((p) => p['user_agent']);
    expect(steps[at]).toEqual({
      user_agent: { tag: 'user_agent', field: 'user_agent.original', ignore_missing: true },
    });
    expect(steps.findIndex((p) => p['set']?.['field'] === 'user_agent.original')).toBeLessThan(at);
  });

  it('gives the interpreter documents on the agreed corpus, the empty string and a missing field', () => {
    for (const ua of [...AGREED, '', undefined, null]) {
      const message = record(ua);
      expect({ ua, doc: run(message) }).toEqual({ ua, doc: mapRecord(stream, message, {}).doc });
    }
  });

  it('differs where listed for the emulation: a device replacement with $2 stays literal', () => {
    const listed = DIFFERING.filter((d) => d.ingest !== undefined);
    expect(listed).toHaveLength(1);
    for (const d of listed) {
      const message = record(d.agent);
      const expected = mapRecord(stream, message, {}).doc as { user_agent: Record<string, unknown> };
      const doc = run(message) as { user_agent: Record<string, unknown> };
      expect(doc.user_agent, d.agent).toEqual(withDifferences(expected.user_agent, d.ingest!));
    }
  });

  it('on the same regexes, the Chromium agents differ only by the fourth version part', () => {
    const fourth = DIFFERING.filter((d) => d.logstash?.['version'] !== undefined);
    expect(fourth.length).toBeGreaterThanOrEqual(5);
    for (const d of fourth) {
      const message = record(d.agent);
      const expected = mapRecord(stream, message, {}).doc as { user_agent: Record<string, unknown> };
      const doc = run(message) as { user_agent: Record<string, unknown> };
      expect(doc.user_agent, d.agent).toEqual(
        withDifferences(expected.user_agent, { version: d.logstash!['version'] }),
      );
    }
  });
});
