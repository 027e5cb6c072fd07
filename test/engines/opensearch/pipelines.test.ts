/**
 * Every generated ingest pipeline runs on a real ingest engine: an OpenSearch 2.19 node with the
 * ingest-common and Painless modules (./node.ts), through `_ingest/pipeline/_simulate`, on every
 * fixture record of every vendor. The documents and `_id`s must equal
 * `fixtures/<vendor>/<stream>/expected.json`, the same expectations the reference interpreter,
 * the VRL runtime and the Logstash evaluator are held to.
 *
 * The pipelines are Elasticsearch pipelines; ./dialect.ts rewrites the two Elasticsearch-only
 * options mapc emits (`copy_from` on `set` and `append`) into their OpenSearch equivalents.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { defaultTags } from '../../../targets/elastic/devtests.ts';
import { listFixtureStreams, loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';
import type { OpenSearchNode } from './node.ts';
import { sharedOpenSearch } from './shared.ts';
import { toOpenSearch } from './dialect.ts';

interface SimulateDoc {
  readonly doc?: { readonly _id: string; readonly _source: Record<string, unknown> };
  readonly error?: unknown;
}

let node: OpenSearchNode;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

describe('generated ingest pipelines on a real OpenSearch ingest node', () => {
  it('the node has the processors mapc emits', async () => {
    const { json } = await node.request('GET', '/_nodes/ingest?filter_path=nodes.*.ingest.processors.type');
    const types = JSON.stringify(json);
    for (const type of [
      'append',
      'convert',
      'copy',
      'date',
      'fail',
      'gsub',
      'json',
      'lowercase',
      'remove',
      'rename',
      'script',
      'set',
      'uppercase',
    ]) {
      expect(types).toContain(`"${type}"`);
    }
  });

  for (const { vendor, stream } of listFixtureStreams()) {
    const ir = loadFixtureIR(vendor);
    const streamIR = ir.streams.find((s) => s.name === stream);
    if (!streamIR) continue;
    const cases = loadFixtureCases(vendor, stream);

    it(`${vendor}/${stream}: ${cases.length} records give the expected documents and ids`, async () => {
      const { pipeline, diagnostics } = buildPipeline(ir, streamIR);
      expect(diagnostics).toEqual([]);
      const tags = defaultTags(ir);
      const body = {
        pipeline: {
          description: pipeline.description,
          processors: toOpenSearch(pipeline.processors as never),
          on_failure: toOpenSearch((pipeline.on_failure ?? []) as never),
        },
        docs: cases.map((c) => ({ _source: tags.length > 0 ? { message: c.message, tags } : { message: c.message } })),
      };
      const { status, json } = await node.request('POST', '/_ingest/pipeline/_simulate', body);
      expect(status, JSON.stringify(json)).toBe(200);
      const docs = (json as { docs: SimulateDoc[] }).docs;
      expect(docs).toHaveLength(cases.length);
      docs.forEach((result, i) => {
        expect(result.error, `record ${i}`).toBeUndefined();
        const source = { ...result.doc!._source };
        if (tags.length > 0) delete source['tags'];
        expect({ i, doc: source, _id: result.doc!._id }).toEqual({
          i,
          doc: cases[i]!.expected.doc,
          _id: cases[i]!.expected._id,
        });
      });
    });
  }
});
