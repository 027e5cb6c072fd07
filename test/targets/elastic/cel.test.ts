/**
 * The CEL input stream template (`agent/stream/cel.yml.hbs`): its YAML shape once Fleet renders
 * it, where settings and secrets go, and the diagnostics for what the CEL input cannot do.
 * (The programs themselves run on mito in `test/engines/mito/`.)
 */
import { describe, expect, it } from 'vitest';
import type { AuthIR, CursorIR, IntegrationIR, PaginationIR, SourceIR } from '../../../compiler/ir.ts';
import { emitCelInput } from '../../../targets/elastic/cel.ts';
import { goLayout } from '../../../targets/elastic/cel/dates.ts';
import { MAX_BODY_BYTES, requestLabel } from '../../../targets/elastic/cel/failure.ts';
import { canonicalHeader } from '../../../targets/elastic/cel/program.ts';
import { compileError, evalOnce } from '../../engines/mito/mito.ts';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { renderConfig, renderTemplate } from '../../engines/mito/fleet.ts';
import { celIR, LOC, nv, secret, setting, t } from '../../support/ir.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';
import { datePatternFormat } from '../../../compiler/ir.ts';

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
  // The base URL setting `base_url` is the Fleet variable `url`, as elastic/integrations names it
  // (targets/elastic/vars.ts).
  const vars = {
    url: 'https://api.endorlabs.example',
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
    // retry { attempts 5 backoff 1s to 60s }; max_pages 200 (+2: the first run's initial cursor
    // and a pending error event; the program stops itself first).
    expect(config['resource.retry.max_attempts']).toBe(5);
    expect(config['resource.retry.wait_min']).toBe('1s');
    expect(config['resource.retry.wait_max']).toBe('60s');
    expect(config.max_executions).toBe(202);
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
    url: 'https://entro.example/api',
    interval: '1h',
    api_token: 'tok',
    tags: [],
  });

  it('keeps the raw token in state (redacted) and starts at today without a backfill setting', () => {
    expect(template).toContain('\nresource.url: {{url}}\n');
    expect(config['resource.url']).toBe('https://entro.example/api');
    expect(config.state).toEqual({ api_token: 'tok' });
    expect(config.redact).toEqual({ fields: ['api_token'] });
    expect(config.tags).toBeNull();
    expect(String(config.program)).toContain('"Authorization": [state["api_token"]]');
  });
});

describe('the HTTP client variables every package declares', () => {
  const { template } = emit(entro);
  const vars = { url: 'https://entro.example/api', interval: '1h', api_token: 'tok' };

  it('write no client option while unset', () => {
    const config = renderConfig(template, vars);
    for (const key of ['resource.proxy_url', 'resource.ssl', 'resource.timeout'])
      expect(config).not.toHaveProperty(key);
  });

  it('write resource.proxy_url, resource.ssl (a YAML variable) and resource.timeout when set', () => {
    const config = renderConfig(
      template,
      { ...vars, proxy_url: 'http://proxy.example:3128', http_client_timeout: '45s' },
      { yamlVars: { ssl: 'verification_mode: full\ncertificate_authorities:\n  - /etc/ca.pem\n' } },
    );
    expect(config['resource.proxy_url']).toBe('http://proxy.example:3128');
    expect(config['resource.ssl']).toEqual({ verification_mode: 'full', certificate_authorities: ['/etc/ca.pem'] });
    expect(config['resource.timeout']).toBe('45s');
  });

  it('are declared by the package; a setting of the same name is refused at the setting (E0400)', () => {
    const manifest = elasticBackend.emit(entro, {}).files.find((f) => f.path === 'manifest.yml')!.content;
    for (const name of ['proxy_url', 'ssl', 'http_client_timeout']) expect(manifest).toContain(`name: ${name}`);
    const clash = {
      ...entro,
      settings: entro.settings.map((s, i) => (i === 0 ? { ...s, name: 'ssl', loc: { ...s.loc, line: 77 } } : s)),
    };
    const out = elasticBackend.emit(clash, {});
    expect(out.files).toEqual([]);
    expect(out.diagnostics.map((d) => [d.code, d.primary.span.line, d.message])).toEqual([
      ['E0400', 77, 'the Elastic package declares its own variable ssl'],
    ]);
  });
});

