/**
 * The `agent/stream/cel.yml.hbs` text around the program: input options, `state`, `redact`,
 * and the standard `tags` / `processors` blocks of Elastic integration packages.
 *
 * Shapes follow the CEL input reference
 * (https://www.elastic.co/guide/en/beats/filebeat/8.17/filebeat-input-cel.html: `interval`,
 * `resource.url`, `resource.retry.*`, `resource.rate_limit.*`, `max_executions`, `state`,
 * `redact.fields`, `resource.redirect.max_redirects`, `resource.max_body_size`) and the stream templates of elastic/integrations packages.
 * Fleet renders the file with Handlebars and its helpers `escape_string` (single-quoted YAML
 * string) and `contains`, then parses it as YAML (Kibana
 * `x-pack/platform/plugins/shared/fleet/server/services/epm/agent/agent.ts`, `compileTemplate`);
 * the Elastic Agent then substitutes `${...}` variables in every string. Map text reaches this
 * file only through the quoting functions of `../quote.ts`: the program is a {@link CelProgram}
 * (its string literals and comments quoted), option values are {@link YamlScalar}s.
 *
 * Every Fleet variable is named after its setting or secret; the extra variables the template
 * reads are listed in {@link STANDARD_VARIABLES}. The `tags` block also carries one tag per bool
 * setting the ingest pipeline tests ({@link pipelineTagSettings}), present while it is true.
 *
 * @module
 */
import type {
  JsonTemplate,
  MappingIR,
  NameValue,
  RequestConditionIR,
  SettingIR,
  Template,
} from '../../../compiler/ir.ts';
import { conditionSettings, mappingConditions } from '../../../compiler/rule-paths.ts';
import { located, policyString, type CelProgram, type YamlScalar } from '../quote.ts';
import { PRESERVE_DUPLICATES_TAG, PRESERVE_ORIGINAL_TAG } from '../conventions.ts';
import type { AuthPlan } from './auth.ts';
import { secretKeys } from './auth.ts';
import type { CelContext } from './context.ts';
import { CONTROL_FIELD, stateKey } from './context.ts';
import { MAX_BODY_BYTES } from './failure.ts';
import { indent } from './text.ts';
import { fleetVariable } from '../vars.ts';

/**
 * Fleet variables the template reads besides settings and secrets (declared by the package): the
 * stream's `tags` and `processors`, and the HTTP client options elastic/integrations CEL packages
 * offer as input variables (`proxy_url`, `ssl`, `http_client_timeout`; e.g.
 * `packages/entro/manifest.yml` and `packages/entro/data_stream/audit/agent/stream/cel.yml.hbs`).
 * A map setting or secret of one of these names is refused (E0400): it would be two variables.
 */
export const STANDARD_VARIABLES = [
  'tags',
  'processors',
  PRESERVE_DUPLICATES_TAG,
  ...(['proxy_url', 'ssl', 'http_client_timeout'] as const),
] as const;

/**
 * The HTTP client options of the input, each written only when its variable is set: the CEL
 * input's `resource.proxy_url`, `resource.ssl` (Beats SSL options) and `resource.timeout`
 * (https://www.elastic.co/guide/en/beats/filebeat/8.17/filebeat-input-cel.html). Not offered:
 * `enable_request_tracer`, whose trace files hold request and response bodies (a token exchange's
 * token included), which mapc never writes anywhere.
 */
const CLIENT_OPTION_LINES = [
  '{{#if proxy_url}}',
  'resource.proxy_url: {{proxy_url}}',
  '{{/if}}',
  '{{#if ssl}}',
  'resource.ssl: {{ssl}}',
  '{{/if}}',
  '{{#if http_client_timeout}}',
  'resource.timeout: {{http_client_timeout}}',
  '{{/if}}',
];

