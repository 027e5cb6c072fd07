/**
 * Small IRs for the auth × pagination matrix tests: one stream whose source is given, with a
 * `base_url` setting, a `backfill_start` timestamp setting and the named secrets.
 *
 * @module
 */
import type {
  IntegrationIR,
  NameValue,
  SecretIR,
  SettingIR,
  SourceIR,
  SourceSpan,
  Template,
  TemplatePart,
} from '../../../compiler/ir.ts';

export const LOC: SourceSpan = { file: 'maps/test.map', offset: 0, length: 0, line: 1, column: 1 };

/** A template from literal strings and placeholder parts. */
export function t(...parts: (string | TemplatePart)[]): Template {
  return { parts: parts.map((p) => (typeof p === 'string' ? { kind: 'text', text: p } : p)) };
}

export const setting = (name: string): TemplatePart => ({ kind: 'setting', name });
export const secret = (name: string): TemplatePart => ({ kind: 'secret', name });

export function nv(name: string, value: Template, omitIfEmpty = false): NameValue {
  return { name, value, omitIfEmpty };
}

function settingIR(name: string, type: SettingIR['type'], extra: Partial<SettingIR> = {}): SettingIR {
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

export const DEFAULT_SOURCE: SourceIR = {
  request: { method: 'GET', url: t(setting('base_url'), '/v1/events'), headers: [], query: [] },
  auth: { kind: 'none' },
  pagination: { kind: 'none' },
  records: ['data'],
  rateLimit: { retryAfter: true },
  retry: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 30 },
  maxPagesPerRun: 100,
  loc: LOC,
};

/** An integration `test` with one stream `events` built from `source` (over {@link DEFAULT_SOURCE}). */
export function testIR(
  source: Partial<SourceIR>,
  secrets: readonly string[] = [],
  settings: readonly SettingIR[] = [],
): IntegrationIR {
  const secretIRs: SecretIR[] = secrets.map((name) => ({
    name,
    title: name,
    description: '',
    envVar: `TEST_${name.toUpperCase()}`,
    loc: LOC,
  }));
  return {
    irVersion: 3,
    name: 'test',
    title: 'Test',
    vendor: 'Test',
    version: '0.1.0',
    description: 'test',
    ecsVersion: '9.4.0',
    settings: [settingIR('base_url', 'url', { required: true }), settingIR('backfill_start', 'timestamp'), ...settings],
    secrets: secretIRs,
    streams: [
      {
        name: 'events',
        title: 'Events',
        description: '',
        dataset: 'test.events',
        interval: { kind: 'seconds', seconds: 60 },
        source: { ...DEFAULT_SOURCE, ...source },
        mapping: { namespace: ['test', 'events'], keepUnmapped: true, rules: [], remove: [], consumed: [] },
        loc: LOC,
      },
    ],
    sourceFile: 'maps/test.map',
  };
}

export { settingIR };