describe('CEL input diagnostics and options', () => {
  it('maps retry counts the CEL input can express, and warns where it cannot', () => {
    const once = emit(celIR({ retry: { maxAttempts: 1, backoffBaseSeconds: 2, backoffMaxSeconds: 10 } }));
    expect(once.diagnostics.map((d) => d.code)).toEqual(['W0421', 'W0420']);
    expect(renderConfig(once.template, { base_url: 'http://x' })['resource.retry.max_attempts']).toBe(2);
    const none = emit(celIR({ retry: { maxAttempts: 0, backoffBaseSeconds: 1, backoffMaxSeconds: 1 } }));
    expect(none.diagnostics).toEqual([]);
    expect(renderConfig(none.template, { base_url: 'http://x' })['resource.retry.max_attempts']).toBe(1);
  });

  it('sets resource.rate_limit from requests_per_second and a fixed interval in seconds', () => {
    const { template } = emit(celIR({ rateLimit: { retryAfter: true, requestsPerSecond: 2.5 } }));
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
    const d = emit(celIR(source)).diagnostics.find((x) => x.code === 'E0420');
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
        format: datePatternFormat('dd MMM yyyy'),
        loc: LOC,
      },
      cursor: { kind: 'window', initial: { lookbackSeconds: 0 }, loc: LOC },
    };
    expect(codes(celIR(source))).toContain('E0421');
  });

  it('refuses a request URL that is neither a URL setting nor absolute (E0420)', () => {
    expect(codes(celIR({ request: { method: 'GET', url: t('/relative/path'), headers: [], query: [] } }))).toContain(
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
    const d = emit(celIR(source)).diagnostics.find((x) => x.code === 'E0420');
    expect(d?.message).toBe('placeholder {cursor} has no value in the data request');
  });

  it('stores a secret named like a reserved state key under cfg_', () => {
    const { template } = emit(celIR({ auth: { kind: 'bearer', secret: 'cursor', loc: LOC } }, ['cursor']));
    const config = renderConfig(template, { base_url: 'http://x', cursor: 'tok' });
    expect(config.state).toEqual({ cfg_cursor: 'tok' });
    expect(config.redact).toEqual({ fields: ['cfg_cursor'] });
  });

  it('keeps literal braces of the map out of Handlebars', () => {
    const { template } = emit(
      celIR({
        request: { method: 'GET', url: t(setting('base_url'), '/x'), headers: [nv('X-Q', t('{{a}}'))], query: [] },
      }),
    );
    // The second brace travels as a CEL escape: no `{{` (nor a `\{{` escape) is left for Handlebars.
    expect(String(renderConfig(template, { base_url: 'http://x' }).program)).toContain('"X-Q": ["{\\x7Ba}}"]');
    expect(template).not.toContain('{{a');
    expect(renderTemplate(template, { base_url: 'http://x' })).not.toContain('\\{{');
  });
});

