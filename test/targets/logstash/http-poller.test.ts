/**
 * The native path: a stream that needs nothing http_poller lacks is polled by `http_poller`, its
 * records split by the split filter; checked with mustache and run through the evaluator against
 * the reference interpreter on the Entro fixture responses. Its request text (URL, query, header,
 * JSON body) under the hostile corpus: refused at the literal, or read back as written after
 * Logstash's substitution, with only mapc's own `${VAR}`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord, splitRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../../compiler/ir.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { fixtureCases, MUSTACHE, MUSTACHE_MISSING, runPollerPipeline } from '../../emulated/logstash/support.ts';
import { loadFixtureIR, loadResponses } from '../../support/fixtures.ts';
import { substituteOption } from '../../emulated/logstash/interpolation.ts';
import { parseConfig } from '../../emulated/logstash/parse.ts';
import { CORE_HOSTILE } from '../../security/corpus.ts';

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

describe('http_poller request text: every hostile string is refused at its literal or sent as written', () => {
  const at = (line: number) => ({ file: 'x.map', offset: 0, length: 1, line, column: 3 });
  const text = (t: string, line: number) => ({ parts: [{ kind: 'text' as const, text: t }], loc: at(line) });
  /**
   * The stateless stream with `h` in its URL path, a query value, a header value, a JSON body
   * string, and as the scheme in front of the secret of its auth header (`"<h>{secret.api_token}"`).
   */
  const withText = (h: string): IntegrationIR => ({
    ...stateless,
    streams: stateless.streams.map((s): StreamIR => {
      const base = s.source.request.url.parts[0]!;
      return {
        ...s,
        source: {
          ...s.source,
          auth: {
            kind: 'header',
            header: 'Authorization',
            secret: 'api_token',
            value: {
              parts: [
                { kind: 'text', text: h },
                { kind: 'secret', name: 'api_token' },
              ],
              loc: at(14),
            },
            loc: at(14),
          },
          request: {
            method: 'POST',
            url: { parts: [base, { kind: 'text', text: `/v1/${h}` }], loc: at(10) },
            query: [{ name: 'q', value: text(h, 11), omitIfEmpty: false }],
            headers: [{ name: 'X-Note', value: text(h, 12), omitIfEmpty: false }],
            body: { kind: 'object', entries: [{ key: 'note', value: { kind: 'string', template: text(h, 13) } }] },
          },
        },
      };
    }),
  });
  const env = {
    ENTRO_BASE_URL: 'https://api.example',
    ENTRO_API_TOKEN: 'SECRET-TOKEN',
    ENTRO_INTERVAL: '1h',
    INJ_API_KEY: 'LEAK',
    HOME: 'LEAK',
  };
  const pollerStrings = (conf: string): string[] => {
    const input = parseConfig(conf).sections.find((x) => x.kind === 'input')!;
    const poller = input.body[0] as unknown as { attributes: { name: string; value: unknown }[] };
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      const value = v as { kind: string; text?: string; items?: unknown[]; entries?: { value: unknown }[] };
      if (value.kind === 'string') strings.push(value.text!);
      value.items?.forEach(walk);
      value.entries?.forEach((e) => walk(e.value));
    };
    poller.attributes.forEach((a) => walk(a.value));
    return strings;
  };

  it(`${CORE_HOSTILE.length} strings`, () => {
    const counts = { refused: 0, sent: 0 };
    for (const h of CORE_HOSTILE) {
      const { files, diagnostics } = logstashBackend.emit(withText(h), {});
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        for (const e of errors) expect([10, 11, 12, 13, 14], JSON.stringify(h)).toContain(e.primary.span.line);
        expect(errors.map((e) => e.code).every((c) => c === 'E0602' || c === 'E0603')).toBe(true);
        counts.refused++;
        continue;
      }
      counts.sent++;
      const conf = files.find((f) => f.path === 'entro-audit.conf')!.content;
      // Substituted as Logstash does at load: only mapc's own references, the text as written.
      const loaded = pollerStrings(conf).map((s) => substituteOption(s, { env }));
      const q = encodeURIComponent(h);
      expect(loaded, JSON.stringify(h)).toContain(`https://api.example/v1/${h}?q=${q}`);
      expect(loaded).toContain(h);
      expect(loaded).toContain(`{"note":${JSON.stringify(h)}}`);
      expect(loaded).toContain(`${h}SECRET-TOKEN`);
      expect(loaded.join('\n')).not.toContain('LEAK');
    }
    expect(counts.sent).toBeGreaterThan(100);
    expect(counts.refused).toBeGreaterThan(10);
  });
});

