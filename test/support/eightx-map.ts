/** Shared by the Kibana-range tests (test/targets/elastic/versions.test.ts) and the package-spec validation. */
/** A map with no duration setting and no array append: only `terminate` is above the baseline. */
export const EIGHT_X_MAP = `
integration eightx { title "Eight" vendor "Acme" version "0.1.0" description "No 9.x features." }

setting base_url: url required { title "API base URL" }
secret api_token { title "API token" }

stream events {
  dataset  "eightx.events"
  interval 5m
  auth     bearer secret.api_token
  request  GET "{base_url}/v1/events"
  records  items
  map {
    namespace eightx.events
    unmapped  keep
    event.id  = id
    user.name = user
  }
}
`;
