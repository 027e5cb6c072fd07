/**
 * The one builder of hand-made IR for tests (the IR's shapes and meaning: compiler/ir.ts).
 *
 * Parts ({@link t}, {@link nv}, {@link field}, {@link constant}, {@link rule}, {@link settingIR},
 * {@link secretIR}) and three levels with defaults ({@link source}, {@link stream},
 * {@link integration}): a test states only what it is about. The named IRs at the end
 * ({@link interpreterStream}, {@link acmeIR}, {@link celIR}, {@link vectorIR},
 * {@link syntheticIR}) are the shapes the suites share, each a few lines over the builder; their
 * names, settings and environment variables appear in expected outputs, so they stay as they are.
 *
 * @module
 */
import { IR_VERSION } from '../../compiler/ir.ts';
import type {
  AuthIR,
  ConditionIR,
  CursorIR,
  FieldPath,
  IntegrationIR,
  JsonTemplate,
  MappingIR,
  NameValue,
  PaginationIR,
  RateLimitIR,
  RetryIR,
  RuleIR,
  SecretIR,
  SettingIR,
  SourceIR,
  SourceSpan,
  StreamIR,
  Template,
  TemplatePart,
  TransformIR,
  ValueIR,
} from '../../compiler/ir.ts';

// --- parts ----------------------------------------------------------------------------------------

/** A source span at line 1, column 1 of `file` (`length` characters). */
export function span(file = 'maps/test.map', length = 0): SourceSpan {
  return { file, offset: 0, length, line: 1, column: 1 };
}

/** The default span of every built node. */
export const LOC: SourceSpan = span();

/** A dotted path as a field path (`''` is the empty path: the record itself). */
export function path(dotted: string): FieldPath {
  return dotted === '' ? [] : dotted.split('.');
}

/** A template from literal strings and placeholder parts. */
export function t(...parts: (string | TemplatePart)[]): Template {
  return { parts: parts.map((p) => (typeof p === 'string' ? { kind: 'text', text: p } : p)) };
}

export const setting = (name: string): TemplatePart => ({ kind: 'setting', name });
export const secret = (name: string): TemplatePart => ({ kind: 'secret', name });
export const cursor: TemplatePart = { kind: 'cursor' };

/** A header or query parameter. */
export function nv(name: string, value: Template, omitIfEmpty = false): NameValue {
  return { name, value, omitIfEmpty };
}

/** The value of a record path, through `transforms`. */
export function field(dotted: string, ...transforms: TransformIR[]): ValueIR {
  return { kind: 'field', path: path(dotted), transforms };
}

export function constant(value: string | number | boolean): ValueIR {
  return { kind: 'const', value };
}

export interface RuleOptions {
  readonly op?: 'set' | 'append';
  readonly when?: ConditionIR;
  /** The destination field's ECS type (default `keyword`). */
  readonly ecsType?: string;
  /** The destination is a vendor field under the namespace (default false). */
  readonly vendor?: boolean;
  readonly loc?: SourceSpan;
}

/** A rule writing `value` to the dotted `target`; an `append` rule's destination is an array. */
export function rule(target: string, value: ValueIR, options: RuleOptions = {}): RuleIR {
  const op = options.op ?? 'set';
  return {
    destination: path(target),
    destinationType: { ecsType: options.ecsType ?? 'keyword', array: op === 'append', vendor: options.vendor ?? false },
    op,
    value,
    ...(options.when ? { when: options.when } : {}),
    loc: options.loc ?? LOC,
  };
}

/** A consumed source path, deleted when the rule writing `target` wrote it. */
export const consumed = (from: string, target: string) => ({ path: path(from), whenDestinationSet: path(target) });

/** A setting; the environment variable defaults to `TEST_<NAME>`. */
export function settingIR(name: string, type: SettingIR['type'], extra: Partial<SettingIR> = {}): SettingIR {
  return {
    name,
    type,
    title: name,
    description: '',
    required: false,
    envVar: `TEST_${name.toUpperCase()}`,
    loc: LOC,
    ...extra,
  };
}

/** A secret; the environment variable defaults to `TEST_<NAME>`. */
export function secretIR(name: string, extra: Partial<SecretIR> = {}): SecretIR {
  return { name, title: name, description: '', envVar: `TEST_${name.toUpperCase()}`, loc: LOC, ...extra };
}

// --- levels ---------------------------------------------------------------------------------------

/** A source: `GET {base_url}/v1/events`, no auth, no pagination, records at the top, then `spec`. */
export function source(spec: Partial<SourceIR> = {}): SourceIR {
  return {
    request: { method: 'GET', url: t(setting('base_url'), '/v1/events'), headers: [], query: [] },
    auth: { kind: 'none' },
    pagination: { kind: 'none' },
    records: [],
    rateLimit: { retryAfter: true },
    retry: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 30 },
    maxPagesPerRun: 100,
    loc: LOC,
    ...spec,
  };
}