describe('http_poller JSON body with bare settings (IR JsonTemplate setting)', () => {
  /** The stateless stream posting `{"limit": setting.page_size, "verbose": setting.verbose, "region": setting.region, "q": "{page_size}"}`. */
  const typed: IntegrationIR = {
    ...stateless,
    settings: [
      ...stateless.settings,
      {
        name: 'page_size',
        type: 'int',
        title: 'Page size',
        description: '',
        required: false,
        default: 100,
        envVar: 'ENTRO_PAGE_SIZE',
        loc: stateless.settings[0]!.loc,
      },
      {
        name: 'verbose',
        type: 'bool',
        title: 'Verbose',
        description: '',
        required: true,
        envVar: 'ENTRO_VERBOSE',
        loc: stateless.settings[0]!.loc,
      },
      {
        name: 'region',
        type: 'string',
        title: 'Region',
        description: '',
        required: true,
        envVar: 'ENTRO_REGION',
        loc: stateless.settings[0]!.loc,
      },
    ],
    streams: stateless.streams.map((s): StreamIR => ({
      ...s,
      source: {
        ...s.source,
        request: {
          ...s.source.request,
          method: 'POST',
          body: {
            kind: 'object',
            entries: [
              { key: 'limit', value: { kind: 'setting', name: 'page_size' } },
              { key: 'verbose', value: { kind: 'setting', name: 'verbose' } },
              { key: 'region', value: { kind: 'setting', name: 'region' } },
              { key: 'q', value: { kind: 'string', template: { parts: [{ kind: 'setting', name: 'page_size' }] } } },
            ],
          },
        },
      },
    })),
  };

  it('an int or bool setting is spliced without quotes, any other as a JSON string; the body parses after substitution', () => {
    const { files, diagnostics } = logstashBackend.emit(typed, {});
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const conf = files.find((f) => f.path === 'entro-audit.conf')!.content;
    expect(conf).toContain(
      '{"limit":${ENTRO_PAGE_SIZE:100},"verbose":${ENTRO_VERBOSE},"region":"${ENTRO_REGION}","q":"${ENTRO_PAGE_SIZE:100}"}',
    );
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      const value = v as { kind: string; text?: string; items?: unknown[]; entries?: { value: unknown }[] };
      if (value.kind === 'string') strings.push(value.text!);
      value.items?.forEach(walk);
      value.entries?.forEach((e) => walk(e.value));
    };
    const input = parseConfig(conf).sections.find((x) => x.kind === 'input')!;
    (input.body[0] as unknown as { attributes: { value: unknown }[] }).attributes.forEach((a) => walk(a.value));
    const body = strings.find((x) => x.startsWith('{"limit"'))!;
    const env = {
      ENTRO_BASE_URL: 'https://api.example',
      ENTRO_API_TOKEN: 'T',
      ENTRO_INTERVAL: '1h',
      ENTRO_VERBOSE: 'true',
      ENTRO_REGION: '42',
    };
    expect(JSON.parse(substituteOption(body, { env }))).toEqual({ limit: 100, verbose: true, region: '42', q: '100' });
    expect(
      JSON.parse(substituteOption(body, { env: { ...env, ENTRO_PAGE_SIZE: '-5', ENTRO_VERBOSE: 'false' } })),
    ).toEqual({
      limit: -5,
      verbose: false,
      region: '42',
      q: '-5',
    });
  });
});
