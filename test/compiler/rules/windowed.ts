/**
 * A map with a windowed, split stream (Entro-like) for the tests of request conditions, cursor
 * starts and split document ids; each part replaces one line.
 */
import { brief, check } from './support.ts';

export interface WindowedParts {
  readonly query?: string;
  readonly header?: string;
  readonly paginate?: string;
  readonly start?: string;
  readonly id?: string;
  readonly record?: string;
  readonly auth?: string;
}

export function windowed(p: WindowedParts = {}): string {
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

/** The diagnostics (`brief`) but the unread-schema-field warning (W0143), which the windowed map's optional note gets. */
export const codes = (source: string): string[] => brief(check(source)).filter((d) => !d.startsWith('W0143'));
