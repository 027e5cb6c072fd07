/**
 * `user_agent user_agent.original` (compiler/ir.ts `UserAgentIR`) on a real OpenSearch 2.19 ingest
 * node with its `ingest-user-agent` module (2.19.1 from Maven Central, scripts/install-opensearch.sh),
 * which parses with the `regexes.yml` its jar bundles: the generated pipeline as is gives the
 * interpreter's documents (uap-ref-impl over uap-core 0.18.0) on the agreed corpus
 * (test/support/user-agents.ts), and differs on the known differing agents exactly where
 * docs/target-differences.md says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { baseMap, brief } from '../../compiler/helpers.ts';
import { AGREED, DIFFERING, withDifferences } from '../../support/user-agents.ts';
import type { OpenSearchNode } from './node.ts';
import { sharedOpenSearch } from './shared.ts';
import { openSearchPipeline, simulate as simulateOn } from './simulate.ts';

let node: OpenSearchNode;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

const MAP = baseMap({ rules: '    user_agent.original = ua\n    user_agent user_agent.original' });

describe('user_agent on a real OpenSearch ingest node', () => {
  const result = compileSource(MAP, 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  const stream = result.ir.streams[0]!;
  const { pipeline, diagnostics } = buildPipeline(result.ir, stream);

  async function simulate(records: readonly string[]): Promise<Record<string, unknown>[]> {
    const docs = await simulateOn(
      node,
      openSearchPipeline(pipeline),
      records.map((message) => ({ message })),
    );
    return docs.map((d, i) => {
      expect(d.error, records[i]).toBeUndefined();
      return d.doc!._source;
    });
  }
  const record = (ua: unknown): string => JSON.stringify({ created: '2024-01-01T00:00:00Z', ua });

  it('the node has the user_agent processor', async () => {
    const { json } = await node.request('GET', '/_nodes/ingest?filter_path=nodes.*.ingest.processors.type');
    expect(JSON.stringify(json)).toContain('"user_agent"');
  });

  it('the generated pipeline as is gives the interpreter documents on the agreed corpus and a missing field', async () => {
    expect(diagnostics).toEqual([]);
    const records = [...AGREED, '', undefined, null].map(record);
    const docs = await simulate(records);
    docs.forEach((doc, i) => {
      const expected = mapRecord(stream, records[i]!, {}).doc;
      expect({ record: records[i], doc }).toEqual({ record: records[i], doc: expected });
    });
  });

  it('differs on the known differing agents exactly in the documented fields', async () => {
    const records = DIFFERING.map((d) => record(d.agent));
    const docs = await simulate(records);
    DIFFERING.forEach((d, i) => {
      const expected = (mapRecord(stream, records[i]!, {}).doc as { user_agent: Record<string, unknown> }).user_agent;
      const got = (docs[i] as { user_agent: Record<string, unknown> }).user_agent;
      expect(got, d.agent).toEqual(withDifferences(expected, d.opensearch ?? {}));
    });
    expect(DIFFERING.filter((d) => d.opensearch !== undefined).length).toBeGreaterThan(5);
  });
});
