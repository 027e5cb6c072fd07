/**
 * The native collection path: Logstash's `http_poller` input
 * (https://www.elastic.co/guide/en/logstash/8.17/plugins-inputs-http_poller.html), used only
 * when a stream needs nothing it lacks. It sends one fixed request per schedule tick
 * (`urls => { name => { method, url, headers, user, password, body } }`, `schedule => { every }`),
 * keeps no state and follows no pages (logstash-plugins/logstash-input-http_poller#51), and its
 * only retry is the HTTP client's `automatic_retries` on connection errors (no backoff, no
 * `Retry-After`). Its default `json` codec turns a JSON-array body into one event per element; with
 * `target` the element lands in that field (`LogStash::Inputs::HTTP_Poller#handle_success`).
 *
 * @module
 */
import type { IntegrationIR, JsonTemplate, NameValue, SettingIR, StreamIR, Template } from '../../compiler/ir.ts';
import { sourceNeeds, type SourceNeed } from '../shared/source-needs.ts';
import { hash, plugin, str, strHash, type Statement, type Value } from './model.ts';
import { comment, envRef, envTemplate, keyText, own, type EnvRef, type Site } from './quote.ts';

/** Top-level field the poller's json codec fills with one record (renamed into place by the filters). */
export const POLLER_TARGET = 'mapc_record';

/**
 * What a stream needs that `http_poller` lacks; empty means it polls natively. Each entry names
 * the feature, for W0601.
 */
export function httpPollerGaps(stream: StreamIR): string[] {
  return sourceNeeds(stream).flatMap((need) => {
    const phrase = HTTP_POLLER_LACKS[need];
    return phrase ? [phrase(stream)] : [];
  });
}

/**
 * The source needs (`targets/shared/source-needs.ts`) that `http_poller` lacks, as the phrases
 * of W0601 and the README; a need absent here does not send the stream to `mapc collect`.
 */
const HTTP_POLLER_LACKS: Partial<Record<SourceNeed, (stream: StreamIR) => string>> = {
  pagination: (s) => `${s.source.pagination.kind} pagination`,
  cursor: () => 'an incremental cursor',
  token_exchange: () => 'token_exchange auth',
  oauth2_client_credentials: () => 'oauth2_client_credentials auth',
  records_below_root: () => 'records below the response root',
  retry: () => 'retries with backoff on 5xx',
  retry_after: () => '429 Retry-After',
  rate_limit_pacing: () => 'rate-limit pacing',
  optional_parameter_from_setting: () => 'optional parameters whose value comes from a setting',
  conditional_parameter: () => 'parameters or headers sent under a `when` condition',
  request_time: () => 'the request time ({now})',
  original: () => 'event.original (the poller has no record text)',
};

function findSetting(ir: IntegrationIR, name: string): SettingIR {
  const setting = ir.settings.find((s) => s.name === name);
  if (!setting) throw new Error(`unknown setting ${name}`);
  return setting;
}

/** `${ENV}` or `${ENV:default}` of a setting; its default is written at the setting. */
function settingRef(ir: IntegrationIR, name: string): EnvRef {
  const setting = findSetting(ir, name);
  return envRef(setting.envVar, setting.default === undefined ? undefined : String(setting.default), {
    span: setting.loc,
    what: 'setting default',
  });
}

function secretRef(ir: IntegrationIR, name: string): EnvRef {
  const secret = ir.secrets.find((s) => s.name === name);
  if (!secret) throw new Error(`unknown secret ${name}`);
  return envRef(secret.envVar, undefined, { span: secret.loc, what: 'secret' });
}

/** A template's parts: literal text (encoded by `encode`) and settings and secrets as `${VAR}` (Logstash substitutes them at load). */
function parts(ir: IntegrationIR, t: Template, encode: (text: string) => string = (x) => x): (string | EnvRef)[] {
  return t.parts.map((p) => {
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
  });
}

/** Whether a template is empty text (settings and secrets render as their non-empty `${VAR}`). */
function rendersEmpty(t: Template): boolean {
  return t.parts.every((p) => p.kind === 'text' && p.text === '');
}

/**
 * The JSON body: literal text JSON-escaped (an escape needs a backslash, which Logstash strings
 * cannot carry portably, so such text is refused by the quoting), a substituted setting inserted as
 * is (README: keep such values JSON-safe), a bare `int`/`bool` setting without quotes. Iterative (an explicit stack), so a deeply nested body
 * cannot overflow the call stack.
 */
