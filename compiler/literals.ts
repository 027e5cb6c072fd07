/**
 * Validators for setting values written as text: Go durations, RFC 3339 timestamps, URLs.
 *
 * @module
 */

/** Go `time.ParseDuration` syntax (https://pkg.go.dev/time#ParseDuration), e.g. `5m`, `1h30m`, `1.5h`. */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** RFC 3339 `date-time` (https://www.rfc-editor.org/rfc/rfc3339#section-5.6). */
const RFC3339 =
  /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/;

export function isGoDuration(text: string): boolean {
  return GO_DURATION.test(text);
}

const GO_UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** The length of a Go duration (`1h30m`) in milliseconds, or `undefined` when it is not one. */
export function goDurationMilliseconds(text: string): number | undefined {
  if (!isGoDuration(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/([0-9]+(\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * (GO_UNIT_MS[unit ?? ''] ?? 0);
  }
  return total;
}

export function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  // Reject impossible days (2024-02-30) that the shape alone accepts.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An absolute `http:` or `https:` URL. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** IPv4 dotted quad or IPv6 text form (RFC 4291 §2.2), no zone. */
export function isIp(text: string): boolean {
  const v4 = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;
  if (v4.test(text)) return true;
  if (!text.includes(':') || text.includes('%')) return false;
  try {
    return new URL(`http://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}
