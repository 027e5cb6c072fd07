/**
 * `geoip` / `asn` (compiler/ir.ts `EnrichIR`, step 4a) as the Logstash `geoip` filter
 * (logstash-filter-geoip, bundled with Logstash; https://www.elastic.co/guide/en/logstash/current/plugins-filters-geoip.html),
 * after every rule:
 *
 * ```
 * geoip { source => "[source][ip]" target => "source" ecs_compatibility => "v8"
 *         fields => ["CONTINENT_NAME", ...] tag_on_failure => [] }
 * ```
 *
 * - `ecs_compatibility => "v8"` writes ECS names under `[target]`: `[source][geo][city_name]`,
 *   `[source][as][number]`... (logstash-plugins/logstash-filter-geoip
 *   `src/main/java/org/logstash/filters/geoip/Field.java`, commit a53f34b797: the ECS name of each
 *   field). The filter concatenates `[` target `]` with them, so the target is the prefix's one
 *   segment (`source`, `destination`, `client`, `server`); a longer prefix is refused (E0600).
 * - `fields` lists exactly the IR's `GEOIP_FIELDS` (`CONTINENT_NAME`, `COUNTRY_NAME`,
 *   `COUNTRY_CODE2` = `geo.country_iso_code`, `REGION_ISO_CODE`, `REGION_NAME`, `CITY_NAME`,
 *   `LOCATION` = `geo.location` `{lat, lon}`) or `ASN_FIELDS` (`AUTONOMOUS_SYSTEM_NUMBER`,
 *   `AUTONOMOUS_SYSTEM_ORGANIZATION`): the defaults would add `geo.continent_code`,
 *   `geo.postal_code`, `geo.timezone`, `ip`... (`Database.java`), which the other engines do not
 *   write.
 * - `default_database_type => "ASN"` for `asn` (the plugin's managed GeoLite2-ASN database);
 *   `geoip` uses the default City database. The databases are Logstash's own (geoip database
 *   management, or the bundled GeoLite2), run-time configuration outside the config.
 * - `tag_on_failure => []`: an address the database does not hold adds no `_geoip_lookup_failure`
 *   tag (the IR writes nothing there).
 *
 * One documented difference (`GeoIPFilter.java` `retrieveCityGeoData`): for a City record without
 * any coordinate the filter writes nothing ("if location is empty, there is no point populating
 * geo data"), where the IR writes the record's other fields (GeoLite2 City records located to a
 * country carry that country's coordinates, so this concerns hand-made or partial databases).
 *
 * @module
 */
import type { EnrichIR, UserAgentIR } from '../../compiler/ir.ts';
import { eq, field, ifThen, plugin, str, strHash, strs, type Statement } from './model.ts';
import { comment, own, type FieldRef, type Site } from './quote.ts';
import { cannotExpress, ref, removeFields, word } from './scratch.ts';

/** The filter's `fields` of each database kind (the plugin's field names, see the module doc). */
export const GEOIP_FILTER_FIELDS = {
  geoip: ['CONTINENT_NAME', 'COUNTRY_NAME', 'COUNTRY_CODE2', 'REGION_ISO_CODE', 'REGION_NAME', 'CITY_NAME', 'LOCATION'],
  asn: ['AUTONOMOUS_SYSTEM_NUMBER', 'AUTONOMOUS_SYSTEM_ORGANIZATION'],
} as const;

