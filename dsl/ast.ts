/**
 * The `.map` abstract syntax tree: what `parseMap` (`dsl/index.ts`) returns and what semantic
 * checks (`compiler/check/`) and lowering (`compiler/lower/`) consume.
 *
 * Shape rules (modelled on graphql-js `src/language/ast.ts`):
 * - every node is a readonly object with a string `kind` tag and a `loc: Span` covering the whole
 *   construct in the source (keyword included), so any diagnostic can point at it;
 * - {@link NodeKindMap} maps each `kind` to its node type; {@link isNode} narrows by kind;
 * - single-valued items of a block are optional fields holding their FIRST occurrence: the parser
 *   reports a repeated one as `E0007` (pointing at both places), so the tree never needs two;
 * - multi-valued items (headers, query parameters, table entries, map rules, `remove`) are arrays
 *   in source order;
 * - strings that may hold placeholders (URL, header and query values, JSON body strings, the
 *   token-exchange header value, the OAuth2 token URL) are {@link TemplateString}s: already split
 *   into text and placeholder parts, each part with its exact source span (escapes decoded,
 *   `{{`/`}}` turned into literal braces). Placeholder *names* are not checked here: an unknown
 *   or unusable one is a semantic error (`E0108`, `compiler/check/`).
 *
 * Grammar: `docs/language.md`. Items that the grammar makes mandatory inside a sub-block
 * (e.g. `token` in `auth token_exchange { ... }`) are required fields here: the parser reports
 * their absence as a syntax error. Items of a stream or of the integration are optional here:
 * their absence is a semantic error (`E0113`).
 *
 * @module
 */
import type { DatePatternToken } from './date-pattern.ts';
import type { ParsedRegex, RegexProblem } from './regex.ts';
import type { Span } from './diagnostics.ts';

export type { Span } from './diagnostics.ts';

// ---------------------------------------------------------------------------------------------
// Leaves
// ---------------------------------------------------------------------------------------------

/** An identifier (keywords are accepted where a name is expected: `setting interval: duration`). */
export interface NameNode {
  readonly kind: 'Name';
  readonly value: string;
  readonly loc: Span;
}

/** A double-quoted string, escapes decoded. `loc` covers the quotes. */
export interface StringLiteral {
  readonly kind: 'String';
  readonly value: string;
  readonly loc: Span;
}

/** `42`, `-7`, `3.5`. `raw` is the source text. */
export interface NumberLiteral {
  readonly kind: 'Number';
  readonly value: number;
  readonly raw: string;
  /** True when `raw` has no fraction (the grammar's `INT`). */
  readonly integer: boolean;
  readonly loc: Span;
}

export interface BooleanLiteral {
  readonly kind: 'Boolean';
  readonly value: boolean;
  readonly loc: Span;
}

export interface NullLiteral {
  readonly kind: 'Null';
  readonly loc: Span;
}

/** `literal = STRING | NUMBER | "true" | "false"`. */
export type Literal = StringLiteral | NumberLiteral | BooleanLiteral;

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/** `500ms`, `30s`, `5m`, `4h`, `1d`: an integer amount and a unit. */
export interface DurationLiteral {
  readonly kind: 'Duration';
  readonly amount: number;
  readonly unit: DurationUnit;
  /** The duration in milliseconds (`5m` = 300000). */
  readonly milliseconds: number;
  readonly raw: string;
  readonly loc: Span;
}

/** Literal text of a template; `loc` covers its source characters (escapes as written). */
export interface TemplateText {
  readonly kind: 'TemplateText';
  readonly text: string;
  readonly loc: Span;
}

/**
 * A `{name}` placeholder; `name` is the dotted text between the braces (`base_url`,
 * `window.start`, `cursor`, `token`). `loc` covers the braces; `nameLoc` only the name.
 */
export interface TemplatePlaceholder {
  readonly kind: 'Placeholder';
  readonly name: string;
  readonly loc: Span;
  readonly nameLoc: Span;
}

export type TemplatePart = TemplateText | TemplatePlaceholder;

/**
 * A string that may hold placeholders. `value` is the decoded string as written (placeholders
 * still in braces, `{{` still doubled) for messages; `parts` is the parsed form. Adjacent text
 * is merged into one part; an empty string has no parts.
 */
export interface TemplateString {
  readonly kind: 'Template';
  readonly value: string;
  readonly parts: readonly TemplatePart[];
  readonly loc: Span;
}

/** `setting.NAME`. */
export interface SettingRef {
  readonly kind: 'SettingRef';
  readonly name: NameNode;
  readonly loc: Span;
}

/** `secret.NAME`. */
export interface SecretRef {
  readonly kind: 'SecretRef';
  readonly name: NameNode;
  readonly loc: Span;
}

/**
 * One path segment. `name` is the segment's field name: for `@timestamp` it is `@timestamp`,
 * for `"Date & Time"` it is `Date & Time` (decoded).
 */
export interface PathSegment {
  readonly kind: 'PathSegment';
  readonly name: string;
  /** How it was written: bare identifier/keyword, quoted string, or `@name`. */
  readonly form: 'identifier' | 'quoted' | 'at';
  readonly loc: Span;
}

/** `spec.payload.success`, `actor."ip-address"`, `@timestamp`. At least one segment. */
export interface PathNode {
  readonly kind: 'Path';
  readonly segments: readonly PathSegment[];
  readonly loc: Span;
}

