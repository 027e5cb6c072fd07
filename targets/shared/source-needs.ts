/**
 * What a stream's source needs beyond one static HTTP request per poll, read from the IR once.
 * Each backend keeps its own table of the needs its engine's native HTTP input lacks (Vector's
 * `http_client`: `targets/vector/source.ts`; Logstash's `http_poller`:
 * `targets/logstash/http-poller.ts`) with the words its diagnostic and README use; a stream with
 * any of them is collected by `mapc collect` on that engine.
 *
 * @module
 */
import { requestUsesNow, type NameValue, type StreamIR } from '../../compiler/ir.ts';

/** One need, in the order {@link sourceNeeds} lists them. */
export type SourceNeed =
  | 'pagination'
  | 'cursor'
  | 'token_exchange'
  | 'oauth2_client_credentials'
  | 'request_body'
  | 'records_below_root'
  | 'retry'
  | 'retry_after'
  | 'rate_limit_pacing'
  | 'optional_parameter'
  | 'optional_parameter_from_setting'
  | 'conditional_parameter'
  | 'request_time'
  | 'original';

/**
 * The needs of `stream`'s source, in a fixed order (the order of {@link SourceNeed}):
 * - `pagination`: any pagination but `none`; `cursor`: incremental state kept between runs;
 * - `token_exchange`, `oauth2_client_credentials`: an auth that first obtains a token;
 * - `request_body`: a method other than GET, or a body;
 * - `records_below_root`: records at a path below the response root;
 * - `retry`: retries with backoff on 5xx; `retry_after`: honouring 429 `Retry-After`;
 *   `rate_limit_pacing`: pacing by rate-limit headers or a request rate;
 * - `optional_parameter`: a header or query parameter left out when empty, and
 *   `optional_parameter_from_setting` when such a value comes from a setting or placeholder;
 * - `request_time`: `{now}` in the request, the instant its page sequence started;
 * - `original`: `event.original`, the record's own text.
 */
export function sourceNeeds(stream: StreamIR): SourceNeed[] {
  const { source, mapping } = stream;
  const params: readonly NameValue[] = [...source.request.headers, ...source.request.query];
  const needs: [SourceNeed, boolean][] = [
    ['pagination', source.pagination.kind !== 'none'],
    ['cursor', source.cursor !== undefined],
    ['token_exchange', source.auth.kind === 'token_exchange'],
    ['oauth2_client_credentials', source.auth.kind === 'oauth2_client_credentials'],
    ['request_body', source.request.method !== 'GET' || source.request.body !== undefined],
    ['records_below_root', source.records.length > 0],
    ['retry', source.retry.maxAttempts > 0],
    ['retry_after', source.rateLimit.retryAfter],
    [
      'rate_limit_pacing',
      Boolean(source.rateLimit.remainingHeader) ||
        Boolean(source.rateLimit.resetHeader) ||
        source.rateLimit.requestsPerSecond !== undefined,
    ],
    ['optional_parameter', params.some((p) => p.omitIfEmpty)],
    [
      'optional_parameter_from_setting',
      params.some((p) => p.omitIfEmpty && p.value.parts.some((part) => part.kind !== 'text')),
    ],
    ['conditional_parameter', params.some((p) => p.when !== undefined)],
    ['request_time', requestUsesNow(source.request)],
    ['original', mapping.original !== undefined],
  ];
  return needs.filter(([, needed]) => needed).map(([need]) => need);
}
