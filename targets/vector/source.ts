/**
 * The Vector source of a stream: `http_client` when it can fetch the stream as the map says,
 * otherwise an `exec` source running `mapc collect` (with a W0501 diagnostic).
 *
 * Vector's `http_client` source sends one fixed request per interval: it cannot follow page
 * tokens or cursors, keep state between runs, exchange credentials for a token, compute time
 * windows or send a body (https://vector.dev/docs/reference/configuration/sources/http_client/;
 * pagination requested in vectordotdev/vector#22967). Its `auth` strategies are `basic` and
 * `bearer`; a raw header can be set through `headers`.
 *
 * The `exec` source in `scheduled` mode runs the command every `exec_interval_secs` and kills it
 * when a run takes longer than that interval. With `include_stderr` (the default) stderr lines are
 * events too, told apart by the `stream` field (`stdout`/`stderr`, legacy log namespace), so the
 * collector's JSON log lines can be routed away from the mapping (Vector `src/sources/exec/mod.rs`).
 *
 * @module
 */
import type {
  AuthIR,
  DurationValue,
  IntegrationIR,
  NameValue,
  PaginationIR,
  StreamIR,
  Template,
} from '../../compiler/ir.ts';
import { diagnostic, type Diagnostic, type Span } from '../../dsl/diagnostics.ts';
import { sourceNeeds, type SourceNeed } from '../shared/source-needs.ts';
import { yamlConcat, yamlConst, yamlProblem, yamlScalar, type YamlNode, type YamlScalar } from './quote.ts';
import { mapSecretRef, streamSecrets, type SecretBackend } from './secrets.ts';

