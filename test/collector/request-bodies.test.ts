/**
 * `mapc collect` sending JSON bodies with typed settings (IR `JsonTemplate` `setting`): the mock
 * API sees the exact request bodies.
 */
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../collector/request.ts';
import { renderJson } from '../../collector/template.ts';
import { normalizeScenario, startMockApi } from '../mock-api/server.ts';
import { eventsIR, eventsScenario, FIRST_BODY_DEFAULTS } from '../support/request-bodies.ts';
import { fakeClock, run, tempStateFile } from './harness.ts';

describe('renderJson with bare settings', () => {
  it('an int setting is a JSON number, a bool a boolean, any other a string; a quoted placeholder stays text', () => {
    const body = renderJson(
      {
        kind: 'object',
        entries: [
          { key: 'n', value: { kind: 'setting', name: 'n' } },
          { key: 'b', value: { kind: 'setting', name: 'b' } },
          { key: 's', value: { kind: 'setting', name: 's' } },
          { key: 'q', value: { kind: 'string', template: { parts: [{ kind: 'setting', name: 'n' }] } } },
        ],
      },
      { settings: { n: -7, b: true, s: '42' } },
    );
    expect(JSON.stringify(body)).toBe('{"n":-7,"b":true,"s":"42","q":"-7"}');
  });

  it('a bare setting without a value is E0807 (the checks make it required or defaulted, E0173)', () => {
    expect(() => renderJson({ kind: 'setting', name: 'gone' }, { settings: {} })).toThrow(
      'setting gone in the JSON body has no value',
    );
  });

  it('buildRequest sends the typed values of the compiled map', () => {
    const ir = eventsIR();
    const req = buildRequest(
      ir.streams[0]!.source.request,
      { settings: { base_url: 'https://h.example', page_size: 25, verbose: true, region: 'eu', interval: '1m' } },
      [],
    );
    expect(req.body).toBe(
      '{"limit":25,"verbose":true,"region":"eu","tags":["1m","25"],"start":"2024-01-01T00:00:00Z"}',
    );
  });
});

describe('mapc collect: typed settings in the body on the mock API', () => {
  const runOnce = async (sets: Record<string, string>, env: Record<string, string> = {}) => {
    const ir = eventsIR();
    const scenario = normalizeScenario(eventsScenario());
    const api = await startMockApi(scenario);
    try {
      const envWithSecret = { ACME_API_TOKEN: scenario.credentials.api_token!, ...env };
      const out = await run({
        ir,
        scenario,
        api,
        clock: fakeClock(Date.parse('2024-05-02T00:00:00Z')),
        sets,
        env: envWithSecret,
      });
      expect(out.result.exitCode, out.stderr).toBe(0);
      expect(out.events).toHaveLength(2);
      return api.requests.filter((r) => r.endpoint === 'data').map((r) => r.body);
    } finally {
      await api.close();
    }
  };

  it('defaults: limit 100 as a number, verbose false; later pages add the cursor to the same body', async () => {
    const bodies = await runOnce({ region: 'eu' });
    expect(bodies).toEqual([
      JSON.stringify(FIRST_BODY_DEFAULTS),
      JSON.stringify({ ...FIRST_BODY_DEFAULTS, cursor: 'c2' }),
    ]);
  });

  it('values from --set and from the environment are read per type', async () => {
    const bodies = await runOnce({ region: '7', page_size: '250' }, { ACME_VERBOSE: 'true' });
    expect(JSON.parse(bodies[0]!)).toEqual({
      ...FIRST_BODY_DEFAULTS,
      limit: 250,
      verbose: true,
      region: '7',
      tags: ['5m', '250'],
    });
  });
});

describe('mapc collect: the body of the pages after the first (send body PATH replace)', () => {
  const REPLACE = 'send     body cursor replace';

  it('buildRequest: the first page sends the request body, a later page exactly {"cursor": token}', () => {
    const source = eventsIR(REPLACE).streams[0]!.source;
    const param = source.pagination.kind === 'cursor_has_more' ? source.pagination.param : undefined;
    expect(param).toEqual({ in: 'body', path: ['cursor'], replace: true });
    const ctx = {
      settings: { base_url: 'https://h.example', page_size: 25, verbose: true, region: 'eu', interval: '1m' },
    };
    expect(buildRequest(source.request, ctx, []).body).toBe(
      '{"limit":25,"verbose":true,"region":"eu","tags":["1m","25"],"start":"2024-01-01T00:00:00Z"}',
    );
    const later = buildRequest(source.request, ctx, [{ at: param!, value: 'c2' }]);
    expect(later.body).toBe('{"cursor":"c2"}');
    expect(later.headers['Content-Type']).toBe('application/json');
    // A nested path builds its objects.
    expect(
      buildRequest(source.request, ctx, [{ at: { in: 'body', path: ['page', 'next'], replace: true }, value: 'c2' }])
        .body,
    ).toBe('{"page":{"next":"c2"}}');
  });

  it('the mock API sees the first body, then only the cursor; a resumed sequence sends only the cursor too', async () => {
    // A cursor, so that the sequence in progress is kept between runs (compiler/ir.ts, 1.2).
    const ir = eventsIR(REPLACE, '\n  cursor { max ts format iso8601 }');
    const scenario = normalizeScenario(eventsScenario());
    const api = await startMockApi(scenario);
    api.setFailPage(1);
    const stateFile = tempStateFile();
    try {
      const env = { ACME_API_TOKEN: scenario.credentials.api_token! };
      const clock = fakeClock(Date.parse('2024-05-02T00:00:00Z'));
      const failed = await run({ ir, scenario, api, clock, sets: { region: 'eu' }, env, stateFile });
      expect(failed.result.exitCode).toBe(1);
      const first = api.requests.filter((r) => r.endpoint === 'data').map((r) => r.body);
      expect(first[0]).toBe(JSON.stringify(FIRST_BODY_DEFAULTS));
      expect(new Set(first.slice(1))).toEqual(new Set(['{"cursor":"c2"}']));
      api.requests.length = 0;
      api.setFailPage(undefined);
      const resumed = await run({ ir, scenario, api, clock, sets: { region: 'eu' }, env, stateFile });
      expect(resumed.result.exitCode, resumed.stderr).toBe(0);
      expect(api.requests.filter((r) => r.endpoint === 'data').map((r) => r.body)).toEqual(['{"cursor":"c2"}']);
    } finally {
      await api.close();
    }
  });
});
