/**
 * `geoip` / `asn` (compiler/ir.ts step 4a) on a real OpenSearch 2.19 ingest node with its
 * `ingest-geoip` module (scripts/install-opensearch.sh: ingest-geoip 2.19.2 from Maven Central).
 *
 * The node's default databases (`modules/ingest-geoip/GeoLite2-{City,Country,ASN}.mmdb`) are
 * empty test databases, and `config/ingest-geoip/` holds the test databases of
 * test/support/geoip.ts as `mapc-Test-City.mmdb` and `mapc-Test-ASN.mmdb`. So:
 *
 * 1. the generated pipeline as is (the City default, `database_file: GeoLite2-ASN.mmdb`,
 *    `properties`, the renames) is accepted by the node and finds nothing, as the interpreter
 *    without a database: what the fixtures' pipelines rely on;
 * 2. the same pipeline with each `geoip` processor's `database_file` pointed at the test
 *    databases (the only change) gives, address by address, the interpreter's documents on the
 *    same test databases (read with the `maxmind` reader).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { loadGeoDatabases, mapRecord } from '../../../compiler/interpret/index.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { baseMap, brief } from '../../compiler/helpers.ts';
import { EXPECTED_AS, EXPECTED_GEO, testGeoDatabases } from '../../support/geoip.ts';
import type { OpenSearchNode } from './node.ts';
import { sharedOpenSearch } from './shared.ts';
import { openSearchPipeline, simulate as simulateOn } from './simulate.ts';

let node: OpenSearchNode;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

const MAP = baseMap({
  rules: [
    '    source.ip = addr | ip',
    '    destination.ip = to | ip on_error ignore',
    '    geoip source.ip',
    '    asn source.ip',
    '    geoip destination.ip',
    '    asn destination.ip',
  ].join('\n'),
});

type Processor = Record<string, Record<string, unknown>>;

/** The pipeline's `geoip` processors pointed at the node's test databases; nothing else changes. */
function onTestDatabases(processors: readonly Processor[]): Processor[] {
  return processors.map((p) => {
    const geoip = p['geoip'];
    if (!geoip) return p;
    const file = geoip['database_file'] === 'GeoLite2-ASN.mmdb' ? 'mapc-Test-ASN.mmdb' : 'mapc-Test-City.mmdb';
    return { geoip: { ...geoip, database_file: file } };
  });
}

describe('geoip and asn on a real OpenSearch ingest node', () => {
  const result = compileSource(MAP, 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  const stream = result.ir.streams[0]!;
  const { pipeline, diagnostics } = buildPipeline(result.ir, stream);
  const addresses = [...Object.keys(EXPECTED_GEO), '2001:0db8:85a3:0000:0000:8a2e:0370:7334'];
  const records = addresses.flatMap((addr) =>
    [addr, 'not an address', null].map((to) => JSON.stringify({ created: '2024-01-01T00:00:00Z', addr, to })),
  );

  async function simulate(processors: readonly Processor[]): Promise<Record<string, unknown>[]> {
    const docs = await simulateOn(
      node,
      openSearchPipeline({ processors, on_failure: pipeline.on_failure ?? [] }),
      records.map((message) => ({ message })),
    );
    return docs.map((d, i) => {
      expect(d.error, records[i]).toBeUndefined();
      return d.doc!._source;
    });
  }

  it('the node has the geoip processor', async () => {
    const { json } = await node.request('GET', '/_nodes/ingest?filter_path=nodes.*.ingest.processors.type');
    expect(JSON.stringify(json)).toContain('"geoip"');
  });

  it('the generated pipeline as is: accepted, and the empty default databases give nothing', async () => {
    expect(diagnostics).toEqual([]);
    const docs = await simulate(pipeline.processors as Processor[]);
    docs.forEach((doc, i) =>
      expect({ record: records[i], doc }).toEqual({ record: records[i], doc: mapRecord(stream, records[i]!, {}).doc }),
    );
  });

  it('on the test databases: the interpreter documents, address by address', async () => {
    const { city, asn } = testGeoDatabases();
    const geoDatabases = loadGeoDatabases([city, asn]);
    const docs = await simulate(onTestDatabases(pipeline.processors as Processor[]));
    docs.forEach((doc, i) => {
      const expected = mapRecord(stream, records[i]!, {}, { geoDatabases }).doc;
      expect({ record: records[i], doc }).toEqual({ record: records[i], doc: expected });
    });
    // Not vacuous: the node wrote every field the test database holds for 203.0.113.42.
    const berlin = docs[addresses.indexOf('203.0.113.42') * 3] as { source: Record<string, unknown> };
    expect(berlin.source['geo']).toEqual(EXPECTED_GEO['203.0.113.42']);
    expect(berlin.source['as']).toEqual(EXPECTED_AS['203.0.113.42']);
  });
});