/** Settings whose value the program reads from `state` (other than the `resource.url` one). */
export function programSettings(ctx: CelContext, auth: AuthPlan): SettingIR[] {
  const names = new Set<string>();
  const fromTemplate = (t: Template): void => t.parts.forEach((p) => p.kind === 'setting' && names.add(p.name));
  const fromCondition = (c: RequestConditionIR | undefined): void => {
    if (c?.kind === 'setting') names.add(c.name);
    else if (c?.kind === 'not') fromCondition(c.operand);
  };
  const fromItem = (nv: NameValue): void => {
    fromTemplate(nv.value);
    fromCondition(nv.when);
  };
  const src = ctx.source;
  fromTemplate(src.request.url);
  src.request.headers.forEach(fromItem);
  src.request.query.forEach(fromItem);
  // Iterative: a body is as deep as the map makes it.
  const walk = (root: JsonTemplate): void => {
    const work = [root];
    for (let j = work.pop(); j; j = work.pop()) {
      if (j.kind === 'string') fromTemplate(j.template);
      else if (j.kind === 'setting') names.add(j.name);
      else if (j.kind === 'object') work.push(...j.entries.map((e) => e.value));
      else if (j.kind === 'array') work.push(...j.items);
    }
  };
  if (src.request.body) walk(src.request.body);
  if (src.auth.kind === 'token_exchange') {
    fromTemplate(src.auth.request.url);
    src.auth.request.headers.forEach(fromItem);
    src.auth.request.query.forEach(fromItem);
    if (src.auth.request.body) walk(src.auth.request.body);
    fromTemplate(src.auth.header.value);
  }
  if (src.auth.kind === 'oauth2_client_credentials') {
    fromTemplate(src.auth.tokenUrl);
    if (src.auth.clientId.kind === 'setting') names.add(src.auth.clientId.name);
  }
  if (src.auth.kind === 'basic' && src.auth.username.kind === 'setting') names.add(src.auth.username.name);
  if (src.cursor?.initial.setting) names.add(src.cursor.initial.setting);
  if (src.cursor?.initial.lookbackSetting) names.add(src.cursor.initial.lookbackSetting);
  void auth;
  names.delete(ctx.urlSetting ?? '');
  return ctx.ir.settings.filter((s) => names.has(s.name));
}

/**
 * The bool settings the ingest pipeline tests by name, in first-use order without repeats: every
 * setting named by a `drop when` or a rule's `when` (also under `not`/`and`/`or`). The pipeline
 * reads them from `ctx.tags` (see `../pipeline.ts`), so the template adds a tag named after each
 * one while its Fleet variable is true. Every setting is already a Fleet variable of the package.
 * The setting of `original when` is not among them: it adds the convention's tag
 * `preserve_original_event` ({@link conventionTagLines}).
 */
export function pipelineTagSettings(mapping: MappingIR): string[] {
  const names = new Set<string>();
  for (const c of mappingConditions(mapping)) for (const name of conditionSettings(c)) names.add(name);
  return [...names];
}

/**
 * The `tags` entries of the elastic/integrations conventions (`../conventions.ts`):
 * `preserve_original_event` while the map's `original when` setting is true, and
 * `preserve_duplicate_custom_fields` while the package's stream variable of that name is true
 * (declared by `dataStreamManifest` in `../package.ts` when the map keeps the record).
 */
export function conventionTagLines(mapping: MappingIR): string[] {
  const lines: string[] = [];
  if (mapping.original) lines.push(`{{#if ${mapping.original.setting}}}`, `  - ${PRESERVE_ORIGINAL_TAG}`, '{{/if}}');
  if (mapping.keepUnmapped)
    lines.push(`{{#if ${PRESERVE_DUPLICATES_TAG}}}`, `  - ${PRESERVE_DUPLICATES_TAG}`, '{{/if}}');
  return lines;
}

/**
 * One `state:` entry for a setting: strings through `escape_string` while set; `int` and `bool`
 * values always, quoted as text (an unset variable renders `''`, as absent). No `{{#if}}` guard
 * for those two: Handlebars reads `0` and `false` as false, so the guard would send an `int`
 * setting of `0` as `""` in a `"{n}"` template and leave `0` or `false` to guesswork in a body.
 */
function settingLine(s: SettingIR): string[] {
  const key = stateKey(s.name);
  if (s.type === 'int' || s.type === 'bool') return [`  ${key}: '{{${s.name}}}'`];
  return [`{{#if ${s.name}}}`, `  ${key}: {{escape_string ${s.name}}}`, '{{/if}}'];
}

