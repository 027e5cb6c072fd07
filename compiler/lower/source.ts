/**
 * Lowers a stream's source items (request, auth, pagination, records, split, cursor, rate limit,
 * retry, page cap) to {@link SourceIR}, filling the defaults of `docs/language.md`.
 *
 * @module
 */
import type {
  Auth,
  AuthHeader,
  CursorBlock,
  JsonValue,
  Paginate,
  Param,
  RequestNode,
  RequestParam,
  RequestWhen,
  SecretRef,
  SettingRef,
  SplitItem,
  StreamDecl,
} from '../../dsl/ast.ts';
import type {
  AuthIR,
  CursorInitial,
  CursorIR,
  JsonTemplate,
  NameValue,
  PaginationIR,
  ParamLocation,
  RateLimitIR,
  RequestConditionIR,
  RequestIR,
  RetryIR,
  SourceIR,
  SplitIR,
  Template,
  TemplatePart,
} from '../ir.ts';
import { dateFormat, LoweringError, path, seconds, span, template, type Names } from './common.ts';
import type { PathTyper } from './schema.ts';

/** Defaults from `docs/language.md` § Defaults. */
export const SOURCE_DEFAULTS = {
  retryAttempts: 3,
  backoffBaseSeconds: 1,
  backoffMaxSeconds: 30,
  maxPagesPerRun: 100,
  renewBeforeSeconds: 60,
} as const;

/** `typeOf` gives the split path's and the cursor field's declared types (`lowerSchema`). */
export function lowerSource(stream: StreamDecl, names: Names, typeOf: PathTyper = () => undefined): SourceIR {
  const request = stream.request;
  if (!request) throw new LoweringError(`stream ${stream.name.value} has no request`, stream.name.loc);
  if (!stream.records) throw new LoweringError(`stream ${stream.name.value} has no records`, stream.name.loc);
  return {
    request: lowerRequest(request, names),
    auth: stream.auth ? lowerAuth(stream.auth, names) : { kind: 'none' },
    pagination: stream.paginate ? lowerPagination(stream.paginate) : { kind: 'none' },
    records: path(stream.records.path),
    ...(stream.split ? { split: lowerSplit(stream.split, typeOf) } : {}),
    ...(stream.cursor ? { cursor: lowerCursor(stream.cursor, typeOf, names.durationSettings) } : {}),
    rateLimit: lowerRateLimit(stream),
    retry: lowerRetry(stream),
    maxPagesPerRun: stream.maxPages?.value.value ?? SOURCE_DEFAULTS.maxPagesPerRun,
    loc: span(request.loc),
  };
}

export function lowerRequest(node: RequestNode, names: Names): RequestIR {
  return {
    method: node.method,
    url: template(node.url, names),
    headers: node.headers.map((p) => nameValue(p, names)),
    query: node.query.map((p) => nameValue(p, names)),
    ...(node.body ? { body: json(node.body, names) } : {}),
  };
}

function nameValue(param: RequestParam, names: Names): NameValue {
  return {
    name: param.name.value,
    value: template(param.value, names),
    omitIfEmpty: param.optional,
    ...(param.when ? { when: requestCondition(param.when) } : {}),
  };
}

/** `when RCOND` of a request item; the checks have refused unknown flags (E0166). */
function requestCondition(node: RequestWhen): RequestConditionIR {
  switch (node.kind) {
    case 'SettingRef':
      return { kind: 'setting', name: node.name.value };
    case 'RequestNot':
      return { kind: 'not', operand: requestCondition(node.operand) };
    case 'RequestFlag':
      if (node.name === 'window.complete') return { kind: 'window_complete' };
      throw new LoweringError(`unknown request condition ${node.name}`, node.loc);
  }
}

function json(node: JsonValue, names: Names): JsonTemplate {
  switch (node.kind) {
    case 'JsonObject':
      return { kind: 'object', entries: node.entries.map((e) => ({ key: e.key.value, value: json(e.value, names) })) };
    case 'JsonArray':
      return { kind: 'array', items: node.items.map((i) => json(i, names)) };
    case 'Template':
      return { kind: 'string', template: template(node, names) };
    case 'Number':
      return { kind: 'number', value: node.value };
    case 'Boolean':
      return { kind: 'bool', value: node.value };
    case 'Null':
      return { kind: 'null' };
    case 'SecretRef':
      return { kind: 'string', template: { parts: [{ kind: 'secret', name: node.name.value }] } };
    case 'SettingRef':
      return { kind: 'setting', name: node.name.value };
  }
}

function credential(ref: SettingRef | SecretRef): { kind: 'setting' | 'secret'; name: string } {
  return { kind: ref.kind === 'SettingRef' ? 'setting' : 'secret', name: ref.name.value };
}

