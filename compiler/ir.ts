/**
 * The mapc intermediate representation (IR): the one target-neutral description of a vendor
 * integration that every backend (`targets/<name>/`) consumes and the reference interpreter
 * (`compiler/interpret/`) executes.
 *
 * The IR is plain JSON-serialisable data (no classes, no functions, no `undefined` where a value
 * is meaningful) so that `mapc ir <file>` can print it and golden tests can compare it.
 *
 * ## Record semantics (normative: every target must produce the same documents)
 *
 * A stream's *source* turns API responses into **records**: JSON objects taken from
 * `records.path` of each response body, then split (see {@link SplitIR}). Every record reaches
 * the mapping as the JSON text of that record (the `message` of the event), and the mapping turns
 * it into one ECS document:
 *
 * 0. When a `drop when` condition ({@link MappingIR.drop}) holds for the record as received, the
 *    record produces no document (no id, no `error.message`); the steps below do not run.
 * 1. The record is parsed from `message`. If `mapping.keepUnmapped`, it is placed under
 *    `mapping.namespace` (e.g. `endor_labs.audit`) in the output document; otherwise it is held in
 *    a target-specific temporary field that never reaches the output.
 *    `message` itself is removed from the output; `event.original` receives the message text
 *    only when {@link MappingIR.original} says so.
 * 2. {@link RuleIR}s run in order. A rule reads its source path *relative to the record's
 *    location* (the namespace or temporary field), applies its transforms, and writes its ECS
 *    destination field (absolute dotted path). Reads see earlier rules' writes when a rule writes a path
 *    under the namespace.
 * 3. A source value that is missing **or `null`** makes the rule do nothing (no write, no error).
 * 4. A transform that cannot convert its input (see {@link TransformIR}), or a destination that cannot
 *    be written (a parent of it is present but not an object), makes the rule *fail*: it writes
 *    nothing and appends the fixed text {@link conversionErrorMessage} to `error.message`
 *    (an array of strings), unless the rule says `on_error ignore` ({@link RuleIR.onError}):
 *    then it appends nothing.
 *    **Redaction fails closed.** A redaction transform (`hash`, `mask`) that cannot redact its
 *    input (any value that is not a string) fails like any conversion, AND the rule immediately
 *    deletes its source path from the record, so a value that could not be redacted is never
 *    stored, in the namespace or elsewhere; later rules reading that path see it missing. The
 *    same holds for every failure of a rule whose transforms include a redaction (a transform
 *    before the redaction that fails, or a destination that cannot be written): the deleted path is
 *    always the rule's source path, whatever transforms precede the redaction (see
 *    {@link redactedSource}). A redaction of a string never fails. A rule that does not run
 *    (false `when`, missing or `null` source) or whose lookup yields nothing deletes nothing.
 * 4a. After all rules, each enrichment ({@link MappingIR.enrich}, {@link EnrichIR}) in source
 *    order reads its ECS ip field from the document as the rules left it and, when the field
 *    holds an address the engine's configured database (run-time configuration, never map text)
 *    has data for, writes that data under `<prefix>.geo` (GeoIP City) or `<prefix>.as` (ASN):
 *    only the {@link GEOIP_FIELDS} or {@link ASN_FIELDS} the database holds for the address. A
 *    missing field, an address the database does not hold, or no database configured (the
 *    interpreter without `--geoip-database`) writes nothing and appends no error. It reads and
 *    writes only the document, so step 5 (record paths) is unaffected by its place.
 *    Then the user-agent parsing ({@link MappingIR.userAgent}, {@link UserAgentIR}), if any,
 *    reads `user_agent.original` from the document as the rules left it and, when it holds a
 *    string (the empty string included), replaces `user_agent` by the {@link USER_AGENT_FIELDS}
 *    computed from it; a missing field writes nothing and appends no error.
 * 5. After all rules: the condition of each conditional remove (`mapping.removeWhen`) is tested
 *    on the record as the rules left it, and the paths of those that hold are deleted; every
 *    path in `mapping.remove` is deleted from the record; then each
 *    *consumed* source path (see {@link MappingIR.consumed}) is deleted from the record when its
 *    `whenDestinationSet` field exists in the document. A source path that a rule writes inside
 *    the namespace (or a path above or below such a write) is never consumed, so that write
 *    stays. A value that failed to convert therefore stays in the vendor namespace (when
 *    `keepUnmapped`) or is dropped (otherwise), always with its `error.message` (a value a
 *    redaction rule failed on is already gone, step 4).
 *    Deleting a leaf leaves its (possibly empty) parent objects in place.
 *    Then, with {@link MappingIR.dropEmpty} (`drop empty`), the value at the namespace in the
 *    document is pruned: every `null`, `""`, `[]` and `{}` in it is removed, innermost first, so
 *    an object or array that only held such values goes too (an array keeps the order of the
 *    elements left); the namespace itself is removed when nothing is left in it, and then each of
 *    its parents that is an empty object. Numbers, booleans and other strings (`" "` included)
 *    stay. A namespace that holds a scalar is left as it is.
 * 6. The document id (see {@link DocumentIdIR}: a SHA-256 of fields, or the vendor's id as is)
 *    is computed from the *original* record values and stored as the target's document id
 *    (`_id`), never in the document body. A raw id whose value is not usable (missing, not a
 *    string or integer, empty, longer than 512 bytes) gives no id: the engine assigns one.
 * 7. Without `keepUnmapped`, the temporary record is removed.
 * 8. When the document has no `@timestamp` after steps 1-7 (no rule wrote it: none writes it,
 *    its condition was false, its source was missing or its conversion failed), the targets keep
 *    the collection time their engine assigned, because Elasticsearch data streams reject a
 *    document without `@timestamp`: Elastic Agent's event `@timestamp` (the ingest pipeline only
 *    overwrites it when a rule writes it); Logstash's event `@timestamp` (its creation time);
 *    Vector: the source's `timestamp` field (the time the `exec`/`http_client` source read the
 *    event), else `now()`, formatted like every other date (below). The reference interpreter
 *    and `mapc preview` have no collection time and leave it unset, so comparisons with them
 *    (fixtures, agreement tests) count an engine-assigned `@timestamp` only where the
 *    interpreter's document has one.
 *
 * A record nested deeper than {@link MAX_RECORD_DEPTH} levels (the record object is level 1;
 * each object or array in it adds one) is not mapped: its document is
 * `{"event":{"kind":"pipeline_error"},"error":{"message":[RECORD_TOO_DEEP_MESSAGE]}}`, without an
 * id (the collector's limit for the same records, so every tool bounds its work alike).
 *
 * Dates are always written as UTC strings `yyyy-MM-ddTHH:mm:ss.SSSZ` (millisecond precision,
 * extra fraction digits truncated, never rounded). This is the Elasticsearch `date` processor's
 * default output format
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/date-processor.html).
 *
 * ## Record schemas: two tiers (normative for every target)
 *
 * A stream may declare the shape of its records ({@link StreamIR.schema}, the map's
 * `record { }` block): each record *as the mapping sees it*, after `split` (the split path holds
 * one element of the array, or `[]` when the record's array was empty, {@link SplitIR}). Its
 * meaning is a JSON Schema (draft 2020-12) that `compiler/schema/` builds and `mapc schema` prints:
 *
 * - a declared field has one or more value types ({@link ValueType}: `integer` is a JSON number
 *   without a fractional part, `any` any value), is present unless `optional`, is not `null`
 *   unless `nullable`, and its strings (and, for `unix`/`unix_ms`, numbers) match one of its
 *   `formats` as the interpreter's own date and IP parsers read them (the `date` transform's
 *   parser and `convert ip`), so validation and mapping always agree;
 * - the parents of a declared path are objects, present whenever a declared descendant is not
 *   optional; declaring a parent explicitly (`meta object optional`) makes its subtree optional;
 * - fields the schema does not declare may be present with any value (vendors add fields); they
 *   are kept as step 1 says.
 *
 * A record *conforms* when it satisfies every declaration. Every IR node that reads a record path
 * carries the path's resolved type ({@link FieldTypeIR}: `ValueIR.field.source`, condition
 * `source`, `DocumentIdIR.fieldTypes`, the `record_max` cursor's `fieldType`, `SplitIR.elementType`,
 * `MappingIR.removeTypes`), so a backend never looks a path up; all of them are absent when the
 * stream has no schema.
 *
 * **Tier 1: conforming records.** Every target gives exactly the interpreter's document and id
 * (steps 1-8 above). The schema changes no result on a conforming record: the document and id are
 * those the same map gives without its `record` block. A backend may rely on the declared types
 * (omit a type test the schema settles) only because of tier 2.
 *
 * **Tier 2: a record that violates the schema.** The record is never dropped and no violation
 * aborts the rest of its document:
 *
 * 1. A rule whose source value is present, not `null`, and of a type or format its declaration
 *    does not allow *fails* as a failed conversion does (step 4): it writes nothing, the value
 *    stays in the vendor namespace (a failed rule consumes nothing, step 5; with `drop empty` a
 *    violating `""`, `[]` or `{}` is then pruned like any empty value), and `error.message`
 *    gains one entry (the text per engine: table below). Redaction still fails closed: a rule
 *    that hashes or masks deletes its source path (step 4), so an unredactable value is never
 *    stored, violation or not.
 * 2. A missing or `null` value where the schema forbids it makes the rule do nothing, as in
 *    step 3. An engine that reads such a value without a guard may append an `error.message`
 *    entry for it; the interpreter appends none.
 * 3. Conditions, `remove`, the document id and the cursor read values exactly as in tier 1 (a
 *    condition never fails; an id field holds its value as text).
 * 4. Nothing else changes: a violation in a field no rule reads changes no rule.
 *
 * Texts appended to `error.message` by a rule failing under tier 2 (1.), per engine; filled in by
 * each target when it lowers with the schema:
 *
 * | engine | text |
 * |---|---|
 * | reference interpreter (`mapc preview`, `mapc collect --mapped`) | {@link conversionErrorMessage}: `mapc: cannot map <source> to <destination>` |
 * | Elasticsearch ingest pipeline | {@link conversionErrorMessage} (the interpreter's text), appended by the rule's processor-level `on_failure`, or, for a rule whose processor skips a violating value, by the stream's failure report after the rule, which reads the rule's outcome from the document (`targets/elastic/lean.ts`) |
 * | Vector `remap` (VRL) | the interpreter's: `mapc: cannot map <source> to <destination>` (`targets/vector/vrl/lean.ts`; a missing or `null` value appends none) |
 * | Logstash filters (`targets/logstash/lean.ts`) | {@link conversionErrorMessage}, as the interpreter's |
 *
 * A map without a `record` block has no schema: every target generates exactly what it generated
 * before schemas existed, with every rule guarded against every JSON type.
 *
 * ## Run-time safety and incremental state (normative for `mapc collect` and the CEL programs)
 *
 * What a generated collector does with a {@link SourceIR} against an API that misbehaves, by
 * accident or on purpose. `mapc collect` (`collector/`) and the Elastic CEL programs
 * (`targets/elastic/cel/`) implement exactly this; a collector error is a diagnostic code of the
 * E08xx range, a CEL error is one error event.
 *
 * 1. **State that cannot lose a record.** The state per stream is the *committed cursor* plus an
 *    optional *page sequence in progress* (a stream without a cursor keeps the sequence alone,
 *    and nothing once it completes: its next run starts at page 1). A *page sequence* is the
 *    pages from the map's own request (page 1) to the page whose pagination says there is no
 *    next page.
 *    1. The committed cursor is what `{cursor}` renders. It changes only when a page sequence
 *       completes (for `time_window`: a window whose end ≤ now, each window being a sequence of
 *       one page). It then becomes the largest record value seen in the whole sequence
 *       (`record_max`, compared as instants, stored as the record's own text, never smaller than
 *       before) or the window end (`window`). A `next_page` cursor never changes (it is the
 *       starting point); its complete sequence leaves instead a sequence of no pages at the
 *       position the next run polls ({@link CursorIR}).
 *    2. After each page whose events are all written and flushed (collector) or handed to the
 *       Agent with the cursor (CEL), the state records the sequence in progress: the
 *       committed cursor unchanged, the position of the next page (page token, `has_more`
 *       cursor, page number, offset, or next `Link` URL) and the largest record value seen so
 *       far in the sequence. The collector writes that progress to its state file at most once
 *       per checkpoint interval (`--checkpoint-ms`, default 1 s; 0: after every page), and
 *       always when a sequence completes and when a run ends, by success or by error; a process
 *       killed between two writes repeats the pages since the last one (re-delivery, which the
 *       document id de-duplicates; never loss, since no write is ahead of the output).
 *    3. A run that starts with a sequence in progress resumes at its next position with the same
 *       committed cursor in the request (the query that started the sequence). When that resumed
 *       request is answered with a 4xx other than 401/403/429 (an expired page token), the
 *       sequence is discarded, logged, and restarts at its first page: re-delivery, which the
 *       document id de-duplicates; never loss.
 *    4. The page cap ({@link SourceIR.maxPagesPerRun}) ends a run in the middle of a sequence; the
 *       next run resumes (3).
 *    5. Records may arrive in any order within a sequence (newest or oldest first): nothing
 *       assumes an order. A strict filter (`ts > {cursor}`) with equal timestamps across a page
 *       boundary loses nothing, because the filter's bound moves only between sequences.
 *    6. First run: the initial cursor (the backfill setting, else now minus the look-back, see
 *       {@link CursorInitial}; a window cursor's start aligned down to a multiple of the step
 *       since the epoch) is saved before the first request.
 * 2. **Pagination that does not advance.** A next position equal to one already used in the
 *    current sequence (a repeated page token, `has_more` cursor or `Link` URL) ends the run with
 *    an error (E0809; CEL: one error event): the sequence in progress is discarded and the
 *    committed cursor does not advance. With `link_header`, a page without records, or a next
 *    URL equal to the URL just fetched, ends the sequence normally (it completes, 1.1): APIs that
 *    always send a next link cost one request per run when there is nothing new. Pages without
 *    records whose pagination still claims more: at most 3 in a row; the 4th is a loop (E0809).
 *    `maxPagesPerRun` is bounded by the checks (1..10,000).
 * 3. **Credentials only to the configured origin.** Credentials (every auth header kind, basic,
 *    bearer, header secrets, exchanged and OAuth2 tokens) are sent only to the origin (scheme,
 *    host, port; RFC 6454 §4) of the rendered request URL (data requests) or of the token/login
 *    URL (token requests). A next-page URL or a redirect target on another origin is *refused*:
 *    nothing is sent there, the run ends with an error (E0810; CEL: an error event) and the
 *    cursor does not advance. Refused rather than followed without credentials: the request would
 *    fail anyway without them, and following at all would let the API inject records from an
 *    origin the operator never configured. A downgrade from https to http on the same host is
 *    another origin. Redirects are followed by the collector itself, same origin only, at most 5
 *    in a row. A URL with user information (`https://user:pass@host`), from a setting or a next
 *    link, is refused (E0802 naming the setting, never its value).
 * 4. **No response body in logs or events.** Error events and log lines carry the HTTP status,
 *    status text, method, the map's URL template (`{base_url}/v1/audit`: placeholders by name,
 *    never rendered setting values or query strings), the response size in bytes and its content
 *    type; never any text of the response body (an API echoing credentials in a 400/401 body
 *    cannot leak them). The collector also removes every secret and access token from every log
 *    line, event and state file in raw, JSON-escaped, URL-encoded (`%XX` and `+`), base64 and
 *    base64url forms, over the whole text before any truncation; a state file that would hold
 *    one is not written (E0805).
 * 5. **Bounded resources.** The collector aborts a response larger than 64 MiB
 *    (`--max-response-bytes`) while streaming it, never buffering it whole, and ends the run
 *    (E0808); the per-request timeout applies to the whole body. A record nested deeper than 64
 *    levels (the record object is level 1), or one the mapping cannot process, becomes one error
 *    event (E0811) and the run goes on:
 *    `{"@timestamp", "event": {"kind": "pipeline_error", "dataset"}, "error": {"code": "E0811",
 *    "message": [...]}, "mapc": {"collect": {"stream", "page", "index"}}}`, with the page's number
 *    in its sequence (from 1), the record's index in the page (from 0) and, after a split, the
 *    element's; never any record content. The CEL programs make their own bounds explicit
 *    (pages per run, empty pages); what the Agent bounds (body sizes) is in the README's target
 *    matrix.
 *
 * @module
 */

