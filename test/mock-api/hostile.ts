/**
 * Hostile behaviours of the mock vendor API (see {@link MockHostile} in `scenario.ts`): the
 * parts that do not depend on a scenario's pagination. Bodies that echo a request's credentials,
 * a record nested thousands of levels deep (built as text, never as a recursive value), bodies
 * streamed past any sane size or without end (with backpressure, so the mock itself stays
 * small), a second server on another origin that records what reaches it, and records whose
 * timestamps tie across every page boundary.
 *
 * Shared by the `mapc collect` tests and the CEL (mito) tests.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The forms a credential may take in text: every one of them counts as a leak (see `leaks.ts`). */
export interface EncodedForms {
  readonly raw: string;
  /** Inside a JSON string literal (`JSON.stringify` without the quotes). */
  readonly json: string;
  /** `encodeURIComponent` (%XX). */
  readonly url: string;
  /** `application/x-www-form-urlencoded` (space as `+`; WHATWG URL standard §5.2). */
  readonly form: string;
  /** RFC 4648 §4 base64 of the UTF-8 bytes. */
  readonly base64: string;
  /** RFC 4648 §5 base64url, without padding. */
  readonly base64url: string;
}

/** Every form of `value` (see {@link EncodedForms}). */
export function encodedForms(value: string): EncodedForms {
  const bytes = Buffer.from(value, 'utf8');
  return {
    raw: value,
    json: JSON.stringify(value).slice(1, -1),
    url: encodeURIComponent(value),
    form: new URLSearchParams({ v: value }).toString().slice(2),
    base64: bytes.toString('base64'),
    base64url: bytes.toString('base64url'),
  };
}

/**
 * The values a request carried that {@link echoBody} repeats: every header value (but `host`,
 * `content-length`, `connection`), the body, the query string, the decoded user-pass of a Basic
 * `Authorization` (and its form-decoded parts, RFC 6749 §2.3.1), and each of `known` (the
 * scenario's credentials and issued tokens) found anywhere in those.
 */
export function carriedValues(
  headers: Readonly<Record<string, string>>,
  search: string,
  body: string,
  known: readonly string[],
): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'host' || name === 'content-length' || name === 'connection') continue;
    values.push(value);
  }
  if (body !== '') values.push(body);
  if (search !== '') values.push(search);
  const haystack = [...values];
  const authz = headers.authorization;
  if (authz?.startsWith('Basic ')) {
    const pair = Buffer.from(authz.slice(6), 'base64').toString('utf8');
    haystack.push(pair, ...pair.split(':').map(formDecode));
  }
  haystack.push(formDecode(search), formDecode(body));
  const text = haystack.join('\n');
  for (const k of known) if (k !== '' && text.includes(k)) values.push(k);
  return [...new Set(values)];
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The body of an error answer that echoes `values` in every form of {@link EncodedForms}.
 * `text`: `text/plain`, one `form: value` line each (the raw form really raw);
 * `json`: a valid JSON object `{"error": <first value>, "echo": {"raw": [...], "json": [...], ...}}`
 * (a client reading `error` gets a credential).
 */
export function echoBody(
  status: number,
  values: readonly string[],
  mode: 'text' | 'json',
): { contentType: string; text: string } {
  const forms = values.map(encodedForms);
  if (mode === 'json') {
    const echo: Record<string, string[]> = {};
    for (const f of forms) for (const [k, v] of Object.entries(f)) (echo[k] ??= []).push(v);
    return {
      contentType: 'application/json',
      text: JSON.stringify({ error: values[0] ?? `HTTP ${status}`, error_description: 'echo', echo }),
    };
  }
  const lines = [`mock API error ${status}: the request carried`];
  for (const f of forms) for (const [k, v] of Object.entries(f)) lines.push(`${k}: ${v}`);
  return { contentType: 'text/plain; charset=utf-8', text: `${lines.join('\n')}\n` };
}

/**
 * The JSON text of a record nested `depth` levels deep (the record object itself is level 1):
 * `{...fields, "nested": {"a": {"a": ... null}}}`, or with `shape: 'array'` `[[[...]]]` under
 * `nested`. Built by string repetition, so any depth costs no stack.
 */
export function deepRecordText(
  depth: number,
  fields: Readonly<Record<string, unknown>> = {},
  shape: 'object' | 'array' = 'object',
): string {
  const inner = Math.max(0, depth - 1);
  const open = shape === 'object' ? '{"a":' : '[';
  const close = shape === 'object' ? '}' : ']';
  const chain = `${open.repeat(inner)}null${close.repeat(inner)}`;
  const head = JSON.stringify(fields);
  return head === '{}' ? `{"nested":${chain}}` : `${head.slice(0, -1)},"nested":${chain}}`;
}