describe('map text in the YAML options of cel.yml.hbs', () => {
  it('an absolute URL host is one quoted YAML value, whatever it holds', () => {
    const host = 'https://{{api_key}}"x\\y z';
    const { template, diagnostics } = emit(
      celIR({ request: { method: 'GET', url: t(`${host}/v1?a=b`), headers: [], query: [] } }, ['api_key']),
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const config = renderConfig(template, { api_key: 'SECRET' });
    expect(config['resource.url']).toBe(host);
    expect(JSON.stringify(config)).not.toContain('SECRET');
  });

  /** The OAuth2 stream of these tests, with `tokenUrl` text after the `base_url` setting and `scopes`. */
  const oauth2 = (tokenUrl: string, scopes: string[]): ReturnType<typeof emit> =>
    emit(
      celIR(
        {
          auth: {
            kind: 'oauth2_client_credentials',
            tokenUrl: t(setting('base_url'), tokenUrl),
            clientId: { kind: 'setting', name: 'base_url' },
            clientSecret: 'client_secret',
            scopes,
            loc: LOC,
          },
        },
        ['client_secret'],
      ),
    );

  /** mito's reading of the first CEL string literal of `program` that follows `prefix`. */
  const literalAfter = async (program: string, prefix: string): Promise<unknown> => {
    const at = program.indexOf(prefix);
    expect(at).toBeGreaterThanOrEqual(0);
    const literal = /^"(?:[^"\\]|\\.)*"/.exec(program.slice(at + prefix.length));
    expect(literal).not.toBeNull();
    const result = await evalOnce(literal![0], {});
    expect(result.ok).toBe(true);
    return result.ok ? result.value : undefined;
  };

  it('an OAuth2 token URL and scopes are CEL text in the program, never Fleet or Agent templates', async () => {
    const scopes = ['read {{client_secret}}', '\\{{{{client_secret}}}}', "it's"];
    const { template, diagnostics } = oauth2('/o\\{{client_secret}}/"token"', scopes);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const config = renderConfig(template, { base_url: 'https://login.example', client_secret: 'SECRET' });
    // The token request is made by the program (targets/elastic/cel/auth.ts), so the secret stays in state.
    expect(config['auth.oauth2']).toBeUndefined();
    const program = String(config.program);
    expect(program).not.toContain('SECRET');
    expect(await literalAfter(program, '"scope": [')).toBe(scopes.join(' '));
    expect(await literalAfter(program, 'state.url.trim_right("/") + ')).toBe('/o\\{{client_secret}}/"token"');
  });

  it('a private_key_jwt client is refused (E0420) at its auth, naming the fallback', () => {
    const { diagnostics } = emit(
      celIR(
        {
          auth: {
            kind: 'oauth2_client_credentials',
            tokenUrl: t(setting('base_url'), '/oauth2/v1/token'),
            clientId: { kind: 'setting', name: 'base_url' },
            privateKey: 'client_key',
            scopes: [],
            loc: LOC,
          },
        },
        ['client_key'],
      ),
    );
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([
      'E0420 the CEL program cannot sign the private_key_jwt client assertion of this OAuth2 client',
    ]);
    expect(errors[0]!.primary.span).toEqual(LOC);
    expect(errors[0]!.notes.join('\n')).toContain('mapc collect');
  });

  it('`${` in a scope or a token URL is carried as text and gives the Agent no variable', async () => {
    const { template, diagnostics } = oauth2('/${x}', ['${env.HOME}']);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const config = renderConfig(template, { base_url: 'https://login.example', client_secret: 'SECRET' });
    const program = String(config.program);
    expect(program).not.toContain('${');
    expect(await literalAfter(program, '"scope": [')).toBe('${env.HOME}');
    expect(await literalAfter(program, 'state.url.trim_right("/") + ')).toBe('/${x}');
  });
});

describe('date patterns as Go layouts', () => {
  it('translates the IR tokens and refuses what Go cannot read', () => {
    expect(goLayout(datePatternFormat('dd/MM/yyyy').pattern)).toEqual({ layout: '02/01/2006' });
    expect(goLayout(datePatternFormat('yyyy-MM-dd HH:mm:ss.SSS').pattern)).toEqual({
      layout: '2006-01-02 15:04:05.000',
    });
    expect(goLayout(datePatternFormat('HH:mm:ssSSS').pattern)).toEqual({
      error: 'SSS must follow "." or "," to be a Go fraction',
    });
    expect(goLayout(datePatternFormat('dd MMM yyyy').pattern)).toEqual({
      error: '"MMM" is not a supported field',
    });
  });

  it('canonicalises header names as Go does', () => {
    expect(canonicalHeader('x-ratelimit-REMAINING')).toBe('X-Ratelimit-Remaining');
    expect(canonicalHeader('Retry-After')).toBe('Retry-After');
  });
});

/** One of each auth kind, over the secrets `a` and `b`. */
const AUTHS: readonly AuthIR[] = [
  { kind: 'none' },
  { kind: 'header', header: 'X-Api-Key', secret: 'a', loc: LOC },
  { kind: 'bearer', secret: 'a', loc: LOC },
  { kind: 'basic', username: { kind: 'secret', name: 'a' }, password: 'b', loc: LOC },
  {
    kind: 'token_exchange',
    request: {
      method: 'POST',
      url: t(setting('base_url'), '/login'),
      headers: [],
      query: [],
      body: { kind: 'object', entries: [{ key: 'k', value: { kind: 'string', template: t(secret('a')) } }] },
    },
    tokenPath: ['token'],
    lifetimeSeconds: 600,
    expiresAtPath: ['expires'],
    renewBeforeSeconds: 60,
    header: nv('Authorization', t('Bearer ', { kind: 'token' })),
    loc: LOC,
  },
  {
    kind: 'oauth2_client_credentials',
    tokenUrl: t(setting('base_url'), '/token'),
    clientId: { kind: 'secret', name: 'a' },
    clientSecret: 'b',
    scopes: ['x'],
    loc: LOC,
  },
];