import { tokenizeDatePattern, type DatePatternToken } from '../dsl/date-pattern.ts';
import type { Span } from '../dsl/diagnostics.ts';
import type { ParsedRegex } from '../dsl/regex.ts';
/** The parsed `extract` pattern and its writer, read by every backend (which imports only this module of the front end's facts). */
export { renderRegex, isAlnum, type ParsedRegex, type RegexDialect } from '../dsl/regex.ts';

/** The deepest record the mapping processes (see "Record semantics"). */
export const MAX_RECORD_DEPTH = 64;

/** The `error.message` of the document a too deeply nested record becomes. */
export const RECORD_TOO_DEEP_MESSAGE = `mapc: record nested deeper than ${MAX_RECORD_DEPTH} levels`;

/**
 * Version of this IR's shape; bumped on any incompatible change. 2: record schemas
 * ({@link StreamIR.schema}, {@link FieldTypeIR} on every node that reads a record path).
 * 3: date patterns carry their tokens ({@link DatePatternIR}). 4: a rule's output field is
 * `destination` (was `target`, which now means only a backend), `cursor_has_more` reads its page
 * token at `tokenPath` (was `cursorPath`). 5: the `next_page` cursor ({@link CursorIR}), agentless owners
 * ({@link IntegrationIR.agentless}).
 */
export const IR_VERSION = 5 as const;

/**
 * A source position in the `.map` file: 1-based line and column, 0-based offset, length in UTF-16
 * code units. The same shape as a diagnostic's span, so any IR location can label a diagnostic.
 */
export type SourceSpan = Span;

/** A dotted path split into segments: `["meta", "create_time"]`. `[]` is the root. */
export type FieldPath = readonly string[];

/** One compiled `.map` file. */
export interface IntegrationIR {
  readonly irVersion: typeof IR_VERSION;
  /** Package name: lowercase snake_case, e.g. `endor_labs`. Also the vendor namespace root. */
  readonly name: string;
  readonly title: string;
  readonly vendor: string;
  /** Semantic version of the integration package, e.g. `0.1.0`. */
  readonly version: string;
  readonly description: string;
  /**
   * The page of this version's change (`changelog "URL"`: e.g. the pull request that adds the
   * package), an absolute http(s) URL; absent when the map names none.
   */
  readonly changelogUrl?: string;
  /** ECS version the checks ran against (from `@elastic/ecs`'s `EcsVersion`, e.g. `9.4.0`). */
  readonly ecsVersion: string;
  /**
   * Who owns the agentless deployments of the Elastic package (`agentless { ... }`, each a
   * lowercase slug); absent: the package runs on Elastic Agents only. Other targets ignore it.
   */
  readonly agentless?: AgentlessIR;
  readonly settings: readonly SettingIR[];
  readonly secrets: readonly SecretIR[];
  readonly streams: readonly StreamIR[];
  /** The `.map` file this came from, relative to the working directory. */
  readonly sourceFile: string;
}

/** The owners package-spec requires for an agentless deployment (`deployment_modes.agentless`). */
export interface AgentlessIR {
  readonly organization: string;
  readonly division: string;
  readonly team: string;
}

export type SettingType = 'string' | 'url' | 'duration' | 'timestamp' | 'int' | 'bool';

/**
 * An operator-supplied, non-secret value. Each target exposes it as its own variable mechanism:
 * Fleet variable `{{name}}`, environment variable `${envVar}` in Vector and Logstash.
 */
