/**
 * elastic-package test inputs generated from the fixtures, so that a user with a stack runs
 * `elastic-package test pipeline` and `elastic-package test system` on the package as is.
 *
 * - Pipeline tests (https://github.com/elastic/elastic-package/blob/ef8dbed5def4a97e937017e70bbacaa08999d2f2/docs/howto/pipeline_testing.md):
 *   `_dev/test/pipeline/test-<stream>.json` = `{"events": [event...]}` (each event a `message`
 *   with one fixture record) and `test-<stream>.json-expected.json` = `{"expected": [doc...]}`.
 *   elastic-package compares documents only, so the expected `_id` is not part of these files.
 * - System test config (https://github.com/elastic/elastic-package/blob/7e9bf7b5991aab4fb060226572e733599b70b348/docs/howto/system_testing.md):
 *   `_dev/test/system/test-default-config.yml` points the CEL input at the `{{Hostname}}:{{Port}}` of
 *   the package's mock vendor API ({@link mockDeploy}), which accepts any credential: secrets and
 *   required settings get the fixed placeholder {@link MOCK_PLACEHOLDER}, never a real value.
 *
 * @module
 */
import type { FixtureCase } from '../contract.ts';
import { PRESERVE_ORIGINAL_TAG } from './conventions.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { fleetVariable } from './vars.ts';

/**
 * Tags the agent adds for bool settings that default to true (how the pipeline sees them): the
 * setting's name, and `preserve_original_event` for the setting of an `original when`
 * (`./conventions.ts`).
 */
export function defaultTags(ir: IntegrationIR): string[] {
  const on = ir.settings.filter((s) => s.type === 'bool' && s.default === true).map((s) => s.name);
  const original = ir.streams.some((st) => st.mapping.original && on.includes(st.mapping.original.setting));
  return original ? [...on, PRESERVE_ORIGINAL_TAG] : on;
}

export function pipelineTestEvents(ir: IntegrationIR, cases: readonly FixtureCase[]): Record<string, unknown> {
  const tags = defaultTags(ir);
  return { events: cases.map((c) => (tags.length > 0 ? { message: c.message, tags } : { message: c.message })) };
}

export function pipelineTestExpected(ir: IntegrationIR, cases: readonly FixtureCase[]): Record<string, unknown> {
  const tags = defaultTags(ir);
  return { expected: cases.map((c) => (tags.length > 0 ? { ...c.expected.doc, tags } : c.expected.doc)) };
}

/** The value of secrets and required settings in system tests: the mock API checks none of them. */
export const MOCK_PLACEHOLDER = 'mapc-mock';

/** Docker service (and host) name of the mock API: a DNS label, so no underscores. */
export function mockService(ir: IntegrationIR): string {
  return `${ir.name.replace(/_/g, '-')}-mock`;
}

/**
 * The system test config of one stream. With a document id, `assert.hit_count` is the number of
 * distinct ids among the fixtures' documents: the mock serves those records on every poll, the
 * data stream keeps one document per id (`create`), and elastic-package waits until the count
 * is stable, then fails on more or fewer (elastic/elastic-package#1333; convention as in
 * elastic/integrations `packages/entro/data_stream/audit/_dev/test/system/test-common-config.yml`).
 * Without an id every poll adds documents, so no count is asserted.
 */
export function systemTestConfig(
  ir: IntegrationIR,
  stream: StreamIR,
  cases: readonly FixtureCase[],
): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  const mocked = mockedUrlSettings(stream);
  for (const s of ir.settings) {
    const name = fleetVariable(ir, s.name);
    if (mocked.has(s.name)) vars[name] = 'http://{{Hostname}}:{{Port}}';
    else if (s.required && s.default === undefined) vars[name] = MOCK_PLACEHOLDER;
  }
  for (const s of ir.secrets) vars[s.name] = MOCK_PLACEHOLDER;
  const ids = cases.map((c) => c.expected._id);
  const hitCount = stream.mapping.documentId && ids.every((id) => id !== undefined) ? new Set(ids).size : undefined;
  return {
    input: 'cel',
    service: mockService(ir),
    vars,
    data_stream: { vars: {} },
    ...(hitCount === undefined ? {} : { assert: { hit_count: hitCount } }),
  };
}

/**
 * The settings that start the URLs a stream requests (its data request, and the login or OAuth2
 * token request of its auth): the system test points each at the mock, which serves them all
 * (Bitwarden's token comes from an identity server apart from its API, `identity_url`).
 */
