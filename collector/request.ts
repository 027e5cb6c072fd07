/**
 * Builds one HTTP request from a `RequestIR`: URL, query, headers and JSON body rendered (an item
 * whose `when` does not hold is left out), then
 * the pagination values of this page placed where the map sends them (query parameter or body
 * path, replacing a value of the same name; a body path sent with `replace` is the whole body of
 * the pages after the first).
 *
 * @module
 */
import type { FieldPath, ParamLocation, RequestIR, Template } from '../compiler/ir.ts';
import { CollectError } from './errors.ts';
import type { HttpRequest } from './http.ts';
import { conditionHolds, renderJson, renderTemplate, templateText, type RenderContext } from './template.ts';

/** A pagination value for this request. Numbers stay numbers in a JSON body. */
export interface Assignment {
  readonly at: ParamLocation;
  readonly value: string | number;
}

function setBodyPath(body: Record<string, unknown>, path: FieldPath, value: unknown): void {
  let node = body;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      node[seg] = value;
      return;
    }
    const next = node[seg];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[seg] = {};
    node = node[seg] as Record<string, unknown>;
  });
}

/**
 * Parses a request URL (rendered from `template`, or a next link when `isNext`).
 * @throws CollectError E0806 when it is not an http(s) URL (a setting's value is wrong); E0802
 *   when it carries user information (`user:password@`, from a setting: credentials belong in the
 *   map's auth, and would be sent and shown as they are); E0804 when a next link does
 */
export function requestUrl(text: string, template: Template, isNext: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CollectError('E0806', `the request URL ${templateText(template)} is not a valid URL: check its settings`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CollectError('E0806', `the request URL ${templateText(template)} must be http or https`);
  }
  if (url.username !== '' || url.password !== '') {
    if (isNext) throw new CollectError('E0804', 'the next link carries user information (user:password@)');
    const settings = template.parts.flatMap((p) => (p.kind === 'setting' ? [p.name] : []));
    throw new CollectError(
      'E0802',
      `the request URL ${templateText(template)} carries user information (user:password@) from setting ${settings.join(', ') || '(none)'}; put credentials in the map's auth`,
    );
  }
  return url;
}

/**
 * @param nextUrl an absolute URL to use as is instead of the rendered URL and query (RFC 8288
 *   next link; the caller has checked its origin)
 * @throws CollectError from {@link requestUrl}; E0807 when a GET request would need a body
 */
export function buildRequest(
  req: RequestIR,
  ctx: RenderContext,
  assignments: readonly Assignment[],
  nextUrl?: string,
): HttpRequest {
  const url = requestUrl(nextUrl ?? renderTemplate(req.url, ctx), req.url, nextUrl !== undefined);
  if (nextUrl === undefined) {
    for (const q of req.query) {
      if (q.when && !conditionHolds(q.when, ctx)) continue;
      const v = renderTemplate(q.value, ctx);
      if (!(q.omitIfEmpty && v === '')) url.searchParams.append(q.name, v);
    }
  }
  const headers: Record<string, string> = {};
  for (const h of req.headers) {
    if (h.when && !conditionHolds(h.when, ctx)) continue;
    const v = renderTemplate(h.value, ctx);
    if (!(h.omitIfEmpty && v === '')) headers[h.name] = v;
  }
  let body: Record<string, unknown> | undefined;
  // A page token sent with `replace` (a page after the first) is the whole body: the request's
  // own body is not sent, nor rendered (IR `ParamLocation.replace`).
  const replaced = assignments.some((a) => a.at.in === 'body' && a.at.replace === true);
  if (req.body && !replaced) body = renderJson(req.body, ctx) as Record<string, unknown>;
  for (const a of assignments) {
    if (a.at.in === 'query') {
      url.searchParams.set(a.at.name, String(a.value));
    } else {
      body ??= {};
      setBodyPath(body, a.at.path, a.value);
    }
  }
  if (body !== undefined && req.method === 'GET') {
    throw new CollectError(
      'E0807',
      'a GET request cannot carry a JSON body; use POST or send the value as a query parameter',
    );
  }
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  return {
    method: req.method,
    url: url.href,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    urlTemplate: templateText(req.url),
  };
}
