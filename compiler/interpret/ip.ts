/**
 * IP address validation for `convert ip`.
 *
 * @module
 */
import { isIP } from 'node:net';

/**
 * True for an IPv4 dotted quad or an IPv6 address in RFC 4291 §2.2 text form, without a zone.
 *
 * Delegates to Node's `net.isIP` (Node 20), which accepts:
 * - IPv4: exactly four decimal parts 0-255 without leading zeros (`01.2.3.4` is rejected);
 * - IPv6: the full form (`2001:db8:0:0:0:0:0:1`), `::` compression once (`2001:db8::1`, `::`,
 *   `::1`), either letter case, and an embedded IPv4 tail (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`).
 * It rejects brackets (`[::1]`), prefixes (`/64`) and surrounding whitespace. It would accept a
 * zone (`fe80::1%eth0`), which the IR excludes, hence the explicit `%` test.
 */
export function isValidIp(text: string): boolean {
  return !text.includes('%') && isIP(text) !== 0;
}
