/**
 * A large synthetic `.map` built from the constructs of the bundled maps (`maps/*.map`): the
 * three source styles (Endor Labs token exchange + page token, Entro raw header + time windows +
 * split, Enpass bearer + cursor/has_more) rotate over the streams; each stream maps the ECS
 * fields the bundled maps map, then fills up to the rule count with vendor-namespace rules that
 * cycle through every transform and condition form of the language. Also a record that
 * exercises every one of those rules, for the interpreter's throughput.
 *
 * @module
 */

export interface SyntheticShape {
  readonly streams: number;
  /** Rules per stream (at least {@link ECS_RULES}.length). */
  readonly rulesPerStream: number;
}

export const INTEGRATION = 'synthetic';

/** Rules copied from the bundled maps' constructs; they read the fields of {@link syntheticRecord}. */
const ECS_RULES = [
  '@timestamp           = meta.create_time | date(iso8601)',
  'event.kind           = "event"',
  'event.id             = uuid',
  'event.action         = spec.operation | lowercase',
  'event.category      += spec.operation | lookup(operation_categories)',
  'event.type          += spec.operation | lookup(operation_types)',
  'event.outcome        = "success" when spec.payload.success == true',
  'event.outcome        = "failure" when spec.payload.success == false',
  'user.name            = meta.created_by',
  'related.user        += meta.created_by',
  'source.ip            = spec.remote_address | ip',
  'related.ip          += spec.remote_address | ip',
  'organization.name    = tenant_meta.namespace',
  'log.origin.file.line = spec.line_number | long',
  'related.hash        += spec.exposed_value | hash',
];

/** Transform chains cycled over the vendor rules, with a value each one accepts. */
const TRANSFORMS: readonly { readonly chain: string; readonly value: unknown }[] = [
  { chain: '', value: 'as is' },
  { chain: ' | lowercase', value: 'MiXeD Case' },
  { chain: ' | uppercase', value: 'MiXeD Case' },
  { chain: ' | long', value: '1234567' },
  { chain: ' | double', value: '3.25e2' },
  { chain: ' | boolean', value: 'TRUE' },
  { chain: ' | keyword', value: 42 },
  { chain: ' | ip', value: '2001:db8::7' },
  { chain: ' | date(iso8601)', value: '2024-11-13T15:30:45.123456Z' },
  { chain: ' | date("dd/MM/yyyy", iso8601)', value: '13/11/2024' },
  { chain: ' | date(unix_ms)', value: 1731511845123 },
  { chain: ' | lookup(levels)', value: 'L17' },
  { chain: ' | hash', value: 'not-a-real-secret' },
  { chain: ' | mask(4)', value: 'abcdefghijkl' },
  { chain: ' | lowercase | lookup(levels)', value: 'L3' },
];

/** Condition suffixes cycled over the vendor rules ('' = unconditional). */
const CONDITIONS = [
  '',
  '',
  ' when exists data.kind',
  '',
  ' when data.kind == "audit"',
  '',
  ' when not exists data.gone',
  ' when setting.preserve_original_event',
];

const SOURCE_STYLES: readonly ((n: string) => string)[] = [
  (n) => `
  auth token_exchange {
    request POST "{base_url}/v1/auth/api-key" {
      body { "key": secret.api_key, "secret": secret.api_secret }
    }
    token    token
    lifetime 4h
    renew_before 5m
    header "Authorization" = "Bearer {token}"
  }
  request GET "{base_url}/v1/namespaces/{namespace}/${n}" {
    header "Accept" = "application/json"
    query "list_parameters.filter" = "meta.create_time > date({cursor})"
  }
  paginate page_token {
    token list.response.next_page_token
    send query "list_parameters.page_token"
  }
  records list.objects
  cursor {
    max   meta.create_time format iso8601
    start setting.backfill_start
  }
  retry {
    attempts 5
    backoff 1s to 60s
  }
  max_pages 200`,
  (n) => `
  auth header "Authorization" = secret.api_token
  request GET "{base_url}/v1/scan/${n}" {
    header "Accept" = "application/json"
    query "from" = "{window.start}"
    query "to"   = "{window.end}"
  }
  paginate time_window {
    step   1d
    format "dd/MM/yyyy"
  }
  records $
  split results.secrets
  cursor {
    start setting.backfill_start
  }`,
  (n) => `
  auth bearer secret.api_token
  request GET "{base_url}/api/v1/${n}" {
    header "Accept" = "application/json"
    query  "limit"  = "100"
    query  "since"  = "{cursor}"
  }
  paginate cursor_has_more {
    cursor   next_cursor
    has_more has_more
    send     query "cursor"
  }
  records events
  cursor {
    max   created_at format iso8601
    start setting.backfill_start
  }
  rate_limit {
    retry_after
    requests_per_second 10
  }`,
];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Name of stream `i` (0-based): `s01`, `s02`, ... */
export function streamName(i: number): string {
  return `s${pad(i + 1, 2)}`;
}

