/**
 * HTTP for `mapc collect`: one request with bounded retries, exponential backoff with full
 * jitter, `Retry-After` and `X-RateLimit-*` quota handling, a request-rate floor, redirects
 * followed by hand within the request's origin, and a bounded response size.
 *
 * - Retried: network errors (including timeouts), 5xx, and 429; at most `RetryIR.maxAttempts`
 *   retries after the first attempt.
 * - Backoff before retry `n` (0-based): uniform in `[0, min(max, base * 2^n))` seconds, the "full
 *   jitter" scheme (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * - A 429 or 503 with `Retry-After` (RFC 9110 §10.2.3: delta-seconds or an HTTP-date) waits
 *   that long instead, when `RateLimitIR.retryAfter`; a 429 without it waits for the quota
 *   reset when known, else backs off.
 * - When a response reports `remainingHeader: 0`, the next request waits until `resetHeader`
 *   (epoch seconds; values below 10^9 are read as seconds from now, which some APIs send).
 * - A wait longer than {@link MAX_WAIT_MS} is not waited out: the run fails (the cursor stays)
 *   and the next scheduled run continues.
 * - Redirects (301, 302, 303, 307, 308 with `Location`) are followed by the collector itself
 *   (`redirect: 'manual'`), at most {@link MAX_REDIRECTS} in a row, and only within the origin
 *   (RFC 6454: scheme, host, port) of the request's own URL: a redirect to another origin
 *   (https → http on the same host included) is refused with E0810 before anything is sent
 *   there, because the request carries credentials and because its answer could inject records.
 *   The method changes as the Fetch standard's HTTP-redirect fetch does
 *   (https://fetch.spec.whatwg.org/#http-redirect-fetch, step 12): 301/302 after POST and 303
 *   after anything but GET continue as GET without body or `Content-Type`.
 * - A response body larger than `maxResponseBytes` (a `Content-Length` above it, or more bytes
 *   read while streaming) is aborted and ends the run with E0808, never retried, never buffered
 *   whole.
 * - Logs and errors name the request by its URL template (`HttpRequest.urlTemplate`), never by
 *   a rendered URL, and never carry a response body (only status, status text, method, size and
 *   content type; see {@link describeResponse}).
 *
 * @module
 */
import type { RateLimitIR, RetryIR } from '../compiler/ir.ts';
import type { Clock } from './clock.ts';
import { CollectError } from './errors.ts';
import type { Logger } from './log.ts';

/** Longest single wait (Retry-After, quota reset) a run accepts: 15 minutes. */
export const MAX_WAIT_MS = 15 * 60 * 1000;
/** Per-attempt timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default bound on one response body: 64 MiB (`--max-response-bytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Redirects followed in a row for one request. */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Fetch standard "request-body-header name"s, dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The map's URL template, e.g. `{base_url}/v1/audit`: what logs and errors show of this request. */
  readonly urlTemplate: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly text: string;
  /** Body size in bytes. */
  readonly bytes: number;
  /** The URL finally answered (after same-origin redirects). */
  readonly url: string;
}

export interface HttpClientOptions {
  readonly clock: Clock;
  readonly retry: RetryIR;
  readonly rateLimit: RateLimitIR;
  readonly logger: Logger;
  readonly timeoutMs?: number;
  /** Default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  readonly maxResponseBytes?: number;
}

/** Parses `Retry-After`; milliseconds to wait (≥ 0) or undefined when absent/unparseable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The RFC 6454 origin of an absolute URL (`https://host:port`), or undefined for text that is not one. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? undefined : u.origin;
  } catch {
    return undefined;
  }
}

/**
 * What logs and errors may say about a response: status, status text, method, URL template,
 * size in bytes and content type; never any of its body (SEMANTICS §4).
 */
export function describeResponse(
  req: Pick<HttpRequest, 'method' | 'urlTemplate'>,
  res: Pick<HttpResponse, 'status' | 'statusText' | 'bytes' | 'headers'>,
): Record<string, unknown> {
  return {
    status: res.status,
    statusText: res.statusText,
    method: req.method,
    url: req.urlTemplate,
    bytes: res.bytes,
    contentType: res.headers.get('content-type') ?? '',
  };
}

export class HttpClient {
  private quotaResetAt = 0;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: HttpClientOptions) {}

