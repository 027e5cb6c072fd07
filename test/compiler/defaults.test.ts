/**
 * Shared stream defaults (`defaults { … }`, `compiler/defaults.ts`): a map written with them gives
 * the IR and the three targets' output of the same map written out per stream; the request merge;
 * the checks of the block (E0186, E0187, W0188) and of inherited items (pointing at the defaults).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { formatMap } from '../../dsl/format/index.ts';
import { elasticBackend } from '../../targets/elastic/index.ts';
import { logstashBackend } from '../../targets/logstash/index.ts';
import { vectorBackend } from '../../targets/vector/index.ts';
import { brief, check } from './helpers.ts';
import { at, mark, one, span } from './rules/support.ts';

const HEAD = `integration acme {
  title "Acme"
  vendor "Acme"
  version "0.1.0"
  description "Acme audit logs."
}
setting base_url: url = "https://api.acme.test"
setting backfill: timestamp
setting every: duration = "5m"
secret api_key
secret api_secret
`;

const AUTH = `auth token_exchange {
    request POST "{base_url}/v1/auth" {
      body { "key": secret.api_key, "secret": secret.api_secret }
    }
    token        token
    lifetime     4h
    header       "Authorization" = "Bearer {token}"
  }`;

const SHARED = `  paginate page_token {
    token next
    send  query "page_token"
  }
  records items
  cursor {
    max   created format iso8601
    start setting.backfill
  }
  retry {
    attempts 5
    backoff  1s to 60s
  }
  max_pages 200`;

function mapBlock(dataset: string): string {
  return `  map {
    namespace ${dataset}
    unmapped  keep
    id        uuid
    @timestamp = created | date(iso8601)
    event.kind = "event"
    event.id   = uuid
  }`;
}

/** Two streams, every item written out in each. */
const EXPANDED = `${HEAD}
stream audit {
  dataset  "acme.audit"
  interval setting.every
  ${AUTH}
  request GET "{base_url}/v1/audit" {
    header "Accept"     = "application/json"
    header "X-Trace"    = "audit"
    query  "sort"       = "created"
  }
${SHARED}
${mapBlock('acme.audit')}
}

stream alerts {
  dataset  "acme.alerts"
  interval 1m
  ${AUTH}
  request GET "{base_url}/v1/alerts" {
    header "Accept"     = "application/json"
    header "X-Trace"    = "alerts"
    query  "sort"       = "created"
    query  "severity"   = "high"
  }
${SHARED}
${mapBlock('acme.alerts')}
}
`;

/** The same integration with the shared items in `defaults`. */
const WITH_DEFAULTS = `${HEAD}
defaults {
  interval setting.every
  ${AUTH}
  request GET "{base_url}/v1/unused" {
    header "Accept"  = "application/json"
    header "x-trace" = "none"
    query  "sort"    = "created"
  }
${SHARED}
}

stream audit {
  dataset "acme.audit"
  request GET "{base_url}/v1/audit" {
    header "X-Trace" = "audit"
  }
${mapBlock('acme.audit')}
}

stream alerts {
  dataset  "acme.alerts"
  interval 1m
  request GET "{base_url}/v1/alerts" {
    header "X-Trace"  = "alerts"
    query  "severity" = "high"
  }
${mapBlock('acme.alerts')}
}
`;

function compile(text: string): IntegrationIR {
  const result = compileSource(text, 'acme.map');
  expect(brief(result.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
  return result.ir!;
}

/** The IR without its source spans (`loc`), which differ between two texts by construction. */
function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'loc')
      .map(([key, v]) => [key, withoutSpans(v)]),
  );
}

describe('defaults: the same integration as written out per stream', () => {
  const expanded = compile(EXPANDED);
  const shared = compile(WITH_DEFAULTS);

  it('gives the same IR (spans aside)', () => {
    expect(withoutSpans(shared)).toEqual(withoutSpans(expanded));
  });

  it('gives the same files on every target', () => {
    for (const backend of [elasticBackend, vectorBackend, logstashBackend]) {
      const a = backend.emit(expanded, {});
      const b = backend.emit(shared, {});
      expect(b.diagnostics.map((d) => d.code)).toEqual(a.diagnostics.map((d) => d.code));
      // Generated comments cite the map's line and column (`# acme.map:89:5 event.kind = ...`).
      const files = (r: typeof a) =>
        r.files.map((f) => [f.path, f.content.replace(/acme\.map:\d+:\d+/g, 'acme.map:L:C')]);
      expect(files(b)).toEqual(files(a));
    }
  });

  it('merges a stream request over the default one: headers by case-insensitive name, query by name', () => {
    const audit = shared.streams.find((s) => s.name === 'audit')!;
    expect(audit.source.request.url).toMatchObject({
      parts: [{ kind: 'setting', name: 'base_url' }, { kind: 'text' }],
    });
    expect(audit.source.request.headers.map((h) => h.name)).toEqual(['Accept', 'X-Trace']);
    const alerts = shared.streams.find((s) => s.name === 'alerts')!;
    expect(alerts.source.request.query.map((q) => q.name)).toEqual(['sort', 'severity']);
    expect(alerts.interval).toEqual({ kind: 'seconds', seconds: 60 });
    expect(audit.interval).toEqual({ kind: 'setting', name: 'every' });
  });

  it('gives a stream without its own request the default request whole, body included', () => {
    const text = WITH_DEFAULTS.replace(
      'GET "{base_url}/v1/unused" {',
      'POST "{base_url}/v1/all" {\n    body { "kind": "all" }',
    ).replace(/request GET "\{base_url\}\/v1\/audit" \{\n    header "X-Trace" = "audit"\n  \}\n/, '');
    const ir = compile(text);
    const audit = ir.streams.find((s) => s.name === 'audit')!;
    expect(audit.source.request.method).toBe('POST');
    expect(audit.source.request.body).toBeDefined();
    expect(audit.source.request.headers.map((h) => h.name)).toEqual(['Accept', 'x-trace']);
    // A stream with its own request has its own method, URL and body (here none): only headers and query merge.
    const alerts = ir.streams.find((s) => s.name === 'alerts')!;
    expect(alerts.source.request.method).toBe('GET');
    expect(alerts.source.request.body).toBeUndefined();
    expect(alerts.source.request.headers.map((h) => h.name)).toEqual(['Accept', 'X-Trace']);
  });
});

