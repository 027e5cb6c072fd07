/**
 * A model of how Vector loads a config's strings, so that tests see what Vector would see:
 * environment interpolation (off, on over parsed values, or on over the raw text as before
 * Vector's move to parsed values), secret replacement from the `file` backend, and VRL's
 * `get_env_var` at run time.
 *
 * Sources (vectordotdev/vector):
 * - `src/config/loading/interpolation.rs`: the regex `\$\$|\$([[:word:].]+)|\$\{([[:word:].]+)(?:(:?-|:?\?)([^}]*))?\}`;
 *   `$$` is `$`; `$NAME`/`${NAME}` substitute (unset: an error); `${NAME:-d}` gives `d` when unset
 *   or empty, `${NAME-d}` only when unset; `${NAME:?m}` fails when unset or empty, `${NAME?m}`
 *   when unset; `interpolate_toml_table` applies it to every key and string value of the parsed
 *   table, recursively (strings stay strings).
 * - `src/config/loading/loader.rs`: the parsed table is interpolated only when interpolation is
 *   enabled (`should_interpolate_env`; off by default since 0.57,
 *   `website/content/en/highlights/2026-07-14-0-57-0-upgrade-guide.md`); before the change to
 *   parsed values (changelog `multiline_interpolation_change.breaking.md`), the raw text was
 *   interpolated before parsing, comments included.
 * - `src/config/loading/secret.rs`: with a top-level `secret` table, every
 *   `SECRET\[([[:word:]]+)\.([[:word:].]+)\]` in a key or string value is collected, fetched
 *   from the named backend and replaced; an unknown backend or key is an error.
 * - `src/secrets/file.rs`: the `file` backend reads a JSON object of strings; a requested key
 *   that is missing or empty is an error.
 * - VRL `get_env_var(name)`: the value of the variable, an error when it is unset
 *   (https://vector.dev/docs/reference/vrl/functions/#get_env_var).
 *
 * `[[:word:]]` is ASCII in Rust `regex` (`[0-9A-Za-z_]`).
 *
 * @module
 */
import yaml from 'js-yaml';

const PATTERN = /\$\$|\$([0-9A-Za-z_.]+)|\$\{([0-9A-Za-z_.]+)(?:(:?-|:?\?)([^}]*))?\}/g;
const SECRET = /SECRET\[([0-9A-Za-z_]+)\.([0-9A-Za-z_.]+)\]/g;

/** Environment interpolation of one string. @throws Error naming the variable when Vector would refuse to start. */
export function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(
    PATTERN,
    (whole, bare: string | undefined, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === '$$') return '$';
      const key = (bare ?? name) as string;
      const value = Object.hasOwn(env, key) ? env[key] : undefined;
      const unsetOrEmpty = value === undefined || value === '';
      switch (op) {
        case ':-':
          return unsetOrEmpty ? (arg ?? '') : value;
        case '-':
          return value === undefined ? (arg ?? '') : value;
        case ':?':
          if (unsetOrEmpty) throw new Error(`${key}: ${arg}`);
          return value;
        case '?':
          if (value === undefined) throw new Error(`${key}: ${arg}`);
          return value;
        default:
          if (value === undefined) throw new Error(`environment variable ${key} is not set`);
          return value;
      }
    },
  );
}

/** Applies `f` to every key and string value of a parsed document (`interpolate_toml_table`). */
export function mapStrings(value: unknown, f: (text: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), mapStrings(v, f)]));
  }
  return value;
}

/** Every `backend.key` a document references (keys and string values). */
export function secretReferences(value: unknown): string[] {
  const found: string[] = [];
  mapStrings(value, (text) => {
    for (const m of text.matchAll(SECRET)) found.push(`${m[1]}.${m[2]}`);
    return text;
  });
  return found;
}

/**
 * Secret replacement with `file` backends: `files` maps a backend name to the JSON text of its
 * file. @throws Error as Vector refuses to start (unknown backend, missing or empty key).
 */
export function replaceSecrets(document: unknown, files: Readonly<Record<string, string>>): unknown {
  const root = document as Record<string, unknown>;
  if (typeof root !== 'object' || root === null || !Object.hasOwn(root, 'secret')) return document;
  const backends = root.secret as Record<string, { type?: string; path?: string }>;
  const values = new Map<string, string>();
  for (const ref of new Set(secretReferences(document))) {
    const [backend = '', ...rest] = ref.split('.');
    const key = rest.join('.');
    const config = backends[backend];
    if (!config) throw new Error(`Backend "${backend}" is required for secret retrieval but was not found in config.`);
    if (config.type !== 'file') throw new Error(`the model only knows file backends, not ${String(config.type)}`);
    const text = files[backend];
    if (text === undefined) throw new Error(`secrets file of ${backend} missing`);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const value = parsed[key];
    if (typeof value !== 'string') throw new Error(`secret for key '${key}' was not retrieved`);
    if (value === '') throw new Error(`secret for key '${key}' was empty`);
    values.set(ref, value);
  }
  return mapStrings(document, (text) =>
    text.replace(SECRET, (_w, b: string, k: string) => values.get(`${b}.${k}`) ?? ''),
  );
}

/** How Vector treats `$`: off (0.57+ default), on over parsed values (current), on over raw text (older Vector). */
export type InterpolationMode = 'off' | 'values' | 'text';

export interface Deployment {
  /** Vector's environment (interpolation, and `get_env_var` at run time). */
  readonly env: Readonly<Record<string, string>>;
  /** JSON text of each `file` secret backend, by backend name. */
  readonly secretFiles: Readonly<Record<string, string>>;
  readonly interpolation?: InterpolationMode;
}

/** The config Vector would build from `text` (before the `get_env_var` of its VRL runs). */
export function loadAsVector(text: string, deployment: Deployment): unknown {
  const mode = deployment.interpolation ?? 'off';
  const raw = mode === 'text' ? interpolate(text, deployment.env) : text;
  let document = yaml.load(raw);
  if (mode === 'values') document = mapStrings(document, (s) => interpolate(s, deployment.env));
  return replaceSecrets(document, deployment.secretFiles);
}

/**
 * `program` with each `get_env_var("NAME")` bound to Vector's environment: a set variable becomes
 * `decode_base64("...")` of its value (fallible and string-typed, like `get_env_var`); an unset
 * one stays, and fails in verel's WASM build, which has no environment (as an unset variable).
 */
export function bindEnvVars(program: string, env: Readonly<Record<string, string>>): string {
  return program.replace(/get_env_var\("([A-Za-z_][A-Za-z0-9_]*)"\)/g, (call, name: string) => {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    return value === undefined ? call : `decode_base64("${Buffer.from(value, 'utf8').toString('base64')}")`;
  });
}
