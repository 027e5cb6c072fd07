/**
 * Heuristics for string literals that look like credentials. A false positive costs the author
 * a `secret` declaration; a false negative leaks a credential into every generated config, so
 * the checks lean towards flagging.
 *
 * @module
 */

/** Header and query parameter names that carry credentials (case-insensitive substrings). */
const CREDENTIAL_NAME = /auth|token|key|secret|passw|credential|signature|session|cookie/i;

/** Name parts of a credential (`api_token`, `client_secret`, `x-api-key`, `accessToken`). */
const CREDENTIAL_PARTS: ReadonlySet<string> = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'credential',
  'credentials',
  'apikey',
  'auth',
  'authorization',
  'bearer',
  'cookie',
  'session',
  'signature',
  'jwt',
]);

/** Words before `key` that make it no credential (`sort_key`, `partition_key`). */
const ORDINARY_KEYS: ReadonlySet<string> = new Set([
  'sort',
  'partition',
  'primary',
  'foreign',
  'group',
  'order',
  'index',
  'lookup',
  'cache',
  'shard',
  'object',
  'dedup',
  'dedupe',
  'idempotency',
  'row',
  'column',
  'field',
  'map',
  'hash',
]);

/**
 * True when a name reads as a credential: one of its words (split at `_`, `-`, `.` and
 * lower-to-upper case changes) is `token`, `secret`, `password`, `apikey`, `auth`... or `key`
 * after anything but an ordinary word (`api_key`, `license_key`, but not `sort_key`).
 * `loose`: for header, query and body names, where the broader {@link CREDENTIAL_NAME}
 * substrings count too (`X-Auth-Token`, `signatureV2`).
 */
export function credentialName(name: string, loose = false): boolean {
  if (loose && CREDENTIAL_NAME.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\-.]+/)
    .filter((w) => w !== '');
  return words.some(
    (w, i) => CREDENTIAL_PARTS.has(w) || (w === 'key' && (i === 0 || !ORDINARY_KEYS.has(words[i - 1] ?? ''))),
  );
}

/** An HTTP auth scheme followed by a credential: `Bearer abc...`, `Basic dXNl...`. */
const SCHEME_AND_TOKEN = /^(bearer|basic|token|apikey|api-key|ssws)\s+([^\s{}]{8,})/i;

/** Well-known credential shapes (JWT; GitHub, Slack, Stripe, AWS, Google API key prefixes). */
const KNOWN_SHAPES: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /\b[sr]k_(live|test)_[A-Za-z0-9]{16,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bAIza[0-9A-Za-z_-]{35}\b/,
];

/** A run of token characters long enough to be a key (dots and slashes end a run: hostnames, paths). */
const TOKEN_RUN = /[A-Za-z0-9_+~=-]{24,}/g;

/** Shannon entropy of `s` in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** True for a random-looking run: letters and digits mixed, high entropy. */
function looksRandom(run: string): boolean {
  return /[A-Za-z]/.test(run) && /[0-9]/.test(run) && entropy(run) >= 3.5;
}

/**
 * Why `text` (literal text of a header, query, URL, body or default) looks like a credential, or
 * `undefined`. `name` is the header or query parameter name it is the value of, when there is one.
 */
export function credentialReason(text: string, name?: string): string | undefined {
  const trimmed = text.trim();
  const scheme = SCHEME_AND_TOKEN.exec(trimmed);
  if (scheme) return `\`${scheme[1]} ...\` followed by a literal credential`;
  for (const shape of KNOWN_SHAPES) if (shape.test(trimmed)) return 'it has the shape of a well-known API token';
  // Under a credential-like name, any opaque value with digits counts (`sort_key = "created_at"` does not).
  if (name !== undefined && CREDENTIAL_NAME.test(name) && /^\S{12,}$/.test(trimmed) && /[0-9]/.test(trimmed)) {
    return `a literal value for \`${name}\`, which names a credential`;
  }
  for (const run of trimmed.match(TOKEN_RUN) ?? []) {
    if (looksRandom(run)) return 'it is a long random-looking string';
  }
  return undefined;
}
