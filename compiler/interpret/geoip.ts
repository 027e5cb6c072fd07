/**
 * Step 4a of the record semantics (`compiler/ir.ts`): GeoIP City and ASN enrichment of an ECS ip
 * field, read from MaxMind DB files with the `maxmind` package (5.0.7, MaxMind DB format 2.0:
 * https://maxmind.github.io/MaxMind-DB/). The database is given by the caller
 * (`mapc preview` / `mapc collect --geoip-database PATH`), never by the map.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'maxmind';
import { GEOIP_FIELDS, type EnrichIR } from '../ir.ts';
import { InterpretError } from './errors.ts';
import { isObject, type JsonObject } from './json.ts';
import { getPath, setPath } from './paths.ts';

/** Which enrichment a database serves. */
export type GeoDatabaseKind = EnrichIR['database'];

/** One opened MaxMind database. */
export interface GeoDatabase {
  readonly kind: GeoDatabaseKind;
  /** The database's own `databaseType` metadata, e.g. `GeoLite2-City`. */
  readonly databaseType: string;
  /** The record the database holds for `ip`, `undefined` when none (or `ip` is no address). */
  lookup(ip: string): JsonObject | undefined;
}

/**
 * Which enrichment a `databaseType` serves: one ending in `-City` serves `geoip`, one ending in
 * `-ASN` serves `asn` (the rule Elasticsearch's `geoip` processor applies to a database file,
 * `GeoIpProcessor`'s `-City` / `-ASN` suffixes); `undefined` otherwise.
 */
export function geoDatabaseKind(databaseType: string): GeoDatabaseKind | undefined {
  if (databaseType.endsWith('-City')) return 'geoip';
  if (databaseType.endsWith('-ASN')) return 'asn';
  return undefined;
}

/**
 * Opens a MaxMind DB from its bytes.
 *
 * @param name how errors name it (the file path)
 * @throws InterpretError E0704 when the bytes are not a MaxMind DB, or its `databaseType` is
 *   neither a City nor an ASN database
 */
export function openGeoDatabase(bytes: Buffer, name: string): GeoDatabase {
  let reader: Reader<Response>;
  try {
    reader = new Reader(bytes);
  } catch (e) {
    throw new InterpretError('E0704', `${name}: not a MaxMind DB file (${(e as Error).message})`);
  }
  const databaseType = reader.metadata.databaseType;
  const kind = geoDatabaseKind(databaseType);
  if (kind === undefined) {
    throw new InterpretError(
      'E0704',
      `${name}: database type ${JSON.stringify(databaseType)} is neither a City (-City) nor an ASN (-ASN) database`,
    );
  }
  return {
    kind,
    databaseType,
    lookup(ip) {
      let found: unknown;
      try {
        found = reader.get(ip);
      } catch {
        return undefined; // not an address: nothing to look up
      }
      return isObject(found) ? found : undefined;
    },
  };
}

/**
 * Reads and opens the database files of `--geoip-database` (repeatable): at most one City and
 * one ASN database, each recognised by its `databaseType` ({@link geoDatabaseKind}).
 *
 * @throws InterpretError E0704 when a file cannot be read or opened, or two serve the same kind
 */
export function loadGeoDatabases(paths: readonly string[]): GeoDatabase[] {
  const databases: GeoDatabase[] = [];
  for (const path of paths) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new InterpretError(
        'E0704',
        `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    const database = openGeoDatabase(bytes, path);
    const twin = databases.find((d) => d.kind === database.kind);
    if (twin) {
      throw new InterpretError(
        'E0704',
        `${path}: a second ${database.kind === 'geoip' ? 'City' : 'ASN'} database (${database.databaseType}); give one of each kind`,
      );
    }
    databases.push(database);
  }
  return databases;
}

/** The ECS `<prefix>.geo` fields of a City record ({@link GEOIP_FIELDS}), only those present. */
export function geoFields(record: JsonObject): JsonObject {
  const out: JsonObject = {};
  const en = (path: readonly string[]): string | undefined => {
    const v = getPath(record, [...path, 'names', 'en']);
    return typeof v === 'string' ? v : undefined;
  };
  const text = (path: readonly string[]): string | undefined => {
    const v = getPath(record, path);
    return typeof v === 'string' ? v : undefined;
  };
  const put = (key: string, value: unknown): void => {
    if (value !== undefined) out[key] = value;
  };
  put('continent_name', en(['continent']));
  put('country_name', en(['country']));
  const country = text(['country', 'iso_code']);
  put('country_iso_code', country);
  const subdivisions = record['subdivisions'];
  const region = Array.isArray(subdivisions) ? subdivisions[subdivisions.length - 1] : undefined;
  if (isObject(region)) {
    const regionCode = getPath(region, ['iso_code']);
    if (country !== undefined && typeof regionCode === 'string') put('region_iso_code', `${country}-${regionCode}`);
    const regionName = getPath(region, ['names', 'en']);
    put('region_name', typeof regionName === 'string' ? regionName : undefined);
  }
  put('city_name', en(['city']));
  const lat = getPath(record, ['location', 'latitude']);
  const lon = getPath(record, ['location', 'longitude']);
  if (typeof lat === 'number' && typeof lon === 'number') out['location'] = { lat, lon };
  return Object.fromEntries(GEOIP_FIELDS.filter((f) => f in out).map((f) => [f, out[f]]));
}

/** The ECS `<prefix>.as` fields of an ASN record (`ASN_FIELDS` of `compiler/ir.ts`), only those present. */
export function asFields(record: JsonObject): JsonObject {
  const out: JsonObject = {};
  const number = record['autonomous_system_number'];
  if (typeof number === 'number') out['number'] = number;
  const organization = record['autonomous_system_organization'];
  if (typeof organization === 'string') out['organization'] = { name: organization };
  return out;
}

/**
 * Step 4a for one enrichment: looks the document's ip field up in the database of its kind and
 * writes what is found under the target. Nothing without a database, a string address, or a
 * record for it.
 */
export function enrich(doc: JsonObject, item: EnrichIR, databases: readonly GeoDatabase[]): void {
  const database = databases.find((d) => d.kind === item.database);
  if (database === undefined) return;
  const ip = getPath(doc, item.field);
  if (typeof ip !== 'string') return;
  const record = database.lookup(ip);
  if (record === undefined) return;
  const fields = item.database === 'geoip' ? geoFields(record) : asFields(record);
  if (Object.keys(fields).length === 0) return;
  setPath(doc, item.target, fields);
}
