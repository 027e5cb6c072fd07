/**
 * `geoip` / `asn` (compiler/ir.ts `EnrichIR`, step 4a) in the Vector config: one `mmdb`
 * enrichment table per database kind an integration uses, read in the remap with
 * `get_enrichment_table_record` (`./vrl/enrich.ts`).
 *
 * Why `mmdb` and not `geoip`: the `geoip` table type returns its own flat fields (`city_name`,
 * `continent_code`, `country_code`, `region_code`, `latitude`...; no continent *name*), from which
 * ECS `continent_name` cannot be made; the `mmdb` type returns the database's record as stored
 * (`continent.names.en`, `subdivisions`, `location.latitude`, `autonomous_system_number`...), so
 * the remap computes exactly the fields of the IR's `GEOIP_FIELDS` / `ASN_FIELDS`
 * (vectordotdev/vector `src/enrichment_tables/mmdb.rs` and `geoip.rs`, commits 5de220bf8a and
 * f13ef9deb0).
 * A lookup of an address the database does not hold is an error ("IP not found"), which the
 * remap treats as nothing found.
 *
 * The database path is run-time configuration: the config holds no `$` (environment
 * interpolation is off by default since Vector 0.57, `./secrets.ts`), so the path is a key of
 * the integration's secrets file (`GEOIP_CITY_DATABASE`, `GEOIP_ASN_DATABASE`), like the
 * Elasticsearch endpoint, placed with `SECRET[...]`. Vector refuses to start without a readable
 * database at that path (the table is built at load time).
 *
 * @module
 */
import type { EnrichIR, IntegrationIR } from '../../compiler/ir.ts';
import { secretRef, yamlConst, type YamlNode } from './quote.ts';

/** The secrets-file key of each database kind's path, with its README description and example. */
export const GEOIP_KEYS = {
  geoip: {
    key: 'GEOIP_CITY_DATABASE',
    description: 'path of a MaxMind GeoIP2/GeoLite2 City database (.mmdb) readable by vector, for geoip',
    example: '/var/lib/GeoIP/GeoLite2-City.mmdb',
  },
  asn: {
    key: 'GEOIP_ASN_DATABASE',
    description: 'path of a MaxMind GeoLite2 ASN database (.mmdb) readable by vector, for asn',
    example: '/var/lib/GeoIP/GeoLite2-ASN.mmdb',
  },
} as const;

/** The database kinds the integration's streams enrich from, City first. */
export function enrichKinds(ir: IntegrationIR): EnrichIR['database'][] {
  const used = new Set(ir.streams.flatMap((s) => (s.mapping.enrich ?? []).map((e) => e.database)));
  return (['geoip', 'asn'] as const).filter((k) => used.has(k));
}

/** The enrichment table name of a kind: `<integration>_geoip_city` / `<integration>_geoip_asn`. */
export function enrichTable(ir: Pick<IntegrationIR, 'name'>, kind: EnrichIR['database']): string {
  return `${ir.name}_geoip_${kind === 'geoip' ? 'city' : 'asn'}`;
}

/** The `enrichment_tables` section, or undefined when no stream enriches. */
export function enrichmentTables(
  ir: IntegrationIR,
  backend: { readonly name: string },
): Record<string, YamlNode> | undefined {
  const kinds = enrichKinds(ir);
  if (kinds.length === 0) return undefined;
  return Object.fromEntries(
    kinds.map((kind) => [
      enrichTable(ir, kind),
      { type: yamlConst('mmdb'), path: secretRef(backend.name, GEOIP_KEYS[kind].key) },
    ]),
  );
}