/** `$`: the response body itself (`records $`). */
export interface RootPath {
  readonly kind: 'RootPath';
  readonly loc: Span;
}

/** `dateFormat = "iso8601" | "unix_ms" | "unix" | STRING`; `pattern` only for `format: 'pattern'`. */
export interface DateFormatNode {
  readonly kind: 'DateFormat';
  readonly format: 'iso8601' | 'unix_ms' | 'unix' | 'pattern';
  /** The pattern text (`dd/MM/yyyy`) when `format` is `pattern`, else undefined. */
  readonly pattern: string | undefined;
  /** The pattern cut into tokens once (`./date-pattern.ts`) when `format` is `pattern`, else undefined. */
  readonly tokens: readonly DatePatternToken[] | undefined;
  readonly loc: Span;
}

// ---------------------------------------------------------------------------------------------
// File and declarations
// ---------------------------------------------------------------------------------------------

export interface MapFile {
  readonly kind: 'MapFile';
  /** The file name given to `parseMap`, as in every span's `file`. */
  readonly file: string;
  /** Every top-level declaration in source order (several `integration`s are kept: checks decide). */
  readonly declarations: readonly Declaration[];
  /**
   * The file's text, so that a check can point at one character inside a string literal (an
   * escape or a raw character: `loc` spans index into it).
   */
  readonly source: string;
  readonly loc: Span;
}

export type Declaration = IntegrationDecl | SettingDecl | SecretDecl | TableDecl | StreamDecl | DefaultsDecl;

/** `integration NAME { title "..." vendor "..." version "..." description "..." }`. */
export interface IntegrationDecl {
  readonly kind: 'Integration';
  readonly name: NameNode;
  readonly title?: StringLiteral;
  readonly vendor?: StringLiteral;
  readonly version?: StringLiteral;
  readonly description?: StringLiteral;
  /** `changelog "URL"`: the page of this version's change (e.g. its pull request), an absolute http(s) URL. */
  readonly changelog?: StringLiteral;
  /** `ecs "8.11.0"`: the ECS release the map is checked against and its documents carry; default the newest mapc ships. */
  readonly ecs?: StringLiteral;
  /** `agentless { ... }`: the Elastic package may also run as an agentless deployment, owned by these. */
  readonly agentless?: AgentlessBlock;
  readonly loc: Span;
}

/**
 * `agentless { organization "security" division "engineering" team "security-service-integrations" }`:
 * who owns the agentless deployments of the Elastic package (package-spec 3.5
 * `policy_templates[].deployment_modes.agentless`, which requires all three when enabled).
 */
export interface AgentlessBlock {
  readonly kind: 'Agentless';
  readonly organization?: StringLiteral;
  readonly division?: StringLiteral;
  readonly team?: StringLiteral;
  readonly loc: Span;
}

export type SettingTypeName = 'string' | 'url' | 'duration' | 'timestamp' | 'int' | 'bool';

export interface SettingTypeNode {
  readonly kind: 'SettingType';
  readonly value: SettingTypeName;
  readonly loc: Span;
}

/** `setting NAME: TYPE [= literal] [required] [{ title "..." description "..." }]`. */
export interface SettingDecl {
  readonly kind: 'Setting';
  readonly name: NameNode;
  readonly type: SettingTypeNode;
  /** The default literal as written (not checked against `type` here: that is `E0115`). */
  readonly default?: Literal;
  readonly required: boolean;
  /** Span of the `required` keyword when present. */
  readonly requiredLoc?: Span;
  readonly title?: StringLiteral;
  readonly description?: StringLiteral;
  readonly loc: Span;
}

/** `secret NAME [{ title "..." description "..." }]`. */
export interface SecretDecl {
  readonly kind: 'Secret';
  readonly name: NameNode;
  readonly title?: StringLiteral;
  readonly description?: StringLiteral;
  readonly loc: Span;
}

/** `["a", "b"]`: the several values of a table entry or default (possibly none). */
export interface StringList {
  readonly kind: 'StringList';
  readonly items: readonly StringLiteral[];
  readonly loc: Span;
}

/** A table's output: one string, or a list of strings (a *list table*, docs/language.md "Tables"). */
export type TableValue = StringLiteral | StringList;

/** `"FROM" => "TO"` or `"FROM" => ["TO", ...]`. */
export interface TableEntry {
  readonly kind: 'TableEntry';
  readonly from: StringLiteral;
  readonly to: TableValue;
  readonly loc: Span;
}

/** `table NAME { "a" => "b" ... default "c" }` (a value may be a list: `"a" => ["b", "c"]`). */
export interface TableDecl {
  readonly kind: 'Table';
  readonly name: NameNode;
  readonly entries: readonly TableEntry[];
  readonly default?: TableValue;
  readonly loc: Span;
}

/** The strings of a table value: the one string, or the list's items. */
export function tableStrings(value: TableValue): readonly StringLiteral[] {
  return value.kind === 'String' ? [value] : value.items;
}

/** Whether a table yields lists: one of its values (entries or default) is a list. */
export function isListTable(table: TableDecl): boolean {
  return (
    table.entries.some((e) => e.to.kind === 'StringList') ||
    (table.default !== undefined && table.default.kind === 'StringList')
  );
}