describe('defaults: checks', () => {
  const base = `${HEAD}
stream audit {
  dataset "acme.audit"
  request GET "{base_url}/v1/audit"
${mapBlock('acme.audit')}
}
`;

  it('lets a stream leave out the items the defaults give (no E0113)', () => {
    const text = `${base}\ndefaults {\n  interval 5m\n  auth bearer secret.api_key\n  records items\n}\n`;
    expect(brief(check(text).filter((d) => d.severity === 'error'))).toEqual([]);
    expect(brief(check(base)).some((d) => d.startsWith('E0113'))).toBe(true);
  });

  it('refuses a second defaults block (E0186) at its keyword, naming the first', () => {
    const text = `${base}\ndefaults {\n  interval 5m\n  records items\n}\ndefaults {\n  auth bearer secret.api_key\n}\n`;
    const d = one(text, 'E0186');
    expect(span(d)).toEqual(mark(text, 'defaults', { occurrence: 1 }));
    expect(d.secondary[0]!.span).toMatchObject({ line: Number(at(text, 'defaults').split(':')[0]) });
  });

  it.each([
    ['map', '  map {\n    event.kind = "event"\n  }'],
    ['record', '  record {\n    uuid string\n  }'],
    ['title', '  title "Shared"'],
    ['dataset', '  dataset "acme.x"'],
  ])('refuses %s inside defaults (E0187) at its keyword', (keyword, item) => {
    const text = `${base}\ndefaults {\n  interval 5m\n  auth bearer secret.api_key\n  records items\n${item}\n}\n`;
    const d = one(text, 'E0187');
    expect(d.message).toBe(`"${keyword}" cannot be a default: each stream gives its own`);
    const offset = text.lastIndexOf(`\n  ${keyword}`) + 3;
    const lines = text.slice(0, offset).split('\n');
    expect(span(d)).toEqual({ pos: `${lines.length}:${lines.at(-1)!.length + 1}`, length: keyword.length });
  });

  it('warns about a default that no stream inherits (W0188)', () => {
    const text = `${base.replace('  request GET', '  max_pages 5\n  interval 1m\n  auth bearer secret.api_key\n  records items\n  request GET')}\ndefaults {\n  max_pages 10\n}\n`;
    const d = one(text, 'W0188');
    expect(d.message).toBe('no stream inherits the default "max_pages"');
    expect(span(d)).toEqual(mark(text, 'max_pages 10', { length: 'max_pages'.length }));
  });

  it('reports a problem in an inherited item once, at the defaults text', () => {
    const two = `${base}\nstream alerts {\n  dataset "acme.alerts"\n  request GET "{base_url}/v1/alerts"\n${mapBlock('acme.alerts')}\n}\n`;
    const text = `${two}\ndefaults {\n  interval 5m\n  auth bearer secret.api_tokn\n  records items\n}\n`;
    const d = one(text, 'E0105');
    expect(d.primary.span.line).toBe(Number(at(text, 'secret.api_tokn').split(':')[0]));
  });
});

describe('defaults: mapc fmt', () => {
  it('lays a defaults block out like a stream and keeps its meaning', () => {
    const messy = WITH_DEFAULTS.replace(
      'defaults {\n  interval setting.every',
      'defaults   {\n interval    setting.every',
    );
    const formatted = formatMap(messy, 'acme.map');
    if (!formatted.ok) throw new Error('the map must format');
    expect(formatted.text).toContain('defaults {\n  interval setting.every\n');
    const again = formatMap(formatted.text, 'acme.map');
    expect(again.ok && again.text).toBe(formatted.text);
    expect(withoutSpans(compile(formatted.text))).toEqual(withoutSpans(compile(WITH_DEFAULTS)));
  });
});

describe('defaults: the example of docs/language.md', () => {
  it('compiles, with the request merge the text describes', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/language.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Shared stream items'));
    const example = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
    const map = () =>
      `map {\n    @timestamp = created | date(iso8601)\n    event.kind = "event"\n    event.id = uuid\n    id uuid\n  }`;
    const text = `${HEAD}setting interval: duration = "5m"\nsecret api_token\n${example.replace(/map \{ … \}/g, map)}`;
    const ir = compile(text);
    const audit = ir.streams.find((s) => s.name === 'audit')!;
    expect(audit.source.request.headers.map((h) => h.name)).toEqual(['Accept']);
    expect(audit.source.request.query).toMatchObject([
      { name: 'limit', value: { parts: [{ kind: 'text', text: '500' }] } },
    ]);
    const alerts = ir.streams.find((s) => s.name === 'alerts')!;
    expect(alerts.interval).toEqual({ kind: 'seconds', seconds: 60 });
    expect(alerts.source.request.query).toMatchObject([
      { name: 'limit', value: { parts: [{ kind: 'text', text: '100' }] } },
    ]);
  });
});