/** A source as the YAML will hold it. */
export interface SourceChoice {
  readonly shape: 'record' | 'response';
  readonly config: Record<string, YamlNode>;
  /** The poll interval written into the config, in seconds. */
  readonly intervalSeconds: number;
  /** Why `mapc collect` is used (empty for `http_client`). */
  readonly reasons: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface CollectOptions {
  readonly collectCommand: string;
  readonly deployedMapPath: string;
}

/** Vector's default `data_dir` (https://vector.dev/docs/reference/configuration/global-options/#data_dir). */
export const STATE_DIR = '/var/lib/vector';

export function chooseSource(
  ir: IntegrationIR,
  stream: StreamIR,
  options: CollectOptions,
  backend: SecretBackend,
): SourceChoice {
  const diagnostics: Diagnostic[] = [];
  const { seconds, note } = intervalSeconds(ir, stream.interval);
  if (note) {
    diagnostics.push(
      diagnostic(
        'W0502',
        'warning',
        `Vector polls ${ir.name}.${stream.name} at a fixed interval`,
        { span: stream.loc, message: 'interval from a setting' },
        { notes: [note] },
      ),
    );
  }
  const reasons = collectReasons(stream);
  // Vector reads no setting in its config without environment interpolation, and would change
  // request text holding `$` or `SECRET[` (see ./quote.ts): such requests go through mapc collect.
  if (reasons.length === 0 && usesSettings(stream)) reasons.push('read settings at run time');
  if (reasons.length === 0 && !carriable(stream)) reasons.push('send request text holding `$` or `SECRET[` unchanged');
  if (reasons.length > 0) {
    diagnostics.push(
      diagnostic(
        'W0501',
        'warning',
        `Vector collects ${ir.name}.${stream.name} through mapc collect`,
        { span: stream.source.loc, message: 'not expressible with the http_client source' },
        {
          notes: [
            `note: the Vector http_client source cannot ${reasons.join(', ')} (vectordotdev/vector#22967)`,
            `help: the generated exec source runs \`${options.collectCommand} ${options.deployedMapPath} --stream ${stream.name}\` every ${seconds}s and keeps its state in ${statePath(ir, stream)}`,
          ],
        },
      ),
    );
    const command = [
      ...options.collectCommand.split(/\s+/).filter((w) => w !== ''),
      options.deployedMapPath,
      '--stream',
      stream.name,
      '--state',
      statePath(ir, stream),
    ].map((w) => yamlScalar(w, stream.loc, 'the collect command'));
    const config: Record<string, YamlNode> = {
      type: yamlConst('exec'),
      mode: yamlConst('scheduled'),
      scheduled: { exec_interval_secs: seconds },
      command,
      include_stderr: true,
      // One record per stdout line, taken as is: the remap parses it.
      decoding: { codec: yamlConst('bytes') },
      framing: { method: yamlConst('newline_delimited') },
    };
    // The secrets this stream's collector needs, from the secrets file; settings reach it
    // through the environment it inherits from Vector.
    const secrets = streamSecrets(ir, stream);
    if (secrets.length > 0) {
      const environment: Record<string, YamlNode> = {};
      for (const name of secrets) {
        const secret = ir.secrets.find((s) => s.name === name);
        if (secret) environment[secret.envVar] = mapSecretRef(ir, backend, name);
      }
      config.environment = environment;
    }
    return { shape: 'record', reasons, diagnostics, config, intervalSeconds: seconds };
  }
  const limits = retryGaps(stream);
  if (limits.length > 0) {
    diagnostics.push(
      diagnostic(
        'W0503',
        'warning',
        `Vector's http_client source fetches ${ir.name}.${stream.name} without the map's retries and rate limits`,
        { span: stream.source.loc, message: 'fetched by http_client' },
        {
          notes: [
            `note: http_client sends one request per interval and cannot ${limits.join(', ')}`,
            "help: a failed request is retried at the next interval; the map's request is otherwise collected as written",
          ],
        },
      ),
    );
  }
  const { request } = stream.source;
  const config: Record<string, YamlNode> = {
    type: yamlConst('http_client'),
    endpoint: renderTemplate(request.url, stream.source.loc, 'the request URL'),
    method: yamlConst(request.method),
    scrape_interval_secs: seconds,
    // The whole body is one event; the remap extracts and splits the records.
    decoding: { codec: yamlConst('bytes') },
    framing: { method: yamlConst('bytes') },
  };
  const headers = nameValues(request.headers, stream.source.loc, 'header');
  const auth = stream.source.auth;
  if (auth.kind === 'header')
    headers[yamlScalar(auth.header, auth.loc, 'the header name')] = [
      auth.value ? authHeaderValue(ir, backend, auth.value, auth.loc) : mapSecretRef(ir, backend, auth.secret),
    ];
  if (Object.keys(headers).length > 0) config.headers = headers;
  const query = nameValues(request.query, stream.source.loc, 'query parameter');
  if (Object.keys(query).length > 0) config.query = query;
  const vectorAuth = httpAuth(ir, auth, backend);
  if (vectorAuth) config.auth = vectorAuth;
  return { shape: 'response', reasons, diagnostics, config, intervalSeconds: seconds };
}

/** Retry and rate-limit behaviour of the map that a one-request-per-interval source cannot honour. */
function retryGaps(stream: StreamIR): string[] {
  const { retry, rateLimit } = stream.source;
  const gaps: string[] = [];
  if (retry.maxAttempts > 0) gaps.push(`retry ${retry.maxAttempts} times with backoff`);
  if (rateLimit.retryAfter) gaps.push('wait for Retry-After on HTTP 429');
  if (rateLimit.remainingHeader || rateLimit.resetHeader) gaps.push('pace itself on the quota headers');
  if (rateLimit.requestsPerSecond !== undefined) gaps.push(`hold ${rateLimit.requestsPerSecond} requests per second`);
  return gaps;
}

export function statePath(ir: IntegrationIR, stream: StreamIR): string {
  return `${STATE_DIR}/mapc-${ir.name}-${stream.name}.json`;
}

const PAGINATION_PHRASES: Record<Exclude<PaginationIR['kind'], 'none'>, string> = {
  page_token: 'follow next-page tokens',
  cursor_has_more: 'follow a cursor while has_more is true',
  page_number: 'request numbered pages',
  offset: 'page by offset and limit',
  link_header: 'follow RFC 8288 Link headers',
  time_window: 'compute time windows',
};

/**
 * The source needs (`targets/shared/source-needs.ts`) that `http_client` lacks, as the phrases
 * of the diagnostic and README; a need absent here does not send the stream to `mapc collect`.
 */
const HTTP_CLIENT_LACKS: Partial<Record<SourceNeed, (stream: StreamIR) => string>> = {
  pagination: (s) => PAGINATION_PHRASES[s.source.pagination.kind as Exclude<PaginationIR['kind'], 'none'>],
  cursor: () => 'keep a cursor between runs',
  token_exchange: () => 'exchange an API key for a token',
  oauth2_client_credentials: () => 'obtain an OAuth2 client-credentials token',
  request_body: () => 'send a request body',
  optional_parameter: () => 'omit an empty optional parameter',
  conditional_parameter: () => 'send a parameter or header only under a condition',
  request_time: () => 'send the request time ({now})',
};

/** What the stream needs that `http_client` lacks, as short phrases for the diagnostic and README. */
export function collectReasons(stream: StreamIR): string[] {
  const { source } = stream;
  const reasons = sourceNeeds(stream).flatMap((need) => {
    const phrase = HTTP_CLIENT_LACKS[need];
    return phrase ? [phrase(stream)] : [];
  });
  const params = [...source.request.headers, ...source.request.query];
  // Cursor, window and token placeholders imply one of the reasons above; this keeps any
  // future placeholder from reaching a static http_client request.
  const runtime = [source.request.url, ...params.map((p) => p.value)].some((t) =>
    t.parts.some((part) => part.kind !== 'text' && part.kind !== 'setting'),
  );
  if (runtime && reasons.length === 0) reasons.push('fill request placeholders at run time');
  return reasons;
}

/** A fixed duration, or a duration setting's default (Vector takes seconds, not `5m`). */
function intervalSeconds(ir: IntegrationIR, interval: DurationValue): { seconds: number; note?: string } {
  if (interval.kind === 'seconds') return { seconds: Math.max(1, Math.ceil(interval.seconds)) };
  const setting = ir.settings.find((s) => s.name === interval.name);
  const parsed = typeof setting?.default === 'string' ? goDurationSeconds(setting.default) : undefined;
  const seconds = parsed ?? 300;
  return {
    seconds,
    note: `note: Vector reads the poll interval as a number of seconds in the config, so ${setting?.envVar ?? interval.name} is not read: ${seconds}s ${parsed === undefined ? '(no usable default; 5m)' : `(the default ${String(setting?.default)})`} is written into vector.yaml; edit exec_interval_secs/scrape_interval_secs to change it`,
  };
}

/** `1h30m`, `5m`, `500ms` → whole seconds (at least 1); undefined if malformed. */
export function goDurationSeconds(text: string): number | undefined {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  const total = parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] ?? 's'] ?? 1), 0);
  return Math.max(1, Math.ceil(total));
}