function vendorRule(stream: string, k: number): string {
  const transform = TRANSFORMS[k % TRANSFORMS.length]!;
  const condition = CONDITIONS[k % CONDITIONS.length]!;
  return `${INTEGRATION}.${stream}.out.f${pad(k, 3)} = data.f${pad(k, 3)}${transform.chain}${condition}`;
}

/** The rules of one stream, in order. */
function mapRules(stream: string, count: number): string[] {
  const rules = ECS_RULES.slice(0, count);
  for (let k = 0; rules.length < count; k++) rules.push(vendorRule(stream, k));
  return rules;
}

/**
 * The text of a map with `shape.streams` streams of `shape.rulesPerStream` rules each. It
 * compiles without errors (the benchmark checks that before measuring anything).
 */
export function syntheticMapText(shape: SyntheticShape): string {
  const lines: string[] = [
    "# Synthetic map for `npm run bench`: the bundled maps' constructs, repeated.",
    `integration ${INTEGRATION} {`,
    '  title       "Synthetic"',
    '  vendor      "Synthetic"',
    '  version     "0.1.0"',
    '  description "Benchmark input."',
    '}',
    'setting base_url: url = "https://api.vendor.example" { title "API base URL" }',
    'setting namespace: string required { title "Namespace" }',
    'setting backfill_start: timestamp { title "Backfill start time" }',
    'setting interval: duration = "5m" { title "Poll interval" }',
    'setting preserve_original_event: bool = false { title "Preserve original event" }',
    'secret api_key { title "API key" }',
    'secret api_secret { title "API secret" }',
    'secret api_token { title "API token" }',
    'table operation_types {',
    '  "OPERATION_CREATE" => "creation"',
    '  "OPERATION_UPDATE" => "change"',
    '  "OPERATION_DELETE" => "deletion"',
    '  "USER_LOGIN"       => "start"',
    '  default "info"',
    '}',
    'table operation_categories {',
    '  "USER_LOGIN" => "authentication"',
    '  default "configuration"',
    '}',
    'table levels {',
    ...Array.from({ length: 50 }, (_, i) => `  "L${i}" => "level-${i}"`),
    '  default "unknown"',
    '}',
  ];
  for (let i = 0; i < shape.streams; i++) {
    const name = streamName(i);
    lines.push(
      '',
      `stream ${name} {`,
      `  title    "Stream ${name}"`,
      `  dataset  "${INTEGRATION}.${name}"`,
      '  interval setting.interval',
      SOURCE_STYLES[i % SOURCE_STYLES.length]!(name),
      '  map {',
      '    unmapped keep',
      '    original when setting.preserve_original_event',
      '    id       uuid, meta.create_time',
      ...mapRules(name, shape.rulesPerStream).map((r) => `    ${r}`),
      '  }',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A record every rule of a synthetic stream maps (fields `data.f000`...), shaped like an Endor
 * Labs audit log for the ECS rules. `seq` varies the id fields so documents differ.
 */
export function syntheticRecord(rulesPerStream: number, seq: number): Record<string, unknown> {
  const data: Record<string, unknown> = { kind: 'audit' };
  for (let k = 0; k < rulesPerStream; k++) data[`f${pad(k, 3)}`] = TRANSFORMS[k % TRANSFORMS.length]!.value;
  return {
    uuid: `6731c2a5e4b0a1f3c9${pad(seq, 6)}`,
    tenant_meta: { namespace: 'acme-corp' },
    meta: { create_time: '2024-11-13T15:30:45.123456Z', created_by: 'jane.doe@acme-corp.example' },
    spec: {
      operation: 'USER_LOGIN',
      payload: { success: true },
      remote_address: '198.51.100.7',
      line_number: '17',
      exposed_value: 'not-a-real-secret',
    },
    data,
  };
}
