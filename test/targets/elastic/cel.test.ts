/**
 * The CEL input stream template (`agent/stream/cel.yml.hbs`): its YAML shape once Fleet renders
 * it, where settings and secrets go, and the diagnostics for what the CEL input cannot do.
 * (The programs themselves run on mito in `test/engines/mito/`.)
 */
import { describe, expect, it } from 'vitest';
import type { IntegrationIR, SourceIR } from '../../../compiler/ir.ts';
import { emitCelInput } from '../../../targets/elastic/cel.ts';
import { goLayout } from '../../../targets/elastic/cel/dates.ts';
import { canonicalHeader } from '../../../targets/elastic/cel/program.ts';
import { evalOnce } from '../../engines/mito/mito.ts';
import { renderConfig, renderTemplate } from '../../engines/mito/fleet.ts';
import { LOC, nv, setting, t, testIR } from '../../engines/mito/ir-builder.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';

const endor = loadFixtureIR('endor_labs');
const entro = loadFixtureIR('entro');

function emit(ir: IntegrationIR) {
  return emitCelInput(ir, ir.streams[0]!);
}

function codes(ir: IntegrationIR): string[] {
  return emit(ir).diagnostics.map((d) => d.code);
}

describe('Endor Labs cel.yml.hbs', () => {
  const { template, diagnostics } = emit(endor);
  const vars = {
    base_url: 'https://api.endorlabs.example',
    namespace: 'acme-corp',
    backfill_start: '2024-11-01T00:00:00Z',
    interval: '5m',
    api_key: "k'ey: #1",
    api_secret: 'not-a-real-secret',
    preserve_original_event: true,
    tags: ['forwarded', 'endor_labs-audit'],
  };
  const config = renderConfig(template, vars);

  it('holds the input options from the IR', () => {
    expect(config.config_version).toBe(2);
    expect(config.interval).toBe('5m');
    expect(config['resource.url']).toBe('https://api.endorlabs.example');
    // retry { attempts 5 backoff 1s to 60s }; max_pages 200 (+1: the program stops itself first).
    expect(config['resource.retry.max_attempts']).toBe(5);
    expect(config['resource.retry.wait_min']).toBe('1s');
    expect(config['resource.retry.wait_max']).toBe('60s');
    expect(config.max_executions).toBe(201);
    expect(config).not.toHaveProperty('resource.rate_limit.limit');
  });

  it('passes settings and secrets through Fleet variables and redacts every secret key and the token cache', () => {
    expect(config.state).toEqual({
      namespace: 'acme-corp',
      backfill_start: '2024-11-01T00:00:00Z',
      api_key: "k'ey: #1",
      api_secret: 'not-a-real-secret',
    });
    expect(config.redact).toEqual({ fields: ['api_key', 'api_secret', 'auth'] });
    expect(template).toContain('  api_key: {{escape_string api_key}}\n  api_secret: {{escape_string api_secret}}\n');
    // The program reads secrets from state only.
    expect(String(config.program)).not.toContain('not-a-real-secret');
    expect(String(config.program)).toContain('state["api_secret"]');
  });

  it('leaves an unset optional setting out of state', () => {
    const { backfill_start: _unused, ...rest } = vars;
    expect(renderConfig(template, rest).state).not.toHaveProperty('backfill_start');
  });

  it('has the standard tags and processors blocks, with the control-event drop first', () => {
    expect(config.tags).toEqual(['preserve_original_event', 'forwarded', 'endor_labs-audit']);
    expect(config['publisher_pipeline.disable_host']).toBe(true);
    expect(config.processors).toEqual([{ drop_event: { when: { has_fields: ['mapc_control'] } } }]);
    const withUser = renderConfig(template, {
      ...vars,
      tags: [],
      preserve_original_event: false,
      processors: '- add_fields:\n    target: x\n    fields:\n      a: 1',
    });
    expect(withUser.tags).toBeNull();
    expect(withUser).not.toHaveProperty('publisher_pipeline.disable_host');
    expect(withUser.processors).toEqual([
      { drop_event: { when: { has_fields: ['mapc_control'] } } },
      { add_fields: { target: 'x', fields: { a: 1 } } },
    ]);
  });

  it('warns that retries have no jitter, and nothing else', () => {
    expect(diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['W0420', 'warning', 'retries on 429, 5xx and network errors use exponential backoff without jitter'],
    ]);
    expect(diagnostics[0]!.primary.span.line).toBe(72);
  });

  it('compiles on mito', async () => {
    const r = await evalOnce(String(config.program), {});
    // With no state the program fails at run time (no state.url), never at compilation.
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).not.toMatch(/failed compilation/);
  });
});

