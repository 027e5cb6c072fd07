/**
 * Shared steps of the mito tests: compile a map's IR to its CEL stream template, render it with
 * Fleet variables (settings from the scenario, secrets from the mock's random credentials) and
 * hand it to a {@link CelAgent}; helpers to check events against `records.json`.
 *
 * @module
 */
import type { IntegrationIR, StreamIR } from '../../../compiler/ir.ts';
import { emitCelInput } from '../../../targets/elastic/cel.ts';
import { normalizeScenario, startMockApi, type MockApi } from '../../mock-api/server.ts';
import { CelAgent } from './agent.ts';
import { renderConfig } from './fleet.ts';
import { fleetVariable } from '../../../targets/elastic/vars.ts';

type Json = Record<string, unknown>;

/**
 * Runs `body` against a mock API (bound to 127.0.0.1) serving the scenario `raw`, with the
 * scenario's random credentials; closes the API afterwards, whatever `body` does.
 */
export async function withApi(
  raw: Json,
  body: (api: MockApi, credentials: Record<string, string>) => Promise<void>,
): Promise<void> {
  const scenario = normalizeScenario(raw);
  const api = await startMockApi(scenario);
  try {
    await body(api, { ...scenario.credentials });
  } finally {
    await api.close();
  }
}

/** Fleet variables for `ir`: setting defaults, then `overrides` (keyed by setting or secret name, each under its Fleet variable: `url` for the base URL, targets/elastic/vars.ts), plus the standard `tags`. */
export function fleetVars(ir: IntegrationIR, overrides: Record<string, unknown>): Record<string, unknown> {
  const vars: Record<string, unknown> = { tags: ['forwarded', `${ir.name}-test`] };
  for (const s of ir.settings) if (s.default !== undefined) vars[fleetVariable(ir, s.name)] = s.default;
  for (const [name, value] of Object.entries(overrides)) vars[fleetVariable(ir, name)] = value;
  return vars;
}

export interface Compiled {
  readonly template: string;
  readonly config: Json;
  readonly agent: CelAgent;
}

/** Emits, renders and loads the CEL input of `stream`; throws on E-diagnostics. */
export function compileStream(
  ir: IntegrationIR,
  stream: StreamIR,
  vars: Record<string, unknown>,
  persistedCursor?: Json,
): Compiled {
  const { template, diagnostics } = emitCelInput(ir, stream);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new Error(`CEL emission failed: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const config = renderConfig(template, vars);
  return { template, config, agent: new CelAgent(config, persistedCursor) };
}

/** The record each published event carries (its `message` parsed). */
export function messages(events: readonly Json[]): unknown[] {
  return events.map((e) => {
    if (typeof e.message !== 'string') throw new Error(`event without a message: ${JSON.stringify(e)}`);
    return JSON.parse(e.message) as unknown;
  });
}

/** Every string anywhere in `value` (keys included). */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => [k, ...allStrings(v)]);
  return [];
}

/** One persisted cursor, read as SEMANTICS §1 describes it. */
export interface CursorStep {
  /** The committed cursor (`max`), if any. */
  readonly committed: unknown;
  /** The next page's position while a page sequence is in progress (`token`, `url`, `page` or `offset`). */
  readonly next?: unknown;
  /** Events published (kept or dropped) when the cursor was persisted. */
  readonly eventsPublished: number;
}

/** The Agent's cursor persistences as committed cursor + next position. */
export function cursorSteps(history: CelAgent['persistHistory']): CursorStep[] {
  return history.map(({ cursor, eventsPublished }) => {
    const seq = cursor.seq as Json | undefined;
    const next = seq === undefined ? undefined : (seq.token ?? seq.url ?? seq.page ?? seq.offset);
    return { committed: cursor.max, ...(seq ? { next } : {}), eventsPublished };
  });
}