export interface StreamSpec extends Partial<Omit<StreamIR, 'mapping'>> {
  /** Over the default mapping: namespace from the dataset, unmapped kept, no rules. */
  readonly mapping?: Partial<MappingIR>;
}

/** A stream `events` of dataset `test.events` (namespace `test.events`), then `spec`. */
export function stream(spec: StreamSpec = {}): StreamIR {
  const { mapping, ...rest } = spec;
  const name = spec.name ?? 'events';
  const dataset = spec.dataset ?? `test.${name}`;
  return {
    name,
    title: name.charAt(0).toUpperCase() + name.slice(1),
    description: '',
    dataset,
    interval: { kind: 'seconds', seconds: 60 },
    source: source(),
    ...rest,
    mapping: { namespace: path(dataset), keepUnmapped: true, rules: [], remove: [], consumed: [], ...mapping },
    loc: spec.loc ?? LOC,
  };
}

/** An integration `test` (IR version 2, ECS 9.4.0) with one default {@link stream}, then `spec`. */
export function integration(spec: Partial<IntegrationIR> = {}): IntegrationIR {
  return {
    irVersion: IR_VERSION,
    name: 'test',
    title: 'Test',
    vendor: 'Test',
    version: '0.1.0',
    description: 'test',
    ecsVersion: '9.4.0',
    settings: [],
    secrets: [],
    streams: [stream()],
    sourceFile: 'maps/test.map',
    ...spec,
  };
}

// --- the shapes the suites share ------------------------------------------------------------------

/** The interpreter's stream: only the mapping matters to `mapRecord` (test/compiler/interpret). */
export function interpreterStream(mapping: Partial<MappingIR> & { rules: RuleIR[] }): StreamIR {
  const loc = span('test.map');
  return stream({
    name: 's',
    title: 'S',
    dataset: 'v.s',
    source: source({ request: { method: 'GET', url: t('http://x'), headers: [], query: [] }, loc }),
    mapping,
    loc,
  });
}

/** The span of {@link acmeIR}'s nodes. */
export const ACME_LOC: SourceSpan = span('test.map', 1);

/**
 * The Elastic backend's integration `acme`: stream `logs` (`GET {base_url}/logs`), settings
 * `base_url` and bool `keep_original`, secret `api_token`; rules given by the test.
 */
export function acmeIR(mapping: Partial<MappingIR> & { rules: readonly RuleIR[] }): IntegrationIR {
  const loc = ACME_LOC;
  return integration({
    name: 'acme',
    title: 'Acme',
    vendor: 'Acme',
    description: 'Test integration.',
    settings: [
      settingIR('base_url', 'url', { title: 'Base URL', required: true, envVar: 'ACME_BASE_URL', loc }),
      settingIR('keep_original', 'bool', { title: 'Keep original', default: false, envVar: 'ACME_KEEP_ORIGINAL', loc }),
    ],
    secrets: [secretIR('api_token', { title: 'API token', envVar: 'ACME_API_TOKEN', loc })],
    streams: [
      stream({
        name: 'logs',
        dataset: 'acme.logs',
        source: source({
          request: { method: 'GET', url: t(setting('base_url'), '/logs'), headers: [], query: [] },
          maxPagesPerRun: 10,
          loc,
        }),
        mapping: mapping as Partial<MappingIR>,
        loc,
      }),
    ],
    sourceFile: 'test.map',
  });
}

/**
 * The CEL (Elastic Agent) integration `test`: one stream `events` whose source is `spec` over
 * `GET {base_url}/v1/events` with records under `data`; settings `base_url`, `backfill_start`
 * (timestamp) and `settings`; the named secrets.
 */
export function celIR(
  spec: Partial<SourceIR>,
  secrets: readonly string[] = [],
  settings: readonly SettingIR[] = [],
): IntegrationIR {
  return integration({
    settings: [settingIR('base_url', 'url', { required: true }), settingIR('backfill_start', 'timestamp'), ...settings],
    secrets: secrets.map((name) => secretIR(name)),
    streams: [stream({ source: source({ records: ['data'], ...spec }) })],
  });
}

/**
 * The Vector backend's source: `GET https://api.vendor.example/v1/events?limit=100` with an
 * `Accept` header, bearer `api_token`, records under `data.items`, no pagination. A fixed URL:
 * Vector reads no setting in its config (targets/vector/secrets.ts), so a request with a
 * setting is collected through `mapc collect`.
 */
export const NO_PAGING_SOURCE: SourceIR = source({
  request: {
    method: 'GET',
    url: t('https://api.vendor.example/v1/events'),
    headers: [nv('Accept', t('application/json'))],
    query: [nv('limit', t('100'))],
  },
  auth: { kind: 'bearer', secret: 'api_token', loc: LOC },
  records: ['data', 'items'],
});