function jsonParts(ir: IntegrationIR, body: JsonTemplate, site: Site): (string | EnvRef)[] {
  const json = (x: string) => JSON.stringify(x).slice(1, -1);
  const out: (string | EnvRef)[] = [];
  const stack: (JsonTemplate | string)[] = [body];
  for (let j = stack.pop(); j !== undefined; j = stack.pop()) {
    if (typeof j === 'string') {
      out.push(j);
      continue;
    }
    // Pushed in reverse, popped in document order.
    const later: (JsonTemplate | string)[] = [];
    switch (j.kind) {
      case 'object':
        later.push('{');
        j.entries.forEach((e, i) => later.push(...(i > 0 ? [','] : []), JSON.stringify(e.key), ':', e.value));
        later.push('}');
        break;
      case 'array':
        later.push('[');
        j.items.forEach((item, i) => later.push(...(i > 0 ? [','] : []), item));
        later.push(']');
        break;
      case 'string': {
        const text: (string | EnvRef)[] = ['"', ...parts(ir, j.template, json), '"'];
        // Checked alone first (with its JSON quotes), so that a refusal points at this string's literal.
        envTemplate(text, { span: j.template.loc ?? site.span, what: 'body string' });
        for (const t of text) out.push(t);
        break;
      }
      case 'number':
        out.push(JSON.stringify(j.value));
        break;
      case 'bool':
        out.push(String(j.value));
        break;
      case 'null':
        out.push('null');
        break;
      case 'setting': {
        // A bare setting is its typed value: an int or bool setting's text unquoted (a JSON number
        // or true/false, as `compiler/interpret/settings.ts` reads it), any other as a JSON string.
        const type = findSetting(ir, j.name).type;
        const ref = settingRef(ir, j.name);
        const text: (string | EnvRef)[] = type === 'int' || type === 'bool' ? [ref] : ['"', ref, '"'];
        envTemplate(text, { span: findSetting(ir, j.name).loc, what: 'body setting' });
        for (const t of text) out.push(t);
        break;
      }
    }
    for (let i = later.length - 1; i >= 0; i--) stack.push(later[i] as JsonTemplate | string);
  }
  return out;
}

/** The `http_poller` input of a stream with no {@link httpPollerGaps}. */
export function httpPollerInput(ir: IntegrationIR, stream: StreamIR, id: string): Statement[] {
  const { request, auth } = stream.source;
  const siteOf = (t: Template, what: string): Site => ({ span: t.loc ?? stream.source.loc, what });
  const present = (nv: NameValue) => !(nv.omitIfEmpty && rendersEmpty(nv.value));
  const query = request.query.filter(present).flatMap((q, i) => {
    const value = parts(ir, q.value, encodeURIComponent);
    // Checked alone first, so that a refusal points at this value's literal.
    envTemplate(value, siteOf(q.value, 'query value'));
    return [i === 0 ? '?' : '&', `${encodeURIComponent(q.name)}=`, ...value];
  });
  const url = envTemplate([...parts(ir, request.url), ...query], siteOf(request.url, 'URL'));
  const headers: [string, Value][] = request.headers
    .filter(present)
    .map((h) => [h.name, str(envTemplate(parts(ir, h.value), siteOf(h.value, 'header value')))]);
  const authSite: Site = { span: 'loc' in auth ? auth.loc : stream.source.loc, what: 'auth header' };
  if (auth.kind === 'header')
    headers.push([
      auth.header,
      auth.value
        ? str(envTemplate(parts(ir, auth.value), siteOf(auth.value, 'auth header value')))
        : str(envTemplate([secretRef(ir, auth.secret)], authSite)),
    ]);
  if (auth.kind === 'bearer')
    headers.push(['Authorization', str(envTemplate(['Bearer ', secretRef(ir, auth.secret)], authSite))]);
  const spec: [string, Value][] = [
    ['method', str(own(request.method.toLowerCase()))],
    ['url', str(url)],
  ];
  if (headers.length > 0)
    spec.push([
      'headers',
      hash(headers.map(([name, value]) => [keyText(name, { ...authSite, what: 'header name' }), value] as const)),
    ]);
  if (auth.kind === 'basic') {
    const user =
      auth.username.kind === 'setting' ? settingRef(ir, auth.username.name) : secretRef(ir, auth.username.name);
    spec.push(
      ['user', str(envTemplate([user], authSite))],
      ['password', str(envTemplate([secretRef(ir, auth.password)], authSite))],
    );
  }
  if (request.body) {
    const bodySite: Site = { span: stream.source.loc, what: 'request body' };
    spec.push(['body', str(envTemplate(jsonParts(ir, request.body, bodySite), bodySite))]);
  }
  const every =
    stream.interval.kind === 'seconds'
      ? envTemplate([`${stream.interval.seconds}s`], { span: stream.loc, what: 'interval' })
      : envTemplate([settingRef(ir, stream.interval.name)], {
          span: findSetting(ir, stream.interval.name).loc,
          what: 'interval setting',
        });
  return [
    plugin(
      'http_poller',
      [
        ['id', str(own(id))],
        [
          'urls',
          hash([
            [
              keyText(stream.name, { span: stream.loc, what: 'stream name' }),
              hash(spec.map(([k, v]) => [own(k), v] as const)),
            ],
          ]),
        ],
        ['schedule', strHash([[own('every'), every]])],
        ['codec', str(own('json'))],
        ['target', str(own(POLLER_TARGET))],
        ['automatic_retries', { kind: 'number', value: 0 }],
        ['ecs_compatibility', { kind: 'bareword', word: 'disabled' }],
      ],
      [comment`http_poller: one request per tick, each element of the JSON array body one event.`],
    ),
  ];
}
