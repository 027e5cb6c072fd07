/**
 * The CEL program on mito with request items under a `when` (a bool setting, `not`) and a first
 * run that starts a `duration` setting ago (IR `CursorInitial.lookbackSetting`). The Entro map's
 * `when window.complete` is proven in `cel-maps.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { normalizeScenario, startMockApi, type MockApi } from '../../mock-api/server.ts';
import { compileStream, fleetVars } from './harness.ts';
import { celIR as testIR, LOC, setting, settingIR, t } from '../../support/ir.ts';

async function withApi(body: (api: MockApi) => Promise<void>): Promise<void> {
  const api = await startMockApi(
    normalizeScenario({ path: '/v1/events', recordsPath: 'data', pages: [{ data: [{ id: 'e1' }] }] }),
  );
  try {
    await body(api);
  } finally {
    await api.close();
  }
}

describe('CEL request conditions on mito', () => {
  const ir: IntegrationIR = testIR(
    {
      request: {
        method: 'GET',
        url: t(setting('base_url'), '/v1/events'),
        headers: [
          { name: 'X-Debug', value: t('1'), omitIfEmpty: false, when: { kind: 'setting', name: 'debug' } },
          {
            name: 'X-Quiet',
            value: t('1'),
            omitIfEmpty: false,
            when: { kind: 'not', operand: { kind: 'setting', name: 'debug' } },
          },
        ],
        query: [
          {
            name: 'tenant',
            value: t(setting('tenant')),
            omitIfEmpty: true,
            when: { kind: 'setting', name: 'debug' },
          },
        ],
      },
    },
    [],
    [settingIR('debug', 'bool'), settingIR('tenant', 'string')],
  );

  const runWith = async (api: MockApi, vars: Record<string, unknown>) => {
    const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url, ...vars }));
    const run = await agent.periodicRun();
    expect(run.errors).toEqual([]);
    const req = api.requests.at(-1)!;
    return { debug: req.headers['x-debug'], quiet: req.headers['x-quiet'], tenant: req.query.tenant };
  };

  it('sends an item only while its bool setting is true, and its negation otherwise', async () => {
    await withApi(async (api) => {
      expect(await runWith(api, { debug: true, tenant: 't1' })).toEqual({ debug: '1', quiet: undefined, tenant: 't1' });
      expect(await runWith(api, { debug: false, tenant: 't1' })).toEqual({
        debug: undefined,
        quiet: '1',
        tenant: undefined,
      });
      // Unset: false, as in the collector.
      expect(await runWith(api, { tenant: 't1' })).toEqual({ debug: undefined, quiet: '1', tenant: undefined });
    });
  });

  it('a true condition still leaves out an optional item that renders empty', async () => {
    await withApi(async (api) => {
      expect(await runWith(api, { debug: true })).toEqual({ debug: '1', quiet: undefined, tenant: undefined });
    });
  });
});

describe('CEL first run from a duration setting on mito', () => {
  const ir: IntegrationIR = testIR(
    {
      request: {
        method: 'GET',
        url: t(setting('base_url'), '/v1/events'),
        headers: [],
        query: [{ name: 'since', value: t({ kind: 'cursor' }), omitIfEmpty: false }],
      },
      cursor: {
        kind: 'record_max',
        field: ['ts'],
        format: { kind: 'iso8601' },
        initial: { lookbackSetting: 'look_back', lookbackSeconds: 0 },
        loc: LOC,
      },
    },
    [],
    [settingIR('look_back', 'duration', { default: '1440h' })],
  );

  const firstSince = async (vars: Record<string, unknown>): Promise<number> => {
    let since = Number.NaN;
    await withApi(async (api) => {
      const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url, ...vars }));
      await agent.periodicRun();
      since = Date.parse(String(api.requests[0]?.query.since));
    });
    return since;
  };

  it('starts the setting value ago (Go duration text), and at its default when not given', async () => {
    const hour = 3_600_000;
    const before = Date.now();
    const twoHours = await firstSince({ look_back: '2h' });
    expect(twoHours).toBeGreaterThanOrEqual(before - 2 * hour - 1000);
    expect(twoHours).toBeLessThanOrEqual(Date.now() - 2 * hour);
    const byDefault = await firstSince({});
    expect(byDefault).toBeGreaterThanOrEqual(before - 1440 * hour - 1000);
    expect(byDefault).toBeLessThanOrEqual(Date.now() - 1440 * hour);
  });
});
