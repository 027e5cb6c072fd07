/**
 * A corpus of real-world user-agent strings for the `user_agent` agreement tests (compiler/ir.ts
 * `UserAgentIR`): desktop and mobile browsers, command-line clients and HTTP libraries, crawlers,
 * SDKs and agents no regex knows, in the forms their vendors send. Written for mapc.
 *
 * {@link AGREED}: every engine's regex snapshot and parser gives the interpreter's `user_agent`
 * object (uap-ref-impl 0.3.1 over uap-core 0.18.0). {@link DIFFERING}: common agents some engine
 * reads otherwise, with the fields that engine writes instead (docs/target-differences.md "User
 * agents"); an engine not named there agrees on them too.
 *
 * @module
 */

/** Agents every engine parses into the interpreter's `user_agent` object. */
export const AGREED: readonly string[] = [
  // Desktop browsers
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2.1 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/105.0.0.0',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)',
  'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)',
  'Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.289 Version/12.00',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)',
  // Mobile browsers and apps
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0',
  // Command-line clients and HTTP libraries
  'curl/8.4.0',
  'curl/7.68.0',
  'Wget/1.21.4',
  'python-requests/2.31.0',
  'Python-urllib/3.11',
  'Go-http-client/1.1',
  'okhttp/4.12.0',
  'okhttp/3.14.9',
  'Apache-HttpClient/4.5.14 (Java/17.0.9)',
  'axios/1.6.2',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'insomnia/2023.5.8',
  // Crawlers and link previews
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  'Mozilla/5.0 (compatible; DuckDuckBot-Https/1.1; https://duckduckgo.com/duckduckbot)',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Slackbot 1.0 (+https://api.slack.com/robots)',
  // SDKs and vendor CLIs
  'aws-cli/2.15.0 Python/3.11.6 Linux/6.2.0 exe/x86_64.ubuntu.22 prompt/off command/s3.ls',
  'Terraform/1.6.5',
  'Bitwarden_CLI/2023.12.0 (LINUX)',
  // An OS without a browser, and nothing known
  'Mozilla/5.0 (X11; Linux x86_64)',
  'w3m/0.3',
  'mapc-test-agent',
];

/** A common agent on which some engine writes other `user_agent` fields than the interpreter. */
export interface Differing {
  readonly agent: string;
  readonly why: string;
  /** The `user_agent` fields (top-level keys) OpenSearch 2.19.1's node writes otherwise. */
  readonly opensearch?: Readonly<Record<string, unknown>>;
  /**
   * The `user_agent` fields the ingest emulation writes otherwise: the processor's parser
   * (OpenSearch's and Elasticsearch's `UserAgentParser`) on uap-core 0.18.0's regexes.
   */
  readonly ingest?: Readonly<Record<string, unknown>>;
  /** The `user_agent` fields the Vector remap (VRL `parse_user_agent`, enriched) writes otherwise. */
  readonly vector?: Readonly<Record<string, unknown>>;
  /** The `user_agent` fields the Logstash filter writes otherwise. */
  readonly logstash?: Readonly<Record<string, unknown>>;
}

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const FOURTH = 'a fourth version part: the processor and the Logstash filter append it; uap-core stops at patch';
const FIREFOX_DOT = "OpenSearch's regexes.yml captures an empty patch: the processor appends a lone dot";

export const DIFFERING: readonly Differing[] = [
  { agent: CHROME, why: FOURTH, opensearch: { version: '120.0.0.0' }, logstash: { version: '120.0.0.0' } },
  {
    agent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    why: FOURTH,
    opensearch: { version: '120.0.0.0' },
    logstash: { version: '120.0.0.0' },
  },
  {
    agent: `${CHROME} Edg/120.0.2210.91`,
    why: FOURTH,
    opensearch: { version: '120.0.2210.91' },
    logstash: { version: '120.0.2210.91' },
  },
  {
    agent:
      'Mozilla/5.0 (Linux; Android 13; SM-S908B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36',
    why: FOURTH,
    opensearch: { version: '112.0.0.0' },
    logstash: { version: '112.0.0.0' },
  },
  {
    agent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
    why: FOURTH,
    opensearch: { version: '120.0.6099.119' },
    logstash: { version: '120.0.6099.119' },
  },
  {
    agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
    why: FIREFOX_DOT,
    opensearch: { version: '121.0.' },
  },
  {
    agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:109.0) Gecko/20100101 Firefox/119.0',
    why: FIREFOX_DOT,
    opensearch: { version: '119.0.' },
  },
  {
    agent: 'Java/17.0.9',
    why: "OpenSearch's regexes.yml reads Java's version from another regex",
    opensearch: { version: '0.9.' },
  },
  {
    agent: 'Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230805.001)',
    why: "the processor's parser replaces only $1 in a name: uap-core 0.18.0's device replacement '$2' stays literal (not on OpenSearch's own regexes, whose regex for this agent has no $2)",
    ingest: { device: { name: '$2' } },
  },
  {
    agent: 'Ruby',
    why: "no uap-core regex matches: VRL's enriched mode takes Woothee's name",
    vector: { name: 'HTTP Library' },
  },
  {
    agent: 'PostmanRuntime/7.36.0',
    why: "newer than OpenSearch's regexes.yml: Other there",
    opensearch: { name: 'Other', version: undefined },
  },
  {
    agent: 'HTTPie/3.2.2',
    why: "newer than OpenSearch's regexes.yml: Other there",
    opensearch: { name: 'Other', version: undefined },
  },
];

/** `user_agent` with an engine's differing fields applied (`undefined`: the field is absent). */
export function withDifferences(
  expected: Readonly<Record<string, unknown>>,
  delta: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...expected, ...delta };
  for (const [k, v] of Object.entries(delta)) if (v === undefined) delete out[k];
  return out;
}