/** The same request with Link-header pagination: Vector collects it through `mapc collect`. */
export const COLLECT_SOURCE: SourceIR = { ...NO_PAGING_SOURCE, pagination: { kind: 'link_header', loc: LOC } };

/**
 * The Vector backend's integration `test`: settings `base_url`, `interval` (duration, default
 * 2m), bool `preserve` (default false) and bool `flag`, secret `api_token`; one stream `events`
 * with `source` (default {@link COLLECT_SOURCE}), the mapping given, then `extra` over the stream.
 */
export function vectorIR(
  mapping: Partial<MappingIR> & { rules: RuleIR[] },
  from: SourceIR = COLLECT_SOURCE,
  extra: Partial<StreamIR> = {},
): IntegrationIR {
  return integration({
    title: 'Test Vendor',
    description: 'Synthetic integration for backend tests.',
    settings: [
      settingIR('base_url', 'url', { title: 'Base URL', required: true }),
      settingIR('interval', 'duration', { title: 'Interval', default: '2m' }),
      settingIR('preserve', 'bool', { title: 'Preserve original', default: false }),
      settingIR('flag', 'bool', { title: 'A flag' }),
    ],
    secrets: [secretIR('api_token', { title: 'API token' })],
    streams: [{ ...stream({ source: from, mapping }), ...extra }],
  });
}

/** The span of {@link syntheticIR}'s nodes. */
export const SYNTHETIC_LOC: SourceSpan = span('synthetic.map');

/** Options of {@link syntheticIR}. */
export interface SyntheticOptions {
  readonly pagination: PaginationIR;
  readonly auth?: AuthIR;
  /** Where the cursor travels: `since` query parameter (GET) or `filter.since` in a POST body. */
  readonly cursorIn?: 'query' | 'body';
  readonly secrets?: readonly string[];
  readonly settings?: readonly { name: string; type: 'string' | 'timestamp' | 'url' | 'bool' | 'int' }[];
  readonly rateLimit?: RateLimitIR;
  readonly retry?: RetryIR;
  readonly maxPagesPerRun?: number;
  /** Replaces the default `record_max` cursor on `ts` (`null`: no cursor). */
  readonly cursor?: CursorIR | null;
  /** Replaces the default query (`since={cursor}`). */
  readonly query?: readonly NameValue[];
}

/**
 * The collector's integration `synthetic` for the pagination and auth kinds no vendor map uses:
 * one stream `logs` (`{base_url}/logs`, records under `data`, cursor `record_max` on `ts` from
 * the `start` setting), environment variables `SYNTHETIC_<NAME>` (the mock scenario:
 * test/collector/synthetic.ts).
 */
export function syntheticIR(o: SyntheticOptions): IntegrationIR {
  const loc = SYNTHETIC_LOC;
  const cursorIn = o.cursorIn ?? 'query';
  const query: readonly NameValue[] = o.query ?? (cursorIn === 'query' ? [nv('since', t(cursor))] : []);
  const body: JsonTemplate | undefined =
    cursorIn === 'body'
      ? {
          kind: 'object',
          entries: [
            {
              key: 'filter',
              value: { kind: 'object', entries: [{ key: 'since', value: { kind: 'string', template: t(cursor) } }] },
            },
          ],
        }
      : undefined;
  const settings = [
    { name: 'base_url', type: 'url' as const },
    { name: 'start', type: 'timestamp' as const },
    ...(o.settings ?? []),
  ];
  const env = (name: string) => ({ envVar: `SYNTHETIC_${name.toUpperCase()}`, loc });
  return integration({
    name: 'synthetic',
    title: 'Synthetic',
    vendor: 'Synthetic',
    description: 'test integration',
    settings: settings.map((s) => settingIR(s.name, s.type, { required: s.name === 'base_url', ...env(s.name) })),
    secrets: (o.secrets ?? []).map((name) => secretIR(name, env(name))),
    streams: [
      stream({
        name: 'logs',
        dataset: 'synthetic.logs',
        source: source({
          request: {
            method: cursorIn === 'body' ? 'POST' : 'GET',
            url: t(setting('base_url'), '/logs'),
            headers: [nv('Accept', t('application/json'))],
            query,
            ...(body ? { body } : {}),
          },
          auth: o.auth ?? { kind: 'none' },
          pagination: o.pagination,
          records: ['data'],
          ...(o.cursor === null
            ? {}
            : {
                cursor: o.cursor ?? {
                  kind: 'record_max',
                  field: ['ts'],
                  format: { kind: 'iso8601' },
                  initial: { setting: 'start', lookbackSeconds: 0 },
                  loc,
                },
              }),
          rateLimit: o.rateLimit ?? { retryAfter: true },
          retry: o.retry ?? { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 30 },
          maxPagesPerRun: o.maxPagesPerRun ?? 100,
          loc,
        }),
        loc,
      }),
    ],
    sourceFile: 'synthetic.map',
  });
}