export interface SettingIR {
  readonly name: string;
  readonly type: SettingType;
  readonly title: string;
  readonly description: string;
  readonly required: boolean;
  /**
   * Default value; `duration` defaults are Go-style strings (`5m`, `24h`), `timestamp` defaults
   * RFC 3339 strings. Absent when the setting has no default.
   */
  readonly default?: string | number | boolean;
  /** Environment variable name used by Vector, Logstash and `mapc collect`: `ENDOR_LABS_NAMESPACE`. */
  readonly envVar: string;
  readonly loc: SourceSpan;
}

/**
 * A credential. Never has a value in the IR or any generated file: targets reference it as
 * Fleet `secret: true` variable, `${envVar}` environment variable, or Logstash keystore `${envVar}`.
 */
export interface SecretIR {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** `ENDOR_LABS_API_SECRET` */
  readonly envVar: string;
  readonly loc: SourceSpan;
}

/** One data stream (Elastic) / pipeline (Vector, Logstash), e.g. `audit`. */
export interface StreamIR {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** ECS `event.dataset` and Elastic `data_stream.dataset`, e.g. `endor_labs.audit`. */
  readonly dataset: string;
  /** Poll interval: a duration setting's name or a fixed duration in seconds. */
  readonly interval: DurationValue;
  readonly source: SourceIR;
  readonly mapping: MappingIR;
  /** The declared shape of the stream's records (module doc, "Record schemas"); absent without a `record` block. */
  readonly schema?: RecordSchemaIR;
  readonly loc: SourceSpan;
}

export type DurationValue =
  { readonly kind: 'seconds'; readonly seconds: number } | { readonly kind: 'setting'; readonly name: string };

// ---------------------------------------------------------------------------------------------
// Source: request, auth, pagination, records, split, cursor, rate limits
// ---------------------------------------------------------------------------------------------

/**
 * A string built from literal text and placeholders, e.g. `"{base_url}/v1/namespaces/{namespace}"`.
 * Rendering concatenates the parts; a `setting` that is unset renders as the empty string.
 */
export interface Template {
  readonly parts: readonly TemplatePart[];
  /** The string literal in the map, so that a target refusing its text can point at it. */
  readonly loc?: SourceSpan;
}

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'setting'; readonly name: string }
  /** A secret's value; only allowed inside auth (headers and token-exchange bodies). */
  | { readonly kind: 'secret'; readonly name: string }
  /** The incremental cursor's current value, as stored (see {@link CursorIR}). */
  | { readonly kind: 'cursor' }
  /** A time window's start or end, formatted with the window's `format`. */
  | { readonly kind: 'window'; readonly edge: 'start' | 'end' }
  /**
   * `{now}`: the instant the page sequence started, as RFC 3339 in UTC with whole seconds
   * (`2024-06-01T12:34:56Z`); every page of one sequence sends the same value, a resumed
   * sequence included (the end of a range such as Bitwarden's `start`/`end`, which must not move
   * while its continuation token is in use). Only in the data request's query and body.
   */
  | { readonly kind: 'now' }
  /** The access token obtained by `token_exchange` or `oauth2` auth (only in the auth header). */
  | { readonly kind: 'token' };

/** A JSON request body whose string leaves may be templates. */
export type JsonTemplate =
  | { readonly kind: 'object'; readonly entries: readonly { readonly key: string; readonly value: JsonTemplate }[] }
  | { readonly kind: 'array'; readonly items: readonly JsonTemplate[] }
  | { readonly kind: 'string'; readonly template: Template }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  /**
   * A bare `setting.NAME` as a JSON value (`"limit": setting.page_size`): the setting's typed
   * value, a JSON number for an `int` setting, `true`/`false` for a `bool` one, a JSON string
   * for every other type (`"{page_size}"` in quotes stays a `string` template, always a string).
   * The setting always has a value: the checks refuse one that is neither `required` nor has a
   * default (E0173), so no target has to choose between leaving the key out and sending `null`.
   */
  | { readonly kind: 'setting'; readonly name: string };

export interface NameValue {
  readonly name: string;
  readonly value: Template;
  /** Omit the parameter/header entirely when the rendered value is empty. */
  readonly omitIfEmpty: boolean;
  /**
   * Send the parameter/header only when this condition holds (the map's `when RCOND`); absent =
   * always. Evaluated for each request, before `omitIfEmpty`.
   */
  readonly when?: RequestConditionIR;
}

/**
 * A condition on one request item (`query "to" = "{window.end}" when window.complete`):
 * - `window_complete`: the current time window ends at or before now (its end is in the past:
 *   the window holding now is open-ended, as Entro's own Elastic package sends it). Only in the
 *   data request of a `time_window` stream (the checks refuse it elsewhere, E0166).
 * - `setting`: a `bool` setting is true (unset without default: false).
 * - `not`: the negation.
 */
export type RequestConditionIR =
  | { readonly kind: 'window_complete' }
  | { readonly kind: 'setting'; readonly name: string }
  | { readonly kind: 'not'; readonly operand: RequestConditionIR };

export interface RequestIR {
  readonly method: 'GET' | 'POST';
  /** Absolute URL: base URL setting + path; may contain `{setting}` placeholders. */
  readonly url: Template;
  readonly headers: readonly NameValue[];
  readonly query: readonly NameValue[];
  /** JSON body (POST only). */
  readonly body?: JsonTemplate;
}

export interface SourceIR {
  readonly request: RequestIR;
  readonly auth: AuthIR;
  readonly pagination: PaginationIR;
  /** Where the records are in each response body; `[]` = the body itself is the array. */
  readonly records: FieldPath;
  readonly split?: SplitIR;
  readonly cursor?: CursorIR;
  readonly rateLimit: RateLimitIR;
  readonly retry: RetryIR;
  /** Upper bound on pages fetched in one run (the rest is fetched next interval). */
  readonly maxPagesPerRun: number;
  readonly loc: SourceSpan;
}

export type AuthIR =
  | { readonly kind: 'none' }
  /**
   * A raw header whose whole value is the secret (Entro: `Authorization: <token>`), or, with
   * `value`, fixed text around it (`Authorization: SSWS <token>` from the map's
   * `"SSWS {secret.api_token}"`): `value` is then text parts and exactly one `secret` part, the
   * one `secret` names.
   */
  | {
      readonly kind: 'header';
      readonly header: string;
      readonly secret: string;
      readonly value?: Template;
      readonly loc: SourceSpan;
    }
  /** `Authorization: Bearer <secret>`. */
  | { readonly kind: 'bearer'; readonly secret: string; readonly loc: SourceSpan }
  /** RFC 7617 basic auth; the username may be a setting or a secret. */
  | {
      readonly kind: 'basic';
      readonly username: { readonly kind: 'setting' | 'secret'; readonly name: string };
      readonly password: string;
      readonly loc: SourceSpan;
    }
  /**
   * A key/secret exchanged for an expiring token at a login endpoint (Endor Labs:
   * `POST /v1/auth/api-key` with `{"key","secret"}` → `{"token"}`). The token is cached and
   * renewed `renewBeforeSeconds` before it expires.
   */
  | {
      readonly kind: 'token_exchange';
      readonly request: RequestIR;
      /** Path of the token in the login response body. */
      readonly tokenPath: FieldPath;
      /** Fixed token lifetime in seconds, used when `expiresAtPath` is absent. */
      readonly lifetimeSeconds: number;
      /** Path of an RFC 3339 expiry timestamp in the login response, when the API returns one. */
      readonly expiresAtPath?: FieldPath;
      readonly renewBeforeSeconds: number;
      /** Header carrying the token on data requests, e.g. `Authorization` with `Bearer {token}`. */
      readonly header: NameValue;
      readonly loc: SourceSpan;
    }
  /**
   * RFC 6749 §4.4 client credentials grant. The client authenticates with exactly one of:
   * - `clientSecret`: the secret, with the client id, form-urlencoded and sent as HTTP Basic
   *   (RFC 6749 §2.3.1, `client_secret_basic`);
   * - `privateKey` (`private_key_jwt`, RFC 7523 §2.2 and §3, OpenID Connect Core §9): the
   *   secret holds the client's private key, a JWK (JSON) or PEM, RSA (signs RS256) or EC P-256
   *   (ES256); each token request sends `client_assertion_type`
   *   `urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and `client_assertion`, a JWT
   *   signed with the key whose claims are `iss` = `sub` = the client id, `aud` = the token URL,
   *   a fresh random `jti`, `iat` now and `exp` {@link CLIENT_ASSERTION_LIFETIME_SECONDS} later
   *   (header `kid` from the JWK's, when it has one). The key and the assertion are secrets:
   *   never logged, sent only to the token URL's origin.
   */
  | {
      readonly kind: 'oauth2_client_credentials';
      readonly tokenUrl: Template;
      readonly clientId: { readonly kind: 'setting' | 'secret'; readonly name: string };
      readonly clientSecret?: string;
      readonly privateKey?: string;
      readonly scopes: readonly string[];
      /** The string literal of each scope, in the order of `scopes` (so a target refusing one can point at it). */
      readonly scopeLocs?: readonly SourceSpan[];
      readonly loc: SourceSpan;
    };

/**
 * The secret an OAuth2 client authenticates with: its `clientSecret`, or the `privateKey` of
 * `private_key_jwt` (exactly one is set).
 * @throws Error for IR built with neither (the parser refuses such a map, E0011)
 */
export function oauth2ClientSecretName(auth: Extract<AuthIR, { kind: 'oauth2_client_credentials' }>): string {
  const name = auth.privateKey ?? auth.clientSecret;
  if (name === undefined) throw new Error('internal: an OAuth2 client without client_secret or private_key');
  return name;
}

/** How long a `private_key_jwt` client assertion is valid (`exp` - `iat`): Okta accepts at most an hour. */
export const CLIENT_ASSERTION_LIFETIME_SECONDS = 300;

