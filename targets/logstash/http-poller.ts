/**
 * The native collection path: Logstash's `http_poller` input
 * (https://www.elastic.co/guide/en/logstash/current/plugins-inputs-http_poller.html), used only
 * when a stream needs nothing it lacks. It sends one fixed request per schedule tick
 * (`urls => { name => { method, url, headers, user, password, body } }`, `schedule => { every }`),
 * keeps no state and follows no pages (logstash-plugins/logstash-input-http_poller#51), and its
 * only retry is the HTTP client's `automatic_retries` on connection errors (no backoff, no
 * `Retry-After`). Its default `json` codec turns a JSON-array body into one event per element; with
 * `target` the element lands in that field (`LogStash::Inputs::HTTP_Poller#handle_success`).
 *
 * @module
 */
import type { IntegrationIR, JsonTemplate, NameValue, StreamIR, Template } from '../../compiler/ir.ts';
import { hash, plugin, str, strHash, type Statement, type Value } from './model.ts';

/** Top-level field the poller's json codec fills with one record (renamed into place by the filters). */
export const POLLER_TARGET = 'mapc_record';

/**
 * What a stream needs that `http_poller` lacks; empty means it polls natively. Each entry names
 * the feature, for W0601.
 */
export function httpPollerGaps(stream: StreamIR): string[] {
  const { source, mapping } = stream;
  const gaps: string[] = [];
  if (source.pagination.kind !== 'none') gaps.push(`${source.pagination.kind} pagination`);
  if (source.cursor) gaps.push('an incremental cursor');
  if (source.auth.kind === 'token_exchange' || source.auth.kind === 'oauth2_client_credentials')
    gaps.push(`${source.auth.kind} auth`);
  if (source.records.length > 0) gaps.push('records below the response root');
  if (source.retry.maxAttempts > 0) gaps.push('retries with backoff on 5xx');
  if (source.rateLimit.retryAfter) gaps.push('429 Retry-After');
  if (
    source.rateLimit.remainingHeader ||
    source.rateLimit.resetHeader ||
    source.rateLimit.requestsPerSecond !== undefined
  )
    gaps.push('rate-limit pacing');
  const optionalFromSetting = (nv: NameValue) => nv.omitIfEmpty && nv.value.parts.some((p) => p.kind !== 'text');
  if ([...source.request.query, ...source.request.headers].some(optionalFromSetting))
    gaps.push('optional parameters whose value comes from a setting');
  if (mapping.original) gaps.push('event.original (the poller has no record text)');
  return gaps;
}

function settingRef(ir: IntegrationIR, name: string): string {
  const setting = ir.settings.find((s) => s.name === name);
  if (!setting) throw new Error(`unknown setting ${name}`);
  return setting.default === undefined ? `\${${setting.envVar}}` : `\${${setting.envVar}:${String(setting.default)}}`;
}

function secretRef(ir: IntegrationIR, name: string): string {
  const secret = ir.secrets.find((s) => s.name === name);
  if (!secret) throw new Error(`unknown secret ${name}`);
  return `\${${secret.envVar}}`;
}

/** A template as config text: settings and secrets as `${VAR}` (Logstash substitutes them at load). */
function render(ir: IntegrationIR, t: Template, encode: (text: string) => string = (x) => x): string {
  return t.parts
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return encode(p.text);
        case 'setting':
          return settingRef(ir, p.name);
        case 'secret':
          return secretRef(ir, p.name);
        default:
          throw new Error(`placeholder ${p.kind} needs mapc collect`);
      }
    })
    .join('');
}

function renderJson(ir: IntegrationIR, j: JsonTemplate): string {
  switch (j.kind) {
    case 'object':
      return `{${j.entries.map((e) => `${JSON.stringify(e.key)}:${renderJson(ir, e.value)}`).join(',')}}`;
    case 'array':
      return `[${j.items.map((i) => renderJson(ir, i)).join(',')}]`;
    // Literal text is JSON-escaped; a substituted setting is inserted as is (README: keep such values JSON-safe).
    case 'string':
      return `"${render(ir, j.template, (x) => JSON.stringify(x).slice(1, -1))}"`;
    case 'number':
      return JSON.stringify(j.value);
    case 'bool':
      return String(j.value);
    case 'null':
      return 'null';
  }
}

/** The `http_poller` input of a stream with no {@link httpPollerGaps}. */
export function httpPollerInput(ir: IntegrationIR, stream: StreamIR, id: string): Statement[] {
  const { request, auth } = stream.source;
  const present = (nv: NameValue) => !(nv.omitIfEmpty && render(ir, nv.value) === '');
  const query = request.query
    .filter(present)
    .map((q) => `${encodeURIComponent(q.name)}=${render(ir, q.value, encodeURIComponent)}`);
  const url = render(ir, request.url) + (query.length > 0 ? `?${query.join('&')}` : '');
  const headers: [string, string][] = request.headers.filter(present).map((h) => [h.name, render(ir, h.value)]);
  if (auth.kind === 'header') headers.push([auth.header, secretRef(ir, auth.secret)]);
  if (auth.kind === 'bearer') headers.push(['Authorization', `Bearer ${secretRef(ir, auth.secret)}`]);
  const spec: [string, Value][] = [
    ['method', str(request.method.toLowerCase())],
    ['url', str(url)],
  ];
  if (headers.length > 0) spec.push(['headers', strHash(headers)]);
  if (auth.kind === 'basic') {
    const user =
      auth.username.kind === 'setting' ? settingRef(ir, auth.username.name) : secretRef(ir, auth.username.name);
    spec.push(['user', str(user)], ['password', str(secretRef(ir, auth.password))]);
  }
  if (request.body) spec.push(['body', str(renderJson(ir, request.body))]);
  const every =
    stream.interval.kind === 'seconds' ? `${stream.interval.seconds}s` : settingRef(ir, stream.interval.name);
  return [
    plugin(
      'http_poller',
      [
        ['id', str(id)],
        ['urls', hash([[stream.name, hash(spec)]])],
        ['schedule', strHash([['every', every]])],
        ['codec', str('json')],
        ['target', str(POLLER_TARGET)],
        ['automatic_retries', { kind: 'number', value: 0 }],
        ['ecs_compatibility', { kind: 'bareword', word: 'disabled' }],
      ],
      ['http_poller: one request per tick, each element of the JSON array body one event.'],
    ),
  ];
}
