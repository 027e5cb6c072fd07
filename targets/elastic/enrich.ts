/**
 * Step 4a of the record semantics (`compiler/ir.ts` `EnrichIR`) as ingest processors: the
 * `geoip` processor, as Elastic's own packages write it.
 *
 * - `geoip FIELD`: `geoip` with `field`, `target_field: <prefix>.geo` and `ignore_missing: true`,
 *   on the node's default City database (`GeoLite2-City.mmdb`) and its default City properties
 *   (continent_name, country_name, country_iso_code, region_iso_code, region_name, city_name,
 *   location: the IR's `GEOIP_FIELDS`). elastic/integrations `packages/bitwarden`,
 *   `data_stream/event/elasticsearch/ingest_pipeline/default.yml` (commit 026ead0e48) writes
 *   exactly `geoip: {field: source.ip, target_field: source.geo, ignore_missing: true}`.
 * - `asn FIELD`: `geoip` with `database_file: GeoLite2-ASN.mmdb`, `target_field: <prefix>.as`,
 *   `properties: [asn, organization_name]`, then two `rename`s to ECS (`asn` -> `number`,
 *   `organization_name` -> `organization.name`), the form of Elastic's packages (e.g.
 *   `packages/nginx`, `data_stream/access/elasticsearch/ingest_pipeline/default.yml`, commit
 *   136ebec10f, which also has the City `geoip` exactly as above).
 *
 * The processor writes nothing for an address its database does not hold and, with
 * `ignore_missing`, for a missing field
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/geoip-processor.html; OpenSearch
 * 2.19 `modules/ingest-geoip` `GeoIpProcessor`: an empty lookup sets nothing). The field holds an
 * address a rule wrote (the checks: an ECS `ip` field written by a rule), so the processor never
 * meets a value that is not an IP. Field names are ECS names (checked), quoted all the same.
 *
 * - `user_agent user_agent.original` (`UserAgentIR`): the `user_agent` processor with
 *   `field: user_agent.original` and `ignore_missing: true`, its default ECS output into
 *   `user_agent` (original, name, version, os, device), exactly as Elastic's packages write it
 *   (elastic/integrations `packages/okta`, `data_stream/system/elasticsearch/ingest_pipeline/default.yml`,
 *   commit 026f1c34be; `packages/nginx`, `data_stream/access/elasticsearch/ingest_pipeline/default.yml`,
 *   commit 02fc418e59). The processor parses with the `regexes.yml` the node bundles
 *   (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/user-agent-processor.html).
 *
 * @module
 */
import type { EnrichIR, FieldPath, UserAgentIR } from '../../compiler/ir.ts';
import { located } from './quote.ts';
import { dotted, type Builder, type Processor } from './ingest-steps.ts';

/** The ASN database file Elasticsearch (and OpenSearch's module) ships and Elastic's packages name. */
export const ASN_DATABASE_FILE = 'GeoLite2-ASN.mmdb';

/** The processors of one enrichment, in the order they run. */
export function enrichProcessors(b: Builder, item: EnrichIR): Processor[] {
  return located(item.loc, () => {
    const field = dotted(item.field);
    const target = dotted(item.target);
    const name = item.field.join('_');
    if (item.database === 'geoip') {
      return [{ geoip: { tag: b.tag(`geoip_${name}`), field, target_field: target, ignore_missing: true } }];
    }
    const under = (...rest: string[]): string => dotted([...item.target, ...rest] as FieldPath);
    return [
      {
        geoip: {
          tag: b.tag(`asn_${name}`),
          field,
          target_field: target,
          database_file: ASN_DATABASE_FILE,
          properties: ['asn', 'organization_name'],
          ignore_missing: true,
        },
      },
      {
        rename: {
          tag: b.tag(`rename_${name}_asn`),
          field: under('asn'),
          target_field: under('number'),
          ignore_missing: true,
        },
      },
      {
        rename: {
          tag: b.tag(`rename_${name}_organization_name`),
          field: under('organization_name'),
          target_field: under('organization', 'name'),
          ignore_missing: true,
        },
      },
    ];
  });
}

/** The `user_agent` processor of `user_agent user_agent.original` (its default ECS properties). */
export function userAgentProcessor(b: Builder, item: UserAgentIR): Processor {
  return located(item.loc, () => ({
    user_agent: { tag: b.tag('user_agent'), field: dotted(item.field), ignore_missing: true },
  }));
}
