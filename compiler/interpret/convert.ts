/**
 * The `convert` transforms (`keyword`, `long`, `double`, `boolean`, `ip`), exactly as the
 * TransformIR doc of `compiler/ir.ts` defines them.
 *
 * @module
 */
import type { ConvertType } from '../ir.ts';
import { isValidIp } from './ip.ts';
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const LONG_TEXT = /^-?[0-9]+$/;
const DOUBLE_TEXT = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

/** Applies one conversion; see each function for what fails. */
export function convert(value: unknown, to: ConvertType): TransformOutcome {
  switch (to) {
    case 'keyword':
      return toKeyword(value);
    case 'long':
      return toLong(value);
    case 'double':
      return toDouble(value);
    case 'boolean':
      return toBoolean(value);
    case 'ip':
      return typeof value === 'string' && isValidIp(value) ? ok(value) : FAIL;
  }
}

/**
 * String as is; an integer number as its decimal digits (`1e21` → `"1000000000000000000000"`,
 * `-0` → `"0"`); a boolean as `true`/`false`. Fractional numbers, objects and arrays fail.
 */
function toKeyword(value: unknown): TransformOutcome {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'boolean') return ok(String(value));
  if (typeof value === 'number' && Number.isInteger(value)) return ok(BigInt(value).toString());
  return FAIL;
}

/**
 * An integer JSON number, or a string of decimal digits with an optional `-`, within the signed
 * 64-bit range. The result is a JSON number: beyond ±2^53 it carries the precision of a double,
 * as any JSON document parsed by JavaScript does.
 */
function toLong(value: unknown): TransformOutcome {
  let big: bigint;
  if (typeof value === 'number' && Number.isInteger(value)) big = BigInt(value);
  else if (typeof value === 'string' && LONG_TEXT.test(value)) big = BigInt(value);
  else return FAIL;
  return big >= LONG_MIN && big <= LONG_MAX ? ok(Number(big)) : FAIL;
}

/**
 * A JSON number, or a decimal string; a string too large for a double (`1e999`) fails.
 * Negative zero becomes 0, as JSON output would print it anyway.
 */
function toDouble(value: unknown): TransformOutcome {
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && DOUBLE_TEXT.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(parsed)) return FAIL;
  return ok(parsed === 0 ? 0 : parsed);
}

/** JSON `true`/`false`, or the strings `true`/`false` in any letter case. */
function toBoolean(value: unknown): TransformOutcome {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return ok(true);
    if (lower === 'false') return ok(false);
  }
  return FAIL;
}
