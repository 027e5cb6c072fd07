/**
 * HTTP requests as CEL: mito's `request(method, url[, body])` map, its `Header` set with
 * `.with({"Header": ...})`, executed by the caller with `.do_request()` (mito `lib/http.go`
 * v1.24.1: "Request", "Do Request"; `format_query` encodes a `map<string, list<string>>` with
 * keys sorted, as Go's `url.Values.Encode`).
 *
 * Requests built this way bypass the CEL input's `auth.basic` (it only decorates the direct
 * `get`/`post` calls), so basic credentials travel as an explicit `Authorization` header; OAuth2
 * tokens are requested by the program too (see `auth.ts` on why not the input's `auth.oauth2`).
 *
 * @module
 */
import type { NameValue, RequestConditionIR, RequestIR } from '../../../compiler/ir.ts';
import { celMap, celString } from './text.ts';
import {
  isLiteral,
  jsonBodyExpr,
  templateExpr,
  type BodyInjection,
  type MissingPlaceholder,
  type TemplateScope,
} from './template.ts';

/** A header or query parameter whose value is a CEL expression. */
export interface NamedExpr {
  readonly name: string;
  /** A string expression, or (when `optional`) an `optional<string>` expression. */
  readonly value: string;
  readonly optional: boolean;
}

export interface RequestParts {
  /** Extra query parameters (pagination). */
  readonly query?: readonly NamedExpr[];
  /** Extra headers (auth). */
  readonly headers?: readonly NamedExpr[];
  /** Values spliced into the JSON body (pagination in the body). */
  readonly body?: readonly BodyInjection[];
  /**
   * A page token that, when its `optional<...>` value has one (the pages after the first), is the
   * whole body at its path instead of the request's body (`send body PATH replace`).
   */
  readonly bodyReplace?: BodyInjection;
  /** Replaces the whole URL when it has a value (an `optional<string>` expression: RFC 8288 next link). */
  readonly urlOverride?: string;
  /** Appended to the request map expression, e.g. `.basic_authentication(u, p)`. */
  readonly decorate?: string;
}

/**
 * CEL bool for a request item's `when` (IR `RequestConditionIR`): a `bool` setting (a string in
 * `state`) is `"true"`, case-insensitively as the collector reads it (mito `to_lower`); `window_complete` reads
 * the scope (reported through `onMissing` where there is no time window: the checks refuse it).
 */
export function requestConditionExpr(
  c: RequestConditionIR,
  scope: TemplateScope,
  onMissing: MissingPlaceholder,
): string {
  switch (c.kind) {
    case 'setting': {
      const value = scope.setting(c.name);
      if (value === undefined) {
        onMissing({ kind: 'setting', name: c.name });
        return 'false';
      }
      return `((${value}).to_lower() == "true")`;
    }
    case 'window_complete':
      if (scope.windowComplete === undefined) {
        onMissing({ kind: 'window', edge: 'end' });
        return 'false';
      }
      return `(${scope.windowComplete})`;
    case 'not':
      return `!${requestConditionExpr(c.operand, scope, onMissing)}`;
  }
}

function nameValue(nv: NameValue, scope: TemplateScope, onMissing: MissingPlaceholder): NamedExpr {
  const value = templateExpr(nv.value, scope, onMissing);
  const emptyOmitted = nv.omitIfEmpty && !isLiteral(nv.value);
  if (!nv.when && !emptyOmitted) return { name: nv.name, value, optional: false };
  const present = emptyOmitted
    ? `(${value}).as(v, v == "" ? optional.none() : optional.of(v))`
    : `optional.of(${value})`;
  if (!nv.when) return { name: nv.name, value: present, optional: true };
  const when = requestConditionExpr(nv.when, scope, onMissing);
  return { name: nv.name, value: `(${when}) ? ${present} : optional.none()`, optional: true };
}

/** `{"k": [v], ?"o": opt.map-to-list}`: a map of lists, as `Header` and `format_query` expect. */
function listMap(items: readonly NamedExpr[]): string {
  return celMap(
    items.map((i) => ({
      key: i.name,
      value: i.optional
        ? `(${i.value}).as(o, o.hasValue() ? optional.of([o.value()]) : optional.none())`
        : `[${i.value}]`,
      optional: i.optional,
    })),
  );
}

/** The URL text with the query string appended (`?` or `&`), empty query leaving the URL as is. */
function urlWithQuery(urlExpr: string, hasQueryInUrl: boolean, query: readonly NamedExpr[]): string {
  if (query.length === 0) return urlExpr;
  const sep = celString(hasQueryInUrl ? '&' : '?');
  return `${listMap(query)}.format_query().as(q, ${urlExpr} + (q == "" ? "" : ${sep} + q))`;
}

/**
 * A CEL string expression for the URL of `req` with its query (the map's query parameters, then
 * `parts.query`), or `parts.urlOverride` when that has a value (an RFC 8288 next link).
 */
export function requestUrlExpr(
  req: RequestIR,
  scope: TemplateScope,
  onMissing: MissingPlaceholder,
  parts: RequestParts = {},
): string {
  const url = templateExpr(req.url, scope, onMissing);
  const inUrlQuery = req.url.parts.some((p) => p.kind === 'text' && p.text.includes('?'));
  const query = [...req.query.map((q) => nameValue(q, scope, onMissing)), ...(parts.query ?? [])];
  const fullUrl = urlWithQuery(url, inUrlQuery, query);
  return parts.urlOverride ? `${parts.urlOverride}.orValue(${fullUrl})` : fullUrl;
}

/**
 * A CEL expression for the request map of `req` sent to `url` (a CEL string expression, see
 * {@link requestUrlExpr}), not yet executed. The JSON body is sent with
 * `Content-Type: application/json` unless the map sets that header itself.
 */
export function requestExpr(
  req: RequestIR,
  url: string,
  scope: TemplateScope,
  onMissing: MissingPlaceholder,
  parts: RequestParts = {},
): string {
  const headers = [...req.headers.map((h) => nameValue(h, scope, onMissing)), ...(parts.headers ?? [])];
  const hasBody = req.method === 'POST';
  if (hasBody && !headers.some((h) => h.name.toLowerCase() === 'content-type')) {
    headers.unshift({ name: 'Content-Type', value: celString('application/json'), optional: false });
  }
  let body = jsonBodyExpr(req.body, parts.body ?? [], scope, onMissing);
  const replace = parts.bodyReplace;
  if (replace) {
    const only = jsonBodyExpr(
      undefined,
      [{ path: replace.path, value: `${replace.value}.value()`, optional: false }],
      scope,
      onMissing,
    );
    // `dyn`: the two maps' types differ (cel-go type-checks both branches of `_?_:_` alike).
    body = `(${replace.value}.hasValue() ? dyn(${only}) : dyn(${body}))`;
  }
  const call = hasBody
    ? `request(${celString(req.method)}, ${url}, ${body}.encode_json())`
    : `request(${celString(req.method)}, ${url})`;
  const withHeaders = headers.length === 0 ? call : `${call}.with({"Header": ${listMap(headers)}})`;
  return withHeaders + (parts.decorate ?? '');
}