/** `stream NAME { ... }`; every item optional here (required ones are checked as `E0113`). */
export interface StreamDecl {
  readonly kind: 'Stream';
  readonly name: NameNode;
  readonly title?: StringLiteral;
  readonly description?: StringLiteral;
  readonly dataset?: StringLiteral;
  readonly interval?: IntervalItem;
  readonly auth?: Auth;
  readonly request?: RequestNode;
  readonly paginate?: Paginate;
  readonly records?: RecordsItem;
  readonly split?: SplitItem;
  readonly cursor?: CursorBlock;
  readonly rateLimit?: RateLimitBlock;
  readonly retry?: RetryBlock;
  readonly maxPages?: MaxPagesItem;
  readonly map?: MapBlock;
  /** `record { ... }`: the declared shape of the stream's records (after `split`). */
  readonly record?: RecordBlock;
  readonly loc: Span;
}

/** The stream items a `defaults` block may hold (the {@link StreamDecl} fields of the same names). */
export const DEFAULT_ITEMS = [
  'interval',
  'auth',
  'request',
  'paginate',
  'records',
  'split',
  'cursor',
  'rateLimit',
  'retry',
  'maxPages',
] as const;

export type DefaultItem = (typeof DEFAULT_ITEMS)[number];

/** The keyword each item of {@link DEFAULT_ITEMS} is written with (`rateLimit` is `rate_limit`). */
export const DEFAULT_ITEM_KEYWORDS: Readonly<Record<DefaultItem, string>> = {
  interval: 'interval',
  auth: 'auth',
  request: 'request',
  paginate: 'paginate',
  records: 'records',
  split: 'split',
  cursor: 'cursor',
  rateLimit: 'rate_limit',
  retry: 'retry',
  maxPages: 'max_pages',
};

/**
 * `defaults { ITEM }`: stream items (those of {@link DEFAULT_ITEMS}) that every stream without
 * its own item of that kind inherits; a stream's `request` merges with the default's (see
 * `compiler/defaults.ts`). The items are the parsed nodes, with their spans in the `defaults`
 * text, so a diagnostic about an inherited item points there.
 */
export type DefaultsDecl = {
  readonly kind: 'Defaults';
  /** Span of the `defaults` keyword. */
  readonly keywordLoc: Span;
  /**
   * Items a default cannot be (`map`, `record`, `title`, `description`, `dataset`): their
   * keyword and span, reported by the checks (E0187); they are never inherited.
   */
  readonly refused: readonly NameNode[];
  readonly loc: Span;
} & { readonly [K in DefaultItem]?: StreamDecl[K] };

// ---------------------------------------------------------------------------------------------
// Stream items
// ---------------------------------------------------------------------------------------------

/** `interval 5m` or `interval setting.interval`. */
export interface IntervalItem {
  readonly kind: 'Interval';
  readonly value: DurationLiteral | SettingRef;
  readonly loc: Span;
}

/** `max_pages 200` (`value.integer` is guaranteed by the parser). */
export interface MaxPagesItem {
  readonly kind: 'MaxPages';
  readonly value: NumberLiteral;
  readonly loc: Span;
}

/** `records list.objects` or `records $`. */
export interface RecordsItem {
  readonly kind: 'Records';
  readonly path: PathNode | RootPath;
  readonly loc: Span;
}

/** `split results.secrets`. */
export interface SplitItem {
  readonly kind: 'Split';
  readonly path: PathNode;
  readonly loc: Span;
}

// --- auth ---

export type Auth = AuthHeader | AuthBearer | AuthBasic | AuthTokenExchange | AuthOAuth2;

/**
 * `auth header "Authorization" = secret.api_token`, or with a scheme around the secret:
 * `auth header "Authorization" = "SSWS {secret.api_token}"`.
 */
export interface AuthHeader {
  readonly kind: 'AuthHeader';
  readonly header: StringLiteral;
  /**
   * The secret the value holds: the `secret.NAME` written as the value, or the one
   * `{secret.NAME}` placeholder of {@link template} (its span the placeholder's name). Absent
   * only when the template holds no such placeholder (E0194).
   */
  readonly secret?: SecretRef;
  /** The value, when written as a string around the secret (`"SSWS {secret.api_token}"`). */
  readonly template?: TemplateString;
  readonly loc: Span;
}

/** `auth bearer secret.token`. */
export interface AuthBearer {
  readonly kind: 'AuthBearer';
  readonly secret: SecretRef;
  readonly loc: Span;
}

/** `auth basic { username = setting.user password = secret.pass }`. */
export interface AuthBasic {
  readonly kind: 'AuthBasic';
  readonly username: SettingRef | SecretRef;
  readonly password: SecretRef;
  readonly loc: Span;
}

/** `header "Authorization" = "Bearer {token}"` inside `token_exchange`. */
export interface TokenHeader {
  readonly kind: 'TokenHeader';
  readonly name: StringLiteral;
  readonly value: TemplateString;
  readonly loc: Span;
}

/** `auth token_exchange { request ... token PATH [lifetime D] [expires_at PATH] [renew_before D] header "H" = "V" }`. */
export interface AuthTokenExchange {
  readonly kind: 'AuthTokenExchange';
  readonly request: RequestNode;
  readonly token: PathNode;
  readonly lifetime?: DurationLiteral;
  readonly expiresAt?: PathNode;
  readonly renewBefore?: DurationLiteral;
  readonly header: TokenHeader;
  readonly loc: Span;
}

