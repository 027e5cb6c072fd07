/**
 * Every string position of the `.map` grammar, in one map that compiles cleanly with benign
 * text, so that an injection suite can put a hostile string into one position at a time and
 * know exactly where the compiler must point if it refuses it.
 *
 * A position is a `«name»` marker inside a string literal of {@link BASE_MAP}; {@link placeAt}
 * writes a decoded string there in map syntax ({@link mapStringBody}) and fills every other
 * marker with its benign text. Positions whose text the checks constrain by design (names,
 * versions, datasets, date patterns) are listed too: a hostile string there must be refused.
 *
 * @module
 */

/** How the text of a position is used (what a refusal may cite). */
export type PositionKind =
  | 'text' // free text: titles, descriptions, vendor
  | 'template' // request text: URL, header and query values, body strings
  | 'name' // HTTP names: header and query names, body keys, rate-limit headers
  | 'segment' // a quoted field-path segment
  | 'constant' // a rule's constant value or a condition's literal
  | 'table' // a lookup table key, value or default
  | 'pattern' // a date pattern
  | 'constrained'; // text with a fixed syntax (version, dataset, setting default, scope)

export interface Position {
  readonly name: string;
  readonly kind: PositionKind;
  /** The benign text the base map has there. */
  readonly benign: string;
}

export const POSITIONS: readonly Position[] = [
  { name: 'integration.title', kind: 'text', benign: 'Hostile Vendor' },
  { name: 'integration.vendor', kind: 'text', benign: 'Hostile Inc.' },
  { name: 'integration.version', kind: 'constrained', benign: '0.1.0' },
  { name: 'integration.description', kind: 'text', benign: 'Collects hostile events.' },
  { name: 'integration.changelog', kind: 'constrained', benign: 'https://example.org/changes/1' },
  { name: 'agentless.organization', kind: 'constrained', benign: 'security' },
  { name: 'agentless.division', kind: 'constrained', benign: 'engineering' },
  { name: 'agentless.team', kind: 'constrained', benign: 'security-service-integrations' },
  { name: 'setting.title', kind: 'text', benign: 'API base URL' },
  { name: 'setting.description', kind: 'text', benign: 'Base URL of the API.' },
  { name: 'setting.default', kind: 'constrained', benign: 'eu' },
  { name: 'secret.title', kind: 'text', benign: 'API key' },
  { name: 'secret.description', kind: 'text', benign: 'The key from the console.' },
  { name: 'table.key', kind: 'table', benign: 'LOGIN' },
  { name: 'table.value', kind: 'table', benign: 'start' },
  { name: 'table.default', kind: 'table', benign: 'info' },
  { name: 'table.list.value', kind: 'table', benign: 'admin' },
  { name: 'stream.title', kind: 'text', benign: 'Audit logs' },
  { name: 'stream.description', kind: 'text', benign: 'Audit events of the tenant.' },
  { name: 'stream.dataset', kind: 'constrained', benign: 'hostile.audit' },
  { name: 'auth.header.name', kind: 'name', benign: 'X-API-Key' },
  { name: 'auth.header.value', kind: 'template', benign: 'Key {secret.api_key}' },
  { name: 'request.url', kind: 'template', benign: '/v1/audit' },
  { name: 'request.header.name', kind: 'name', benign: 'Accept' },
  { name: 'request.header.value', kind: 'template', benign: 'application/json' },
  { name: 'request.query.name', kind: 'name', benign: 'filter' },
  { name: 'request.query.value', kind: 'template', benign: 'created > {cursor}' },
  { name: 'paginate.send.query', kind: 'name', benign: 'page_token' },
  { name: 'paginate.token.segment', kind: 'segment', benign: 'next-token' },
  { name: 'records.segment', kind: 'segment', benign: 'audit-items' },
  { name: 'cursor.segment', kind: 'segment', benign: 'created-at' },
  { name: 'rate_limit.remaining', kind: 'name', benign: 'X-RateLimit-Remaining' },
  { name: 'rate_limit.reset', kind: 'name', benign: 'X-RateLimit-Reset' },
  { name: 'map.id.segment', kind: 'segment', benign: 'event-id' },
  { name: 'map.remove.segment', kind: 'segment', benign: 'internal-note' },
  { name: 'map.remove_when.segment', kind: 'segment', benign: 'draft-note' },
  { name: 'map.remove_when.literal', kind: 'constant', benign: 'ok' },
  { name: 'map.id_raw.segment', kind: 'segment', benign: 'login-id' },
  { name: 'rule.source.segment', kind: 'segment', benign: 'actor-name' },
  { name: 'rule.destination.segment', kind: 'segment', benign: 'vendor-note' },
  { name: 'rule.constant', kind: 'constant', benign: 'hostile' },
  { name: 'rule.condition.literal', kind: 'constant', benign: 'ok' },
  { name: 'rule.condition.in', kind: 'constant', benign: 'ok' },
  { name: 'rule.condition.prefix', kind: 'constant', benign: 'ok' },
  { name: 'rule.condition.suffix', kind: 'constant', benign: 'ok' },
  { name: 'rule.condition.contains', kind: 'constant', benign: 'ok' },
  { name: 'rule.date.pattern', kind: 'pattern', benign: 'dd/MM/yyyy' },
  { name: 'rule.condition.now.pattern', kind: 'pattern', benign: 'dd/MM/yyyy' },
  { name: 'rule.split.separator', kind: 'constant', benign: ',' },
  { name: 'rule.select.key', kind: 'segment', benign: 'target-type' },
  { name: 'rule.select.literal', kind: 'constant', benign: 'User' },
  { name: 'rule.select.rest', kind: 'segment', benign: 'target-id' },
  { name: 'rule.elements.name', kind: 'segment', benign: 'kept-id' },
  // The separators of `kv`: ASCII punctuation is carried (Java and Logstash regexes, VRL strings,
  // the guards' code points), anything else is refused by the checks (E0175, E0176).
  { name: 'rule.kv.field_separator', kind: 'constrained', benign: ';' },
  { name: 'rule.kv.value_separator', kind: 'constrained', benign: ':' },
  // Inside the capturing group of an `extract` pattern: text in the regex subset is carried (as
  // each engine's escapes), anything else is refused by the checks (E0182, E0183).
  { name: 'rule.extract.pattern', kind: 'pattern', benign: '[0-9]+' },
  { name: 'exchange.url', kind: 'template', benign: '/v1/login' },
  { name: 'exchange.body.key', kind: 'name', benign: 'key' },
  { name: 'exchange.body.value', kind: 'template', benign: 'client' },
  { name: 'exchange.header.name', kind: 'name', benign: 'Authorization' },
  { name: 'exchange.header.value', kind: 'template', benign: 'Bearer {token}' },
  { name: 'logins.send.body.segment', kind: 'segment', benign: 'next-cursor' },
  { name: 'oauth2.token_url', kind: 'template', benign: '/oauth/token' },
  { name: 'oauth2.scope', kind: 'constrained', benign: 'audit.read' },
  { name: 'window.query.value', kind: 'template', benign: '{window.start}' },
  { name: 'window.format', kind: 'pattern', benign: 'dd/MM/yyyy' },
];

