/**
 * Error events of the CEL program, built from what the program itself knows, never from text the
 * API chose (IR module doc, "Run-time safety and incremental state"; SEMANTICS §4).
 *
 * An error event is the single object `{"error": {"code"?, "message"}}` the CEL input publishes and
 * logs at error level instead of a list of events (beats `x-pack/filebeat/input/cel/input.go`,
 * `run`: "single event object returned by evaluation"). Its message names the request by method
 * and by the map's URL template (placeholders by name, no query string: {@link requestLabel}), and
 * describes the answer by its status code with the standard reason phrase (RFC 9110 §15, not the
 * server's reason phrase, which is the server's own text), its size in bytes and its media type
 * when it is a common one ({@link CONTENT_TYPES}). No text of the response body, of its headers or
 * of a Go error (which quotes the rendered URL and, after a refused redirect, the `Location`) ever
 * reaches an event, so an API that echoes a credential cannot make the program publish or log it.
 *
 * @module
 */
import type { Template } from '../../../compiler/ir.ts';
import { celString, indent } from './text.ts';

/**
 * The largest response body the CEL input accepts, in bytes (`resource.max_body_size`, Elastic
 * Agent 8.18.1+; mito `lib.HTTPOptions.MaxBodySize`: a larger body fails the request with
 * "response body too big"). 64 MiB, the collector's `--max-response-bytes` default.
 */
export const MAX_BODY_BYTES = 67_108_864;

/** Reason phrases of RFC 9110 §15 (and RFC 6585 for 429), by status code: what Go's `http.StatusText` returns. */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  425: 'Too Early',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Media types an error event names as they are; any other is reported as "other". */
export const CONTENT_TYPES: readonly string[] = [
  'application/json',
  'application/problem+json',
  'application/xml',
  'application/problem+xml',
  'application/x-ndjson',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'text/html',
  'text/plain',
  'text/xml',
  'text/csv',
];

/**
 * The map's text for a request, for error messages: `METHOD` and the URL template with each
 * placeholder by name (`{base_url}/v1/audit`), cut before any `?` (no query string).
 */
export function requestLabel(method: string, url: Template): string {
  let text = '';
  for (const part of url.parts) {
    switch (part.kind) {
      case 'text':
        text += part.text;
        break;
      case 'setting':
      case 'secret':
        text += `{${part.name}}`;
        break;
      case 'window':
        text += `{window.${part.edge}}`;
        break;
      default:
        text += `{${part.kind}}`;
    }
  }
  const query = text.indexOf('?');
  return `${method} ${query < 0 ? text : text.slice(0, query)}`;
}

/**
 * The tables the error events read, bound once at the top of the program (`program.ts`):
 * `http_reasons` ({@link REASON_PHRASES}) and `media_types` ({@link CONTENT_TYPES}).
 */
export const FAILURE_TABLES: readonly { readonly name: string; readonly expr: string }[] = [
  {
    name: 'http_reasons',
    expr: `{${Object.entries(REASON_PHRASES)
      .map(([c, text]) => `${c}: ${celString(text)}`)
      .join(', ')}}`,
  },
  { name: 'media_types', expr: `[${CONTENT_TYPES.map(celString).join(', ')}]` },
];

/** CEL string: ` 404 Not Found` for the int expression `code` (the phrase left out when unknown). */
function statusExpr(code: string): string {
  return `(" " + string(${code}) + http_reasons[?${code}].orValue("").as(p, p == "" ? "" : " " + p))`;
}

/**
 * CEL string: the response's media type if it is one of {@link CONTENT_TYPES}, else "other
 * content type" or "no content type".
 */
function contentTypeExpr(resp: string): string {
  return [
    `${resp}.Header[?"Content-Type"].orValue([]).as(v, size(v) == 0 ? "no content type" :`,
    `  string(v[0]).split(";")[0].trim_space().to_lower().as(t, t in media_types ? t : "other content type"))`,
  ].join('\n');
}

/**
 * CEL map: the error event for an HTTP answer `resp` (a mito response map) that is not the
 * expected one, e.g. `GET {base_url}/v1/audit: HTTP 400 Bad Request, 153 bytes (application/json)`.
 */
export function httpErrorEvent(label: string, resp: string, note = ''): string {
  const suffix = note === '' ? '' : ` + ${celString(`; ${note}`)}`;
  return [
    `{"error": {`,
    `  "code": string(${resp}.StatusCode),`,
    `  "message": ${celString(`${label}: HTTP`)} + ${statusExpr(`${resp}.StatusCode`)} + ", " + string(size(${resp}.Body)) + " bytes (" +`,
    `${indent(contentTypeExpr(resp), 4)} + ")"${suffix},`,
    `}}`,
  ].join('\n');
}

/**
 * CEL map: the error event for a request that got no HTTP answer: `err` is the CEL error value of
 * `do_request()`. Its text is read only to choose one of fixed explanations: a redirect the
 * client refused (`resource.redirect.max_redirects: 0`, beats `checkRedirect`: "stopped after N
 * redirects"), a body over {@link MAX_BODY_BYTES} (mito: "response body too big"), a redirect the
 * client followed (mito v1.24.1 `do_request` then fails reading the redirect response's closed
 * body: "read on closed response body"), or a network error / timeout.
 */
export function transportErrorEvent(label: string, err: string): string {
  return [
    `{"error": {"message": ${celString(`${label}: request failed: `)} + try(${err}).as(e, string(e).as(e,`,
    `  e.contains("redirects") ? "the API answered with a redirect, which is refused (credentials go to the configured origin only)" :`,
    `  e.contains("read on closed response body") ? "the API answered with a redirect" :`,
    `  e.contains("response body too big") ? ${celString(`the response is larger than ${MAX_BODY_BYTES} bytes (resource.max_body_size)`)} :`,
    `  "network error or timeout"))}}`,
  ].join('\n');
}

/** The message of an answer that came from another origin after a redirect. */
export const REDIRECTED =
  'the API redirected the request to another origin; the answer is not used (credentials go to the configured origin only)';

/** CEL map: an error event with a fixed message. */
export function fixedErrorEvent(label: string, message: string): string {
  return `{"error": {"message": ${celString(`${label}: ${message}`)}}}`;
}

/** CEL map: an error event whose message is `label: ` followed by the CEL string expression `expr`. */
export function errorEvent(label: string, expr: string): string {
  return `{"error": {"message": ${celString(`${label}: `)} + ${expr}}}`;
}
