/**
 * `geoip` / `asn` (compiler/ir.ts step 4a) as the Logstash `geoip` filter, run by the evaluator
 * (./evaluate.ts `geoip`, modelled from logstash-filter-geoip's sources) on the test databases,
 * against the interpreter on the same databases. No Logstash runs here; the filter's options are
 * checked against the plugin's documented ones by the evaluator, which refuses any other.
 */
import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'maxmind';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { loadGeoDatabases, mapRecord } from '../../../compiler/interpret/index.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { baseMap, brief } from '../../compiler/helpers.ts';
import { EXPECTED_GEO, testGeoDatabases } from '../../support/geoip.ts';
import { useGeoipDatabases } from './evaluate.ts';
import { runPipeline } from './run.ts';

const RULES = [
  '    source.ip = addr | ip',
  '    destination.ip = to | ip on_error ignore',
  '    geoip source.ip',
  '    asn source.ip',
  '    asn destination.ip',
];

describe('geoip and asn in the Logstash pipeline', () => {
  // The evaluator's databases are module state: other files in this worker expect the empty ones.
  afterAll(() => {
    const { emptyCity, emptyAsn } = testGeoDatabases();
    useGeoipDatabases({ City: emptyCity, ASN: emptyAsn });
  });

  const result = compileSource(baseMap({ rules: RULES.join('\n') }), 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  const ir = result.ir;
  const stream = ir.streams[0]!;
  const emitted = logstashBackend.emit(ir, {});
  const conf = emitted.files.find((f) => f.path === `${ir.name}-${stream.name}.conf`)!.content;

  it('writes the geoip filter with ECS names, exactly the IR fields, and no failure tag', () => {
    expect(emitted.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const flat = conf.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'geoip { source => "[source][ip]" target => "source" ecs_compatibility => "v8" fields => [ ' +
        '"CONTINENT_NAME", "COUNTRY_NAME", "COUNTRY_CODE2", "REGION_ISO_CODE", "REGION_NAME", "CITY_NAME", "LOCATION" ] ' +
        'tag_on_failure => [] }',
    );
    expect(flat).toContain(
      'geoip { source => "[source][ip]" target => "source" ecs_compatibility => "v8" default_database_type => "ASN" ' +
        'fields => [ "AUTONOMOUS_SYSTEM_NUMBER", "AUTONOMOUS_SYSTEM_ORGANIZATION" ] tag_on_failure => [] }',
    );
    expect(flat).toContain('geoip { source => "[destination][ip]" target => "destination"');
    expect(flat.match(/geoip \{/g)).toHaveLength(3);
  });

  it('gives the interpreter documents, but for City records without coordinates (the filter writes nothing)', () => {
    const { city, asn } = testGeoDatabases();
    useGeoipDatabases({ City: city, ASN: asn });
    const geoDatabases = loadGeoDatabases([city, asn]);
    const cityReader = new Reader<Response>(readFileSync(city));
    const addresses = [...Object.keys(EXPECTED_GEO), '2001:0db8:85a3:0000:0000:8a2e:0370:7334'];
    for (const addr of addresses) {
      for (const to of [addr, 'not an address', null]) {
        const message = JSON.stringify({ created: '2024-01-01T00:00:00Z', addr, to });
        const expected = mapRecord(stream, message, {}, { geoDatabases });
        const doc = structuredClone(expected.doc) as { source?: Record<string, unknown> };
        // The documented difference (targets/logstash/enrich.ts): a City record with neither
        // latitude nor longitude gives no geo.
        const location = (cityReader.get(addr) as { location?: object } | null)?.location;
        if (location === undefined) delete doc.source?.['geo'];
        const actual = runPipeline(conf, message);
        expect({ addr, to, doc: actual.doc }).toEqual({ addr, to, doc });
      }
    }
    // The difference is real on this database: the IPv6 network has a country but no location.
    const v6 = JSON.stringify({ created: '2024-01-01T00:00:00Z', addr: '2001:db8:85a3::8a2e:370:7334' });
    expect(mapRecord(stream, v6, {}, { geoDatabases }).doc).toHaveProperty('source.geo.country_name', 'United States');
    expect(runPipeline(conf, v6).doc).not.toHaveProperty('source.geo');
    expect(runPipeline(conf, v6).doc).toHaveProperty('source.as.number', 64501);
  });
});