/**
 * `auth oauth2 { token_url "..." client_id = ... (client_secret | private_key) = secret.x [scopes "a" "b"] }`:
 * exactly one of `clientSecret` and `privateKey` (the parser reports none, E0011, or both, E0014).
 */
export interface AuthOAuth2 {
  readonly kind: 'AuthOAuth2';
  readonly tokenUrl: TemplateString;
  readonly clientId: SettingRef | SecretRef;
  readonly clientSecret?: SecretRef;
  /** RFC 7523 `private_key_jwt`: the client's private key (a JWK or PEM) signs an assertion. */
  readonly privateKey?: SecretRef;
  /** Empty when no `scopes` item is given. */
  readonly scopes: readonly StringLiteral[];
  readonly loc: Span;
}

// --- request ---

/** `request GET "url" { header ... query ... body {...} }`. */
export interface RequestNode {
  readonly kind: 'Request';
  readonly method: 'GET' | 'POST';
  readonly methodLoc: Span;
  readonly url: TemplateString;
  readonly headers: readonly RequestParam[];
  readonly query: readonly RequestParam[];
  readonly body?: JsonObject;
  readonly loc: Span;
}

/** `header "Accept" = "application/json" [optional]` or `query "from" = "{window.start}"`. */
export interface RequestParam {
  readonly kind: 'RequestParam';
  readonly in: 'header' | 'query';
  readonly name: StringLiteral;
  readonly value: TemplateString;
  /** `optional`: omit the parameter when its rendered value is empty. */
  readonly optional: boolean;
  /** `when RCOND`: the parameter or header is sent only when the condition holds. */
  readonly when?: RequestWhen;
  readonly loc: Span;
}

/**
 * A request item's condition (`query "to" = "{window.end}" when window.complete`):
 * `not RCOND`, a bool `setting.NAME`, or a built-in flag such as `window.complete`. (Kinds do not
 * end in `Condition`: those are the mapping's record conditions.)
 */
export type RequestWhen = RequestFlag | RequestNot | SettingRef;

/** A built-in request flag by its dotted name as written (`window.complete`); the checks know which exist. */
export interface RequestFlag {
  readonly kind: 'RequestFlag';
  readonly name: string;
  readonly loc: Span;
}

/** `not RCOND`. */
export interface RequestNot {
  readonly kind: 'RequestNot';
  readonly operand: RequestWhen;
  readonly loc: Span;
}

/**
 * A JSON body value. A bare `setting.NAME` is the setting's typed value (an `int` setting a JSON
 * number, a `bool` one `true`/`false`, any other a string); `"{name}"` stays a string template.
 */
export type JsonValue =
  JsonObject | JsonArray | TemplateString | NumberLiteral | BooleanLiteral | NullLiteral | SecretRef | SettingRef;

export interface JsonEntry {
  readonly kind: 'JsonEntry';
  readonly key: StringLiteral;
  readonly value: JsonValue;
  readonly loc: Span;
}

export interface JsonObject {
  readonly kind: 'JsonObject';
  readonly entries: readonly JsonEntry[];
  readonly loc: Span;
}

export interface JsonArray {
  readonly kind: 'JsonArray';
  readonly items: readonly JsonValue[];
  readonly loc: Span;
}

// --- pagination ---

export type Paginate =
  | PaginatePageToken
  | PaginateCursorHasMore
  | PaginatePageNumber
  | PaginateOffset
  | PaginateLinkHeader
  | PaginateTimeWindow;

/** `query "name"` or `body path`: where a pagination value travels. */
export type Param = QueryParam | BodyParam;

export interface QueryParam {
  readonly kind: 'QueryParam';
  readonly name: StringLiteral;
  readonly loc: Span;
}

export interface BodyParam {
  readonly kind: 'BodyParam';
  readonly path: PathNode;
  /**
   * `send body PATH replace`: the pages after the first send exactly `{PATH: value}` instead of
   * the request's body (the checks allow it only for the page token of `page_token` and
   * `cursor_has_more`, E0174). Its span is the `replace` keyword's.
   */
  readonly replace?: Span;
  readonly loc: Span;
}

/** `paginate page_token { token PATH send PARAM }`. */
export interface PaginatePageToken {
  readonly kind: 'PaginatePageToken';
  readonly token: PathNode;
  readonly send: Param;
  readonly loc: Span;
}

/** `paginate cursor_has_more { cursor PATH has_more PATH send PARAM }`. */
export interface PaginateCursorHasMore {
  readonly kind: 'PaginateCursorHasMore';
  readonly cursor: PathNode;
  readonly hasMore: PathNode;
  readonly send: Param;
  readonly loc: Span;
}

/** `paginate page_number { send PARAM [start INT] size PARAM = INT }`. */
export interface PaginatePageNumber {
  readonly kind: 'PaginatePageNumber';
  readonly send: Param;
  readonly start?: NumberLiteral;
  readonly size: Param;
  readonly sizeValue: NumberLiteral;
  readonly loc: Span;
}

/** `paginate offset { offset PARAM limit PARAM = INT [total PATH] }`. */
export interface PaginateOffset {
  readonly kind: 'PaginateOffset';
  readonly offset: Param;
  readonly limit: Param;
  readonly limitValue: NumberLiteral;
  readonly total?: PathNode;
  readonly loc: Span;
}