const PAGINATIONS: readonly PaginationIR[] = [
  { kind: 'none' },
  { kind: 'page_token', tokenPath: ['next'], param: { in: 'body', path: ['page', 'token'] }, loc: LOC },
  {
    kind: 'cursor_has_more',
    tokenPath: ['next'],
    hasMorePath: ['more'],
    param: { in: 'query', name: 'cursor' },
    loc: LOC,
  },
  {
    kind: 'page_number',
    param: { in: 'query', name: 'page' },
    start: 1,
    size: { param: { in: 'query', name: 'size' }, value: 50 },
    loc: LOC,
  },
  {
    kind: 'offset',
    offsetParam: { in: 'body', path: ['offset'] },
    limitParam: { in: 'body', path: ['limit'] },
    limit: 50,
    totalPath: ['total'],
    loc: LOC,
  },
  { kind: 'link_header', loc: LOC },
  { kind: 'time_window', stepSeconds: 3600, format: datePatternFormat('yyyy-MM-dd HH:mm'), loc: LOC },
];

const RECORD_MAX: CursorIR = {
  kind: 'record_max',
  field: ['ts'],
  format: { kind: 'unix_ms' },
  initial: { lookbackSeconds: 3600 },
  loc: LOC,
};

describe('CEL programs: every auth kind with every pagination and cursor', () => {
  const cases = AUTHS.flatMap((auth) =>
    PAGINATIONS.flatMap((pagination) =>
      (pagination.kind === 'time_window'
        ? [{ kind: 'window', initial: { setting: 'backfill_start', lookbackSeconds: 0 }, loc: LOC } as CursorIR]
        : [undefined, RECORD_MAX]
      ).map((cursor) => ({ auth, pagination, cursor })),
    ),
  );

  it(`compile on mito (${cases.length} combinations), POST bodies and split included`, async () => {
    const failures: string[] = [];
    for (const { auth, pagination, cursor } of cases) {
      const ir = celIR(
        {
          auth,
          pagination,
          ...(cursor ? { cursor } : {}),
          request: {
            method: 'POST',
            url: t(setting('base_url'), '/v1/events'),
            headers: [],
            query: [],
            body: { kind: 'object', entries: [{ key: 'n', value: { kind: 'number', value: 1 } }] },
          },
          split: { path: ['items'], loc: LOC },
          rateLimit: { retryAfter: true, remainingHeader: 'X-Left', resetHeader: 'X-Reset' },
        },
        ['a', 'b'],
      );
      const { template, diagnostics } = emit(ir);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const program = String(renderConfig(template, { base_url: 'http://x' }).program);
      const error = await compileError(program);
      if (error !== undefined) failures.push(`${auth.kind} × ${pagination.kind} × ${cursor?.kind ?? 'none'}: ${error}`);
    }
    expect(failures).toEqual([]);
  });

  it("never read the server's status text nor turn a response body into text", () => {
    for (const { auth, pagination } of cases.filter((c) => c.cursor === undefined)) {
      const program = emit(celIR({ auth, pagination }, ['a', 'b'])).template;
      // `Status` (the server's own reason phrase) never; `StatusCode` only.
      expect(program).not.toMatch(/\.Status\b(?!Code)/);
      // A body is only measured (`size`) or decoded as JSON, never converted to a string.
      const uses = program.match(/\.Body\b/g) ?? [];
      const allowed = program.match(/size\(\w+\.Body\)|bytes\(\w+\.Body\)\.decode_json\(\)/g) ?? [];
      expect(uses.length).toBeGreaterThan(0);
      expect(allowed).toHaveLength(uses.length);
    }
  });
});

describe('CEL input safety options', () => {
  const { template } = emit(endor);
  const config = renderConfig(template, {
    base_url: 'https://api.example',
    namespace: 'n',
    api_key: 'k',
    api_secret: 's',
  });

  it('refuses every redirect and bounds response bodies', () => {
    // beats cel `checkRedirect`: a hop beyond `max_redirects` is refused before it is sent.
    expect(config['resource.redirect.max_redirects']).toBe(0);
    expect(config['resource.max_body_size']).toBe(MAX_BODY_BYTES);
    expect(MAX_BODY_BYTES).toBe(64 * 1024 * 1024);
  });

  it('names requests in error events by method and URL template, without a query string', () => {
    expect(requestLabel('GET', t(setting('base_url'), '/v1/', setting('org'), '/audit?x=', { kind: 'cursor' }))).toBe(
      'GET {base_url}/v1/{org}/audit',
    );
    expect(requestLabel('POST', t('https://h.example/w/', { kind: 'window', edge: 'start' }))).toBe(
      'POST https://h.example/w/{window.start}',
    );
  });
});
