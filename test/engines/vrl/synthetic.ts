/**
 * Small hand-built IRs for exercising the Vector backend beyond the vendor fixtures.
 *
 * @module
 */
import type {
  ConditionIR,
  FieldPath,
  IntegrationIR,
  MappingIR,
  RuleIR,
  SourceIR,
  SourceSpan,
  StreamIR,
  TransformIR,
} from '../../../compiler/ir.ts';

export const LOC: SourceSpan = { file: 'maps/test.map', offset: 0, length: 0, line: 1, column: 1 };

export function fieldRule(
  target: string,
  path: string,
  transforms: TransformIR[],
  extra: Partial<RuleIR> = {},
): RuleIR {
  return {
    target: target.split('.'),
    targetType: { ecsType: 'keyword', array: false, vendor: target.startsWith('test.') },
    op: 'set',
    value: { kind: 'field', path: path.split('.'), transforms },
    loc: LOC,
    ...extra,
  };
}

export function constRule(
  target: string,
  value: string | number | boolean,
  when?: ConditionIR,
  op: 'set' | 'append' = 'set',
): RuleIR {
  return {
    target: target.split('.'),
    targetType: { ecsType: 'keyword', array: op === 'append', vendor: false },
    op,
    value: { kind: 'const', value },
    loc: LOC,
    ...(when ? { when } : {}),
  };
}

export const NO_PAGING_SOURCE: SourceIR = {
  request: {
    method: 'GET',
    // A fixed URL: Vector reads no setting in its config (targets/vector/secrets.ts), so a
    // request with a setting is collected through mapc collect.
    url: { parts: [{ kind: 'text', text: 'https://api.vendor.example/v1/events' }] },
    headers: [{ name: 'Accept', value: { parts: [{ kind: 'text', text: 'application/json' }] }, omitIfEmpty: false }],
    query: [{ name: 'limit', value: { parts: [{ kind: 'text', text: '100' }] }, omitIfEmpty: false }],
  },
  auth: { kind: 'bearer', secret: 'api_token', loc: LOC },
  pagination: { kind: 'none' },
  records: ['data', 'items'],
  rateLimit: { retryAfter: true },
  retry: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 30 },
  maxPagesPerRun: 100,
  loc: LOC,
};

/** The same request with Link-header pagination: Vector collects it through `mapc collect`. */
export const COLLECT_SOURCE: SourceIR = { ...NO_PAGING_SOURCE, pagination: { kind: 'link_header', loc: LOC } };

export function testIntegration(
  mapping: Partial<MappingIR> & { rules: RuleIR[] },
  source: SourceIR = COLLECT_SOURCE,
  stream: Partial<StreamIR> = {},
): IntegrationIR {
  const fullMapping: MappingIR = {
    namespace: ['test', 'events'],
    keepUnmapped: true,
    remove: [],
    consumed: [],
    ...mapping,
  };
  return {
    irVersion: 3,
    name: 'test',
    title: 'Test Vendor',
    vendor: 'Test',
    version: '0.1.0',
    description: 'Synthetic integration for backend tests.',
    ecsVersion: '9.4.0',
    settings: [
      {
        name: 'base_url',
        type: 'url',
        title: 'Base URL',
        description: '',
        required: true,
        envVar: 'TEST_BASE_URL',
        loc: LOC,
      },
      {
        name: 'interval',
        type: 'duration',
        title: 'Interval',
        description: '',
        required: false,
        default: '2m',
        envVar: 'TEST_INTERVAL',
        loc: LOC,
      },
      {
        name: 'preserve',
        type: 'bool',
        title: 'Preserve original',
        description: '',
        required: false,
        default: false,
        envVar: 'TEST_PRESERVE',
        loc: LOC,
      },
      { name: 'flag', type: 'bool', title: 'A flag', description: '', required: false, envVar: 'TEST_FLAG', loc: LOC },
    ],
    secrets: [{ name: 'api_token', title: 'API token', description: '', envVar: 'TEST_API_TOKEN', loc: LOC }],
    streams: [
      {
        name: 'events',
        title: 'Events',
        description: '',
        dataset: 'test.events',
        interval: { kind: 'seconds', seconds: 60 },
        source,
        mapping: fullMapping,
        loc: LOC,
        ...stream,
      },
    ],
    sourceFile: 'maps/test.map',
  };
}

export function path(text: string): FieldPath {
  return text.split('.');
}