  /**
   * Sends `req`, retrying and following redirects as described in the module doc. Returns the
   * first response that is neither retryable nor a network error (2xx, a 3xx without `Location`,
   * 4xx other than 429).
   * @param what short label for logs and errors (`page 3`, `token exchange`)
   * @param signal stops the request: its transfer, its retry and pacing waits; no attempt starts
   *   once it has aborted
   * @throws CollectError E0800 when retries are exhausted or a wait is too long; E0808 for a
   *   response over the size bound; E0810 for a redirect to another origin; E0804 for too many
   *   redirects or a `Location` that is not a usable URL
   * @throws `signal.reason` once `signal` has aborted
   */
  async send(req: HttpRequest, what: string, signal?: AbortSignal): Promise<HttpResponse> {
    const { clock, retry, logger } = this.opts;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      let failure: string;
      let waitMs: number | undefined;
      try {
        const res = await this.follow(req, what, signal);
        if (res.status !== 429 && res.status < 500) return res;
        failure = `HTTP ${res.status}`;
        if (this.opts.rateLimit.retryAfter && (res.status === 429 || res.status === 503)) {
          waitMs = retryAfterMs(res.headers.get('retry-after'), clock.now());
        }
        if (waitMs === undefined && res.status === 429 && this.quotaResetAt > clock.now()) {
          waitMs = this.quotaResetAt - clock.now();
        }
      } catch (error) {
        if (error instanceof CollectError) throw error;
        // Stopped by the caller: not a network error, never retried.
        signal?.throwIfAborted();
        // The error's message may quote the rendered URL: only its code or kind is logged.
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        const name = (error as Error).name;
        failure = `network error (${cause ?? (name === 'TimeoutError' ? 'timeout' : name)})`;
      }
      if (attempt >= retry.maxAttempts) {
        throw new CollectError('E0800', `${what} failed after ${attempt + 1} attempts: ${failure}`, {
          method: req.method,
          url: req.urlTemplate,
        });
      }
      if (waitMs === undefined) {
        const cap = Math.min(retry.backoffMaxSeconds, retry.backoffBaseSeconds * 2 ** attempt) * 1000;
        waitMs = Math.floor(clock.random() * cap);
      }
      if (waitMs > MAX_WAIT_MS) {
        throw new CollectError(
          'E0800',
          `${what}: the API asks to wait ${Math.ceil(waitMs / 1000)} s, more than ${MAX_WAIT_MS / 1000} s`,
          { method: req.method, url: req.urlTemplate },
        );
      }
      logger.log('warn', `${what}: ${failure}, retrying`, { attempt: attempt + 1, waitMs, url: req.urlTemplate });
      await clock.sleep(waitMs, signal);
    }
  }

  /** One attempt: the request and the same-origin redirects it leads to. */
  private async follow(req: HttpRequest, what: string, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const origin = originOf(req.url);
    let url = req.url;
    let method = req.method;
    let body = req.body;
    let headers = req.headers;
    for (let hops = 0; ; hops++) {
      await this.pace(what, signal);
      signal?.throwIfAborted();
      this.lastStart = this.opts.clock.now();
      // One controller per attempt, aborted by the redirect handling, the size bound, or the
      // timeout, which covers the whole body. A timer cleared at the end of the hop costs less
      // than AbortSignal.timeout + AbortSignal.any per request (one signal, no listeners).
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new DOMException('The operation timed out', 'TimeoutError')),
        this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      const stop = (): void => controller.abort(signal!.reason);
      signal?.addEventListener('abort', stop, { once: true });
      try {
        const res = await fetch(url, {
          method,
          headers,
          redirect: 'manual',
          ...(body !== undefined ? { body } : {}),
          signal: controller.signal,
        });
        const location = res.headers.get('location');
        if (REDIRECTS.has(res.status) && location !== null) {
          controller.abort();
          let redirect: URL;
          try {
            redirect = new URL(location, url);
          } catch {
            throw new CollectError('E0804', `${what}: HTTP ${res.status} redirect to a Location that is not a URL`, {
              method,
              url: req.urlTemplate,
            });
          }
          if (redirect.origin !== origin) {
            throw new CollectError(
              'E0810',
              `${what}: HTTP ${res.status} redirect to another origin refused; credentials go only to ${origin ?? 'the request URL'}`,
              { method, url: req.urlTemplate, status: res.status },
            );
          }
          if (redirect.username !== '' || redirect.password !== '') {
            throw new CollectError('E0804', `${what}: HTTP ${res.status} redirect to a URL with user information`, {
              method,
              url: req.urlTemplate,
            });
          }
          if (hops >= MAX_REDIRECTS) {
            throw new CollectError('E0804', `${what}: more than ${MAX_REDIRECTS} redirects`, {
              method,
              url: req.urlTemplate,
            });
          }
          this.opts.logger.log('info', `${what}: HTTP ${res.status} redirect within the origin`, {
            url: req.urlTemplate,
          });
          if (
            ((res.status === 301 || res.status === 302) && method === 'POST') ||
            (res.status === 303 && method !== 'GET')
          ) {
            method = 'GET';
            body = undefined;
            headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !BODY_HEADERS.has(k.toLowerCase())));
          }
          url = redirect.href;
          continue;
        }
        const { text, bytes } = await this.readBody(res, controller, { method, urlTemplate: req.urlTemplate }, what);
        this.observeQuota(res.headers);
        return { status: res.status, statusText: res.statusText, headers: res.headers, text, bytes, url };
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
      }
    }
  }

  /** Reads a body up to the size bound, aborting the transfer beyond it (E0808). */
  private async readBody(
    res: Response,
    controller: AbortController,
    req: Pick<HttpRequest, 'method' | 'urlTemplate'>,
    what: string,
  ): Promise<{ text: string; bytes: number }> {
    const limit = this.opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const tooLarge = (bytes: string): CollectError => {
      controller.abort();
      return new CollectError(
        'E0808',
        `${what}: the response is larger than ${limit} bytes (${bytes}); aborted (--max-response-bytes)`,
        {
          status: res.status,
          method: req.method,
          url: req.urlTemplate,
          contentType: res.headers.get('content-type') ?? '',
        },
      );
    };
    const declared = res.headers.get('content-length');
    if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) {
      throw tooLarge(`Content-Length ${Number(declared)}`);
    }
    if (res.body === null) return { text: '', bytes: 0 };
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        chunks.length = 0;
        await reader.cancel().catch(() => undefined);
        throw tooLarge(`more than ${limit} read`);
      }
      chunks.push(value);
    }
    const only = chunks.length === 1 ? (chunks[0] as Uint8Array) : undefined;
    const buffer = only ? Buffer.from(only.buffer, only.byteOffset, only.byteLength) : Buffer.concat(chunks, total);
    chunks.length = 0;
    return { text: buffer.toString('utf8'), bytes: total };
  }

  /** Waits for an exhausted quota's reset and for the requests-per-second floor. */
  private async pace(what: string, signal: AbortSignal | undefined): Promise<void> {
    const { clock, rateLimit, logger } = this.opts;
    const now = clock.now();
    if (this.quotaResetAt > now) {
      const wait = this.quotaResetAt - now;
      if (wait > MAX_WAIT_MS)
        throw new CollectError('E0800', `${what}: request quota exhausted for ${Math.ceil(wait / 1000)} s`);
      logger.log('info', 'request quota exhausted, waiting for its reset', { waitMs: wait });
      await clock.sleep(wait, signal);
    }
    if (rateLimit.requestsPerSecond !== undefined && rateLimit.requestsPerSecond > 0) {
      const gap = 1000 / rateLimit.requestsPerSecond - (clock.now() - this.lastStart);
      if (gap > 0) await clock.sleep(gap, signal);
    }
  }

  private observeQuota(headers: Headers): void {
    const { remainingHeader, resetHeader } = this.opts.rateLimit;
    if (!remainingHeader || !resetHeader) return;
    const remaining = headers.get(remainingHeader);
    const reset = headers.get(resetHeader);
    if (remaining === null || reset === null || !/^\s*-?\d+\s*$/.test(remaining) || Number(remaining) > 0) return;
    const value = Number(reset);
    if (!Number.isFinite(value)) return;
    const now = this.opts.clock.now();
    this.quotaResetAt = value < 1e9 ? now + value * 1000 : value * 1000;
  }
}