/**
 * Where a pagination value travels on the next request: a query parameter (replacing one of the
 * same name), or the JSON body at `path` (objects on the way created or replaced when not objects).
 *
 * `replace` (only on the page token of `page_token` and `cursor_has_more`, `send body PATH
 * replace`; the checks refuse it elsewhere, E0174): the pages after the first send exactly
 * `{PATH: token}` (nested objects for a longer path) *instead of* the request's own body, whose
 * values (the first page's filters, `{cursor}`, typed settings) are then not sent at all; the
 * first page of a sequence sends the request's body unchanged. A resumed sequence (module doc,
 * "Run-time safety", 1.3) sends the replacing body too: it continues at a page after the first.
 * Absent or false: the value is placed into the request's body. (1Password-style events APIs:
 * the first call sends `{"limit", "start_time"}`, later calls only `{"cursor"}`.)
 */
export type ParamLocation =
  | { readonly in: 'query'; readonly name: string }
  | { readonly in: 'body'; readonly path: FieldPath; readonly replace?: boolean };

export type PaginationIR =
  | { readonly kind: 'none' }
  /** Next-page token in the body; absent/empty token = last page (Endor Labs). */
  | {
      readonly kind: 'page_token';
      readonly tokenPath: FieldPath;
      readonly param: ParamLocation;
      readonly loc: SourceSpan;
    }
  /** Opaque cursor plus a boolean `has_more`; stop when `has_more` is false. */
  | {
      readonly kind: 'cursor_has_more';
      readonly tokenPath: FieldPath;
      readonly hasMorePath: FieldPath;
      readonly param: ParamLocation;
      readonly loc: SourceSpan;
    }
  /** Page numbers from `start`; stop on an empty or short page. */
  | {
      readonly kind: 'page_number';
      readonly param: ParamLocation;
      readonly start: number;
      readonly size: { readonly param: ParamLocation; readonly value: number };
      readonly loc: SourceSpan;
    }
  /** Offset + limit; stop on a short page or when offset reaches `totalPath`'s value. */
  | {
      readonly kind: 'offset';
      readonly offsetParam: ParamLocation;
      readonly limitParam: ParamLocation;
      readonly limit: number;
      readonly totalPath?: FieldPath;
      readonly loc: SourceSpan;
    }
  /** RFC 8288 `Link: <url>; rel="next"`; the next URL is used as is. */
  | { readonly kind: 'link_header'; readonly loc: SourceSpan }
  /**
   * Fixed time windows from the cursor (or the backfill start) up to now, one request per
   * window (Entro: `from`/`to` in `dd/MM/yyyy`, one day each). The window start/end render
   * through `{window.start}`/`{window.end}` placeholders with `format`. The window that holds
   * now (its end after now) is fetched too but commits nothing; request items `when
   * window_complete` are left out of it (open-ended, {@link RequestConditionIR}).
   */
  | {
      readonly kind: 'time_window';
      readonly stepSeconds: number;
      readonly format: DateFormat;
      readonly loc: SourceSpan;
    };

/**
 * One record becomes one event per element of the array at `path`: each event is the record
 * with `path` replaced by that element (so parent fields are kept). A record whose `path` is
 * missing, `null`, not an array or an empty array stays one event, unchanged.
 * Elastic: done in the CEL input; Vector: in the collector or the `remap`; Logstash: `split`.
 */
export interface SplitIR {
  readonly path: FieldPath;
  /**
   * What the mapping sees at `path` after the split: one element (its declared type), or `[]`
   * when the record's array was empty (`emptySplit`). Absent without a schema.
   */
  readonly elementType?: FieldTypeIR;
  readonly loc: SourceSpan;
}

/**
 * Incremental state kept between runs: the *committed cursor* that `{cursor}` renders, which
 * moves only when a page sequence completes (module doc, "Run-time safety and incremental
 * state", 1).
 * - `record_max`: the largest value of `field` (compared as {@link DateFormat} instants) over
 *   all records of the completed page sequence, never smaller than before; stored as the
 *   record's own text. Until the sequence completes, the state holds that maximum beside the
 *   next page's position.
 * - `window`: the start of the next window to fetch (time-window pagination), stored as RFC 3339:
 *   the end of the last complete window.
 * The first run starts from `initial` ({@link CursorInitial}: a timestamp setting, the backfill
 * start, if set; else now minus the look-back of a duration setting or a literal, 0 = no past
 * records), saved before the first request.
 */
export type CursorIR =
  | {
      readonly kind: 'record_max';
      readonly field: FieldPath;
      /** The declared type of `field`; absent without a schema. */
      readonly fieldType?: FieldTypeIR;
      readonly format: DateFormat;
      readonly initial: CursorInitial;
      readonly loc: SourceSpan;
    }
  | { readonly kind: 'window'; readonly initial: CursorInitial; readonly loc: SourceSpan }
  /**
   * The vendor's own page position as the state (`cursor { next_page }`): a complete page
   * sequence of `cursor_has_more` or `link_header` pagination is not forgotten but kept as the
   * position the next run polls: the `cursor_has_more` token of its last page (else the token
   * that page was fetched with), or the next `Link` URL of its last page when that URL is on the
   * configured origin (else the URL that page was fetched from). A position holding a credential
   * is never stored. The next run resumes there as at a sequence in progress (a 4xx answer
   * restarts at the first page: re-delivery, never loss). `{cursor}` renders `initial` as RFC
   * 3339 (it never moves): the map's own request is sent only on the first run and after such a
   * restart.
   */
  | { readonly kind: 'next_page'; readonly initial: CursorInitial; readonly loc: SourceSpan };

/**
 * Where the first run starts, in this order: the `timestamp` setting `setting` when it has a
 * value (the backfill start); else now minus the `duration` setting `lookbackSetting` when it
 * has a value (Go duration text such as `1440h`, as Elastic's `initial_interval`); else now minus
 * `lookbackSeconds` (a literal `start 30d`; 0 = now). A map sets at most one of `setting` and
 * `lookbackSetting`.
 */
export interface CursorInitial {
  readonly setting?: string;
  /** A `duration` setting whose value is the look-back from now. */
  readonly lookbackSetting?: string;
  /** Look-back from now (seconds) when no setting gives the start: 0 = now. */
  readonly lookbackSeconds: number;
}

export interface RateLimitIR {
  /** Honour HTTP 429 with `Retry-After` (delta-seconds or HTTP-date). */
  readonly retryAfter: boolean;
  /** Response headers telling the remaining quota and its reset epoch seconds, when the API sends them. */
  readonly remainingHeader?: string;
  readonly resetHeader?: string;
  /** Sustained request rate limit per second, if the vendor documents one. */
  readonly requestsPerSecond?: number;
}

