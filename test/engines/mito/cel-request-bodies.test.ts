/**
 * The CEL program on mito, configured as Fleet renders its stream template, sending JSON bodies
 * with typed settings (IR `JsonTemplate` `setting`): an `integer` Fleet variable reaches the body
 * as a JSON number, a `bool` one as `true`/`false`. The mock API sees the exact request bodies.
 */
import { describe, expect, it } from 'vitest';
import { eventsIR, eventsScenario, FIRST_BODY_DEFAULTS } from '../../support/request-bodies.ts';
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
