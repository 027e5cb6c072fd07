/**
 * A corpus of real-world user-agent strings for the `user_agent` agreement tests (compiler/ir.ts
 * `UserAgentIR`): desktop and mobile browsers, command-line clients, crawlers and SDKs, in the
 * forms their vendors document or send. Written for mapc; each is one agent a vendor's audit log
 * may carry in a `userAgent` field.
 *
 * {@link AGREED} are those on which every engine's regex snapshot and parser agrees with the
 * interpreter (uap-core 0.18.0); {@link DIFFERING} are common agents where some engine is known to
 * read them otherwise, each with the reason (docs/target-differences.md "User agents").
 *
 * @module
 */

/** Agents every engine parses into the interpreter's `user_agent` object. */
export const AGREED: readonly string[] = [
  // Desktop browsers
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:109.0) Gecko/20100101 Firefox/119.0',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)',
  // Mobile browsers
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0',
  // Command-line clients and libraries
  'curl/8.4.0',
  'curl/7.68.0',
  'Wget/1.21.4',
  'python-requests/2.31.0',
  'Python-urllib/3.11',
  'Go-http-client/1.1',
  'Java/17.0.9',
  'PostmanRuntime/7.36.0',
  'okhttp/4.12.0',
  // Crawlers and monitors
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  // SDKs and agents with no browser
  'aws-cli/2.15.0 Python/3.11.6 Linux/6.2.0 exe/x86_64.ubuntu.22 prompt/off command/s3.ls',
  'Terraform/1.6.5',
  'Slackbot 1.0 (+https://api.slack.com/robots)',
  'Mozilla/5.0 (X11; Linux x86_64)',
  // Nothing known
  'w3m/0.3',
  'mapc-test-agent',
  '',
];

/** Agents on which some engine differs from the interpreter, and why. */
export const DIFFERING: readonly { readonly agent: string; readonly why: string }[] = [
  {
    agent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    why: 'a fourth version part (120.0.0.0): the Logstash filter appends it; the IR, VRL and uap-ref-impl stop at patch',
  },
];
