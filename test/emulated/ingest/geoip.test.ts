/**
 * `geoip` / `asn` (compiler/ir.ts step 4a) in the generated ingest pipeline, run by the
 * evaluator's `geoip` processor (./geoip.ts) on the test databases installed under the file names
 * the pipeline asks for (`GeoLite2-City.mmdb`, `GeoLite2-ASN.mmdb`), against the interpreter on
 * the same databases. The real node: test/engines/opensearch/geoip.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { loadGeoDatabases, mapRecord } from '../../../compiler/interpret/index.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { baseMap, brief } from '../../compiler/helpers.ts';
import { EXPECTED_AS, EXPECTED_GEO, testGeoDatabases } from '../../support/geoip.ts';
import { simulate, type PipelineDefinition } from './processors.ts';
import { useGeoIpDatabases } from './geoip.ts';

const MAP = baseMap({
  rules: [
    '    source.ip = addr | ip',
    '    destination.ip = to | ip on_error ignore',
    '    geoip source.ip',
    '    asn source.ip',
    '    asn destination.ip',
  ].join('\n'),
});

describe('geoip and asn in the ingest pipeline', () => {
  // The evaluator's databases are module state: other files in this worker expect the empty ones.
  afterAll(() => {
    const { emptyCity, emptyAsn } = testGeoDatabases();
    useGeoIpDatabases({ 'GeoLite2-City.mmdb': emptyCity, 'GeoLite2-ASN.mmdb': emptyAsn });
  });

  const result = compileSource(MAP, 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  const ir = result.ir;
  const stream = ir.streams[0]!;
  const { pipeline, diagnostics } = buildPipeline(ir, stream);

  it('writes the geoip processor as Elastic packages do, and the ASN renames to ECS', () => {
    expect(diagnostics).toEqual([]);
    const steps = (pipeline.processors as Record<string, Record<string, unknown>>[]).filter(
      (p) => p['geoip'] || (p['rename'] && String(p['rename']['field']).includes('.as.')),
    );
    expect(steps.map((p) => Object.entries(p)[0])).toEqual([
      ['geoip', { tag: 'geoip_source_ip', field: 'source.ip', target_field: 'source.geo', ignore_missing: true }],
      [
        'geoip',
        {
          tag: 'asn_source_ip',
          field: 'source.ip',
          target_field: 'source.as',
          database_file: 'GeoLite2-ASN.mmdb',
          properties: ['asn', 'organization_name'],
          ignore_missing: true,
        },
      ],
      [
        'rename',
        {
          tag: 'rename_source_ip_asn',
          field: 'source.as.asn',
          target_field: 'source.as.number',
          ignore_missing: true,
        },
      ],
      [
        'rename',
        {
          tag: 'rename_source_ip_organization_name',
          field: 'source.as.organization_name',
          target_field: 'source.as.organization.name',
          ignore_missing: true,
        },
      ],
      ['geoip', expect.objectContaining({ field: 'destination.ip', target_field: 'destination.as' })],
      ['rename', expect.objectContaining({ field: 'destination.as.asn' })],
      ['rename', expect.objectContaining({ field: 'destination.as.organization_name' })],
    ]);
  });

  it('gives the interpreter documents on the test databases, address by address', () => {
    const { city, asn } = testGeoDatabases();
    useGeoIpDatabases({ 'GeoLite2-City.mmdb': city, 'GeoLite2-ASN.mmdb': asn });
    const geoDatabases = loadGeoDatabases([city, asn]);
    const addresses = [...Object.keys(EXPECTED_GEO), '2001:0db8:85a3:0000:0000:8a2e:0370:7334'];
    for (const addr of addresses) {
      for (const to of [addr, 'not an address', null]) {
        const record = JSON.stringify({ created: '2024-01-01T00:00:00Z', addr, to });
        const expected = mapRecord(stream, record, {}, { geoDatabases });
        const got = simulate(pipeline as unknown as PipelineDefinition, { message: record });
        if (!got.ok) throw new Error(`${addr}: ${got.error}`);
        expect({ addr, to, doc: got.doc }).toEqual({ addr, to, doc: expected.doc });
      }
    }
    // The expectations are not empty: the interpreter wrote what test/support/geoip.ts lists.
    const one = mapRecord(stream, JSON.stringify({ addr: '203.0.113.42' }), {}, { geoDatabases }).doc as {
      source: Record<string, unknown>;
    };
    expect(one.source['geo']).toEqual(EXPECTED_GEO['203.0.113.42']);
    expect(one.source['as']).toEqual(EXPECTED_AS['203.0.113.42']);
  });
});
