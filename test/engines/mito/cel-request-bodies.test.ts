/**
 * The CEL program on mito, configured as Fleet renders its stream template, sending JSON bodies
 * with typed settings (IR `JsonTemplate` `setting`): an `integer` Fleet variable reaches the body
 * as a JSON number, a `bool` one as `true`/`false`. The mock API sees the exact request bodies.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { eventsIR, eventsMap, eventsScenario, FIRST_BODY_DEFAULTS } from '../../support/request-bodies.ts';
import { compileStream, fleetVars, withApi } from './harness.ts';

describe('CEL typed settings in a JSON body on mito', () => {
  const bodies = async (vars: Record<string, unknown>): Promise<string[]> => {
    const ir = eventsIR();
    let sent: string[] = [];
    await withApi(eventsScenario(), async (api, credentials) => {
      const { agent, template } = compileStream(
        ir,
        ir.streams[0]!,
        fleetVars(ir, { base_url: api.url, api_token: credentials.api_token, region: 'eu', ...vars }),
      );
      // The state entry of an int setting is its text, written even for 0 (no `{{#if}}` guard).
      expect(template).toContain(`  page_size: '{{page_size}}'`);
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(run.published.filter((e) => !('mapc_control' in e))).toHaveLength(2);
      sent = api.requests.filter((r) => r.endpoint === 'data').map((r) => r.body);
    });
    return sent;
  };

  it('the defaults: limit 100 a number, verbose false; the next page adds the cursor', async () => {
    const sent = await bodies({});
    expect(sent.map((b) => JSON.parse(b) as unknown)).toEqual([
      FIRST_BODY_DEFAULTS,
      { ...FIRST_BODY_DEFAULTS, cursor: 'c2' },
    ]);
  });

  it('integer and bool Fleet variables, including 0 and false, keep their JSON types (and "{page_size}" of 0 is "0")', async () => {
    const [first] = await bodies({ page_size: 0, verbose: true, region: '42' });
    expect(JSON.parse(first!)).toEqual({
      ...FIRST_BODY_DEFAULTS,
      limit: 0,
      verbose: true,
      region: '42',
      tags: ['5m', '0'],
    });
    const [second] = await bodies({ page_size: 250, verbose: false });
    expect(JSON.parse(second!)).toEqual({ ...FIRST_BODY_DEFAULTS, limit: 250, tags: ['5m', '250'] });
  });
});

describe('CEL: the body of the pages after the first on mito (send body PATH replace)', () => {
  it('the first page sends the request body, the next exactly {"cursor": token}', async () => {
    const ir = eventsIR('send     body cursor replace');
    await withApi(eventsScenario(), async (api, credentials) => {
      const { agent } = compileStream(
        ir,
        ir.streams[0]!,
        fleetVars(ir, { base_url: api.url, api_token: credentials.api_token, region: 'eu', page_size: 7 }),
      );
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(run.published.filter((e) => !('mapc_control' in e))).toHaveLength(2);
      const data = api.requests.filter((r) => r.endpoint === 'data');
      // Go's encoder writes map keys sorted: compare the parsed bodies.
      expect(data.map((r) => JSON.parse(r.body) as unknown)).toEqual([
        { limit: 7, verbose: false, region: 'eu', tags: ['5m', '7'], start: '2024-01-01T00:00:00Z' },
        { cursor: 'c2' },
      ]);
      expect(data.map((r) => r.headers['content-type'])).toEqual(['application/json', 'application/json']);
    });
  });

  it('a nested path builds its objects, and a persisted sequence resumes with the replacing body', async () => {
    const ir = eventsIR('send     body page.next replace', '\n  cursor { max ts format iso8601 }');
    const scenario = {
      ...eventsScenario(),
      pagination: {
        kind: 'cursor_has_more',
        tokenPath: 'cursor',
        hasMorePath: 'has_more',
        param: { in: 'body', path: 'page.next' },
      },
    };
    await withApi(scenario, async (api, credentials) => {
      const vars = fleetVars(ir, { base_url: api.url, api_token: credentials.api_token, region: 'eu' });
      api.setFailPage(1);
      const { agent } = compileStream(ir, ir.streams[0]!, vars);
      const failed = await agent.periodicRun();
      expect(failed.errors.length).toBeGreaterThan(0);
      const bodies = api.requests.filter((r) => r.endpoint === 'data').map((r) => r.body);
      expect(JSON.parse(bodies[0]!)).toEqual(FIRST_BODY_DEFAULTS);
      expect(new Set(bodies.slice(1))).toEqual(new Set(['{"page":{"next":"c2"}}']));
      api.setFailPage(undefined);
      api.requests.length = 0;
      const resumed = await agent.periodicRun();
      expect(resumed.errors).toEqual([]);
      expect(api.requests.filter((r) => r.endpoint === 'data').map((r) => r.body)).toEqual(['{"page":{"next":"c2"}}']);
    });
  });

  it('bodies of different CEL types (a map of ints, a map of maps) are both sent', async () => {
    const base = eventsMap('send     body page.next replace');
    const map = base.replace(
      base.slice(base.indexOf('    body {'), base.indexOf('  }\n  paginate')),
      '    body { "limit": setting.page_size }\n',
    );
    const { ir } = compileSource(map, 'acme.map');
    const scenario = {
      ...eventsScenario(),
      pagination: {
        kind: 'cursor_has_more',
        tokenPath: 'cursor',
        hasMorePath: 'has_more',
        param: { in: 'body', path: 'page.next' },
      },
    };
    await withApi(scenario, async (api, credentials) => {
      const { agent } = compileStream(
        ir!,
        ir!.streams[0]!,
        fleetVars(ir!, { base_url: api.url, api_token: credentials.api_token, region: 'eu' }),
      );
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(api.requests.filter((r) => r.endpoint === 'data').map((r) => r.body)).toEqual([
        '{"limit":100}',
        '{"page":{"next":"c2"}}',
      ]);
    });
  });
});