export interface RetryIR {
  /** Retries after the first attempt on 5xx and network errors (and 429). */
  readonly maxAttempts: number;
  /** Exponential backoff: `min(maxSeconds, baseSeconds * 2^attempt)` with full jitter. */
  readonly backoffBaseSeconds: number;
  readonly backoffMaxSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------

/**
 * Date input formats.
 * - `iso8601`: RFC 3339 date-time (`2024-11-13T15:30:45.123456Z`, any fraction length, `Z` or
 *   `±hh:mm` offset).
 * - `unix_ms`: epoch milliseconds (JSON number or decimal string).
 * - `unix`: epoch seconds.
 * - `pattern`: a Joda/Java-style pattern (e.g. `dd/MM/yyyy`), interpreted in UTC, parsed once
 *   by the front end ({@link DatePatternIR}).
 */
export type DateFormat =
  | { readonly kind: 'iso8601' }
  | { readonly kind: 'unix_ms' }
  | { readonly kind: 'unix' }
  | { readonly kind: 'pattern'; readonly pattern: DatePatternIR };

export type { DatePatternToken };

/**
 * A date pattern as the map wrote it (`text`, for messages and comments) and cut into tokens by
 * the front end's one parser (`dsl/date-pattern.ts`); every reader (the interpreter, the
 * collector, the backends) reads `tokens` and never reparses `text`.
 *
 * After the checks (E0111, `compiler/check/date-pattern.ts`) the tokens are:
 * - fields `yyyy MM dd HH mm ss SSS` (`{kind: 'field', letter: 'y', width: 4}`, ...), each at
 *   most once, `yyyy`, `MM` and `dd` always, `mm` only with `HH`, `ss` only with `mm`, `SSS`
 *   only with `ss`; a field reads (and writes) exactly `width` ASCII digits;
 * - literals made only of the separators every engine reads as themselves
 *   (space `-` `/` `.` `:` `,` `_` `;`): no quote, no bracket, no letter, no digit.
 *
 * Joining the tokens' text (`dsl/date-pattern.ts` `tokenText`) gives `text` back.
 */
export interface DatePatternIR {
  readonly text: string;
  readonly tokens: readonly DatePatternToken[];
}

/** A `pattern` {@link DateFormat} for `text`, tokenized by the front end's parser (for IR built by hand). */
export function datePatternFormat(text: string): Extract<DateFormat, { kind: 'pattern' }> {
  return { kind: 'pattern', pattern: { text, tokens: tokenizeDatePattern(text) } };
}

/** ECS field data types a conversion can produce (see `@elastic/ecs` `EcsFlat[*].type`). */
export type ConvertType = 'keyword' | 'long' | 'double' | 'boolean' | 'ip';

/**
 * A value transform, applied left to right. Conversion rules (the reference semantics):
 * - `convert keyword`: string as is; integer number → decimal digits; boolean → `true`/`false`;
 *   anything else fails.
 * - `convert long`: integer JSON number; or a string matching `^-?[0-9]+$` within ±2^63; else fails.
 * - `convert double`: JSON number; or a decimal string (`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`); else fails.
 * - `convert boolean`: `true`/`false` JSON booleans, or the strings `"true"`/`"false"`
 *   (case-insensitive); else fails.
 * - `convert ip`: a string that is a valid IPv4 dotted quad or IPv6 address (RFC 4291 text form,
 *   no zone); kept as written; else fails.
 * - `date`: the first format that parses wins; output as described in the module doc; else fails.
 * - `lowercase`/`uppercase`: strings only (Unicode simple case mapping); non-strings fail.
 * - `lookup`: a string equal to a `from` key becomes its `to`; otherwise `default` if given,
 *   else the rule writes nothing (no error). A *list table* (one of its values written as a list,
 *   `"1001" => ["change", "user"]`; `list`) yields the list (a value written as one string is a
 *   one-element list; `[]` is a list too): like `split`, it is always the last transform (E0179)
 *   and its list goes to an ECS array field or under the vendor namespace (E0180); `+=` appends
 *   each of its values not already there (an empty list appends none, yet makes the field an
 *   array, as any append does), `=` writes the list as it is.
 * - `redact hash`: a string becomes the lowercase hex SHA-256 of its UTF-8 bytes.
 * - `redact mask`: a string of more than `2 × keep` characters (Unicode scalar values) becomes
 *   its first `keep` characters followed by {@link MASK_SUFFIX} (`********`); a string of `2 × keep` characters or
 *   fewer (including the empty string) becomes `********` alone, so a short secret is never
 *   stored in clear (`mask(4)`: `pw1` → `********`, `abcdefgh` → `********`, `abcdefghi` →
 *   `abcd********`); non-strings fail.
 * - Redaction fails closed: `hash` or `mask` of a value that is not a string (number, boolean,
 *   object, array) fails like any conversion (the rule writes nothing and appends
 *   {@link conversionErrorMessage} to `error.message`) AND the rule deletes its source path from
 *   the record at once, so the value it could not redact is never stored (module doc, step 4;
 *   {@link redactedSource}). A redaction of a string never fails.
 * - `split`: a string becomes the list of its pieces between occurrences of `separator` (literal
 *   text, at least one character: E0178), found left to right without overlap; trailing empty
 *   pieces are dropped, leading and inner ones kept (`",a,,b,,"` split on `","` is
 *   `["", "a", "", "b"]`), so `""` and a text made only of separators give `[]` (Java's and
 *   Ruby's `split` without a limit). Non-strings fail. It is always the last transform (E0179), and
 *   its list goes to an array field or under the vendor namespace (E0180); `+=` appends each piece.
 * - `json`: a string holding one JSON text (RFC 8259, whitespace around it allowed) becomes the
 *   value it encodes, as `JSON.parse` reads it; the text `null` makes the rule write nothing (as a
 *   `null` source, step 3). Text that is not JSON (empty, blank, trailing text, comments, single
 *   quotes) and non-strings fail. It is always the last transform (E0179), and its value goes
 *   under the vendor namespace or to an ECS `flattened` field (E0181); `+=` appends an array's
 *   elements.
 * - `extract`: a string is searched for the leftmost match of the pattern (mapc's portable regex
 *   subset, `dsl/regex.ts`: ASCII `\d \w \s`, `.` any code point but `\n`, `^ $` the ends of
 *   the whole text, leftmost-first alternation, greedy or lazy quantifiers, as JavaScript's
 *   `RegExp` with the `u` flag runs it); the value becomes the text of its one capturing group in
 *   that match. No match, a group that took no part in the match or captured the empty text, and
 *   non-strings fail. The result is a string, so other transforms may follow. With named groups
 *   (`regex.names`) the value is the object of the named groups that captured non-empty text, in
 *   pattern order; a match where none did fails. Like `json`'s value it is the last transform
 *   (E0179) and goes under the vendor namespace or to a `flattened` field (E0181).
 * - `kv`: a string of `key=value` pairs becomes the object of its pairs. With `F` the field
 *   separator and `V` the value separator ({@link KV_DEFAULTS}: `" "` and `"="`), the text must be
 *   exactly `K V W (F K V W)*`: at least one pair, no empty piece (no separator at either end, no
 *   two in a row), where a key `K` is one or more characters that are not in {@link kvExcluded}'s
 *   `key` set (neither separator's characters, `.`, quotes `"` `'`, backslash, Unicode
 *   White_Space) and a value `W` one or more characters that are not in its `value` set (the field
 *   separator's characters, quotes, backslash, White_Space; the value separator's characters may
 *   appear, so `a=b=c` is `{"a": "b=c"}`). Each pair's key is the text before the first `V`, its
 *   value the rest. The object holds the keys in order of first appearance; a key given once has
 *   its value (a string), a key given n ≥ 2 times the list of its n values in text order
 *   (duplicates kept: `a=1 a=1` is `{"a": ["1", "1"]}`). Any other text (empty, a piece without
 *   `V`, an empty key or value, a quote, whitespace, a `.` in a key) and non-strings fail: that is
 *   where the engines' native parsers disagree (quoting, whitespace trimming, dotted keys,
 *   standalone keys, empty values), so no engine ever writes a partial or different object. The
 *   separators are 1 to {@link KV_MAX_SEPARATOR} characters of {@link KV_SEPARATOR_CHARS}, share
 *   no character, and the field separator starts with a space only when it is `" "` (E0175,
 *   E0176). Like `json`'s value it is the last transform (E0179) and goes under the vendor
 *   namespace or to a `flattened` field (E0181).
 */
/** The values of a lookup table's `to` or `default`: the list, or the one string as a list. */
export function lookupValues(to: string | readonly string[]): readonly string[] {
  return typeof to === 'string' ? [to] : to;
}

/**
 * What `redact mask` writes after the kept characters, or alone (TransformIR above): the
 * interpreter and every backend read it from here.
 */
export const MASK_SUFFIX = '********';

/** The separators of `kv` without parentheses: pairs split on a space, key and value on `=`. */
export const KV_DEFAULTS = { fieldSeparator: ' ', valueSeparator: '=' } as const;

/** The longest `kv` separator, in characters (E0175). */
export const KV_MAX_SEPARATOR = 8;

/**
 * The characters a `kv` separator may hold (E0175): ASCII punctuation and the space, except the
 * quotes `"` `'` and the backslash (quoting and escapes in VRL's and Logstash's parsers). Letters
 * and digits would leave no room for keys and values.
 */
export const KV_SEPARATOR_CHARS = ' !#$%&()*+,-./:;<=>?@[]^_`{|}~';

/**
 * Unicode White_Space (PropList.txt of Unicode 15.1,
 * https://www.unicode.org/Public/15.1.0/ucd/PropList.txt), as code points: VRL's
 * `parse_key_value` trims keys and values with Rust's `str::trim`, which removes exactly these.
 */
export const UNICODE_WHITE_SPACE: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

/**
 * The code points a `kv` key and a `kv` value may not hold (TransformIR above), ascending: the
 * quotes, the backslash and White_Space in both; in a key also `.` and every character of both
 * separators; in a value every character of the field separator. Every engine writes its guard
 * (the text's shape) from these sets.
 */
export function kvExcluded(t: { readonly fieldSeparator: string; readonly valueSeparator: string }): {
  readonly key: readonly number[];
  readonly value: readonly number[];
} {
  const codes = (text: string): number[] => [...text].map((c) => c.codePointAt(0)!);
  const always = [...codes('"\\\''), ...UNICODE_WHITE_SPACE];
  const sorted = (list: readonly number[]): number[] => [...new Set(list)].sort((a, b) => a - b);
  return {
    key: sorted([...always, ...codes('.'), ...codes(t.fieldSeparator), ...codes(t.valueSeparator)]),
    value: sorted([...always, ...codes(t.fieldSeparator)]),
  };
}

/** Ascending code points as runs of consecutive ones, `[first, last]` (how the engines' classes write them). */
export function codePointRuns(codes: readonly number[]): readonly (readonly [number, number])[] {
  const runs: [number, number][] = [];
  for (const c of codes) {
    const last = runs[runs.length - 1];
    if (last && c === last[1] + 1) last[1] = c;
    else runs.push([c, c]);
  }
  return runs;
}

export type TransformIR =
  | { readonly kind: 'convert'; readonly to: ConvertType }
  | { readonly kind: 'date'; readonly formats: readonly DateFormat[] }
  | { readonly kind: 'lowercase' }
  | { readonly kind: 'uppercase' }
  | {
      readonly kind: 'lookup';
      readonly table: string;
      /**
       * `loc`: the table entry in the map, so that a target refusing its text can point at it.
       * `to`: a string; in a list table ({@link LookupIR} `list`) a list of strings (a string
       * written in the map is a one-element list there).
       */
      readonly entries: readonly {
        readonly from: string;
        readonly to: string | readonly string[];
        readonly loc?: SourceSpan;
      }[];
      /** As an entry's `to`. */
      readonly default?: string | readonly string[];
      /** The `default` string literal of the table. */
      readonly defaultLoc?: SourceSpan;
      /**
       * A *list table*: one of the map's values is a list (`"1001" => ["change", "user"]`), so every
       * `to` and the default are lists and the lookup yields a list.
       */
      readonly list?: true;
    }
  | { readonly kind: 'redact'; readonly mode: 'hash' }
  | { readonly kind: 'redact'; readonly mode: 'mask'; readonly keep: number }
  /** `loc`: the separator's string literal, so that a target refusing its text can point at it. */
  | { readonly kind: 'split'; readonly separator: string; readonly loc?: SourceSpan }
  | { readonly kind: 'json' }
  /**
   * `kv(F, V)` (module doc of TransformIR): `fieldSeparator` F and `valueSeparator` V, the defaults
   * {@link KV_DEFAULTS} when the map gives none; `loc`: the field separator's string literal (the
   * transform when the map gives no separators), so that a target refusing its text can point at it.
   */
  | {
      readonly kind: 'kv';
      readonly fieldSeparator: string;
      readonly valueSeparator: string;
      readonly loc?: SourceSpan;
    }
  /**
   * `regex`: the pattern as `dsl/regex.ts` parsed it (every engine writes it from these items,
   * nobody reparses `pattern`, which is kept for messages); `loc`: the pattern's string literal.
   */
  | { readonly kind: 'extract'; readonly pattern: string; readonly regex: ParsedRegex; readonly loc?: SourceSpan };

export type ValueIR =
  /** A constant; arrays only for array ECS fields. */
  | { readonly kind: 'const'; readonly value: string | number | boolean }
  /**
   * A record path (relative to the record) with transforms. `source`: the path's declared type
   * (module doc, "Record schemas"); absent without a schema.
   */
  | {
      readonly kind: 'field';
      readonly path: FieldPath;
      readonly transforms: readonly TransformIR[];
      readonly source?: FieldTypeIR;
    }
  /**
   * `ARRAY[KEY == VALUE].REST` (an element selected by a field value): the value at `array`
   * (relative to the record, as a `field` path) must be a JSON array; its FIRST element that is
   * an object whose value at `key` (a path inside the element) equals `equals` (strict JSON
   * equality, as the condition `equals`: numbers compare numerically, `1` is not `"1"`) is
   * selected, and the rule's value is the selected element's value at `rest` (the whole element
   * when `rest` is empty), then `transforms` apply as for a `field`. Only the first matching
   * element is looked at: when its `rest` is missing or `null` the rule does nothing, even if a
   * later element matches too. No such element, a value at `array` that is missing, `null` or
   * not an array: the rule does nothing (step 3); selecting never fails and never appends to
   * `error.message`, with or without a record schema (the checks require a schema, if any, to
   * declare `array` as `array of object`, E0240; a record that violates it selects nothing, as
   * a missing path). Never consumed (the array stays in the namespace) and never a redaction
   * (the checks refuse `hash`/`mask` after a selection, E0241). `equalsLoc`: the literal in the
   * map, so that a target refusing its text can point at it.
   */
  | {
      readonly kind: 'select';
      readonly array: FieldPath;
      readonly key: FieldPath;
      readonly equals: string | number | boolean;
      readonly rest: FieldPath;
      readonly transforms: readonly TransformIR[];
      readonly equalsLoc?: SourceSpan;
    }
  /**
   * `ARRAY[] { NAME, NAME = PATH, ... }` (the elements of an array, their fields kept and
   * renamed): the value at `array` (relative to the record) must be a JSON array; the value is a
   * new array holding, in order, one object per element that is an object (other elements are
   * dropped), with, for each of `fields` in order, the key `name` set to the element's value at
   * `from` when that value is present and not `null` (a missing or `null` field is left out, so
   * an element with none of them becomes `{}`). A value at `array` that is missing, `null` or not
   * an array: the rule does nothing (step 3). Never fails, never consumed, never a redaction, no
   * transforms; the checks (E0242) require `=` and a destination under the vendor namespace, and
   * a schema, if any, to declare `array` as `array of object` (E0240). `nameLocs`: where each
   * name is written in the map (same order).
   */
  | {
      readonly kind: 'elements';
      readonly array: FieldPath;
      readonly fields: readonly { readonly name: string; readonly from: FieldPath }[];
      readonly nameLocs?: readonly SourceSpan[];
    }
  /**
   * `copy(ECS.FIELD)`: the value at the absolute document path `from` as earlier rules left it
   * (step 2: rules run in order; the checks require an earlier rule writing `from`, E0170, of a
   * type the destination takes, E0171). Missing or `null` does nothing (step 3); no transforms;
   * an array value is appended element by element, as any array value of `append`. Never
   * consumed, never a redaction.
   */
  | { readonly kind: 'copy'; readonly from: FieldPath }
  /**
   * `collected_at`: the time the engine collected the record, as a date in the form of every date
   * (`yyyy-MM-ddTHH:mm:ss.SSSZ`, UTC, milliseconds): the Elastic Agent event's `@timestamp`
   * (which the ingest pipeline sets aside before any rule runs), Vector's source `timestamp`
   * (else `now()`), Logstash's event `@timestamp` (its creation time), `mapc collect`'s poll
   * time (one per poll), and the interpreter's `--now` (`mapc preview`; `mapc collect --mapped`:
   * the poll time). Without one (the interpreter by default) the rule does nothing, as for a
   * missing source (step 3). Never fails, never consumed, never a redaction.
   */
  | { readonly kind: 'collection_time' };

/**
 * A record condition (a rule's `when`, a `drop when`). Conditions that read a path carry its
 * declared type as `source` (absent without a schema).
 *
 * A condition never fails and never writes `error.message`: a missing path, `null` or a value of
 * another type makes a test false (for `not X`, the negation of that false). Paths are read
 * relative to the record's current location (a rule's `when` sees earlier rules' writes under
 * the namespace; a `drop when` sees the record as received).
 */
export type ConditionIR =
  /** Path is present and not null. */
  | { readonly kind: 'exists'; readonly path: FieldPath; readonly source?: FieldTypeIR }
  /** Path's value equals the constant (strict JSON equality; numbers compare numerically). */
  | {
      readonly kind: 'equals';
      readonly path: FieldPath;
      readonly value: string | number | boolean;
      readonly source?: FieldTypeIR;
    }
  /**
   * Path's value equals one of `values` (strict JSON equality, as `equals`); `loc`: where each
   * value is written in the map (same order), so that a target refusing its text can point at it.
   */
  | {
      readonly kind: 'in';
      readonly path: FieldPath;
      readonly values: readonly (string | number | boolean)[];
      readonly source?: FieldTypeIR;
      readonly loc?: readonly SourceSpan[];
    }
  /**
   * Path's value is a JSON number and `value OP number` holds (`lt` <, `le` <=, `gt` >, `ge` >=);
   * a string, even `"5"`, never compares (false).
   */
  | {
      readonly kind: 'compare';
      readonly op: CompareOpIR;
      readonly path: FieldPath;
      readonly value: number;
      readonly source?: FieldTypeIR;
    }
  /**
   * Path's value is a string that starts with (`prefix`), ends with (`suffix`) or contains
   * `value`: case-sensitive, by Unicode code points (no normalisation); anything else is false.
   * `loc`: the string literal in the map.
   */
  | {
      readonly kind: 'text';
      readonly op: TextOpIR;
      readonly path: FieldPath;
      readonly value: string;
      readonly source?: FieldTypeIR;
      readonly loc?: SourceSpan;
    }
  /**
   * The field's date text against the time the record is processed (`published < now - 30d`).
   * Normative:
   * - **The instant.** The value must be a string that one of `formats` reads, tried in order,
   *   the first that parses winning, exactly as the `date` transform reads it (`TransformIR`
   *   `date`, `compiler/interpret/date.ts` `parseOne`; instants outside years 0000-9999 after
   *   the offset read as nothing) and cut to milliseconds (extra fraction digits truncated).
   *   `formats` are the field's declared date formats in the stream's record schema (its
   *   `format` list without `ip`), else `iso8601` alone; the checks allow only text formats
   *   (`iso8601` and patterns: E0199). Anything else (missing, `null`, not a string, text no
   *   format reads) makes the test false, like every condition.
   * - **Now.** The time the engine processes the record, in milliseconds since the epoch: the
   *   ingest pipeline's `_ingest.timestamp` (when the document entered the pipeline), VRL
   *   `now()`, Logstash `Time.now` in the filter (the record's processing time, not its
   *   `@timestamp`); the interpreter's clock (`now` option: `mapc preview --now`, `mapc collect`'s
   *   poll time; by default the wall clock when the record is mapped), which the tests fix.
   * - **The test.** `instant OP now + offsetMs` (`lt` <, `le` <=, `gt` >, `ge` >=), on integer
   *   milliseconds. `offsetMs` is bounded by the checks (at most 100 years either way, E0128), so
   *   that every engine's arithmetic is exact.
   * `loc`: the `now ...` text in the map.
   */
  | {
      readonly kind: 'now';
      readonly op: CompareOpIR;
      readonly path: FieldPath;
      readonly formats: readonly DateFormat[];
      readonly offsetMs: number;
      readonly source?: FieldTypeIR;
      readonly loc?: SourceSpan;
    }
  | { readonly kind: 'not'; readonly condition: ConditionIR }
  /** Every condition holds (at least two; evaluated left to right, none can fail). */
  | { readonly kind: 'and'; readonly all: readonly ConditionIR[] }
  /** At least one condition holds (at least two). */
  | { readonly kind: 'or'; readonly any: readonly ConditionIR[] }
  /** A `bool` setting is true. */
  | { readonly kind: 'setting'; readonly name: string };

/** The order comparisons of {@link ConditionIR} `compare`: `<`, `<=`, `>`, `>=`. */
export type CompareOpIR = 'lt' | 'le' | 'gt' | 'ge';

/** The text tests of {@link ConditionIR} `text`: `starts_with`, `ends_with`, `contains`. */
export type TextOpIR = 'prefix' | 'suffix' | 'contains';

/** The ECS type of a rule's destination field, as `@elastic/ecs` defines it, plus whether ECS marks it an array. */
export interface DestinationType {
  /** ECS data type (`keyword`, `ip`, `date`, `long`, `match_only_text`, ...) or the vendor field's declared type. */
  readonly ecsType: string;
  /** ECS `normalize: ["array"]`, or a vendor field written with `+=`. */
  readonly array: boolean;
  /** True for fields under the vendor namespace (not ECS). */
  readonly vendor: boolean;
}

export interface RuleIR {
  /** Absolute dotted ECS (or vendor-namespace) field, e.g. `source.ip`. */
  readonly destination: FieldPath;
  readonly destinationType: DestinationType;
  /** `set` overwrites; `append` adds to an array field, skipping values already present. */
  readonly op: 'set' | 'append';
  readonly value: ValueIR;
  readonly when?: ConditionIR;
  /**
   * `on_error ignore`: when the rule fails (step 4: a transform that cannot convert, a value its
   * declared type does not allow, a destination that cannot be written) it writes nothing and
   * appends nothing to `error.message`; everything else of a failure holds (a redacting rule
   * still deletes its source, a failed rule consumes nothing). Absent: `on_error record`, step 4
   * as written.
   */
  readonly onError?: 'ignore';
  readonly loc: SourceSpan;
}

/** The document id (module doc, step 6): {@link HashDocumentIdIR} or {@link RawDocumentIdIR}. */
export type DocumentIdIR = HashDocumentIdIR | RawDocumentIdIR;

/**
 * The deterministic document id (`id PATH, ...`; `kind` absent or `hash`): lowercase hex SHA-256
 * of the UTF-8 string built as
 * `"|" + path1 + "|" + value1 + "|" + path2 + "|" + value2 + ... + "|"` where `pathN` is the
 * dotted source path and `valueN` the field's value as text (string as is, number in its JSON
 * form, boolean `true`/`false`, missing or null as the empty string), fields in declared order.
 */
export interface HashDocumentIdIR {
  readonly kind?: 'hash';
  readonly fields: readonly FieldPath[];
  /** The declared type of each of `fields`, in the same order; absent without a schema. */
  readonly fieldTypes?: readonly FieldTypeIR[];
  readonly loc: SourceSpan;
}

/**
 * The vendor's own id as the document id (`id raw PATH`), read from the original record like the
 * hashed id, so that documents de-duplicate against another integration's that uses it:
 * - a string of 1 to {@link RAW_ID_MAX_BYTES} UTF-8 bytes: the string as is;
 * - a JSON number with an integral value within ±(2^53 − 1): its decimal digits (`1.0` is `1`;
 *   JSON numbers are doubles in JavaScript, so a larger integer has no exact text everywhere);
 * - anything else (missing, `null`, `""`, a longer string, a boolean, a fraction, a larger
 *   number, an object, an array): **no id**, the engine assigns one (Elasticsearch's automatic
 *   `_id`). The document is stored, once per delivery: a record re-polled without a usable id is
 *   stored again, never lost. (Elasticsearch refuses an empty `_id` and one over 512 bytes,
 *   https://www.elastic.co/guide/en/elasticsearch/reference/8.17/mapping-id-field.html, which
 *   would lose the document; a hash of such a value would merge records whose ids are all
 *   missing into one.)
 */
export interface RawDocumentIdIR {
  readonly kind: 'raw';
  readonly field: FieldPath;
  /** The declared type of `field`; absent without a schema. */
  readonly fieldType?: FieldTypeIR;
  readonly loc: SourceSpan;
}

/** The record paths a document id reads: the hashed id's fields, or the raw id's one field; none without an id. */
export function documentIdFields(id: DocumentIdIR | undefined): readonly FieldPath[] {
  if (id === undefined) return [];
  return id.kind === 'raw' ? [id.field] : id.fields;
}

/** The longest raw document id in UTF-8 bytes: Elasticsearch's `_id` limit (512 bytes). */
export const RAW_ID_MAX_BYTES = 512;

/** The largest integer a raw document id writes as digits: 2^53 − 1. */
export const RAW_ID_MAX_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * The text a raw document id takes from a value ({@link RawDocumentIdIR}), or `undefined` for
 * none: the one rule the interpreter and the collector follow and every target is tested against.
 */
export function rawDocumentIdText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value).length;
    return bytes >= 1 && bytes <= RAW_ID_MAX_BYTES ? value : undefined;
  }
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= RAW_ID_MAX_INTEGER) {
    return String(value === 0 ? 0 : value);
  }
  return undefined;
}