/**
 * The stream whose mapping holds a position's text, for the positions that are not the audit
 * stream's (the injection suites run that stream's pipeline or remap on records reaching the text).
 */
export const STREAM_OF: Readonly<Record<string, string>> = { 'map.id_raw.segment': 'logins' };

/** The stream whose mapping a position's text reaches (`audit` unless {@link STREAM_OF} says otherwise). */
export function streamOf(positionName: string): string {
  return STREAM_OF[positionName] ?? 'audit';
}

/**
 * The base map: three streams so that every auth kind with string positions appears once
 * (header auth with page tokens and a record cursor; a token exchange with a JSON body, whose
 * data request's later pages send only the page token, `send body ... replace`; OAuth2 with time
 * windows). A stream has one document id, so the vendor id as is (`id raw`) is the
 * token-exchange stream's, `logins`, and {@link STREAM_OF} names it for the suites that run a
 * stream's mapping; every other mapping position is the audit stream's.
 */
export const BASE_MAP = `integration hostile {
  title       "«integration.title»"
  vendor      "«integration.vendor»"
  version     "«integration.version»"
  description "«integration.description»"
  changelog   "«integration.changelog»"
  agentless {
    organization "«agentless.organization»"
    division     "«agentless.division»"
    team         "«agentless.team»"
  }
}

setting base_url: url = "https://api.example.com" {
  title       "«setting.title»"
  description "«setting.description»"
}
setting region: string = "«setting.default»" { title "Region" }
setting backfill_start: timestamp { title "Backfill start" }
setting client_id: string required { title "Client id" }

secret api_key {
  title       "«secret.title»"
  description "«secret.description»"
}
secret client_secret { title "Client secret" }

table kinds {
  "«table.key»" => "«table.value»"
  default "«table.default»"
}

table kind_lists {
  "LOGIN" => ["«table.list.value»", "other"]
}

stream audit {
  title       "«stream.title»"
  description "«stream.description»"
  dataset     "«stream.dataset»"
  interval    5m

  auth header "«auth.header.name»" = "«auth.header.value»"

  request GET "{base_url}«request.url»" {
    header "«request.header.name»" = "«request.header.value»"
    query  "«request.query.name»" = "«request.query.value»"
    query  "region" = "{region}"
  }

  paginate page_token {
    token list."«paginate.token.segment»"
    send  query "«paginate.send.query»"
  }

  records list."«records.segment»"

  cursor {
    max   "«cursor.segment»" format iso8601
    start setting.backfill_start
  }

  rate_limit {
    retry_after
    remaining "«rate_limit.remaining»"
    reset     "«rate_limit.reset»"
  }

  map {
    namespace hostile.audit
    unmapped  keep
    id        "«map.id.segment»"
    remove    "«map.remove.segment»"
    remove    "«map.remove_when.segment»" when status == "«map.remove_when.literal»"

    @timestamp    = "«cursor.segment»" | date(iso8601)
    event.kind    = "event"
    labels.kind   = kind | lookup(kinds)
    hostile.audit.kinds = kind | lookup(kind_lists)
    user.name     = "«rule.source.segment»"
    hostile.audit."«rule.destination.segment»" = note
    labels.origin = "«rule.constant»"
    event.outcome = "success" when status == "«rule.condition.literal»"
    labels.listed = "yes" when status in ["«rule.condition.in»", "other"]
    labels.prefix = "yes" when status starts_with "«rule.condition.prefix»"
    labels.suffix = "yes" when status ends_with "«rule.condition.suffix»"
    labels.inside = "yes" when status contains "«rule.condition.contains»" and not exists flag
    event.created = day | date("«rule.date.pattern»")
    labels.stale  = "yes" when day < now - 30d format "«rule.condition.now.pattern»"
    hostile.audit.parts = tags | split("«rule.split.separator»")
    hostile.audit.pairs = pairs | kv("«rule.kv.field_separator»", "«rule.kv.value_separator»")
    hostile.audit.code  = note | extract("code=(«rule.extract.pattern»)")
    hostile.audit.picked = targets["«rule.select.key»" == "«rule.select.literal»"]."«rule.select.rest»"
    hostile.audit.kept   = targets[] { "«rule.elements.name»" = "target-id" }
  }
}

stream logins {
  title    "Logins"
  dataset  "hostile.logins"
  interval 5m

  auth token_exchange {
    request POST "{base_url}«exchange.url»" {
      body { "«exchange.body.key»": secret.api_key, "client": "«exchange.body.value»" }
    }
    token    token
    lifetime 1h
    header "«exchange.header.name»" = "«exchange.header.value»"
  }

  request POST "{base_url}/v1/logins" {
    body { "limit": 100 }
  }

  paginate cursor_has_more {
    cursor   next
    has_more more
    send     body paging."«logins.send.body.segment»" replace
  }

  records $

  map {
    id raw meta."«map.id_raw.segment»"
    @timestamp = time | date(iso8601)
  }
}

stream windows {
  title    "Windows"
  dataset  "hostile.windows"
  interval 1h

  auth oauth2 {
    token_url     "{base_url}«oauth2.token_url»"
    client_id     = setting.client_id
    client_secret = secret.client_secret
    scopes        "«oauth2.scope»"
  }

  request GET "{base_url}/v1/windows" {
    query "from" = "«window.query.value»"
    query "to"   = "{window.end}"
  }

  paginate time_window {
    step   1d
    format "«window.format»"
  }

  records $

  cursor {
    start setting.backfill_start
  }

  map {
    @timestamp = time | date(iso8601)
  }
}
`;

