/**
 * The hand-written ingest pipelines of `bench/baselines/elastic/` (the baselines of the ingest
 * figures in `npm run bench`) give exactly the fixtures' documents and ids on a real OpenSearch 2.19
 * ingest node (`_simulate`), so that comparing mapc's pipelines against them is honest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureCases, REPO_ROOT } from '../support/fixtures.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { simulate } from '../engines/opensearch/simulate.ts';

/** Bundled vendors with a hand-written ingest baseline, and their stream. */
export const ELASTIC_BASELINES = [
  { vendor: 'endor_labs', stream: 'audit' },
  { vendor: 'enpass', stream: 'events' },
  { vendor: 'entro', stream: 'audit' },
] as const;

/** The baseline pipeline of a vendor (`{description, processors, on_failure}`). */
export function loadElasticBaseline(vendor: string): { processors: unknown[]; on_failure?: unknown[] } {
  return parse(readFileSync(join(REPO_ROOT, 'bench', 'baselines', 'elastic', `${vendor}.yml`), 'utf8')) as {
    processors: unknown[];
    on_failure?: unknown[];
  };
}

let node: OpenSearchNode;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

describe('hand-written ingest baselines on a real OpenSearch ingest node', () => {
  for (const { vendor, stream } of ELASTIC_BASELINES) {
    it(`${vendor}/${stream}: the baseline gives the expected documents and ids`, async () => {
      const cases = loadFixtureCases(vendor, stream);
      expect(cases.length).toBeGreaterThan(0);
      const docs = await simulate(
        node,
        loadElasticBaseline(vendor),
        cases.map((c) => ({ message: c.message })),
      );
      docs.forEach((result, i) => {
        expect(result.error, `record ${i}`).toBeUndefined();
        expect({ _id: result.doc!._id, doc: result.doc!._source }, `record ${i}`).toEqual(cases[i]!.expected);
      });
    });
  }
});
