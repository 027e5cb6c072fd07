/**
 * `geoip` / `asn` (compiler/ir.ts step 4a) in the remap: the address the rules wrote, looked up in
 * the integration's `mmdb` enrichment table (`../enrich.ts`), and the ECS fields of the IR's
 * `GEOIP_FIELDS` / `ASN_FIELDS` computed from the database's record exactly as the interpreter
 * does (`compiler/interpret/geoip.ts`): English names, the last subdivision, `region_iso_code`
 * only with both codes, `location` only with both coordinates, the target written only when a
 * field was found. `get_enrichment_table_record` fails for an address the table does not hold
 * ("IP not found"): nothing is written, no error.
 *
 * The lookup is the one expression {@link lookupExpression}; VRL runtimes without enrichment
 * tables (verel, the `vrl` CLI) refuse a program calling it, so the tests replace exactly that
 * expression by a literal stand-in.
 *
 * @module
 */
import type { EnrichIR, UserAgentIR } from '../../../compiler/ir.ts';
import { vrlConst } from '../quote.ts';
import { block, type Lines } from './code.ts';

/** The VRL variable holding the address looked up. */
export const LOOKUP_IP = 'mapc_enrich_ip';

/** `get_enrichment_table_record("<table>", {"ip": mapc_enrich_ip})`: fallible, an object. */
export function lookupExpression(table: string): string {
  return `get_enrichment_table_record(${vrlConst(table)}, {"ip": ${LOOKUP_IP}})`;
}

const CITY_LINES: Lines = [
  'mapc_enrich_v = mapc_enrich_found.continent.names.en',
  'if is_string(mapc_enrich_v) { mapc_enrich_out.continent_name = mapc_enrich_v }',
  'mapc_enrich_v = mapc_enrich_found.country.names.en',
  'if is_string(mapc_enrich_v) { mapc_enrich_out.country_name = mapc_enrich_v }',
  'mapc_enrich_country = mapc_enrich_found.country.iso_code',
  'if is_string(mapc_enrich_country) { mapc_enrich_out.country_iso_code = mapc_enrich_country }',
  '# The most specific subdivision is the last (MaxMind GeoIP2 City layout).',
  'mapc_enrich_region = mapc_enrich_found.subdivisions[-1]',
  'mapc_enrich_v = mapc_enrich_region.iso_code',
  ...block('if is_string(mapc_enrich_country) && is_string(mapc_enrich_v)', [
    'mapc_enrich_out.region_iso_code = (string(mapc_enrich_country) ?? "") + "-" + (string(mapc_enrich_v) ?? "")',
  ]),
  'mapc_enrich_v = mapc_enrich_region.names.en',
  'if is_string(mapc_enrich_v) { mapc_enrich_out.region_name = mapc_enrich_v }',
  'mapc_enrich_v = mapc_enrich_found.city.names.en',
  'if is_string(mapc_enrich_v) { mapc_enrich_out.city_name = mapc_enrich_v }',
  'mapc_enrich_lat = mapc_enrich_found.location.latitude',
  'mapc_enrich_lon = mapc_enrich_found.location.longitude',
  ...block(
    'if (is_float(mapc_enrich_lat) || is_integer(mapc_enrich_lat)) && (is_float(mapc_enrich_lon) || is_integer(mapc_enrich_lon))',
    ['mapc_enrich_out.location = {"lat": mapc_enrich_lat, "lon": mapc_enrich_lon}'],
  ),
];

const ASN_LINES: Lines = [
  'mapc_enrich_v = mapc_enrich_found.autonomous_system_number',
  'if is_integer(mapc_enrich_v) || is_float(mapc_enrich_v) { mapc_enrich_out.number = mapc_enrich_v }',
  'mapc_enrich_v = mapc_enrich_found.autonomous_system_organization',
  'if is_string(mapc_enrich_v) { mapc_enrich_out.organization = {"name": mapc_enrich_v} }',
];

/**
 * Lines of one enrichment, after every rule: `read` is the VRL expression of the ip field,
 * `write` the statement assigning `mapc_enrich_out` to the target.
 */