/**
 * `text` as the inside of a map string literal: `"` and `\\` escaped, line breaks and tabs as
 * `\\n`/`\\t`, every other control character, braces and non-characters as `\\u{...}` (braces by
 * escape are literal text in request strings too, `docs/language.md`).
 */
export function mapStringBody(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '{' || ch === '}' || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029) {
      out += `\\u{${cp.toString(16).toUpperCase()}}`;
    } else out += ch;
  }
  return out;
}

/** Where the chosen position's string literal starts in the map (its opening quote). */
export interface Placement {
  readonly position: Position;
  readonly map: string;
  /** 1-based line and column of the opening quote of the literal holding the text. */
  readonly line: number;
  readonly column: number;
}

/**
 * The base map with `text` at `position` and benign text everywhere else. A template position's
 * own placeholders (`{cursor}`, `{token}`, `{window.start}`) are kept around the hostile text so
 * the map stays valid.
 */
export function placeAt(positionName: string, text: string): Placement {
  const position = POSITIONS.find((p) => p.name === positionName);
  if (!position) throw new Error(`unknown position ${positionName}`);
  // A template's benign text is already map syntax (its braces are placeholders).
  const benignBody = (p: Position): string => (p.kind === 'template' ? p.benign : mapStringBody(p.benign));
  let marked = BASE_MAP;
  for (const p of POSITIONS) {
    if (p.name === positionName) continue;
    marked = marked.replaceAll(`«${p.name}»`, () => benignBody(p));
  }
  const marker = `«${positionName}»`;
  const at = marked.indexOf(marker);
  if (at < 0) throw new Error(`position ${positionName} is not in the base map`);
  const body =
    position.kind === 'template' ? `${mapStringBody(text)}${placeholderTail(position.benign)}` : mapStringBody(text);
  const map = marked.replaceAll(marker, () => body);
  const quote = marked.lastIndexOf('"', at);
  const before = marked.slice(0, quote);
  const line = before.split('\n').length;
  const column = quote - before.lastIndexOf('\n');
  return { position, map, line, column };
}

/** The placeholders of a template's benign text, kept so that the map still uses them. */
function placeholderTail(benign: string): string {
  return (benign.match(/\{[a-z_.]+\}/g) ?? []).join('');
}