/** `paginate link_header`. */
export interface PaginateLinkHeader {
  readonly kind: 'PaginateLinkHeader';
  readonly loc: Span;
}

/** `paginate time_window { step DURATION format DATEFORMAT }`. */
export interface PaginateTimeWindow {
  readonly kind: 'PaginateTimeWindow';
  readonly step: DurationLiteral;
  readonly format: DateFormatNode;
  readonly loc: Span;
}

// --- cursor, rate limit, retry ---

/** `max PATH format DATEFORMAT` inside `cursor { }`. */
export interface CursorMax {
  readonly kind: 'CursorMax';
  readonly path: PathNode;
  readonly format: DateFormatNode;
  readonly loc: Span;
}

/** `cursor { [max PATH format F | next_page] [start setting.X] }`. */
export interface CursorBlock {
  readonly kind: 'Cursor';
  readonly max?: CursorMax;
  /**
   * The span of `next_page`: the state is the page position the last complete page sequence
   * ended at (a `cursor_has_more` token or a `Link` URL), where the next run polls.
   */
  readonly nextPage?: Span;
  /**
   * `start setting.X` (a `timestamp` setting: the backfill start; a `duration` setting: a
   * look-back from now) or `start 30d` (a literal look-back).
   */
  readonly start?: SettingRef | DurationLiteral;
  readonly loc: Span;
}

/** `rate_limit { retry_after remaining "H" reset "H" requests_per_second N }`. */
export interface RateLimitBlock {
  readonly kind: 'RateLimit';
  /** Span of the `retry_after` flag when written (its absence does not mean off: see defaults). */
  readonly retryAfter?: Span;
  readonly remaining?: StringLiteral;
  readonly reset?: StringLiteral;
  readonly requestsPerSecond?: NumberLiteral;
  readonly loc: Span;
}

/** `backoff 1s to 60s`. */
export interface Backoff {
  readonly kind: 'Backoff';
  readonly from: DurationLiteral;
  readonly to: DurationLiteral;
  readonly loc: Span;
}

/** `retry { [attempts INT] [backoff D to D] }`. */
export interface RetryBlock {
  readonly kind: 'Retry';
  readonly attempts?: NumberLiteral;
  readonly backoff?: Backoff;
  readonly loc: Span;
}

// ---------------------------------------------------------------------------------------------
// Map block
// ---------------------------------------------------------------------------------------------

/** `unmapped keep|drop`. */
export interface UnmappedOption {
  readonly kind: 'Unmapped';
  readonly mode: 'keep' | 'drop';
  readonly loc: Span;
}

/** `original when setting.X`. */
export interface OriginalOption {
  readonly kind: 'Original';
  readonly when: SettingRef;
  readonly loc: Span;
}

/**
 * `id PATH {, PATH}` (a SHA-256 of the values) or `id raw PATH` (`raw`: the `raw` keyword; the
 * vendor's id as is, exactly one path, the visitor guarantees it).
 */
export interface IdOption {
  readonly kind: 'DocumentId';
  readonly paths: readonly PathNode[];
  readonly raw?: Span;
  readonly loc: Span;
}

/**
 * `remove PATH {, PATH} [when CONDITION]`; may be repeated (the paths accumulate). With `when`,
 * the paths are removed only from a record the condition holds for, tested after the rules.
 */
export interface RemoveOption {
  readonly kind: 'Remove';
  readonly paths: readonly PathNode[];
  readonly when?: Condition;
  readonly loc: Span;
}

/**
 * `drop empty` in `map { }`: after the rules and removals, every `null`, `""`, `[]` and `{}` under
 * the vendor namespace is removed, recursively (compiler/ir.ts `MappingIR.dropEmpty`).
 */
export interface DropEmptyOption {
  readonly kind: 'DropEmpty';
  readonly loc: Span;
}

/** `map { options and rules }`. */
export interface MapBlock {
  readonly kind: 'Map';
  /** `namespace a.b` (the path node). */
  readonly namespace?: PathNode;
  readonly unmapped?: UnmappedOption;
  readonly original?: OriginalOption;
  readonly id?: IdOption;
  /** Every `remove` item in source order. */
  readonly remove: readonly RemoveOption[];
  /** Rules in source order. */
  readonly rules: readonly MapRule[];
  /** Every `drop when` item in source order. */
  readonly drop: readonly DropOption[];
  readonly dropEmpty?: DropEmptyOption;
  /** Every `geoip PATH`, `asn PATH` and `user_agent PATH` item in source order. */
  readonly enrich: readonly EnrichOption[];
  readonly loc: Span;
}

/**
 * `geoip PATH` (GeoIP City data into `<prefix>.geo.*`) or `asn PATH` (autonomous system data into
 * `<prefix>.as.*`), where PATH is an ECS ip field `<prefix>.ip` a rule of the map writes; run
 * after the rules (`EnrichIR` in `compiler/ir.ts`). `user_agent PATH`: the user-agent string in
 * PATH (`user_agent.original`, which a rule writes) parsed into `user_agent.*` (`UserAgentIR`).
 */
export interface EnrichOption {
  readonly kind: 'Enrich';
  readonly database: 'geoip' | 'asn' | 'user_agent';
  /** The span of the `geoip`, `asn` or `user_agent` keyword. */
  readonly keywordLoc: Span;
  readonly field: PathNode;
  readonly loc: Span;
}

