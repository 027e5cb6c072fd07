/**
 * Name rules shared by checks and lowering.
 *
 * @module
 */

/** Lowercase snake_case: `endor_labs`, `audit`, `base_url` (Elastic package and data stream names). */
export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * An integration (package) name: lowercase snake_case that may also start with a digit
 * (`1password`), as Elastic package names may (package-spec `spec/integration/manifest.spec.yml`:
 * `name` matches `^[a-z0-9_]+$`; elastic/integrations has `packages/1password`). It needs a
 * letter, so that the map's lexer reads it as one word.
 */
export const PACKAGE_NAME = /^(?=[a-z0-9_]*[a-z])[a-z0-9]+(_[a-z0-9]+)*$/;

/** Placeholder names with a fixed meaning; a setting may not take them. */
export const RESERVED_PLACEHOLDERS: readonly string[] = ['cursor', 'token', 'window', 'now'];

/**
 * `ENDOR_LABS_API_SECRET` for integration `endor_labs` and name `api_secret`; `_1PASSWORD_API_TOKEN`
 * for `1password`: an environment variable name starts with a letter or `_` (POSIX.1-2017 Base
 * Definitions §8.1; Logstash's `${VAR}` substitution only matches such names, logstash-core
 * `SubstitutionVariables` `SUBSTITUTION_PLACEHOLDER_REGEX`).
 */
export function envVarName(integration: string, name: string): string {
  const upper = `${integration}_${name}`.toUpperCase();
  return /^[0-9]/.test(upper) ? `_${upper}` : upper;
}
