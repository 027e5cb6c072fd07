/**
 * The native path: a stream that needs nothing http_poller lacks is polled by `http_poller`, its
 * records split by the split filter; checked with mustache and run through the evaluator against
 * the reference interpreter on the Entro fixture responses.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord, splitRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../../compiler/ir.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { fixtureCases, MUSTACHE, MUSTACHE_MISSING, runPollerPipeline } from '../../engines/logstash/support.ts';
import { loadFixtureIR, loadResponses } from '../../support/fixtures.ts';

const entro = loadFixtureIR('entro');
/** Entro without what http_poller lacks: one fixed request, no cursor, no retries, no Retry-After. */
const stateless: IntegrationIR = {
  ...entro,
  streams: entro.streams.map((s): StreamIR => ({
    ...s,
    source: {
      ...s.source,
      pagination: { kind: 'none' },
      cursor: undefined,
      retry: { ...s.source.retry, maxAttempts: 0 },
      rateLimit: { retryAfter: false },
      request: {
        ...s.source.request,
        query: [{ name: 'scope', value: { parts: [{ kind: 'text', text: 'all secrets' }] }, omitIfEmpty: false }],
      },
    },
  })),
};

describe('http_poller for a stream that needs nothing more', () => {
  const result = logstashBackend.emit(stateless, { fixtures: fixtureCases('entro', entro) });
  const conf = result.files.find((f) => f.path === 'entro-audit.conf')!.content;

  it('warns nothing, polls the fixed request with secrets as ${VAR}, and writes no LFV cases', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['entro-audit.conf', 'pipelines.yml', 'README.md']);
    expect(conf).toContain('"url" => "${ENTRO_BASE_URL}/v1/scan/auditLogs?scope=all%20secrets"');
    expect(conf).toContain('"Authorization" => "${ENTRO_API_TOKEN}"');
    expect(conf).toContain('"every" => "${ENTRO_INTERVAL:1h}"');
    expect(conf).not.toContain('exec {');
  });

  it('parses with mustache and is already in its format', () => {
    if (!existsSync(MUSTACHE)) throw new Error(MUSTACHE_MISSING);
    const file = join(mkdtempSync(join(tmpdir(), 'mapc-ls-poller-')), 'p.conf');
    writeFileSync(file, conf);
    expect(execFileSync(MUSTACHE, ['format', file], { encoding: 'utf8' })).toBe(conf);
  });

  it('every response element becomes the interpreter documents of its split records', () => {
    const stream = stateless.streams[0]!;
    let documents = 0;
    for (const body of loadResponses('entro', 'audit')) {
      for (const element of body as unknown[]) {
        const expected = splitRecord(stream.source.split, element).map((r) => {
          const m = mapRecord(stream, JSON.stringify(r), defaultSettings(stateless));
          return m.id === undefined ? { doc: m.doc } : { _id: m.id, doc: m.doc };
        });
        expect(runPollerPipeline(conf, element)).toEqual(expected);
        documents += expected.length;
      }
    }
    expect(documents).toBe(fixtureCases('entro', entro).get('audit')!.length);
  });

  it('drops a failed poll instead of mapping it', () => {
    expect(runPollerPipeline(conf, {})).toHaveLength(1);
    expect(runPollerPipeline(conf, {}, {}, { tags: ['_http_request_failure'] })).toEqual([]);
  });

  it('keeps a record whose split array is empty or missing as one event (split would cancel it)', () => {
    expect(runPollerPipeline(conf, { results: { request_id: 'r', secrets: [] }, date: '01/02/2024' })).toHaveLength(1);
    expect(runPollerPipeline(conf, { results: { request_id: 'r' }, date: '01/02/2024' })).toHaveLength(1);
  });
});
