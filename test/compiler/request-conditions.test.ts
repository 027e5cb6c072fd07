/**
 * Request items under a condition (`when window.complete`, `when setting.x`, `not`), the first
 * run's start (`cursor { start setting.<timestamp|duration> }`, `start 30d`) and the split
 * document-id warning (W0165): checks and lowering (docs/language.md, "Request conditions",
 * "Where the first run starts", "Further checks").
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { parseMap } from '../../dsl/index.ts';
import type { CursorIR, NameValue } from '../../compiler/ir.ts';
import { brief, check } from './helpers.ts';

interface Parts {
  readonly query?: string;
  readonly header?: string;
  readonly paginate?: string;
  readonly start?: string;
  readonly id?: string;
  readonly record?: string;
  readonly auth?: string;
}

/** A windowed, split stream (Entro-like); each part replaces one line. */
function windowed(p: Parts = {}): string {
  return `integration acme {
  title "Acme"
  vendor "Acme"
  version "0.1.0"
  description "Acme audit logs."
}
setting base_url: url = "https://api.acme.test"
setting backfill: timestamp
setting look_back: duration = "1440h"
setting open_ended: bool = false
setting tenant: string = "t1"
secret api_token
stream audit {
  dataset "acme.audit"
  interval 1h
  ${p.auth ?? 'auth header "Authorization" = secret.api_token'}
  request GET "{base_url}/v1/logs" {
    query "from" = "{window.start}"
    ${p.query ?? 'query "to" = "{window.end}" when window.complete'}
    ${p.header ?? ''}
  }
  ${p.paginate ?? 'paginate time_window { step 1d format "dd/MM/yyyy" }'}
  records $
  split results.items
  cursor { ${p.start ?? 'start setting.look_back'} }
  map {
    @timestamp = date | date("dd/MM/yyyy")
    event.id = results.id
    id ${p.id ?? 'results.id, date, results.items.kind, results.items.value'}
  }
  record {
    results.id string
    date string format "dd/MM/yyyy"
    ${p.record ?? 'results.items.kind string\n    results.items.value string\n    results.items.note string optional'}
  }
}
`;
}

const codes = (source: string) => brief(check(source)).filter((d) => !d.startsWith('W0143'));