describe('Entro cel.yml.hbs', () => {
  const { template } = emit(entro);
  const config = renderConfig(template, {
    base_url: 'https://entro.example/api',
    interval: '1h',
    api_token: 'tok',
    tags: [],
  });

  it('keeps the raw token in state (redacted) and starts at today without a backfill setting', () => {
    expect(config['resource.url']).toBe('https://entro.example/api');
    expect(config.state).toEqual({ api_token: 'tok' });
    expect(config.redact).toEqual({ fields: ['api_token'] });
    expect(config.tags).toBeNull();
    expect(String(config.program)).toContain('"Authorization": [state["api_token"]]');
  });
});

describe('CEL input diagnostics and options', () => {
  it('maps retry counts the CEL input can express, and warns where it cannot', () => {
    const once = emit(testIR({ retry: { maxAttempts: 1, backoffBaseSeconds: 2, backoffMaxSeconds: 10 } }));
    expect(once.diagnostics.map((d) => d.code)).toEqual(['W0421', 'W0420']);
    expect(renderConfig(once.template, { base_url: 'http://x' })['resource.retry.max_attempts']).toBe(2);
    const none = emit(testIR({ retry: { maxAttempts: 0, backoffBaseSeconds: 1, backoffMaxSeconds: 1 } }));
    expect(none.diagnostics).toEqual([]);
    expect(renderConfig(none.template, { base_url: 'http://x' })['resource.retry.max_attempts']).toBe(1);
  });

  it('sets resource.rate_limit from requests_per_second and a fixed interval in seconds', () => {
    const { template } = emit(testIR({ rateLimit: { retryAfter: true, requestsPerSecond: 2.5 } }));
    const config = renderConfig(template, { base_url: 'http://x' });
    expect(config['resource.rate_limit.limit']).toBe(2.5);
    expect(config['resource.rate_limit.burst']).toBe(1);
    expect(config.interval).toBe('60s');
  });

  it('refuses a record_max cursor with time windows (E0420 at the cursor)', () => {
    const source: Partial<SourceIR> = {
      pagination: { kind: 'time_window', stepSeconds: 86400, format: { kind: 'iso8601' }, loc: LOC },
      cursor: {
        kind: 'record_max',
        field: ['ts'],
        format: { kind: 'iso8601' },
        initial: { lookbackSeconds: 0 },
        loc: { ...LOC, line: 9, column: 3 },
      },
    };
    const d = emit(testIR(source)).diagnostics.find((x) => x.code === 'E0420');
    expect(d?.severity).toBe('error');
    expect(d?.primary.span.line).toBe(9);
  });

  it('refuses a window date pattern with no Go layout (E0421)', () => {
    const source: Partial<SourceIR> = {
      request: {
        method: 'GET',
        url: t(setting('base_url'), '/x'),
        headers: [],
        query: [nv('from', t({ kind: 'window', edge: 'start' }))],
      },
      pagination: {
        kind: 'time_window',
        stepSeconds: 3600,
        format: { kind: 'pattern', pattern: 'dd MMM yyyy' },
        loc: LOC,
      },
      cursor: { kind: 'window', initial: { lookbackSeconds: 0 }, loc: LOC },
    };
    expect(codes(testIR(source))).toContain('E0421');
  });

  it('refuses a request URL that is neither a URL setting nor absolute (E0420)', () => {
    expect(codes(testIR({ request: { method: 'GET', url: t('/relative/path'), headers: [], query: [] } }))).toContain(
      'E0420',
    );
  });

  it('reports a placeholder with no value in the data request (E0420)', () => {
    const source: Partial<SourceIR> = {
      request: {
        method: 'GET',
        url: t(setting('base_url'), '/x'),
        headers: [],
        query: [nv('since', t({ kind: 'cursor' }))],
      },
    };
    const d = emit(testIR(source)).diagnostics.find((x) => x.code === 'E0420');
    expect(d?.message).toBe('placeholder {cursor} has no value in the data request');
  });

  it('stores a secret named like a reserved state key under cfg_', () => {
    const { template } = emit(testIR({ auth: { kind: 'bearer', secret: 'cursor', loc: LOC } }, ['cursor']));
    const config = renderConfig(template, { base_url: 'http://x', cursor: 'tok' });
    expect(config.state).toEqual({ cfg_cursor: 'tok' });
    expect(config.redact).toEqual({ fields: ['cfg_cursor'] });
  });

  it('keeps literal braces of the map out of Handlebars', () => {
    const { template } = emit(
      testIR({
        request: { method: 'GET', url: t(setting('base_url'), '/x'), headers: [nv('X-Q', t('{{a}}'))], query: [] },
      }),
    );
    // Braces travel as CEL escapes: no `{{` (nor a `\{{` escape) is left for Handlebars.
    expect(String(renderConfig(template, { base_url: 'http://x' }).program)).toContain(
      '"X-Q": ["\\x7B\\x7Ba\\x7D\\x7D"]',
    );
    expect(template).not.toContain('{{a');
    expect(renderTemplate(template, { base_url: 'http://x' })).not.toContain('\\{{');
  });
});

