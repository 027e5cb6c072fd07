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

  it("writes one grok per rule, its only grok references mapc's own, one per capturing group", () => {
    const { pipeline, diagnostics } = buildPipeline(ir, stream);
    expect(diagnostics).toEqual([]);
    const groks: { patterns: string[]; pattern_definitions: Record<string, string> }[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        const grok = (v as Record<string, unknown>)['grok'];
        if (grok) groks.push(grok as (typeof groks)[number]);
        Object.values(v).forEach(walk);
      }
    };
    walk(pipeline.processors);
    expect(groks).toHaveLength(EXTRACT_CASES.length);
    groks.forEach((g, i) => {
      const [pattern] = EXTRACT_CASES[i]!;
      const refs = [...(g.patterns[0] ?? '').matchAll(/%\{([^}]*)\}/g)].map((m) => m[1]);
      const names = [...pattern.matchAll(/\(\?<(\w+)>/g)].map((m) => m[1]);
      expect(refs).toEqual(
        names.length === 0 ? ['MAPC_EXTRACT:_mapc.x'] : names.map((n, k) => `MAPC_EXTRACT_${k}:_mapc.x.${n}`),
      );
      expect(Object.keys(g.pattern_definitions)).toHaveLength(refs.length);
      for (const text of [g.patterns[0]!, ...Object.values(g.pattern_definitions)]) {
        expect(text).not.toContain('{{');
        expect(text.replace(/%\{MAPC_EXTRACT[^}]*\}/g, '')).not.toContain('%{');
      }
    });
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