export function lowerAuth(auth: Auth, names: Names): AuthIR {
  const loc = span(auth.loc);
  switch (auth.kind) {
    case 'AuthHeader':
      return { kind: 'header', header: auth.header.value, secret: auth.secret!.name.value, ...headerValue(auth), loc };
    case 'AuthBearer':
      return { kind: 'bearer', secret: auth.secret.name.value, loc };
    case 'AuthBasic':
      return { kind: 'basic', username: credential(auth.username), password: auth.password.name.value, loc };
    case 'AuthTokenExchange':
      return {
        kind: 'token_exchange',
        request: lowerRequest(auth.request, names),
        tokenPath: path(auth.token),
        // With only `expires_at`, the lifetime is a fallback never used; 0 says "unknown".
        lifetimeSeconds: auth.lifetime ? seconds(auth.lifetime) : 0,
        ...(auth.expiresAt ? { expiresAtPath: path(auth.expiresAt) } : {}),
        renewBeforeSeconds: auth.renewBefore ? seconds(auth.renewBefore) : SOURCE_DEFAULTS.renewBeforeSeconds,
        header: { name: auth.header.name.value, value: template(auth.header.value, names), omitIfEmpty: false },
        loc,
      };
    case 'AuthOAuth2':
      return {
        kind: 'oauth2_client_credentials',
        tokenUrl: template(auth.tokenUrl, names),
        clientId: credential(auth.clientId),
        ...(auth.privateKey
          ? { privateKey: auth.privateKey.name.value }
          : { clientSecret: auth.clientSecret!.name.value }),
        scopes: auth.scopes.map((s) => s.value),
        scopeLocs: auth.scopes.map((s) => s.loc),
        loc,
      };
  }
}

function param(node: Param): ParamLocation {
  if (node.kind === 'QueryParam') return { in: 'query', name: node.name.value };
  // `replace` only when written, so that the IR of maps without it is unchanged.
  return { in: 'body', path: path(node.path), ...(node.replace ? { replace: true } : {}) };
}

export function lowerPagination(node: Paginate): PaginationIR {
  const loc = span(node.loc);
  switch (node.kind) {
    case 'PaginatePageToken':
      return { kind: 'page_token', tokenPath: path(node.token), param: param(node.send), loc };
    case 'PaginateCursorHasMore':
      return {
        kind: 'cursor_has_more',
        tokenPath: path(node.cursor),
        hasMorePath: path(node.hasMore),
        param: param(node.send),
        loc,
      };
    case 'PaginatePageNumber':
      return {
        kind: 'page_number',
        param: param(node.send),
        // Page numbering starts at 1 unless the map says otherwise (most REST APIs count from 1).
        start: node.start?.value ?? 1,
        size: { param: param(node.size), value: node.sizeValue.value },
        loc,
      };
    case 'PaginateOffset':
      return {
        kind: 'offset',
        offsetParam: param(node.offset),
        limitParam: param(node.limit),
        limit: node.limitValue.value,
        ...(node.total ? { totalPath: path(node.total) } : {}),
        loc,
      };
    case 'PaginateLinkHeader':
      return { kind: 'link_header', loc };
    case 'PaginateTimeWindow':
      return { kind: 'time_window', stepSeconds: seconds(node.step), format: dateFormat(node.format), loc };
  }
}

function lowerSplit(node: SplitItem, typeOf: PathTyper): SplitIR {
  const splitPath = path(node.path);
  const elementType = typeOf(splitPath);
  return { path: splitPath, ...(elementType ? { elementType } : {}), loc: span(node.loc) };
}

export function lowerCursor(
  node: CursorBlock,
  typeOf: PathTyper = () => undefined,
  durationSettings: ReadonlySet<string> = new Set(),
): CursorIR {
  const initial = cursorInitial(node.start, durationSettings);
  const loc = span(node.loc);
  if (node.max) {
    const field = path(node.max.path);
    const fieldType = typeOf(field);
    return {
      kind: 'record_max',
      field,
      ...(fieldType ? { fieldType } : {}),
      format: dateFormat(node.max.format),
      initial,
      loc,
    };
  }
  return node.nextPage ? { kind: 'next_page', initial, loc } : { kind: 'window', initial, loc };
}

/** `start setting.X` (timestamp: backfill start; duration: look-back) or `start 30d`. */
function cursorInitial(start: CursorBlock['start'], durationSettings: ReadonlySet<string>): CursorInitial {
  if (start === undefined) return { lookbackSeconds: 0 };
  if (start.kind === 'Duration') return { lookbackSeconds: seconds(start) };
  const name = start.name.value;
  return durationSettings.has(name)
    ? { lookbackSetting: name, lookbackSeconds: 0 }
    : { setting: name, lookbackSeconds: 0 };
}

function lowerRateLimit(stream: StreamDecl): RateLimitIR {
  const block = stream.rateLimit;
  return {
    // `retry_after` is on by default and the language has no way to turn it off.
    retryAfter: true,
    ...(block?.remaining ? { remainingHeader: block.remaining.value } : {}),
    ...(block?.reset ? { resetHeader: block.reset.value } : {}),
    ...(block?.requestsPerSecond ? { requestsPerSecond: block.requestsPerSecond.value } : {}),
  };
}

function lowerRetry(stream: StreamDecl): RetryIR {
  const block = stream.retry;
  return {
    maxAttempts: block?.attempts?.value ?? SOURCE_DEFAULTS.retryAttempts,
    backoffBaseSeconds: block?.backoff ? seconds(block.backoff.from) : SOURCE_DEFAULTS.backoffBaseSeconds,
    backoffMaxSeconds: block?.backoff ? seconds(block.backoff.to) : SOURCE_DEFAULTS.backoffMaxSeconds,
  };
}

/**
 * The value of an auth header written as a template (`"SSWS {secret.api_token}"`): its text
 * parts and its one `{secret.NAME}` (the checks hold that shape, E0194).
 */
function headerValue(auth: AuthHeader): { value?: Template } {
  if (!auth.template) return {};
  const parts = auth.template.parts.map((p): TemplatePart =>
    p.kind === 'TemplateText' ? { kind: 'text', text: p.text } : { kind: 'secret', name: auth.secret!.name.value },
  );
  return { value: { parts, loc: span(auth.template.loc) } };
}
