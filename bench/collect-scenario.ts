/**
 * The synthetic collection scenario: an Enpass-shaped event-log API (`maps/enpass.map`: bearer
 * token, `cursor_has_more` paging, `since` filter on `created_at`) serving `pages` pages of
 * `perPage` records with ascending timestamps.
 *
 * @module
 */
import { normalizeScenario, type MockScenario } from '../test/mock-api/scenario.ts';

const CATEGORIES = ['Users', 'Vaults', 'Sharing', 'Recovery', 'Organization', 'App'];

/** Record `i` (0-based): one second apart from 2024-01-01T00:00:00Z, millisecond fraction varying. */
export function record(i: number): Record<string, unknown> {
  const at = new Date(Date.UTC(2024, 0, 1) + i * 1000 + (i % 1000)).toISOString();
  return {
    event_id: `evt_bench_${String(i).padStart(8, '0')}`,
    created_at: at,
    category: CATEGORIES[i % CATEGORIES.length],
    activity: 'Item shared',
    actor: { type: 'user', name: `User ${i % 97}`, email: `user${i % 97}@acme-corp.example` },
    component: 'Enpass App',
    ip_address: `198.51.100.${i % 250}`,
    target: { type: 'vault', name: `Vault ${i % 13}` },
  };
}

export function enpassLikeScenario(pages: number, perPage: number, token: string, lifetimeMs: number): MockScenario {
  const bodies = Array.from({ length: pages }, (_, p) => ({
    events: Array.from({ length: perPage }, (_, r) => record(p * perPage + r)),
    next_cursor: p + 1 < pages ? `bench-cursor-${p + 1}` : '',
    has_more: p + 1 < pages,
  }));
  return normalizeScenario({
    path: '/api/v1/event-logs',
    method: 'GET',
    auth: { kind: 'bearer', secret: 'api_token' },
    pagination: {
      kind: 'cursor_has_more',
      cursorPath: 'next_cursor',
      hasMorePath: 'has_more',
      param: { in: 'query', name: 'cursor' },
    },
    recordsPath: 'events',
    since: { param: { in: 'query', name: 'since' }, field: 'created_at' },
    pages: bodies,
    credentials: { api_token: token },
    // Several measured runs of `pages` requests each, with room to spare; the lifetime bounds the rest.
    maxRequests: pages * 20,
    maxLifetimeMs: lifetimeMs,
  });
}
