/**
 * The test GeoIP databases: a City and an ASN MaxMind DB of invented records on the
 * documentation networks (RFC 5737, RFC 3849), built from `test/support/geoip/{city,asn}.json`
 * by `mmdb-test` (scripts/go-tools/mmdb-test, MaxMind's own writer) into a temporary folder, once
 * per test process. Nothing is downloaded; nothing binary is committed.
 *
 * What each address holds (the descriptions say it exactly):
 *
 * | address | City | ASN |
 * |---|---|---|
 * | 203.0.113.x | every field (Germany, Land Berlin, Berlin, a location) | 64500, Example Transit GmbH |
 * | 198.51.100.x | two subdivisions (the last, London, is the region) | the organization only |
 * | 2001:db8:85a3::/48 | continent and country only | 64501 only (all of 2001:db8::/32) |
 * | 192.0.2.0/25 | a country code without names, a region name without code, a city without an English name, a latitude without longitude | none |
 * | 192.0.2.128/25 | a record with none of the fields (only `registered_country`) | none |
 * | anything else (10.1.2.3) | none | none |
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTALL_COMMAND } from './tools.ts';
import { REPO_ROOT } from './fixtures.ts';

export interface TestGeoDatabases {
  /**
   * Path of the City database. Its `databaseType` is `GeoLite2-City` (the ASN one's
   * `GeoLite2-ASN`) although its records are invented: MaxMind's Java reader (geoip2 4.2.1, which
   * OpenSearch's and Elasticsearch's `geoip` processor and Logstash's `geoip` filter use) opens
   * only MaxMind's own type names ("Invalid attempt to open an unknown database type").
   */
  readonly city: string;
  /** Path of the ASN database (`databaseType` `GeoLite2-ASN`). */
  readonly asn: string;
  /**
   * A City and an ASN database without any network (types `GeoLite2-City`, `GeoLite2-ASN`):
   * as MaxMind's GeoLite2 databases for the documentation addresses the fixtures use, which they
   * do not hold; so an engine given these finds nothing, as one given the real databases.
   */
  readonly emptyCity: string;
  readonly emptyAsn: string;
}

let built: TestGeoDatabases | undefined;

/** Builds (once per process) and returns the two test databases. @throws Error when mmdb-test is missing or fails. */
export function testGeoDatabases(): TestGeoDatabases {
  if (built) return built;
  const tool = join(REPO_ROOT, '.tools', 'bin', 'mmdb-test');
  if (!existsSync(tool)) throw new Error(`mmdb-test is not installed: run \`${INSTALL_COMMAND}\``);
  const dir = mkdtempSync(join(tmpdir(), 'mapc-geoip-'));
  const make = (name: string, description = join(REPO_ROOT, 'test', 'support', 'geoip', `${name}.json`)): string => {
    const out = join(dir, `${name}.mmdb`);
    const r = spawnSync(tool, [description, out], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`mmdb-test ${name}: ${r.stderr}`);
    return out;
  };
  const empty = (type: string): string => {
    const description = join(dir, `${type}.json`);
    writeFileSync(description, JSON.stringify({ databaseType: `GeoLite2-${type}`, networks: [] }));
    return make(`empty-${type}`, description);
  };
  built = { city: make('city'), asn: make('asn'), emptyCity: empty('City'), emptyAsn: empty('ASN') };
  return built;
}

/** The ECS `geo` object the City database gives each address (GEOIP_FIELDS, compiler/ir.ts), for the tests' expectations. */
export const EXPECTED_GEO: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>> = {
  '203.0.113.42': {
    continent_name: 'Europe',
    country_name: 'Germany',
    country_iso_code: 'DE',
    region_iso_code: 'DE-BE',
    region_name: 'Land Berlin',
    city_name: 'Berlin',
    location: { lat: 52.5244, lon: 13.4105 },
  },
  '198.51.100.23': {
    continent_name: 'Europe',
    country_name: 'United Kingdom',
    country_iso_code: 'GB',
    region_iso_code: 'GB-LND',
    region_name: 'London',
    city_name: 'London',
    location: { lat: 51.5085, lon: -0.1257 },
  },
  '2001:db8:85a3::8a2e:370:7334': {
    continent_name: 'North America',
    country_name: 'United States',
    country_iso_code: 'US',
  },
  '192.0.2.10': { country_iso_code: 'FR', region_name: 'Île-de-France' },
  '192.0.2.200': undefined,
  '10.1.2.3': undefined,
};

/** The ECS `as` object the ASN database gives each address. */
export const EXPECTED_AS: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>> = {
  '203.0.113.42': { number: 64500, organization: { name: 'Example Transit GmbH' } },
  '198.51.100.23': { organization: { name: 'Documentation Networks Ltd' } },
  '2001:db8:85a3::8a2e:370:7334': { number: 64501 },
  '192.0.2.10': undefined,
  '10.1.2.3': undefined,
};
