/**
 * Test helpers for the checks: parse a map (asserting it is syntactically valid, so a test
 * cannot pass on a syntax error) and run the checks.
 */
import { expect } from 'vitest';
import { parseMap } from '../../dsl/index.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { checkMap } from '../../compiler/check/index.ts';

/**
 * Checks `source`. The base map declares settings and a table some tests never use, so the
 * unused-declaration warning (W0122) is left out unless `unused` is set (its own tests set it).
 */
export function check(source: string, options: { unused?: boolean } = {}): Diagnostic[] {
  const parsed = parseMap(source, 'test.map');
  expect(parsed.diagnostics, 'the test map must parse cleanly').toEqual([]);
  expect(parsed.ast).toBeDefined();
  const all = checkMap(parsed.ast!);
  return options.unused ? all : all.filter((d) => d.code !== 'W0122');
}

/** The diagnostics as `CODE line:col message`, for readable assertions. */
export function brief(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column} ${d.message}`);
}

/**
 * A valid map. Line numbers are fixed: `rules` start on line 24 (indented 4, so column 5),
 * `streamItems` follow the map block inside the stream, `decls` follow the stream.
 */
export function baseMap(parts: { rules?: string; streamItems?: string; decls?: string } = {}): string {
  return `integration acme {
  title "Acme"
  vendor "Acme"
  version "0.1.0"
  description "Acme audit logs."
}
setting base_url: url = "https://api.acme.test"
setting backfill: timestamp
setting every: duration = "5m"
setting keep_original: bool = false
secret api_token
table kinds {
  "A" => "event"
  default "alert"
}
stream audit {
  dataset "acme.audit"
  interval setting.every
  auth bearer secret.api_token
  request GET "{base_url}/v1/logs"
  records items
  map {
    @timestamp = created | date(iso8601)
${parts.rules ?? ''}
  }
${parts.streamItems ?? ''}
}
${parts.decls ?? ''}
`;
}

/** `baseMap()` with line `n` (1-based) replaced by `text` (so other lines keep their numbers). */
export function replaceLine(source: string, n: number, text: string): string {
  const lines = source.split('\n');
  lines[n - 1] = text;
  return lines.join('\n');
}
