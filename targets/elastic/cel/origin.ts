/**
 * Where credentials may go, as CEL (IR module doc, "Run-time safety and incremental state";
 * SEMANTICS §3): the origin of a URL, the refusal of URL settings with user information, and the
 * test that a text the API sent back (a next-page token or URL, which the program would store in
 * its cursor) holds no credential.
 *
 * Origins follow RFC 6454 §4: scheme, host and port, the scheme and host compared lowercase and
 * the port made explicit (80 for http, 443 for https), so a downgrade from https to http on the
 * same host is another origin. URLs are parsed with mito's `parse_url` (Go `net/url.Parse`,
 * mito `lib/http.go` v1.24.1 "Parse URL"); a text Go cannot parse has the empty origin, which
 * matches no configured origin.
 *
 * @module
 */
import { celString } from './text.ts';

/** CEL string: the RFC 6454 origin of the URL string expression `url` (`""` when it has none). */
export function originExpr(url: string): string {
  return [
    `string(${url}).parse_url().as(u, is_error(u) || u.Scheme == "" || u.Host == "" ? "" :`,
    `  u.Scheme.to_lower().as(s, s + "://" + u.Host.to_lower().as(h,`,
    `    h.matches(":[0-9]+$") ? h : h + (s == "https" ? ":443" : s == "http" ? ":80" : ""))))`,
  ].join('\n');
}

/** CEL bool: the URL string expression `url` carries user information (`https://user:pass@host`). */
export function hasUserinfo(url: string): string {
  return `string(${url}).matches(${celString('^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@')})`;
}

/**
 * CEL list of strings: each credential of `creds` (a CEL list of strings; empty ones skipped) in
 * the forms an API could echo it: as is, JSON-escaped, URL-encoded (`%XX` with `+` or `%20` for a
 * space), base64 and base64url (padded and unpadded). mito's `flatten` flattens one level.
 */
function credentialForms(creds: string): string {
  return [
    `${creds}.filter(c, c != "").map(c,`,
    `  [c, c.encode_json().as(j, j.substring(1, size(j) - 1))] +`,
    `  {"v": [c]}.format_query().trim_prefix("v=").as(q, [q, q.replace_all("+", "%20")]) +`,
    `  [base64(c), base64_raw(c)].map(b, [b, b.replace_all("+", "-").replace_all("/", "_")]).flatten()`,
    `).flatten()`,
  ].join('\n');
}

/** CEL bool: the string expression `text` contains a credential of `creds` in any form of {@link credentialForms}. */
export function holdsCredential(text: string, creds: string): string {
  return `(${text}).as(x, ${credentialForms(creds)}.exists(f, x.contains(f)))`;
}

/**
 * CEL bool: the mito response map `resp` answers a request that was redirected to another origin
 * than the one of `url` (the URL string requested): its `Request.URL` is the last hop's (mito
 * `lib/http.go` v1.24.1 `respToMap`). Only a client that follows redirects gets there: the
 * input's client is configured to refuse them (`stream-template.ts`).
 */
export function redirectedElsewhere(resp: string, url: string): string {
  return `has(${resp}.Request) && ${originExpr(`${resp}.Request.URL`)} != ${originExpr(url)}`;
}
