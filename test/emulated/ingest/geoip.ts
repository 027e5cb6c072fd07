/**
 * The `geoip` ingest processor, written from its reference page
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/geoip-processor.html) and
 * OpenSearch 2.19's `modules/ingest-geoip` `GeoIpProcessor` (the engine the real-node tests run):
 *
 * - options `field`, `target_field` (default `geoip`), `database_file` (default
 *   `GeoLite2-City.mmdb`), `properties`, `ignore_missing` (default false); the database's type
 *   (`databaseType` ending in `-City` or `-ASN`) decides what a lookup returns;
 * - a missing or `null` field: nothing with `ignore_missing`, else a failure;
 * - a string that is not an IP address: a failure (`InetAddresses.forString`);
 * - an address the database does not hold, or a record without any requested property: nothing;
 *   else `target_field` is set to the object of the properties found (replacing what was there);
 * - City properties (default: continent_name, country_name, country_iso_code, region_iso_code,
 *   region_name, city_name, location): English names (`names.en`), the most specific (last)
 *   subdivision, `region_iso_code` = country code `-` subdivision code (both needed), `location`
 *   = `{lat, lon}` (both needed);
 * - ASN properties (default: ip, asn, organization_name, network): `asn` =
 *   `autonomous_system_number`, `organization_name` = `autonomous_system_organization`.
 *
 * The databases are the test's: {@link useGeoIpDatabases} names each file the processor may ask
 * for (`database_file`), as a node's `modules/ingest-geoip` folder holds them; until a test does,
 * empty `GeoLite2-City.mmdb` and `GeoLite2-ASN.mmdb`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Reader, type Response } from 'maxmind';
import { testGeoDatabases } from '../../support/geoip.ts';
import * as doc from './document.ts';
import { IngestError, type Json, type JsonMap } from './document.ts';

let databases = new Map<string, Reader<Response>>();
let installed = false;

/** Installs the databases by file name (`GeoLite2-City.mmdb` -> a path); replaces earlier ones. */
export function useGeoIpDatabases(files: Readonly<Record<string, string>>): void {
  installed = true;
  databases = new Map(Object.entries(files).map(([name, path]) => [name, new Reader(readFileSync(path))]));
}

const CITY_DEFAULT = [
  'continent_name',
  'country_name',
  'country_iso_code',
  'region_iso_code',
  'region_name',
  'city_name',
  'location',
];
const ASN_DEFAULT = ['ip', 'asn', 'organization_name', 'network'];
const KNOWN = ['field', 'target_field', 'database_file', 'properties', 'ignore_missing'];

type Options = Record<string, unknown>;

const nameOf = (record: Record<string, unknown>, key: string): string | undefined => {
  const part = record[key] as { names?: Record<string, unknown> } | undefined;
  const name = part?.names?.['en'];
  return typeof name === 'string' ? name : undefined;
};

/** The processor (the signature of `processors.ts` `Exec`). */
export function geoipProcessor(ctx: JsonMap, o: Options): void {
  for (const key of Object.keys(o)) {
    if (!['tag', 'if', 'on_failure', 'ignore_failure', 'description', ...KNOWN].includes(key))
      throw new Error(`evaluator: geoip option ${key} is not supported`);
  }
  const field = o['field'];
  if (typeof field !== 'string') throw new Error('evaluator: geoip needs field');
  const target = typeof o['target_field'] === 'string' ? o['target_field'] : 'geoip';
  const file = typeof o['database_file'] === 'string' ? o['database_file'] : 'GeoLite2-City.mmdb';
  if (!installed) {
    // Until a test installs its own: empty databases under the default names (MaxMind's hold none
    // of the documentation addresses the fixtures use).
    const { emptyCity, emptyAsn } = testGeoDatabases();
    useGeoIpDatabases({ 'GeoLite2-City.mmdb': emptyCity, 'GeoLite2-ASN.mmdb': emptyAsn });
  }
  const reader = databases.get(file);
  if (!reader) throw new Error(`evaluator: geoip database file [${file}] doesn't exist`);
  const type = reader.metadata.databaseType;
  const kind = type.endsWith('-City') ? 'city' : type.endsWith('-ASN') ? 'asn' : undefined;
  if (!kind) throw new Error(`evaluator: geoip database type ${type} is not modelled`);
  const properties = Array.isArray(o['properties'])
    ? (o['properties'] as string[])
    : kind === 'city'
      ? CITY_DEFAULT
      : ASN_DEFAULT;
  const value = doc.has(ctx, field) ? doc.get(ctx, field) : null;
  if (value === null) {
    if (o['ignore_missing'] === true) return;
    throw new IngestError(`field [${field}] is null, cannot extract geoip information.`);
  }
  if (typeof value !== 'string') throw new Error('evaluator: geoip of a non-string is not modelled');
  // Node's address syntax stands in for Guava's `InetAddresses.forString` (no zone here).
  if (isIP(value) === 0 || value.includes('%')) throw new IngestError(`'${value}' is not an IP string literal.`);
  const found = reader.get(value) as Record<string, unknown> | null;
  if (found === null) return;
  const data: JsonMap = {};
  for (const p of properties) {
    const put = (v: Json | undefined): void => {
      if (v !== undefined) data[p] = v;
    };
    if (kind === 'city') {
      const country = (found['country'] as { iso_code?: string } | undefined)?.iso_code;
      const subdivisions = found['subdivisions'] as Record<string, unknown>[] | undefined;
      const region = subdivisions?.[subdivisions.length - 1];
      const location = found['location'] as { latitude?: number; longitude?: number } | undefined;
      if (p === 'continent_name') put(nameOf(found, 'continent'));
      else if (p === 'country_name') put(nameOf(found, 'country'));
      else if (p === 'country_iso_code') put(country);
      else if (p === 'region_iso_code')
        put(
          country !== undefined && typeof region?.['iso_code'] === 'string'
            ? `${country}-${region['iso_code']}`
            : undefined,
        );
      else if (p === 'region_name') put(region ? nameOf({ r: region }, 'r') : undefined);
      else if (p === 'city_name') put(nameOf(found, 'city'));
      else if (p === 'location')
        put(
          location?.latitude !== undefined && location.longitude !== undefined
            ? { lat: location.latitude, lon: location.longitude }
            : undefined,
        );
      else throw new Error(`evaluator: geoip City property ${p} is not modelled`);
    } else {
      if (p === 'asn') put(found['autonomous_system_number'] as number | undefined);
      else if (p === 'organization_name') put(found['autonomous_system_organization'] as string | undefined);
      else throw new Error(`evaluator: geoip ASN property ${p} is not modelled`);
    }
  }
  if (Object.keys(data).length > 0) doc.set(ctx, target, data);
}