/** One `remove PATH, ... when COND` item ({@link MappingIR.removeWhen}). */
export interface RemoveWhenIR {
  /** Record-relative paths, as {@link MappingIR.remove}. */
  readonly paths: readonly FieldPath[];
  readonly when: ConditionIR;
  /** The declared type of each of `paths`; absent without a schema. */
  readonly pathTypes?: readonly FieldTypeIR[];
  /** Where each of `paths` is written in the map (same order). */
  readonly pathLocs: readonly SourceSpan[];
  readonly loc: SourceSpan;
}

export interface ConsumedIR {
  /** Source path (relative to the record) deleted after mapping... */
  readonly path: FieldPath;
  /** ...when this absolute destination field exists in the output document. */
  readonly whenDestinationSet: FieldPath;
}

export interface MappingIR {
  /** Absolute location of the kept record, e.g. `["endor_labs", "audit"]`. */
  readonly namespace: FieldPath;
  readonly keepUnmapped: boolean;
  /**
   * Copy the message text to `event.original` when this `bool` setting is true. The text is the
   * raw record, values that rules redact (`hash`, `mask`) included: the checks warn (W0129).
   */
  readonly original?: { readonly setting: string };
  /** In source order; lowering prepends `ecs.version` and `event.dataset` constants. */
  readonly rules: readonly RuleIR[];
  /** Record paths removed after mapping (e.g. values that must never be stored). */
  readonly remove: readonly FieldPath[];
  /**
   * `remove PATH, ... when COND` items in source order (step 5): each removes its record paths
   * when its condition holds for the record as the rules left it. Every condition is tested
   * before any path is removed: the checks (E0172) refuse a condition reading a path another
   * `remove` item deletes, so no target needs to order them, and step 5's unconditional
   * {@link remove} and consumed deletions run after. Absent or empty: none. (Kept apart from
   * {@link remove} so that maps without conditional removes lower as before.)
   */
  readonly removeWhen?: readonly RemoveWhenIR[];
  /** The declared type of each of `remove`, in the same order; absent without a schema. */
  readonly removeTypes?: readonly FieldTypeIR[];
  /**
   * Where each path of {@link remove} is written in the map (same order), so that a target
   * refusing a path can point at it.
   */
  readonly removeLoc?: readonly SourceSpan[];
  /**
   * For each distinct source path read by a `set` rule whose destination lies outside the namespace:
   * the first such rule's destination. Paths read only by `append` rules, by conditions, or by rules
   * writing inside the namespace (e.g. a redaction in place) are not consumed, nor
   * paths at, above or below a field a rule writes inside the namespace (`okta.uuid = uuid`).
   */
  readonly consumed: readonly ConsumedIR[];
  readonly documentId?: DocumentIdIR;
  /**
   * `drop when COND` items in source order: a record for which any holds produces no document
   * (step 0, before step 1: evaluated on the record as received, before any rule; no id, no
   * `error.message`). A record too deep to map (`MAX_RECORD_DEPTH`) is never dropped. The
   * interpreter returns `dropped`; the ingest pipeline a `drop` processor; VRL `abort` under the
   * remap's `drop_on_abort`; Logstash `drop {}`. The collector (`--mapped`) counts them; the CEL
   * program never drops (its events reach the ingest pipeline, which does). Absent or empty: no
   * record is dropped.
   */
  readonly drop?: readonly ConditionIR[];
  /** Where each of {@link drop} is written in the map (same order). */
  readonly dropLoc?: readonly SourceSpan[];
  /**
   * `drop empty`: step 5 ends by pruning `null`, `""`, `[]` and `{}` from the namespace (the
   * module comment says exactly what). Needs a namespace of at least one segment (the lowering
   * always gives one; the interpreter prunes nothing at an empty namespace). The ingest pipeline
   * does it with one Painless `script` processor, VRL with `compact` (whose defaults remove
   * exactly these values, recursively: vrl `src/stdlib/compact.rs`), Logstash with one `ruby`
   * filter (the `prune` filter reads top-level fields only). Absent: nothing is pruned.
   */
  readonly dropEmpty?: true;
  /**
   * `geoip FIELD` / `asn FIELD` items in source order, run after the rules (step 4a). Absent or
   * empty: no enrichment (kept absent so that maps without one lower as before).
   */
  readonly enrich?: readonly EnrichIR[];
  /**
   * `user_agent user_agent.original`, run after {@link enrich} (step 4a). Absent: no user-agent
   * parsing (kept absent so that maps without one lower as before).
   */
  readonly userAgent?: UserAgentIR;
}