/** Whether the request or the auth of `http_client` would need a setting's value. */
function usesSettings(stream: StreamIR): boolean {
  const { request, auth } = stream.source;
  const templates = [request.url, ...request.headers.map((h) => h.value), ...request.query.map((q) => q.value)];
  return (
    templates.some((t) => t.parts.some((p) => p.kind === 'setting')) ||
    (auth.kind === 'basic' && auth.username.kind === 'setting')
  );
}

/** Whether every text of the request can be a YAML scalar Vector leaves unchanged. */
function carriable(stream: StreamIR): boolean {
  const { request, auth } = stream.source;
  const texts = [
    ...[request.url, ...request.headers.map((h) => h.value), ...request.query.map((q) => q.value)].flatMap((t) =>
      t.parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])),
    ),
    ...request.headers.map((h) => h.name),
    ...request.query.map((q) => q.name),
    ...(auth.kind === 'header' ? [auth.header] : []),
  ];
  return texts.every((t) => yamlProblem(t) === undefined);
}

/** Text only: settings and runtime placeholders make the stream use `mapc collect`. */
function renderTemplate(template: Template, streamLoc: Span, what: string): YamlScalar {
  const text = template.parts
    .map((part) => {
      if (part.kind === 'text') return part.text;
      throw new Error(`placeholder ${part.kind} reached the http_client source`);
    })
    .join('');
  return yamlScalar(text, template.loc ?? streamLoc, what);
}

/** An auth header's text around its secret (`"SSWS {secret.api_token}"`), the secret as Vector's reference. */
function authHeaderValue(ir: IntegrationIR, backend: SecretBackend, value: Template, authLoc: Span): YamlScalar {
  return yamlConcat(
    value.parts.map((part) => {
      if (part.kind === 'text') return yamlScalar(part.text, value.loc ?? authLoc, 'the auth header value');
      if (part.kind === 'secret') return mapSecretRef(ir, backend, part.name);
      throw new Error(`placeholder ${part.kind} reached an auth header`);
    }),
  );
}

function nameValues(list: readonly NameValue[], streamLoc: Span, what: string): Record<string, YamlNode> {
  const out: Record<string, YamlScalar[]> = {};
  for (const nv of list) {
    const name = yamlScalar(nv.name, nv.value.loc ?? streamLoc, `the ${what} name`);
    (out[name] ??= []).push(renderTemplate(nv.value, streamLoc, `the ${what} value`));
  }
  return out;
}

function httpAuth(ir: IntegrationIR, auth: AuthIR, backend: SecretBackend): Record<string, YamlNode> | undefined {
  switch (auth.kind) {
    case 'bearer':
      return { strategy: yamlConst('bearer'), token: mapSecretRef(ir, backend, auth.secret) };
    case 'basic':
      if (auth.username.kind !== 'secret') throw new Error('a basic auth user from a setting reached http_client');
      return {
        strategy: yamlConst('basic'),
        user: mapSecretRef(ir, backend, auth.username.name),
        password: mapSecretRef(ir, backend, auth.password),
      };
    default:
      return undefined;
  }
}
