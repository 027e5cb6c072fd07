/**
 * A 1Password-style events API for the tests of typed settings in JSON bodies and of the body the
 * pages after the first send (`docs/language.md`, "JSON request bodies"): `POST /v1/events` whose
 * first call sends `{"limit", "verbose", "region", "tags", "start"}` and whose later calls send
 * `paging` (the map's `send` item) as the tests choose.
 *
 * @module
 */
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';

/** The map text; `send` is the `send` item of its `cursor_has_more` block, `extra` more stream items. */
export function eventsMap(send = 'send     body cursor', extra = ''): string {
  return `integration acme {
  title       "Acme"
  vendor      "Acme"
  version     "0.1.0"
  description "Acme events."
}

setting base_url: url required
setting page_size: int = 100
setting verbose: bool = false
setting region: string required
setting interval: duration = "5m"

secret api_token

stream events {
  dataset  "acme.events"
  interval setting.interval
  auth     bearer secret.api_token
  request POST "{base_url}/v1/events" {
    body {
      "limit": setting.page_size,
      "verbose": setting.verbose,
      "region": setting.region,
      "tags": [setting.interval, "{page_size}"],
      "start": "2024-01-01T00:00:00Z"
    }
  }
  paginate cursor_has_more {
    cursor   cursor
    has_more has_more
    ${send}
  }
  records items${extra}
  map {
    @timestamp = ts | date(iso8601)
    event.id   = uuid
  }
}
`;
}

/** The map's IR; throws on any error diagnostic. */
export function eventsIR(send?: string, extra?: string): IntegrationIR {
  const { ir, diagnostics } = compileSource(eventsMap(send, extra), 'acme.map');
  if (!ir) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return ir;
}

/** The first request's body with the map's defaults and `region: "eu"`. */
export const FIRST_BODY_DEFAULTS = {
  limit: 100,
  verbose: false,
  region: 'eu',
  tags: ['5m', '100'],
  start: '2024-01-01T00:00:00Z',
};

/** A mock scenario of two pages (`c2` continues), the page token read from the body path `cursor`. */
export function eventsScenario(): Record<string, unknown> {
  return {
    path: '/v1/events',
    method: 'POST',
    recordsPath: 'items',
    auth: { kind: 'bearer', secret: 'api_token' },
    pagination: {
      kind: 'cursor_has_more',
      tokenPath: 'cursor',
      hasMorePath: 'has_more',
      param: { in: 'body', path: 'cursor' },
    },
    pages: [
      { items: [{ uuid: 'e1', ts: '2024-05-01T00:00:01Z' }], cursor: 'c2', has_more: true },
      { items: [{ uuid: 'e2', ts: '2024-05-01T00:00:02Z' }], cursor: 'c3', has_more: false },
    ],
  };
}