/**
 * User-agent parsing of `user_agent.original` into ECS `user_agent.*` (step 4a), as the
 * Elasticsearch `user_agent` ingest processor does it in its ECS form
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/user-agent-processor.html;
 * OpenSearch 2.19 `modules/ingest-user-agent` `UserAgentProcessor`), over ua-parser's
 * `regexes.yaml` (https://github.com/ua-parser/uap-core, whose `docs/specification.md` defines
 * the matching: the first regex of each list that matches wins; `family`, `major`, `minor`,
 * `patch` from its groups 1-4 or its replacements, a `$1` in a family replacement standing for
 * group 1). The regexes are data of each engine, never map text: which snapshot each engine
 * bundles, and the agents they read differently, are in `docs/target-differences.md`.
 *
 * The value of `field`, when a string S (the empty string too), makes `user_agent` exactly (only the
 * {@link USER_AGENT_FIELDS} named here, every value a string):
 *
 * | field | value |
 * |---|---|
 * | `original` | S |
 * | `name` | the family of the first `user_agent_parsers` match, `Other` without one |
 * | `version` | `major`, `.minor`, `.patch` of that match, each while present (absent without `major`) |
 * | `os.name` | the family of the first `os_parsers` match (no `os` without one, or when it is `Other`) |
 * | `os.version` | `major`, `.minor`, `.patch`, `.patch_minor` of it, each while present (absent without `major`) |
 * | `os.full` | `os.name` + ` ` + `os.version` (absent without `os.version`) |
 * | `device.name` | the family of the first `device_parsers` match, `Other` without one |
 *
 * The checks guarantee that `field` is `user_agent.original`, that a rule writes it, and that
 * no rule writes another field under `user_agent`.
 */
export interface UserAgentIR {
  /** The field read: `["user_agent", "original"]`. */
  readonly field: FieldPath;
  /** Where the fields go: `["user_agent"]`, replaced as a whole. */
  readonly target: FieldPath;
  readonly loc: SourceSpan;
}

/** What {@link UserAgentIR} writes under `user_agent` (dotted, relative to it). */
export const USER_AGENT_FIELDS: readonly string[] = [
  'original',
  'name',
  'version',
  'os.name',
  'os.version',
  'os.full',
  'device.name',
];