function compiled(source: string) {
  const result = compileSource(source, 'acme.map');
  expect(brief(result.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
  return result.ir!.streams[0]!;
}

describe('request conditions: checks', () => {
  it('window.complete on a time-window stream, a bool setting and not are accepted', () => {
    expect(codes(windowed())).toEqual([]);
    expect(codes(windowed({ header: 'header "X-Open" = "yes" when not setting.open_ended' }))).toEqual([]);
    expect(codes(windowed({ query: 'query "to" = "{window.end}" when not not window.complete' }))).toEqual([]);
  });

  it('an unknown condition is E0166 with a did-you-mean', () => {
    const d = check(windowed({ query: 'query "to" = "{window.end}" when window.completed' }));
    expect(brief(d).filter((x) => x.startsWith('E0166'))).toEqual([
      'E0166 19:38 unknown request condition window.completed',
    ]);
    expect(d.find((x) => x.code === 'E0166')?.notes).toContain('help: did you mean window.complete?');
  });

  it('window.complete without time_window pagination is E0166', () => {
    const source = windowed({
      paginate: '',
      query: 'query "to" = "x" when window.complete',
      start: 'max date format iso8601',
    });
    expect(brief(check(source)).filter((x) => x.startsWith('E0166'))).toEqual([
      'E0166 19:27 window.complete needs time_window pagination',
    ]);
  });

  it('window.complete in an auth request is E0166', () => {
    const auth = `auth token_exchange { request POST "{base_url}/login" { header "X-W" = "1" when window.complete body { "k": secret.api_token } } token t lifetime 1h header "Authorization" = "Bearer {token}" }`;
    expect(brief(check(windowed({ auth }))).filter((x) => x.startsWith('E0166'))).toEqual([
      'E0166 16:83 window.complete has no value in an auth request',
    ]);
  });

  it('a setting condition must name a bool setting (E0110)', () => {
    const d = check(windowed({ header: 'header "X-T" = "1" when setting.tenant' }));
    expect(brief(d).filter((x) => x.startsWith('E0110'))).toEqual([
      'E0110 20:29 setting tenant is a string, but a request `when` condition needs a bool',
    ]);
  });
});

describe('request conditions: syntax', () => {
  it('a condition that is not a word, a setting or not is E0004 naming the forms', () => {
    const parsed = parseMap(windowed({ query: 'query "to" = "{window.end}" when "complete"' }), 'test.map');
    expect(brief(parsed.diagnostics)).toEqual([
      'E0004 19:38 expected a request condition (window.complete, setting.NAME or not ...), found the string "complete"',
    ]);
  });
});

describe('cursor start: checks', () => {
  it('accepts a timestamp setting, a duration setting and a literal duration', () => {
    expect(codes(windowed({ start: 'start setting.backfill' }))).toEqual([]);
    expect(codes(windowed({ start: 'start setting.look_back' }))).toEqual([]);
    expect(codes(windowed({ start: 'start 30d' }))).toEqual([]);
  });
  it('refuses a setting of another type (E0110)', () => {
    expect(codes(windowed({ start: 'start setting.tenant' }))).toEqual([
      'E0110 25:18 setting tenant is a string, but `cursor start` needs a timestamp or duration',
    ]);
  });
});

describe('split document ids (W0165)', () => {
  it('is quiet when the id reads every required scalar field of the element', () => {
    expect(codes(windowed())).toEqual([]);
  });
  it('names the required fields of the element the id does not read (optional ones excepted)', () => {
    const d = check(windowed({ id: 'results.id, date, results.items.kind' }));
    expect(brief(d)).toContain(
      'W0165 29:5 the document id cannot tell apart two elements of results.items that differ only in results.items.value',
    );
    expect(d.find((x) => x.code === 'W0165')?.secondary.map((s) => s.span.line)).toEqual([35]);
  });
  it('warns when the id reads nothing of the split element', () => {
    expect(codes(windowed({ id: 'results.id, date' }))).toEqual([
      'W0165 29:5 the document id reads nothing of the split element results.items',
    ]);
  });
  it('a parent of the element in the id reads all of it', () => {
    expect(codes(windowed({ id: 'results.id, date, results.items' }))).toEqual([]);
  });
  it('fires on the Entro map without exposed_value in its id', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync('maps/entro.map', 'utf8').replace(', results.secrets.exposed_value\n', '\n');
    expect(brief(check(source)).filter((x) => x.startsWith('W0165'))).toEqual([
      expect.stringMatching(/^W0165 \d+:5 .* differ only in results\.secrets\.exposed_value$/),
    ]);
  });
});

describe('lowering', () => {
  const query = (items: readonly NameValue[], name: string) => items.find((q) => q.name === name)!;

  it('window.complete, setting and not become RequestConditionIR', () => {
    const stream = compiled(
      windowed({
        query: 'query "to" = "{window.end}" when not not window.complete',
        header: 'header "X-Open" = "yes" optional when not setting.open_ended',
      }),
    );
    expect(query(stream.source.request.query, 'from').when).toBeUndefined();
    expect(query(stream.source.request.query, 'to').when).toEqual({
      kind: 'not',
      operand: { kind: 'not', operand: { kind: 'window_complete' } },
    });
    expect(query(stream.source.request.headers, 'X-Open')).toMatchObject({
      omitIfEmpty: true,
      when: { kind: 'not', operand: { kind: 'setting', name: 'open_ended' } },
    });
  });

  it('cursor start: a timestamp setting, a duration setting, a literal look-back, nothing', () => {
    const initial = (start: string) => (compiled(windowed({ start })).source.cursor as CursorIR).initial;
    expect(initial('start setting.backfill')).toEqual({ setting: 'backfill', lookbackSeconds: 0 });
    expect(initial('start setting.look_back')).toEqual({ lookbackSetting: 'look_back', lookbackSeconds: 0 });
    expect(initial('start 30d')).toEqual({ lookbackSeconds: 30 * 86_400 });
    expect(initial('')).toEqual({ lookbackSeconds: 0 });
  });
});
