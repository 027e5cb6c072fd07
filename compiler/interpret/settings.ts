/**
 * Setting values given as text: `mapc preview --set name=value`, `mapc collect --set name=value`
 * and the setting's environment variable in `mapc collect`. One rule for all of them, the rule
 * of the map's own default literals (E0115, `compiler/literals.ts`):
 *
 * - `bool`: exactly `true` or `false` (lower case, as the map writes them; Vector and Logstash
 *   splice an environment variable's text as it is, so `TRUE` would not be the same value there);
 * - `int`: an optional `-` and decimal digits, within ±(2^53 - 1);
 * - `url`: an absolute `http:` or `https:` URL; `timestamp`: RFC 3339; `duration`: Go duration;
 * - `string`: any text.
 *
 * @module
 */
import { goDurationMilliseconds, isGoDuration, isHttpUrl, isRfc3339 } from '../literals.ts';
import type { IntegrationIR, SettingType } from '../ir.ts';

/** A setting's typed value: `int` → number, `bool` → boolean, everything else → string. */
export type SettingValue = string | number | boolean;

/** What a setting of each type must be, for messages: "setting x must be <expected>". */
export const SETTING_EXPECTED: Readonly<Record<SettingType, string>> = {
  string: 'a string',
  int: 'an integer',
  bool: 'true or false',
  url: 'an absolute http(s) URL',
  timestamp: 'an RFC 3339 timestamp (2024-11-01T00:00:00Z)',
  duration: 'a duration such as 30s, 5m or 4h',
};

/**
 * Reads a setting's text per its declared type.
 * @returns the typed value, or `{ expected }` (a phrase from {@link SETTING_EXPECTED}) when the
 *   text is not a value of that type
 */
export function parseSettingText(type: SettingType, text: string): SettingValue | { readonly expected: string } {
  const wrong = { expected: SETTING_EXPECTED[type] };
  switch (type) {
    case 'int':
      return /^-?[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : wrong;
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : wrong;
    case 'url':
      return isHttpUrl(text) ? text : wrong;
    case 'timestamp':
      return isRfc3339(text) ? text : wrong;
    case 'duration':
      return isGoDuration(text) ? text : wrong;
    case 'string':
      return text;
  }
}

/**
 * Splits `--set` arguments into values by name. The name is the text before the first `=`
 * (an `=` inside the value is kept); a later pair of the same name wins.
 * @returns the values by name, or the first argument that has no `=` or an empty name
 */
export function splitSetPairs(
  pairs: readonly string[],
): { readonly ok: true; readonly values: Record<string, string> } | { readonly ok: false; readonly malformed: string } {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { ok: false, malformed: pair };
    values[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { ok: true, values };
}

/**
 * Each setting's default value by name (settings without a default are absent), the settings
 * `mapRecord` sees when the operator sets nothing. Overrides: `{ ...defaultSettings(ir), ...mine }`.
 */
export function defaultSettings(ir: IntegrationIR): Record<string, SettingValue> {
  const values: Record<string, SettingValue> = {};
  for (const setting of ir.settings) if (setting.default !== undefined) values[setting.name] = setting.default;
  return values;
}

/**
 * The length in milliseconds of a `duration` setting's text (Go syntax without sign, as the
 * setting accepts it: `1440h`, `1h30m`, `90s`), rounded down; undefined when it is not one.
 */
export function durationMs(text: string): number | undefined {
  const ms = goDurationMilliseconds(text);
  return ms === undefined ? undefined : Math.floor(ms);
}
