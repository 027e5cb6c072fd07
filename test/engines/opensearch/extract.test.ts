/**
 * `extract` on a real OpenSearch 2.19 ingest node: the `grok` processor (Joni, the pattern as
 * `targets/elastic/quote.ts` `grokExtract` writes it) gives every case of
 * test/support/extract-cases.ts its hand-written capture, or fails the rule; and the emitted
 * grok expression holds no `%{` but mapc's own and no `{{`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { engines } from '../../agreement/engines.ts';
import { EXTRACT_CASES, extractCaseMap, extractOutcome } from '../../support/extract-cases.ts';
import type { OpenSearchNode } from './node.ts';
import { sharedOpenSearch } from './shared.ts';

let node: OpenSearchNode | undefined;

beforeAll(async () => {
  node = await sharedOpenSearch();
});

describe('extract on OpenSearch (grok)', () => {
  const { ir, stream, records } = extractCaseMap();

  it('writes one grok per rule, its only grok reference the pattern definition of the group', () => {
    const { pipeline, diagnostics } = buildPipeline(ir, stream);
    expect(diagnostics).toEqual([]);
    const groks = JSON.stringify(pipeline.processors)
      .match(/"grok":\{[^}]*"patterns":\["((?:[^"\\]|\\.)*)"\]/g)
      ?.map((g) => JSON.parse(`"${/"patterns":\["((?:[^"\\]|\\.)*)"\]/.exec(g)![1]}"`) as string);
    expect(groks).toHaveLength(EXTRACT_CASES.length);
    for (const g of groks ?? []) {
      expect(g.match(/%\{/g)).toHaveLength(1);
      expect(g).toContain('%{MAPC_EXTRACT:_mapc.x}');
      expect(g).not.toContain('{{');
    }
  });

  it('gives each case its capture, or fails the rule', async () => {
    const outputs = await engines(() => node)('opensearch')(
      ir,
      stream.name,
      records.map((r) => JSON.stringify(r)),
    );
    const found = outputs.map((o, i) => ('doc' in o ? extractOutcome(o.doc, i) : o.crash));
    expect(found).toEqual(EXTRACT_CASES.map(([, , capture]) => capture));
  });
});