/** Writes `chunk` and waits for `drain` when the socket's buffer is full; false once the response is closed. */
async function writeChunk(res: ServerResponse, chunk: Buffer | string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(chunk)) return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => (): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

const PAD = Buffer.alloc(64 * 1024, ' ');

/**
 * Sends `text` followed by spaces up to `bytes` bytes in total (JSON allows trailing whitespace,
 * so the body stays valid JSON), in 64 KiB chunks with backpressure. With `chunked`, no
 * `Content-Length` is sent. Resolves with the bytes actually written.
 */
export async function sendPadded(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  text: string,
  bytes: number,
  chunked: boolean,
): Promise<number> {
  const head = Buffer.from(text, 'utf8');
  const total = Math.max(bytes, head.length);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    ...(chunked ? {} : { 'Content-Length': String(total) }),
    ...headers,
  });
  let sent = 0;
  if (!(await writeChunk(res, head))) return sent;
  sent += head.length;
  while (sent < total) {
    const n = Math.min(PAD.length, total - sent);
    if (!(await writeChunk(res, n === PAD.length ? PAD : PAD.subarray(0, n)))) return sent;
    sent += n;
  }
  res.end();
  return sent;
}

/**
 * Streams a body that never ends: `prefix` (e.g. `{"data":[`), then `{"id":"endless"},` records in
 * 64 KiB chunks (chunked transfer encoding) until the client goes away or the server closes.
 * Calls `progress` with the bytes written so far after each chunk.
 */
export async function sendEndless(
  res: ServerResponse,
  headers: Readonly<Record<string, string>>,
  prefix: string,
  progress: (bytes: number) => void,
): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
  const unit = '{"id":"endless"},';
  const chunk = Buffer.from(unit.repeat(Math.floor((64 * 1024) / unit.length)), 'utf8');
  let sent = 0;
  if (!(await writeChunk(res, prefix))) return;
  sent += Buffer.byteLength(prefix);
  for (;;) {
    if (!(await writeChunk(res, chunk))) return;
    sent += chunk.length;
    progress(sent);
  }
}

/** The JSON text that opens a body whose records array sits at `path` (`[]`: the body is the array). */
export function openRecordsText(path: readonly string[]): string {
  return path.map((seg) => `{${JSON.stringify(seg)}:`).join('') + '[';
}

/** One request that reached the {@link ForeignOrigin}. */
export interface ForeignRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** Lowercased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A second server on another origin (another 127.0.0.1 port: RFC 6454 §4 compares the port):
 * the target of a hostile API's cross-origin `Link` or redirect. It records every request and
 * answers each with 200 and `body` (by default records an attacker would like to inject).
 */
export interface ForeignOrigin {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: ForeignRequest[];
  close(): Promise<void>;
}

/** Starts a {@link ForeignOrigin} answering `body` to every request. Bounded like the mock API. */
export async function startForeignOrigin(body: unknown, lifetimeMs = 120_000): Promise<ForeignOrigin> {
  const requests: ForeignRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      requests.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const text = JSON.stringify(body);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    return closed;
  };
  const timer = setTimeout(() => void close(), lifetimeMs);
  timer.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close };
}

/**
 * Records for the tie scenario (SEMANTICS §1): `pages` pages of `perPage` records, ids `t1`...,
 * where the last record of every page and the first of the next share one timestamp, so a strict
 * `> cursor` filter loses the second one whenever the cursor moves after a page. Timestamps
 * ascend (`order: 'oldest_first'`) or the pages are served newest first.
 */
export function tiedRecords(
  pages: number,
  perPage: number,
  order: 'oldest_first' | 'newest_first' = 'oldest_first',
): { id: string; ts: string }[] {
  if (perPage < 2) throw new Error('tiedRecords: perPage must be at least 2');
  const out: { id: string; ts: string }[] = [];
  // Each page starts with the instant its predecessor ended with.
  let second = 0;
  for (let p = 0; p < pages; p++) {
    for (let i = 0; i < perPage; i++) {
      if (!(p > 0 && i === 0)) second++;
      const ts = new Date(Date.UTC(2024, 4, 1, 0, 0, second)).toISOString().replace('.000Z', '.000001Z');
      out.push({ id: `t${out.length + 1}`, ts });
    }
  }
  return order === 'oldest_first' ? out : out.reverse();
}

/**
 * A credential value whose raw, JSON-escaped, URL-encoded, form-encoded, base64 and base64url
 * forms all differ (a quote, a backslash, `+`, `/`, `=`, `&`, `%` and a space), yet is a valid
 * HTTP header value (RFC 9110 §5.5: visible ASCII and inner spaces).
 */
export function hostileCredential(tag: string): string {
  return `mock-${tag}-${randomBytes(6).toString('hex')}+/ "q"\\=&%`;
}