function mockedUrlSettings(stream: StreamIR): Set<string> {
  const auth = stream.source.auth;
  const urls = [
    stream.source.request.url,
    ...(auth.kind === 'token_exchange' ? [auth.request.url] : []),
    ...(auth.kind === 'oauth2_client_credentials' ? [auth.tokenUrl] : []),
  ];
  const names = new Set<string>();
  for (const url of urls) {
    const first = url.parts[0];
    if (first?.kind === 'setting') names.add(first.name);
  }
  return names;
}

/** Image of Elastic's `stream` test utility whose `http-server` mode mocks the vendor API (https://github.com/elastic/stream). */
export const STREAM_IMAGE = 'docker.elastic.co/observability/stream:v0.18.0';

/**
 * A request path as a gorilla/mux route pattern: the URL template without its leading base-URL
 * setting, each other setting as a `{name}` route variable (matches any one path segment). Map
 * text with a brace, which mux would read as (or fail on as) a variable, is matched by a
 * variable of its own (`{mapc_1}`): the mock then also answers other paths there, which a mock
 * may (github.com/gorilla/mux `Route.Path`: "Variables are delimited by curly braces").
 */
function routePath(template: StreamIR['source']['request']['url']): string {
  const parts = template.parts[0]?.kind === 'setting' ? template.parts.slice(1) : template.parts;
  const segments: { text: string; braced: boolean }[] = [{ text: '', braced: false }];
  parts.forEach((p, i) => {
    if (p.kind === 'setting') segments[segments.length - 1]!.text += `{${p.name}}`;
    if (p.kind !== 'text') return;
    const text = i === 0 ? p.text.replace(/^https?:\/\/[^/]+/, '') : p.text;
    text.split('/').forEach((piece, j) => {
      if (j > 0) segments.push({ text: '', braced: false });
      const last = segments[segments.length - 1]!;
      last.text += piece;
      if (/[{}]/.test(piece)) last.braced = true;
    });
  });
  let wildcards = 0;
  return segments.map((s) => (s.braced ? `{mapc_${++wildcards}}` : s.text)).join('/') || '/';
}

/**
 * A response body for `stream`'s http-server, which executes bodies as Go `text/template`s
 * (elastic/stream `pkg/httpserver/httpserver.go`, `response.Body.Execute`): a body with `{{`
 * becomes one action printing it as a Go string constant (a JSON string is one, escapes and all:
 * https://pkg.go.dev/text/template#hdr-Arguments).
 */
function goTemplateText(text: string): string {
  return text.includes('{{') ? `{{${JSON.stringify(text)}}}` : text;
}

/** The response body holding `records` at `path` (`[]`: the body is the array). */
function wrapRecords(path: readonly string[], records: unknown[]): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), records);
}

const jsonResponse = (body: unknown): Record<string, unknown> => ({
  status_code: 200,
  headers: { 'Content-Type': ['application/json'] },
  body: goTemplateText(JSON.stringify(body)),
});

/**
 * `_dev/deploy/docker/docker-compose.yml` and `files/config.yml`: a `stream http-server` that
 * answers each stream's request with all its fixture records on one last page (no next-page
 * token), and a token exchange login or an OAuth2 token request with a fixed mock session token
 * (not a credential: the mock accepts any login).
 */
export function mockDeploy(
  ir: IntegrationIR,
  fixtures: ReadonlyMap<string, readonly FixtureCase[]>,
): { compose: unknown; config: unknown } {
  const rules: unknown[] = [];
  for (const stream of ir.streams) {
    const cases = fixtures.get(stream.name);
    if (!cases) continue;
    const auth = stream.source.auth;
    if (auth.kind === 'token_exchange') {
      const token = auth.tokenPath.reduceRight<unknown>((inner, key) => ({ [key]: inner }), 'mapc-mock-session');
      rules.push({
        path: routePath(auth.request.url),
        methods: [auth.request.method],
        responses: [jsonResponse(token)],
      });
    }
    if (auth.kind === 'oauth2_client_credentials') {
      // RFC 6749 §5.1 access token response.
      rules.push({
        path: routePath(auth.tokenUrl),
        methods: ['POST'],
        responses: [jsonResponse({ access_token: 'mapc-mock-session', token_type: 'Bearer', expires_in: 3600 })],
      });
    }
    const records = cases.map((c) => JSON.parse(c.message) as unknown);
    rules.push({
      path: routePath(stream.source.request.url),
      methods: [stream.source.request.method],
      responses: [jsonResponse(wrapRecords(stream.source.records, records))],
    });
  }
  const service = mockService(ir);
  return {
    compose: {
      version: '2.3',
      services: {
        [service]: {
          image: STREAM_IMAGE,
          hostname: service,
          ports: ['8080'],
          volumes: ['./files:/files:ro'],
          command: ['http-server', '--addr=:8080', '--config=/files/config.yml'],
        },
      },
    },
    config: { rules },
  };
}