/** The `geoip` filter of one enrichment. @throws TargetRefusal E0600 for a prefix of several segments. */
export function enrichFilter(item: EnrichIR): Statement {
  const site: Site = { span: item.loc, what: 'field name' };
  const prefix = item.field.slice(0, -1);
  if (prefix.length !== 1) {
    throw cannotExpress(
      `${item.database} ${item.field.join('.')}: the geoip filter writes under [target] + one ECS name, so its target is one field name`,
      item.loc,
    );
  }
  return plugin(
    'geoip',
    [
      ['source', str(ref(item.field, site))],
      ['target', str(own(prefix[0]!))],
      ['ecs_compatibility', str(own('v8'))],
      ...(item.database === 'asn' ? ([['default_database_type', str(own('ASN'))]] as const) : []),
      ['fields', strs(...GEOIP_FILTER_FIELDS[item.database].map((f) => own(f)))],
      ['tag_on_failure', strs()],
    ],
    [comment`Step 4a: ${item.database} ${item.field.join('.')} (compiler/ir.ts EnrichIR, ./enrich.ts).`],
  );
}

/**
 * `user_agent user_agent.original` (compiler/ir.ts `UserAgentIR`, step 4a) as the Logstash
 * `useragent` filter (logstash-filter-useragent 3.3, bundled with Logstash;
 * https://www.elastic.co/guide/en/logstash/current/plugins-filters-useragent.html):
 *
 * ```
 * useragent { source => "[user_agent][original]" target => "[user_agent]" ecs_compatibility => "v8" }
 * if [user_agent][os][name] == "Other" { mutate { remove_field => ["[user_agent][os]"] } }
 * else if [user_agent][os][full] == [user_agent][os][name] { mutate { remove_field => ["[user_agent][os][full]"] } }
 * if [user_agent][original] == "" { mutate { replace => { "[user_agent][name]" => "Other" } } ... }
 * ```
 *
 * With `ecs_compatibility => "v8"` the filter writes `[user_agent][name]`, `[version]`,
 * `[os][name]`, `[os][version]`, `[os][full]` and `[device][name]` (the version parts go to
 * `[@metadata]`, which no output sends), and leaves `[user_agent][original]` as the rule wrote it
 * (logstash-plugins/logstash-filter-useragent `lib/logstash/filters/useragent.rb` `set_fields`).
 * The conditionals bring it to the IR where the filter is known to differ: its parser names an
 * agent without an OS match `Other` (`src/main/java/org/logstash/uaparser/OSParser.java`:
 * `new OS("Other", ...)`), where the IR writes no `os` (uap-core names no OS `Other`); it sets
 * `os.full` to the OS name alone when there is no version, where the IR writes no `os.full`; and it
 * skips an empty string (`return if useragent.nil? || useragent.empty?`), where the IR (as the
 * ingest processor) writes `name` and `device.name` `Other`. It parses with the `regexes.yaml` it
 * bundles; its other difference (a fourth version part that follows the three matched ones in
 * the text is appended) is in docs/target-differences.md.
 */
export function userAgentFilters(item: UserAgentIR): Statement[] {
  const site: Site = { span: item.loc, what: 'field name' };
  const under = (...rest: string[]): FieldRef => ref([...item.target, ...rest], site);
  return [
    plugin(
      'useragent',
      [
        ['source', str(ref(item.field, site))],
        ['target', str(ref(item.target, site))],
        ['ecs_compatibility', str(own('v8'))],
      ],
      [comment`Step 4a: user_agent ${item.field.join('.')} (compiler/ir.ts UserAgentIR, ./enrich.ts).`],
    ),
    ifThen(
      eq(field(under('os', 'name')), word('Other')),
      [plugin('mutate', [removeFields(under('os'))])],
      [
        ifThen(eq(field(under('os', 'full')), field(under('os', 'name'))), [
          plugin('mutate', [removeFields(under('os', 'full'))]),
        ]),
      ],
      [comment`The filter names a missing OS Other, and gives os.full without a version; the IR writes neither.`],
    ),
    ifThen(
      eq(field(ref(item.field, site)), word('')),
      [
        plugin('mutate', [
          [
            'replace',
            strHash([
              [under('name'), own('Other')],
              [under('device', 'name'), own('Other')],
            ]),
          ],
        ]),
      ],
      undefined,
      [comment`The filter skips an empty string; the IR parses it (name and device Other).`],
    ),
  ];
}