export function enrichCode(item: EnrichIR, table: string, read: string, write: string): Lines {
  return [
    `# Step 4a: ${item.database} ${item.field.join('.')} (compiler/ir.ts EnrichIR).`,
    `${LOOKUP_IP} = ${read}`,
    ...block(`if is_string(${LOOKUP_IP})`, [
      `mapc_enrich_found, mapc_enrich_missing = ${lookupExpression(table)}`,
      ...block('if mapc_enrich_missing == null', [
        'mapc_enrich_out = {}',
        ...(item.database === 'geoip' ? CITY_LINES : ASN_LINES),
        ...block('if length(mapc_enrich_out) > 0', [write]),
      ]),
    ]),
  ];
}

/**
 * `major[.minor[...]]` of the `parse_user_agent` fields `parts` (VRL paths under `mapc_ua`) into
 * `into`, each part only while the one before it is a non-empty string (the IR's rule,
 * `compiler/ir.ts` `UserAgentIR`): nested blocks, since VRL has no `break`.
 */
function versionLines(parts: readonly string[], variable: string, into: string): Lines {
  const step = (i: number): Lines => {
    if (i >= parts.length) return [];
    const v = `mapc_ua_${variable}${i}`;
    return [
      `${v} = mapc_ua.${parts[i]}`,
      ...block(`if is_string(${v}) && ${v} != ""`, [
        i === 0
          ? `mapc_ua_${variable} = string(${v}) ?? ""`
          : `mapc_ua_${variable} = mapc_ua_${variable} + "." + (string(${v}) ?? "")`,
        ...step(i + 1),
      ]),
    ];
  };
  return [
    `mapc_ua_${variable} = ""`,
    ...step(0),
    ...block(`if mapc_ua_${variable} != ""`, [`${into} = mapc_ua_${variable}`]),
  ];
}

/**
 * Lines of `user_agent user_agent.original` (compiler/ir.ts `UserAgentIR`, step 4a), after the
 * `geoip` / `asn` lines: VRL's `parse_user_agent` in `enriched` mode, the one whose `family`,
 * `major`, `minor`, `patch` (and the OS's `patch_minor`) come from ua-parser's regexes (uap-core,
 * the `ua-parser` crate; vrl `src/stdlib/parse_user_agent.rs`: `fast` is Woothee alone, `reliable`
 * Woothee with uap-core only for what Woothee leaves unknown, `enriched` uap-core first and
 * Woothee for what uap-core leaves null), then the ECS fields exactly as the interpreter computes
 * them (`compiler/interpret/user-agent.ts`): `name` and `device.name` `Other` when null, the
 * versions joined while their parts are present, `os` only with an OS name. Only the fields
 * uap-core alone fills are read (never Woothee's `version` or `category`). `read` is the VRL
 * expression of `user_agent.original`, `write` the statement assigning `mapc_ua_out` to
 * `user_agent`.
 */
export function userAgentCode(item: UserAgentIR, read: string, write: string): Lines {
  return [
    `# Step 4a: user_agent ${item.field.join('.')} (compiler/ir.ts UserAgentIR).`,
    `mapc_ua_text = ${read}`,
    ...block('if is_string(mapc_ua_text)', [
      'mapc_ua_text = string(mapc_ua_text) ?? ""',
      'mapc_ua = parse_user_agent(mapc_ua_text, mode: "enriched")',
      'mapc_ua_out = {"original": mapc_ua_text, "name": "Other", "device": {"name": "Other"}}',
      'if is_string(mapc_ua.browser.family) { mapc_ua_out.name = mapc_ua.browser.family }',
      ...versionLines(['browser.major', 'browser.minor', 'browser.patch'], 'version', 'mapc_ua_out.version'),
      ...block('if is_string(mapc_ua.os.family) && mapc_ua.os.family != "Other"', [
        'mapc_ua_out.os = {"name": mapc_ua.os.family}',
        ...versionLines(['os.major', 'os.minor', 'os.patch', 'os.patch_minor'], 'os_version', 'mapc_ua_out.os.version'),
        ...block('if is_string(mapc_ua_out.os.version)', [
          'mapc_ua_out.os.full = (string(mapc_ua.os.family) ?? "") + " " + (string(mapc_ua_out.os.version) ?? "")',
        ]),
      ]),
      'if is_string(mapc_ua.device.family) { mapc_ua_out.device.name = mapc_ua.device.family }',
      write,
    ]),
  ];
}