/**
 * `DESTINATION (= | +=) VALUE [when CONDITION]`. A rule with several sources
 * (`related.user += a, b | lowercase`) is one `Rule` per source in source order, each with the
 * same `loc`, `destination`, `op` and `when` and the shared transforms; `source` tells them apart
 * (`index` from 0 of `count`).
 */
export interface MapRule {
  readonly kind: 'Rule';
  readonly destination: PathNode;
  readonly op: '=' | '+=';
  readonly opLoc: Span;
  readonly value: RuleValue;
  readonly when?: Condition;
  /** `on_error ignore|record` (absent: `record`, the default). */
  readonly onError?: OnErrorChoice;
  readonly source?: { readonly index: number; readonly count: number };
  readonly loc: Span;
}

/**
 * A rule's failure choice: `record` (the default) appends its conversion error to `error.message`;
 * `ignore` writes nothing and appends nothing (`RuleIR.onError`).
 */
export interface OnErrorChoice {
  readonly value: 'ignore' | 'record';
  readonly loc: Span;
}

/**
 * A rule's value. A lone quoted string, number, `true` or `false` is a {@link Literal};
 * a path (possibly followed by `| transform`s) is a {@link FieldValue}. A quoted path segment
 * is a path only when followed by `.` or `|`: `"Date & Time" | keyword` reads a field,
 * `"Date & Time"` alone is a constant string.
 */
export type RuleValue = Literal | FieldValue | SelectValue | ElementsValue | CopyValue | CollectionTimeValue;

/**
 * `ARRAY[KEY == LITERAL].REST | transforms`: the first element of the array at `array` that is an
 * object whose `key` equals the literal, then `rest` inside it (`ValueIR` `select`).
 */
export interface SelectValue {
  readonly kind: 'SelectValue';
  readonly array: PathNode;
  readonly key: PathNode;
  readonly equals: Literal;
  /** The path inside the selected element; absent: the whole element. */
  readonly rest?: PathNode;
  readonly transforms: readonly Transform[];
  readonly loc: Span;
}

/**
 * `ARRAY[] { NAME, NAME = PATH, ... }`: every element of the array that is an object, as a new
 * object of the listed fields (`ValueIR` `elements`). `transforms` only for the checks to refuse.
 */
export interface ElementsValue {
  readonly kind: 'ElementsValue';
  readonly array: PathNode;
  readonly fields: readonly ElementField[];
  readonly transforms: readonly Transform[];
  readonly loc: Span;
}

/** `NAME` or `NAME = PATH` of an {@link ElementsValue}: `from` absent reads the path `NAME`. */
export interface ElementField {
  readonly kind: 'ElementField';
  readonly name: PathSegment;
  readonly from?: PathNode;
  readonly loc: Span;
}

/**
 * `collected_at`: the time the engine collected the record (`ValueIR` `collection_time`). Only
 * the lone unquoted word is this value; followed by `.` or `|` it is a field path, so a vendor
 * field called `collected_at` is read as `collected_at | keyword` (or quoted in a longer path).
 */
export interface CollectionTimeValue {
  readonly kind: 'CollectionTime';
  readonly loc: Span;
}

/**
 * `copy(ECS.FIELD)`: the value an earlier rule wrote to an ECS field of the document being built
 * (no transforms).
 */
export interface CopyValue {
  readonly kind: 'CopyValue';
  readonly field: PathNode;
  readonly loc: Span;
}

export interface FieldValue {
  readonly kind: 'FieldValue';
  readonly path: PathNode;
  readonly transforms: readonly Transform[];
  readonly loc: Span;
}

export type ConvertType = 'keyword' | 'long' | 'double' | 'boolean' | 'ip';

export type Transform =
  | ConvertTransform
  | DateTransform
  | CaseTransform
  | LookupTransform
  | HashTransform
  | MaskTransform
  | SplitTransform
  | JsonTransform
  | KvTransform
  | ExtractTransform;

/** `keyword`, `long`, `double`, `boolean`, `ip`. */
export interface ConvertTransform {
  readonly kind: 'ConvertTransform';
  readonly to: ConvertType;
  readonly loc: Span;
}

/** `date(iso8601, "dd/MM/yyyy", ...)`: at least one format. */
export interface DateTransform {
  readonly kind: 'DateTransform';
  readonly formats: readonly DateFormatNode[];
  readonly loc: Span;
}

/** `lowercase` / `uppercase`. */
export interface CaseTransform {
  readonly kind: 'CaseTransform';
  readonly to: 'lowercase' | 'uppercase';
  readonly loc: Span;
}

/** `lookup(table_name)`. */
export interface LookupTransform {
  readonly kind: 'LookupTransform';
  readonly table: NameNode;
  readonly loc: Span;
}

/** `hash`: SHA-256 hex. */
export interface HashTransform {
  readonly kind: 'HashTransform';
  readonly loc: Span;
}

/** `mask(4)`: keep the first N characters (`keep.integer` guaranteed by the parser). */
export interface MaskTransform {
  readonly kind: 'MaskTransform';
  readonly keep: NumberLiteral;
  readonly loc: Span;
}

/** `split(",")`: a string into the list of its pieces (the separator is literal text). */
export interface SplitTransform {
  readonly kind: 'SplitTransform';
  readonly separator: StringLiteral;
  readonly loc: Span;
}

/**
 * `extract("REGEX")`: the text of the pattern's one capturing group at the first match. `regex`:
 * the pattern parsed once by `./regex.ts` (or why it is not in mapc's subset, E0182/E0183).
 */
