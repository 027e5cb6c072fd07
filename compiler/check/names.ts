/**
 * Name rules shared by checks and lowering.
 *
 * @module
 */

/** Lowercase snake_case: `endor_labs`, `audit`, `base_url` (Elastic package and data stream names). */
export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Placeholder names with a fixed meaning; a setting may not take them. */
export const RESERVED_PLACEHOLDERS: readonly string[] = ['cursor', 'token', 'window'];

/** `ENDOR_LABS_API_SECRET` for integration `endor_labs` and name `api_secret`. */
export function envVarName(integration: string, name: string): string {
  return `${integration}_${name}`.toUpperCase();
}