function resourceUrl(ctx: CelContext): string | YamlScalar {
  if (ctx.urlSetting) return `{{${fleetVariable(ctx.ir, ctx.urlSetting)}}}`;
  const first = ctx.source.request.url.parts[0];
  const text = first?.kind === 'text' ? first.text : '';
  const m = /^(https?:\/\/[^/?#]+)/.exec(text);
  if (!m) {
    ctx.report(
      'E0420',
      'error',
      'the request URL must start with a URL setting or an absolute http(s) URL',
      ctx.source.loc,
    );
    return 'http://localhost';
  }
  return located(ctx.source.request.url.loc, () => policyString(m[1]!));
}

/** Input options: interval, resource, retries, redirects, body size, rate limit, execution budget. */
function optionLines(ctx: CelContext, auth: AuthPlan): string[] {
  const src = ctx.source;
  const interval =
    ctx.stream.interval.kind === 'setting' ? `{{${ctx.stream.interval.name}}}` : `${ctx.stream.interval.seconds}s`;
  const lines = [
    'config_version: 2',
    `interval: ${interval}`,
    ...CLIENT_OPTION_LINES,
    `resource.url: ${resourceUrl(ctx)}`,
  ];

  // go-retryablehttp (beats cel input `newClient`): `max_attempts` > 1 enables the retrying client
  // with RetryMax = max_attempts retries; 1 disables it. Backoff: min * 2^n capped at max, or
  // Retry-After on 429/503 (retryablehttp DefaultBackoff), without jitter.
  const retries = src.retry.maxAttempts;
  let maxAttempts = retries;
  if (retries === 0) maxAttempts = 1;
  if (retries === 1) {
    maxAttempts = 2;
    ctx.report('W0421', 'warning', 'the CEL input cannot retry exactly once: it retries twice', src.loc, [
      'note: resource.retry.max_attempts: 1 turns retries off; 2 is the smallest retry count it accepts',
    ]);
  }
  if (retries > 0) {
    ctx.report(
      'W0420',
      'warning',
      'retries on 429, 5xx and network errors use exponential backoff without jitter',
      src.loc,
      [
        `note: resource.retry: ${maxAttempts} retries waiting ${src.retry.backoffBaseSeconds}s * 2^n up to ${src.retry.backoffMaxSeconds}s, or Retry-After on 429/503`,
      ],
    );
  }
  lines.push(`resource.retry.max_attempts: ${maxAttempts}`);
  lines.push(`resource.retry.wait_min: ${src.retry.backoffBaseSeconds}s`);
  lines.push(`resource.retry.wait_max: ${src.retry.backoffMaxSeconds}s`);
  if (src.rateLimit.requestsPerSecond !== undefined) {
    lines.push(`resource.rate_limit.limit: ${src.rateLimit.requestsPerSecond}`);
    lines.push('resource.rate_limit.burst: 1');
  }
  // Credentials go to the configured origin only: the input's client refuses every redirect
  // before sending it (beats cel `checkRedirect`; see program.ts), and bodies are bounded.
  lines.push('resource.redirect.max_redirects: 0');
  lines.push(`resource.max_body_size: ${MAX_BODY_BYTES}`);
  // One evaluation per page, plus the first run's initial cursor and a pending error event; the
  // program itself stops at max_pages, this only keeps the input's own budget (default 1000)
  // from cutting a run shorter.
  lines.push(`max_executions: ${src.maxPagesPerRun + 2}`);
  return lines;
}

/** The whole `cel.yml.hbs`. */
export function streamTemplate(ctx: CelContext, auth: AuthPlan, program: CelProgram): string {
  const settings = programSettings(ctx, auth);
  const secrets = secretKeys(auth);
  const secretNames = auth.stateSecrets;
  const stateLines = [
    ...settings.flatMap(settingLine),
    ...secretNames.map((name) => `  ${stateKey(name)}: {{escape_string ${name}}}`),
  ];
  const redact = [...secrets, ...(auth.caches ? ['auth'] : [])];
  const flags = pipelineTagSettings(ctx.stream.mapping);

  return [
    ...optionLines(ctx, auth),
    ...(stateLines.length > 0 ? ['state:', ...stateLines] : []),
    ...(redact.length > 0 ? ['redact:', '  fields:', ...redact.map((f) => `    - ${f}`)] : []),
    'program: |',
    indent(program, 2),
    'tags:',
    ...conventionTagLines(ctx.stream.mapping),
    ...flags.flatMap((name) => [`{{#if ${name}}}`, `  - ${name}`, '{{/if}}']),
    '{{#each tags as |tag|}}',
    '  - {{tag}}',
    '{{/each}}',
    '{{#contains "forwarded" tags}}',
    'publisher_pipeline.disable_host: true',
    '{{/contains}}',
    'processors:',
    // Column 0, like the items of the `processors` variable that follow.
    `- drop_event:`,
    `    when:`,
    `      has_fields: ['${CONTROL_FIELD}']`,
    '{{#if processors}}',
    '{{processors}}',
    '{{/if}}',
    '',
  ].join('\n');
}