export interface ExtractTransform {
  readonly kind: 'ExtractTransform';
  readonly pattern: StringLiteral;
  readonly regex: ParsedRegex | RegexProblem;
  readonly loc: Span;
}

/** `json`: a string holding JSON text into the value it encodes. */
export interface JsonTransform {
  readonly kind: 'JsonTransform';
  readonly loc: Span;
}

/**
 * `kv` or `kv("FIELD_SEP", "VALUE_SEP")`: a string of key=value pairs into the object of its pairs.
 * Both separators are absent (the defaults, `KV_DEFAULTS` in `compiler/ir.ts`) or both given.
 */
export interface KvTransform {
  readonly kind: 'KvTransform';
  readonly fieldSeparator?: StringLiteral;
  readonly valueSeparator?: StringLiteral;
  readonly loc: Span;
}

export type Condition =
  | ExistsCondition
  | CompareCondition
  | NowCondition
  | InCondition
  | TextCondition
  | SettingCondition
  | NotCondition
  | AndCondition
  | OrCondition;

/** The comparison operators: equality of any literal, order of numbers. */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** `PATH in [literal, ...]` (the list may be empty here; the checks refuse that, E0119). */
export interface InCondition {
  readonly kind: 'InCondition';
  readonly path: PathNode;
  readonly values: readonly Literal[];
  readonly loc: Span;
}

/** `PATH starts_with "..."`, `ends_with`, `contains`. */
export interface TextCondition {
  readonly kind: 'TextCondition';
  readonly path: PathNode;
  readonly op: 'starts_with' | 'ends_with' | 'contains';
  readonly value: StringLiteral;
  readonly loc: Span;
}

/**
 * `not COND` (`not exists PATH` written without parentheses is an {@link ExistsCondition} with
 * `negated`). `parenthesized` on any condition is not kept: the formatter prints the CST.
 */
export interface NotCondition {
  readonly kind: 'NotCondition';
  readonly operand: Condition;
  readonly loc: Span;
}

/** `A and B and ...` (at least two operands). */
export interface AndCondition {
  readonly kind: 'AndCondition';
  readonly operands: readonly Condition[];
  readonly loc: Span;
}

/** `A or B or ...` (at least two operands). */
export interface OrCondition {
  readonly kind: 'OrCondition';
  readonly operands: readonly Condition[];
  readonly loc: Span;
}

/** `drop when COND` in `map { }`: a record the condition holds for becomes no document. */
export interface DropOption {
  readonly kind: 'Drop';
  readonly when: Condition;
  readonly loc: Span;
}

/** `exists PATH` or `not exists PATH` (`negated`). */
export interface ExistsCondition {
  readonly kind: 'ExistsCondition';
  readonly negated: boolean;
  readonly path: PathNode;
  readonly loc: Span;
}

/** `PATH == literal` / `PATH != literal`; `PATH < NUMBER` etc. (a non-number is refused by the checks). */
export interface CompareCondition {
  readonly kind: 'CompareCondition';
  readonly path: PathNode;
  readonly op: CompareOp;
  readonly value: Literal;
  readonly loc: Span;
}

/**
 * `PATH < now`, `PATH >= now - 30d format "dd/MM/yyyy"`, ...: the field's date text against the
 * time the record is processed, moved by `offset` (`ConditionIR` `now`). `==` and `!=` parse but the checks refuse
 * them (E0119).
 */
export interface NowCondition {
  readonly kind: 'NowCondition';
  readonly path: PathNode;
  readonly op: CompareOp;
  /** `+ 1h` / `- 30d`; absent for a bare `now`. */
  readonly offset?: { readonly sign: '+' | '-'; readonly duration: DurationLiteral };
  /** `format F, ...`: how the field's text is read; empty: `iso8601`. */
  readonly formats: readonly DateFormatNode[];
  /** The `now ...` part, for messages. */
  readonly nowLoc: Span;
  readonly loc: Span;
}

/** `setting.X`: a bool setting is true. */
export interface SettingCondition {
  readonly kind: 'SettingCondition';
  readonly setting: SettingRef;
  readonly loc: Span;
}

// ---------------------------------------------------------------------------------------------
// Record schema
// ---------------------------------------------------------------------------------------------

/** The type names a record field may declare. */
export type FieldTypeName = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'any';

/** `string`, `array of object`, ...; `items` only for `array of TYPE`. */
export interface FieldTypeNode {
  readonly kind: 'FieldType';
  readonly name: FieldTypeName;
  readonly items?: FieldTypeNode;
  readonly loc: Span;
}

/** `format ip`. */
export interface IpFormatNode {
  readonly kind: 'IpFormat';
  readonly loc: Span;
}

/** A field's `format`: a date format (as in `date(...)`) or `ip`. */
export type FieldFormatNode = DateFormatNode | IpFormatNode;

/**
 * `PATH TYPE { "|" TYPE } [optional] [nullable] [format F {, F}]`, modifiers in any order, each
 * at most once (`E0007`). `types` has at least one entry; `formats` is empty without `format`.
 */
