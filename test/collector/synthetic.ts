/**
 * Small synthetic integrations for the pagination and auth kinds no vendor map uses: an IR built
 * by hand (one stream `logs`, records under `data`, cursor `record_max` on `ts`) and the matching
 * mock scenario.
 *
 * @module
 */
import type {
  AuthIR,
  CursorIR,
  IntegrationIR,
  JsonTemplate,
  NameValue,
  PaginationIR,
  RateLimitIR,
  RetryIR,
  SourceSpan,
  Template,
} from '../../compiler/ir.ts';
import { normalizeScenario, type MockScenario } from '../mock-api/scenario.ts';

export const LOC: SourceSpan = { file: 'synthetic.map', offset: 0, length: 0, line: 1, column: 1 };

/** Seven records with ascending timestamps: `{id: "r1", ts: "2024-05-01T00:01:00.000001Z"}` ... */
export const RECORDS = Array.from({ length: 7 }, (_, i) => ({
  id: `r${i + 1}`,
  ts: `2024-05-01T00:0${i + 1}:00.00000${i + 1}Z`,
  msg: `event ${i + 1}`,
}));

const text = (t: string): Template => ({ parts: [{ kind: 'text', text: t }] });
const cursorTemplate: Template = { parts: [{ kind: 'cursor' }] };

export interface SyntheticOptions {
  readonly pagination: PaginationIR;
  readonly auth?: AuthIR;
  /** Where the cursor travels: `since` query parameter (GET) or `filter.since` in a POST body. */
  readonly cursorIn?: 'query' | 'body';
  readonly secrets?: readonly string[];
  readonly settings?: readonly { name: string; type: 'string' | 'timestamp' | 'url' }[];
  readonly rateLimit?: RateLimitIR;
  readonly retry?: RetryIR;
  readonly maxPagesPerRun?: number;
  /** Replaces the default `record_max` cursor on `ts` (`null`: no cursor). */
  readonly cursor?: CursorIR | null;
  /** Replaces the default query (`since={cursor}`). */
  readonly query?: readonly NameValue[];
}

export function syntheticIR(o: SyntheticOptions): IntegrationIR {
  const cursorIn = o.cursorIn ?? 'query';
  const query: readonly NameValue[] =
    o.query ?? (cursorIn === 'query' ? [{ name: 'since', value: cursorTemplate, omitIfEmpty: false }] : []);
  const body: JsonTemplate | undefined =
    cursorIn === 'body'
      ? {
          kind: 'object',
          entries: [
            {
              key: 'filter',
              value: {
                kind: 'object',
                entries: [{ key: 'since', value: { kind: 'string', template: cursorTemplate } }],
              },
            },
          ],
        }
      : undefined;
  const settings = [
    { name: 'base_url', type: 'url' as const },
    { name: 'start', type: 'timestamp' as const },
    ...(o.settings ?? []),
  ];
  return {
    irVersion: 3,
    name: 'synthetic',
    title: 'Synthetic',
    vendor: 'Synthetic',
    version: '0.1.0',
    description: 'test integration',
    ecsVersion: '9.4.0',
    settings: settings.map((s) => ({
      name: s.name,
      type: s.type,
      title: s.name,
      description: '',
      required: s.name === 'base_url',
      envVar: `SYNTHETIC_${s.name.toUpperCase()}`,
      loc: LOC,
    })),
    secrets: (o.secrets ?? []).map((name) => ({
      name,
      title: name,
      description: '',
      envVar: `SYNTHETIC_${name.toUpperCase()}`,
      loc: LOC,
    })),
    streams: [
      {
        name: 'logs',
        title: 'Logs',
        description: '',
        dataset: 'synthetic.logs',
        interval: { kind: 'seconds', seconds: 60 },
        source: {
          request: {
            method: cursorIn === 'body' ? 'POST' : 'GET',
            url: {
              parts: [
                { kind: 'setting', name: 'base_url' },
                { kind: 'text', text: '/logs' },
              ],
            },
            headers: [{ name: 'Accept', value: text('application/json'), omitIfEmpty: false }],
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
                  loc: LOC,
                },
              }),
          rateLimit: o.rateLimit ?? { retryAfter: true },
          retry: o.retry ?? { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 30 },
          maxPagesPerRun: o.maxPagesPerRun ?? 100,
          loc: LOC,
        },
        mapping: { namespace: ['synthetic', 'logs'], keepUnmapped: true, rules: [], remove: [], consumed: [] },
        loc: LOC,
      },
    ],
    sourceFile: 'synthetic.map',
  };
}

/** Splits records into pages of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A mock scenario for {@link syntheticIR}'s stream: `/logs`, records under `data`, the `since` filter. */
export function syntheticScenario(input: Record<string, unknown>, cursorIn: 'query' | 'body' = 'query'): MockScenario {
  return normalizeScenario({
    path: '/logs',
    method: cursorIn === 'body' ? 'POST' : 'GET',
    recordsPath: 'data',
    since: { param: cursorIn === 'body' ? { in: 'body', path: ['filter', 'since'] } : 'since', field: 'ts' },
    settings: { start: '2024-04-30T00:00:00Z' },
    ...input,
  });
}