/**
 * One enrichment of an ECS ip field (step 4a of the record semantics).
 *
 * - `geoip`: a MaxMind GeoIP2/GeoLite2 **City** database; writes the present ones of
 *   {@link GEOIP_FIELDS} under `target` (`<prefix>.geo`).
 * - `asn`: a MaxMind GeoLite2/GeoIP2 **ASN** database; writes the present ones of
 *   {@link ASN_FIELDS} under `target` (`<prefix>.as`).
 *
 * The database is run-time configuration of each engine (Elasticsearch's `geoip` processor's
 * default City database or `database_file: GeoLite2-ASN.mmdb`; a Vector enrichment table; the
 * Logstash `geoip` filter's database; `mapc preview`/`mapc collect --geoip-database PATH`), never
 * map text. The checks guarantee that `field` is `<prefix>.ip`, an ECS `ip` field that a rule of
 * the map writes, that `<prefix>.geo` / `<prefix>.as` exist in the map's ECS release, and that no
 * rule writes under `target`.
 */
export interface EnrichIR {
  readonly database: 'geoip' | 'asn';
  /** The ECS ip field read from the document, e.g. `["source", "ip"]`. */
  readonly field: FieldPath;
  /** Where the data goes, e.g. `["source", "geo"]` or `["source", "as"]`. */
  readonly target: FieldPath;
  readonly loc: SourceSpan;
}

/**
 * What `geoip` writes under `<prefix>.geo`, each from the City database's record for the address
 * (English names), written only when the record has it. These are the default `properties` of
 * the Elasticsearch `geoip` processor for a City database
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/geoip-processor.html, "properties"),
 * named as in ECS `geo.*`:
 *
 * | field | from the MaxMind City record |
 * |---|---|
 * | `continent_name` | `continent.names.en` |
 * | `country_name` | `country.names.en` |
 * | `country_iso_code` | `country.iso_code` |
 * | `region_iso_code` | `country.iso_code` + `-` + the most specific subdivision's `iso_code` (both needed) |
 * | `region_name` | the most specific (last) subdivision's `names.en` |
 * | `city_name` | `city.names.en` |
 * | `location` | `{"lat": location.latitude, "lon": location.longitude}` (numbers; both needed) |
 */
export const GEOIP_FIELDS: readonly string[] = [
  'continent_name',
  'country_name',
  'country_iso_code',
  'region_iso_code',
  'region_name',
  'city_name',
  'location',
];

/**
 * What `asn` writes under `<prefix>.as`, from the ASN database's record: `number` (the record's
 * `autonomous_system_number`, a JSON integer) and `organization.name`
 * (`autonomous_system_organization`), each only when present. Elastic's packages write the same
 * with the `geoip` processor's `asn` and `organization_name` properties renamed to ECS
 * (elastic/integrations `packages/nginx`, `data_stream/access/elasticsearch/ingest_pipeline/default.yml`,
 * commit 136ebec10f).
 */
export const ASN_FIELDS: readonly string[] = ['number', 'organization.name'];

// ---------------------------------------------------------------------------------------------
// Record schema
// ---------------------------------------------------------------------------------------------

/**
 * A value type a record field may declare: the JSON types, with `integer` a JSON number without
 * a fractional part (JSON Schema's `integer`: `1.0` is one) and `any` any JSON value.
 */
export type ValueType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'any';

/** The element type of `array of TYPE` (alternatives in `types`; nested for `array of array of T`). */
export interface ElementTypeIR {
  readonly types: readonly ValueType[];
  readonly items?: ElementTypeIR;
}

/**
 * A field's `format`: a {@link DateFormat} (`iso8601`, `unix_ms`, `unix`, a pattern) or `ip`
 * (what `convert ip` accepts). Dates and `ip` apply to the field's strings; `unix` and `unix_ms`
 * also to its numbers (epoch values the `date` transform reads). A value matches when one of the
 * field's formats parses it.
 */
export type FieldFormat = DateFormat | { readonly kind: 'ip' };

/** One `record` declaration: `meta.created_by string optional`. */
export interface SchemaFieldIR {
  /** Relative to the record, like every rule source. */
  readonly path: FieldPath;
  /** The declared alternatives (`integer | string`), at least one; `any` only alone. */
  readonly types: readonly ValueType[];
  /** For an `array of TYPE` alternative: the element type. */
  readonly items?: ElementTypeIR;
  /** May be absent (its parent being present). */
  readonly optional: boolean;
  /** May be `null`. */
  readonly nullable: boolean;
  /** Empty when the field has no `format`. */
  readonly formats: readonly FieldFormat[];
  readonly loc: SourceSpan;
}

/** A stream's `record { }` block: its declarations in source order, each path once. */
export interface RecordSchemaIR {
  readonly fields: readonly SchemaFieldIR[];
  readonly loc: SourceSpan;
}

/**
 * The resolved type of a record path that a node reads (module doc, "Record schemas"), relative
 * to the whole record:
 * - `origin: 'declared'`: the path is declared; `types`, `items`, `formats` and `nullable` are
 *   its declaration's;
 * - `origin: 'parent'`: the path is not declared but is the parent of declared paths: an object
 *   (`types: ['object']`, no formats, never null);
 * - `origin: 'undeclared'`: a `remove` of a path the schema does not declare, or a read of a path
 *   an earlier rule wrote inside the namespace: any value (`types: ['any']`), may be absent or null.
 *
 * `optional` is true when a conforming record may lack the path: the path or an explicitly
 * declared ancestor is `optional` or `nullable`, an ancestor's alternatives are not all objects,
 * or the path lies under the split path (absent when the split array was empty). `emptySplit`
 * marks the split path itself, which holds `[]` instead of an element when the array was empty.
 */
export interface FieldTypeIR {
  readonly origin: 'declared' | 'parent' | 'undeclared';
  readonly types: readonly ValueType[];
  readonly items?: ElementTypeIR;
  readonly optional: boolean;
  readonly nullable: boolean;
  readonly formats: readonly FieldFormat[];
  readonly emptySplit?: true;
}

/** The `error.message` text appended when a rule's transform fails (see {@link TransformIR}). */
export function conversionErrorMessage(rule: Pick<RuleIR, 'destination' | 'value'>): string {
  const source =
    rule.value.kind === 'field'
      ? rule.value.path.join('.')
      : rule.value.kind === 'select'
        ? selectText(rule.value)
        : rule.value.kind === 'elements'
          ? `${rule.value.array.join('.')}[]`
          : rule.value.kind === 'copy'
            ? `copy(${rule.value.from.join('.')})`
            : rule.value.kind === 'collection_time'
              ? 'collected_at'
              : '<constant>';
  return `mapc: cannot map ${source} to ${rule.destination.join('.')}`;
}

/**
 * A selection ({@link ValueIR} `select`) as the map writes it, for messages and comments:
 * `target[type == "User"].id` (the literal in its JSON form, path segments joined by `.`).
 */
export function selectText(value: Extract<ValueIR, { kind: 'select' }>): string {
  const rest = value.rest.length > 0 ? `.${value.rest.join('.')}` : '';
  return `${value.array.join('.')}[${value.key.join('.')} == ${JSON.stringify(value.equals)}]${rest}`;
}

/**
 * The source path a failing rule deletes from the record (module doc, step 4: redaction fails
 * closed): the rule's own source path when its transforms include a redaction (`hash`, `mask`),
 * whatever transforms precede it; `undefined` for every other rule, whose failure keeps its value.
 */
export function redactedSource(rule: Pick<RuleIR, 'value'>): FieldPath | undefined {
  const { value } = rule;
  return value.kind === 'field' && value.transforms.some((t) => t.kind === 'redact') ? value.path : undefined;
}

/**
 * The rule as a map author would write it, on one line, for comments in generated configs:
 * `event.type += spec.operation | lookup(operation_types)`. Line breaks (possible inside quoted
 * path segments) become spaces so the text cannot end a target's line comment early.
 */
export function describeRule(rule: Pick<RuleIR, 'destination' | 'op' | 'value' | 'onError'>): string {
  const value =
    rule.value.kind === 'const'
      ? JSON.stringify(rule.value.value)
      : rule.value.kind === 'copy'
        ? `copy(${rule.value.from.join('.')})`
        : rule.value.kind === 'collection_time'
          ? 'collected_at'
          : rule.value.kind === 'elements'
            ? `${rule.value.array.join('.')}[] { ${rule.value.fields.map((f) => (f.from.join('.') === f.name ? f.name : `${f.name} = ${f.from.join('.')}`)).join(', ')} }`
            : [
                rule.value.kind === 'select' ? selectText(rule.value) : rule.value.path.join('.'),
                ...rule.value.transforms.map(describeTransform),
              ].join(' | ');
  const onError = rule.onError === 'ignore' ? ' on_error ignore' : '';
  return `${rule.destination.join('.')} ${rule.op === 'set' ? '=' : '+='} ${value}${onError}`.replace(/[\r\n]/g, ' ');
}

function describeTransform(t: TransformIR): string {
  switch (t.kind) {
    case 'convert':
      return t.to;
    case 'date':
      return `date(${t.formats.map((f) => (f.kind === 'pattern' ? JSON.stringify(f.pattern.text) : f.kind)).join(', ')})`;
    case 'lookup':
      return `lookup(${t.table})`;
    case 'redact':
      return t.mode === 'hash' ? 'hash' : `mask(${t.keep})`;
    case 'split':
      return `split(${JSON.stringify(t.separator)})`;
    case 'extract':
      return `extract(${JSON.stringify(t.pattern)})`;
    default:
      return t.kind;
  }
}

/**
 * Whether the data request renders `{now}` (in its query or JSON body, the only places the checks
 * allow it). Walks the body with a stack, not recursion: a body may be nested 10,000 deep.
 */
export function requestUsesNow(request: RequestIR): boolean {
  const usesNow = (t: Template): boolean => t.parts.some((part) => part.kind === 'now');
  if (request.query.some((q) => usesNow(q.value))) return true;
  const stack: JsonTemplate[] = request.body ? [request.body] : [];
  for (let j = stack.pop(); j !== undefined; j = stack.pop()) {
    if (j.kind === 'object') for (const e of j.entries) stack.push(e.value);
    else if (j.kind === 'array') for (const item of j.items) stack.push(item);
    else if (j.kind === 'string' && usesNow(j.template)) return true;
  }
  return false;
}