export interface RecordField {
  readonly kind: 'RecordField';
  readonly path: PathNode;
  readonly types: readonly FieldTypeNode[];
  /** Span of the `optional` keyword when given. */
  readonly optional?: Span;
  /** Span of the `nullable` keyword when given. */
  readonly nullable?: Span;
  readonly formats: readonly FieldFormatNode[];
  /** Span of the whole `format ...` modifier when given. */
  readonly formatLoc?: Span;
  readonly loc: Span;
}

/** `record { field ... }`: fields in source order (a path given twice is the checks' `E0146`). */
export interface RecordBlock {
  readonly kind: 'Record';
  readonly fields: readonly RecordField[];
  readonly loc: Span;
}

// ---------------------------------------------------------------------------------------------
// Kind map and guards
// ---------------------------------------------------------------------------------------------

/** Every node type by its `kind` tag. */
export interface NodeKindMap {
  Name: NameNode;
  String: StringLiteral;
  Number: NumberLiteral;
  Boolean: BooleanLiteral;
  Null: NullLiteral;
  Duration: DurationLiteral;
  TemplateText: TemplateText;
  Placeholder: TemplatePlaceholder;
  Template: TemplateString;
  SettingRef: SettingRef;
  SecretRef: SecretRef;
  PathSegment: PathSegment;
  Path: PathNode;
  RootPath: RootPath;
  DateFormat: DateFormatNode;
  MapFile: MapFile;
  Integration: IntegrationDecl;
  Agentless: AgentlessBlock;
  SettingType: SettingTypeNode;
  Setting: SettingDecl;
  Secret: SecretDecl;
  StringList: StringList;
  TableEntry: TableEntry;
  Table: TableDecl;
  Stream: StreamDecl;
  Defaults: DefaultsDecl;
  Interval: IntervalItem;
  MaxPages: MaxPagesItem;
  Records: RecordsItem;
  Split: SplitItem;
  AuthHeader: AuthHeader;
  AuthBearer: AuthBearer;
  AuthBasic: AuthBasic;
  TokenHeader: TokenHeader;
  AuthTokenExchange: AuthTokenExchange;
  AuthOAuth2: AuthOAuth2;
  Request: RequestNode;
  RequestParam: RequestParam;
  RequestFlag: RequestFlag;
  RequestNot: RequestNot;
  JsonEntry: JsonEntry;
  JsonObject: JsonObject;
  JsonArray: JsonArray;
  QueryParam: QueryParam;
  BodyParam: BodyParam;
  PaginatePageToken: PaginatePageToken;
  PaginateCursorHasMore: PaginateCursorHasMore;
  PaginatePageNumber: PaginatePageNumber;
  PaginateOffset: PaginateOffset;
  PaginateLinkHeader: PaginateLinkHeader;
  PaginateTimeWindow: PaginateTimeWindow;
  CursorMax: CursorMax;
  Cursor: CursorBlock;
  RateLimit: RateLimitBlock;
  Backoff: Backoff;
  Retry: RetryBlock;
  Unmapped: UnmappedOption;
  Original: OriginalOption;
  DocumentId: IdOption;
  Remove: RemoveOption;
  Map: MapBlock;
  Rule: MapRule;
  FieldValue: FieldValue;
  SelectValue: SelectValue;
  ElementsValue: ElementsValue;
  ElementField: ElementField;
  CopyValue: CopyValue;
  CollectionTime: CollectionTimeValue;
  ConvertTransform: ConvertTransform;
  DateTransform: DateTransform;
  CaseTransform: CaseTransform;
  LookupTransform: LookupTransform;
  HashTransform: HashTransform;
  MaskTransform: MaskTransform;
  SplitTransform: SplitTransform;
  JsonTransform: JsonTransform;
  KvTransform: KvTransform;
  ExtractTransform: ExtractTransform;
  ExistsCondition: ExistsCondition;
  CompareCondition: CompareCondition;
  NowCondition: NowCondition;
  SettingCondition: SettingCondition;
  InCondition: InCondition;
  TextCondition: TextCondition;
  NotCondition: NotCondition;
  AndCondition: AndCondition;
  OrCondition: OrCondition;
  Drop: DropOption;
  DropEmpty: DropEmptyOption;
  Enrich: EnrichOption;
  FieldType: FieldTypeNode;
  IpFormat: IpFormatNode;
  RecordField: RecordField;
  Record: RecordBlock;
}

export type NodeKind = keyof NodeKindMap;
export type AstNode = NodeKindMap[NodeKind];

/** True when `node` is an AST node of the given kind. */
export function isNode<K extends NodeKind>(node: unknown, kind: K): node is NodeKindMap[K] {
  return typeof node === 'object' && node !== null && (node as { kind?: unknown }).kind === kind;
}

export function isLiteral(node: AstNode): node is Literal {
  return node.kind === 'String' || node.kind === 'Number' || node.kind === 'Boolean';
}

export function isAuth(node: AstNode): node is Auth {
  return node.kind.startsWith('Auth');
}

export function isPaginate(node: AstNode): node is Paginate {
  return node.kind.startsWith('Paginate');
}

/** The dotted text of a path (`meta.create_time`, `@timestamp`); `$` for the root. */
export function pathText(path: PathNode | RootPath): string {
  return path.kind === 'RootPath' ? '$' : path.segments.map((s) => s.name).join('.');
}

/** The segment names of a path (`[]` for `$`), as the IR's `FieldPath`. */
export function pathSegments(path: PathNode | RootPath): readonly string[] {
  return path.kind === 'RootPath' ? [] : path.segments.map((s) => s.name);
}
