/**
 * Vector's environment-variable interpolation, emulated so that the harness runs the VRL Vector
 * would run. Rules from https://vector.dev/docs/reference/environment_variables/ (and Vector's
 * `src/config/vars.rs`): names are `[A-Za-z0-9_.]+`; `$$` is a literal `$`; `$NAME` and
 * `${NAME}` substitute (unset: an error); `${NAME:-d}` gives `d` when unset or empty,
 * `${NAME-d}` only when unset; `${NAME:?m}` / `${NAME?m}` fail with `m`; a value holding a newline
 * is rejected (Vector 0.51+). Any other `$` stays as is.
 *
 * @module
 */

const PATTERN = /\$\$|\$([A-Za-z0-9_.]+)|\$\{([A-Za-z0-9_.]+)(?:(:?-|:?\?)([^}]*))?\}/g;

/** @throws Error naming the variable when Vector would refuse to start. */
export function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(
    PATTERN,
    (whole, bare: string | undefined, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === '$$') return '$';
      const key = (bare ?? name) as string;
      const value = Object.hasOwn(env, key) ? env[key] : undefined;
      if (value !== undefined && /[\r\n]/.test(value))
        throw new Error(`environment variable ${key} contains a newline`);
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
