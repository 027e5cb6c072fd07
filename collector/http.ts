/**
 * HTTP for `mapc collect`: one request with bounded retries, exponential backoff with full
 * jitter, `Retry-After` and `X-RateLimit-*` quota handling, and a request-rate floor.
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

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface HttpClientOptions {
  readonly clock: Clock;
  readonly retry: RetryIR;
  readonly rateLimit: RateLimitIR;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

/** Parses `Retry-After`; milliseconds to wait (≥ 0) or undefined when absent/unparseable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Strips the query string's values for logs: the path and parameter names stay visible. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search === '' ? '' : `?${[...u.searchParams.keys()].join('&')}`}`;
  } catch {
    return '<invalid url>';
  }
}

export class HttpClient {
  private quotaResetAt = 0;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: HttpClientOptions) {}

  /**
   * Sends `req`, retrying as described in the module doc. Returns the first response that is
   * neither retryable nor a network error (2xx, 3xx, 4xx other than 429).
   * @param what short label for logs and errors (`data page 3`, `token exchange`)
   * @throws CollectError E0800 when retries are exhausted or a wait is too long
   */
  async send(req: HttpRequest, what: string): Promise<HttpResponse> {
    const { clock, retry, logger } = this.opts;
    for (let attempt = 0; ; attempt++) {
      await this.pace(what);
      let failure: string;
      let waitMs: number | undefined;
      try {
        this.lastStart = clock.now();
        const res = await fetch(req.url, {
          method: req.method,
          headers: req.headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
        const text = await res.text();
        this.observeQuota(res.headers);
        if (res.status !== 429 && res.status < 500) return { status: res.status, headers: res.headers, text };
        failure = `HTTP ${res.status}`;
        if (this.opts.rateLimit.retryAfter && (res.status === 429 || res.status === 503)) {
          waitMs = retryAfterMs(res.headers.get('retry-after'), clock.now());
        }
        if (waitMs === undefined && res.status === 429 && this.quotaResetAt > clock.now()) {
          waitMs = this.quotaResetAt - clock.now();
        }
      } catch (error) {
        if (error instanceof CollectError) throw error;
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        failure = `network error${cause ? ` (${cause})` : ''}: ${(error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message}`;
      }
      if (attempt >= retry.maxAttempts) {
        throw new CollectError('E0800', `${what} failed after ${attempt + 1} attempts: ${failure}`, {
          url: describeUrl(req.url),
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
          {
            url: describeUrl(req.url),
          },
        );
      }
      logger.log('warn', `${what}: ${failure}, retrying`, { attempt: attempt + 1, waitMs, url: describeUrl(req.url) });
      await clock.sleep(waitMs);
    }
  }

  /** Waits for an exhausted quota's reset and for the requests-per-second floor. */
  private async pace(what: string): Promise<void> {
    const { clock, rateLimit, logger } = this.opts;
    const now = clock.now();
    if (this.quotaResetAt > now) {
      const wait = this.quotaResetAt - now;
      if (wait > MAX_WAIT_MS)
        throw new CollectError('E0800', `${what}: request quota exhausted for ${Math.ceil(wait / 1000)} s`);
      logger.log('info', 'request quota exhausted, waiting for its reset', { waitMs: wait });
      await clock.sleep(wait);
    }
    if (rateLimit.requestsPerSecond !== undefined && rateLimit.requestsPerSecond > 0) {
      const gap = 1000 / rateLimit.requestsPerSecond - (clock.now() - this.lastStart);
      if (gap > 0) await clock.sleep(gap);
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
