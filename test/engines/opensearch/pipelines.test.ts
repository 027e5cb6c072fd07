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
import { vendorFields } from '../../../targets/elastic/package.ts';
import { typedSchemaIR } from '../../support/typed-schema-map.ts';
import { listFixtureStreams, loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';
import type { OpenSearchNode } from './node.ts';
import { sharedOpenSearch } from './shared.ts';
import { openSearchPipeline, simulate } from './simulate.ts';
import { TERMINATE_MARKER, toOpenSearch } from './dialect.ts';
import { dataCollectionTerminate } from '../../../targets/elastic/conventions.ts';

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
      'kv',
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
      const docs = await simulate(
        node,
        { description: pipeline.description, ...openSearchPipeline(pipeline) },
        cases.map((c) => (tags.length > 0 ? { message: c.message, tags } : { message: c.message })),
      );
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

describe('terminate condition of the Agent error events on a real OpenSearch ingest node', () => {
  it('holds for an error event without message or event.original, and only for it', async () => {
    const [terminate] = toOpenSearch([dataCollectionTerminate() as never]);
    const cases: [Record<string, unknown>, boolean][] = [
      [{ error: { message: 'GET /v1/events: 503' } }, true],
      [{ error: { message: 'x' }, message: '{"a":1}' }, false],
      [{ error: { message: 'x' }, event: { original: '{"a":1}' } }, false],
      [{ message: '{"a":1}' }, false],
      [{ error: {} }, false],
      [{}, false],
    ];
    const docs = await simulate(
      node,
      { processors: [terminate] },
      cases.map(([source]) => source),
    );
    expect(docs.map((d) => d.doc?._source[TERMINATE_MARKER] === true)).toEqual(cases.map(([, holds]) => holds));
  });
});

/**
 * `fields/fields.yml` as an index mapping: Fleet turns each dotted field name into nested
 * `properties` (https://www.elastic.co/guide/en/fleet/8.17/data-streams.html, component template
 * `<type>-<dataset>@package`). OpenSearch 2.19 has no `flattened`: its `flat_object` (the same
 * idea: one field, every leaf a keyword) stands in for it.
 * Its `boolean` has no `ignore_malformed` (Elasticsearch's has since 8.8,
 * elastic/elasticsearch#94121; the package needs 9.2): {@link OPENSEARCH_LACKS_IGNORE_MALFORMED}.
 */
function mappingOf(fields: readonly { name: string; type: string; ignore_malformed?: boolean }[]): unknown {
  const root: Record<string, unknown> = {};
  for (const field of fields) {
    const path = field.name.split('.');
    let properties = root;
    for (const segment of path.slice(0, -1)) {
      const object = (properties[segment] ??= { properties: {} }) as { properties: Record<string, unknown> };
      properties = object.properties;
    }
    const ignoreMalformed = field.ignore_malformed && !OPENSEARCH_LACKS_IGNORE_MALFORMED.has(field.type);
    const type = field.type === 'flattened' ? 'flat_object' : field.type;
    properties[path.at(-1)!] = { type, ...(ignoreMalformed ? { ignore_malformed: true } : {}) };
  }
  return { properties: root };
}

/** Types that take `ignore_malformed` on Elasticsearch 9.2 but not on OpenSearch 2.19. */
const OPENSEARCH_LACKS_IGNORE_MALFORMED = new Set(['boolean']);

/** A value no declared type parses: what a tier-2 record keeps under the namespace. */
const MALFORMED = 'not-a-value-of-this-type';

describe('generated fields.yml types on a real OpenSearch index', () => {
  for (const { vendor, stream } of listFixtureStreams()) {
    const ir = loadFixtureIR(vendor);
    const streamIR = ir.streams.find((s) => s.name === stream);
    if (!streamIR) continue;
    const cases = loadFixtureCases(vendor, stream);

    it(`${vendor}/${stream}: every fixture document indexes under the declared vendor types`, async () => {
      const fields = vendorFields(ir, streamIR);
      const index = `fields-${vendor}-${stream}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
      const created = await node.request('PUT', `/${index}`, { mappings: mappingOf(fields) });
      expect(created.status, JSON.stringify(created.json)).toBe(200);

      const docs = cases.map((c) => c.expected.doc);
      expect(await bulkIndex(index, docs)).toEqual(docs.map(() => 201));

      await expectMappedAs(index, fields);
      await node.request('DELETE', `/${index}`);
    });
  }

  it('a schema with every declared shape: conforming values index, malformed typed values do not reject the document', async () => {
    const ir = typedSchemaIR();
    const fields = vendorFields(ir, ir.streams[0]!);
    const ns = ir.streams[0]!.mapping.namespace;
    const under = (vendor: Record<string, unknown>): Record<string, unknown> =>
      ns.reduceRight<Record<string, unknown>>((inner, segment) => ({ [segment]: inner }), vendor);
    const index = 'fields-typed-schema';
    const created = await node.request('PUT', `/${index}`, { mappings: mappingOf(fields) });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const spec = {
      remote_address: '2001:db8::1',
      count: 3,
      ratio: 1.5,
      tags: ['a', 'b'],
      ports: [22, 443],
      extra: { a: { b: 'c' } },
      list: [{ a: 1 }, { b: 'x' }],
      payload: { success: true },
    };
    const docs = [
      under({ uuid: 'u1', meta: { create_time: '2024-01-01T00:00:00Z' }, spec: { ...spec, mixed: 'text' } }),
      under({ uuid: 'u2', spec: { ...spec, mixed: 42, anything: { any: ['shape'] } } }),
      under({ uuid: 'u3', spec: { remote_address: 'null', count: MALFORMED, ratio: MALFORMED, ports: [MALFORMED] } }),
    ];
    expect(await bulkIndex(index, docs)).toEqual(docs.map(() => 201));
    await expectMappedAs(index, fields);
    await node.request('DELETE', `/${index}`);
  });
});

/** Indexes `docs` into `index` through `_bulk`; resolves with each item's status or error. */
async function bulkIndex(index: string, docs: readonly unknown[]): Promise<unknown[]> {
  const response = await fetch(`${node.url}/_bulk?refresh=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: docs.map((doc) => `${JSON.stringify({ index: { _index: index } })}\n${JSON.stringify(doc)}\n`).join(''),
    signal: AbortSignal.timeout(30_000),
  });
  expect(response.status).toBe(200);
  const json = (await response.json()) as { items: { index: { status: number; error?: unknown } }[] };
  return json.items.map((item) => item.index.error ?? item.index.status);
}

/** The index mapping holds each declared field with its declared type. */
async function expectMappedAs(index: string, fields: readonly { name: string; type: string }[]): Promise<void> {
  const mapping = await node.request('GET', `/${index}/_mapping`);
  for (const field of fields) {
    let at = (mapping.json as Record<string, { mappings: unknown }>)[index]!.mappings as Record<string, unknown>;
    for (const segment of field.name.split('.')) {
      at = (at['properties'] as Record<string, Record<string, unknown>>)[segment]!;
    }
    const expected = field.type === 'flattened' ? 'flat_object' : field.type;
    expect({ field: field.name, type: at['type'] }).toEqual({ field: field.name, type: expected });
  }
}
