/**
 * Environment-variable references in a generated Vector config, and the one escaping pass that
 * makes every other `$` literal.
 *
 * Vector interpolates environment variables in the whole configuration text, VRL sources and
 * unit-test inputs included: `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}`
 * (unset), `${VAR:?error}`, and `$VAR`; `$$` is a literal `$`
 * (https://vector.dev/docs/reference/environment_variables/). A VRL regex end anchor `$` or a
 * capture reference `${1}` must therefore be written `$$`. Generated text carries references as
 * private markers ({@link envRef}) until {@link renderConfigString} escapes every literal `$` and
 * turns the markers into `${...}`: no generator has to think about escaping.
 *
 * Since Vector 0.57 interpolation is off unless Vector runs with
 * `--dangerously-allow-env-var-interpolation` (or `VECTOR_DANGEROUSLY_ALLOW_ENV_VAR_INTERPOLATION=true`)
 * (https://vector.dev/highlights/2026-07-14-0-57-0-upgrade-guide/); the generated README says so.
 *
 * @module
 */

/** How a reference behaves when the variable is unset. */
export type EnvFallback =
  /** `${VAR}`: Vector refuses to start when unset (secrets, the Elasticsearch endpoint). */
  | { readonly kind: 'required' }
  /** `${VAR:-text}`: `text` when unset or empty (`text` may be empty). */
  | { readonly kind: 'default'; readonly text: string }
  /** `${VAR:?message}`: Vector refuses to start with `message` when unset or empty. */
  | { readonly kind: 'error'; readonly message: string };

// NUL never occurs in generated text: VRL string literals escape it as `\0`.
const MARK = '\u0000';
const MARKER = /\u0000([A-Za-z0-9_.]+)\u0001([^\u0000]*)\u0000/g;

/**
 * A marker for `${name...}` inside generated text.
 * @throws Error when a default or message contains `}` or a newline (Vector cannot express it).
 */
export function envRef(name: string, fallback: EnvFallback = { kind: 'required' }): string {
  if (!/^[A-Za-z0-9_.]+$/.test(name)) throw new Error(`invalid environment variable name ${JSON.stringify(name)}`);
  let suffix = '';
  if (fallback.kind === 'default') suffix = `:-${fallback.text}`;
  if (fallback.kind === 'error') suffix = `:?${fallback.message}`;
  if (/[}\n\r\u0000]/.test(suffix)) throw new Error(`cannot interpolate ${JSON.stringify(suffix)} in a Vector config`);
  return `${MARK}${name}\u0001${suffix}${MARK}`;
}

/** Escapes literal `$` as `$$` and renders the markers of {@link envRef} as `${...}`. */
export function renderConfigString(text: string): string {
  const pieces: string[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    pieces.push(escapeDollars(text.slice(last, m.index)), `\${${m[1]}${m[2]}}`);
    last = (m.index ?? 0) + m[0].length;
  }
  pieces.push(escapeDollars(text.slice(last)));
  return pieces.join('');
}

/** Every string in a JSON-like value passed through {@link renderConfigString}, keys included. */
export function renderConfigValue(value: unknown): unknown {
  if (typeof value === 'string') return renderConfigString(value);
  if (Array.isArray(value)) return value.map(renderConfigValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [renderConfigString(k), renderConfigValue(v)]));
  }
  return value;
}

function escapeDollars(text: string): string {
  if (text.includes(MARK)) throw new Error('malformed environment marker in generated text');
  return text.replaceAll('$', '$$$$');
}
