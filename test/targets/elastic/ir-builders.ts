/** Small IR literals for the Elastic backend tests (one stream, rules given by the test). */
import type {
  IntegrationIR,
  MappingIR,
  RuleIR,
  SourceSpan,
  StreamIR,
  TransformIR,
  ValueIR,
  ConditionIR,
} from '../../../compiler/ir.ts';

export const LOC: SourceSpan = { file: 'test.map', offset: 0, length: 1, line: 1, column: 1 };

export function field(path: string, ...transforms: TransformIR[]): ValueIR {
  return { kind: 'field', path: path.split('.'), transforms };
}

export function rule(
  target: string,
  value: ValueIR,
  extra: { op?: 'set' | 'append'; when?: ConditionIR; vendor?: boolean } = {},
): RuleIR {
  return {
    target: target.split('.'),
    targetType: { ecsType: 'keyword', array: extra.op === 'append', vendor: extra.vendor ?? false },
    op: extra.op ?? 'set',
    value,
    ...(extra.when ? { when: extra.when } : {}),
    loc: LOC,
  };
}

export function testIR(mapping: Partial<MappingIR> & { rules: readonly RuleIR[] }): IntegrationIR {
  const stream: StreamIR = {
    name: 'logs',
    title: 'Logs',
    description: '',
    dataset: 'acme.logs',
    interval: { kind: 'seconds', seconds: 60 },
    source: {
      request: {
        method: 'GET',
        url: {
          parts: [
            { kind: 'setting', name: 'base_url' },
            { kind: 'text', text: '/logs' },
          ],
        },
        headers: [],
        query: [],
      },
      auth: { kind: 'none' },
      pagination: { kind: 'none' },
      records: [],
      rateLimit: { retryAfter: true },
      retry: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 30 },
      maxPagesPerRun: 10,
      loc: LOC,
    },
    mapping: { namespace: ['acme', 'logs'], keepUnmapped: true, remove: [], consumed: [], ...mapping },
    loc: LOC,
  };
  return {
    irVersion: 3,
    name: 'acme',
    title: 'Acme',
    vendor: 'Acme',
    version: '0.1.0',
    description: 'Test integration.',
    ecsVersion: '9.4.0',
    settings: [
      {
        name: 'base_url',
        type: 'url',
        title: 'Base URL',
        description: '',
        required: true,
        envVar: 'ACME_BASE_URL',
        loc: LOC,
      },
      {
        name: 'keep_original',
        type: 'bool',
        title: 'Keep original',
        description: '',
        required: false,
        default: false,
        envVar: 'ACME_KEEP_ORIGINAL',
        loc: LOC,
      },
    ],
    secrets: [{ name: 'api_token', title: 'API token', description: '', envVar: 'ACME_API_TOKEN', loc: LOC }],
    streams: [stream],
    sourceFile: 'test.map',
  };
}