describe('map text in the YAML options of cel.yml.hbs', () => {
  it('an absolute URL host is one quoted YAML value, whatever it holds', () => {
    const host = 'https://{{api_key}}"x\\y z';
    const { template, diagnostics } = emit(
      testIR({ request: { method: 'GET', url: t(`${host}/v1?a=b`), headers: [], query: [] } }, ['api_key']),
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const config = renderConfig(template, { api_key: 'SECRET' });
    expect(config['resource.url']).toBe(host);
    expect(JSON.stringify(config)).not.toContain('SECRET');
  });

  it('an OAuth2 token URL keeps its Fleet variable and its text, and scopes are text', () => {
    const { template } = emit(
      testIR(
        {
          auth: {
            kind: 'oauth2_client_credentials',
            tokenUrl: t(setting('base_url'), '/o\\{{client_secret}}/"token"'),
            clientId: { kind: 'setting', name: 'base_url' },
            clientSecret: 'client_secret',
            scopes: ['read {{client_secret}}', '\\{{{{client_secret}}}}', "it's"],
            loc: LOC,
          },
        },
        ['client_secret'],
      ),
    );
    const config = renderConfig(template, { base_url: 'https://login.example', client_secret: 'SECRET' });
    expect(config['auth.oauth2']).toEqual({
      'client.id': 'https://login.example',
      'client.secret': 'SECRET',
      token_url: 'https://login.example/o\\{{client_secret}}/"token"',
      scopes: ['read {{client_secret}}', '\\{{{{client_secret}}}}', "it's"],
    });
  });

  it('refuses `${` in a scope at the scope, and in a token URL at the URL', () => {
    const scopeLoc = { ...LOC, line: 7, column: 3 };
    const urlLoc = { ...LOC, line: 5, column: 9 };
    const attempt = (tokenUrl: string, scope: string) => () =>
      emit(
        testIR(
          {
            auth: {
              kind: 'oauth2_client_credentials',
              tokenUrl: { ...t(setting('base_url'), tokenUrl), loc: urlLoc },
              clientId: { kind: 'setting', name: 'base_url' },
              clientSecret: 'client_secret',
              scopes: [scope],
              scopeLocs: [scopeLoc],
              loc: LOC,
            },
          },
          ['client_secret'],
        ),
      );
    expect(attempt('/token', '${env.HOME}')).toThrow(expect.objectContaining({ code: 'E0403', span: scopeLoc }));
    expect(attempt('/${x}', 'read')).toThrow(expect.objectContaining({ code: 'E0403', span: urlLoc }));
  });
});

describe('date patterns as Go layouts', () => {
  it('translates the IR tokens and refuses what Go cannot read', () => {
    expect(goLayout('dd/MM/yyyy')).toEqual({ layout: '02/01/2006' });
    expect(goLayout('yyyy-MM-dd HH:mm:ss.SSS')).toEqual({ layout: '2006-01-02 15:04:05.000' });
    expect(goLayout('HH:mm:ssSSS')).toEqual({ error: 'SSS must follow "." or "," to be a Go fraction' });
    expect(goLayout('dd MMM yyyy')).toEqual({
      error: '"M" at position 6 is neither a supported token nor punctuation',
    });
  });

  it('canonicalises header names as Go does', () => {
    expect(canonicalHeader('x-ratelimit-REMAINING')).toBe('X-Ratelimit-Remaining');
    expect(canonicalHeader('Retry-After')).toBe('Retry-After');
  });
});
