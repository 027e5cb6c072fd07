/**
 * The `record_max` cursor's arithmetic: the largest cursor value among records, compared as
 * instants at nanosecond precision (`instant.ts`), never as text (IR doc, "Run-time safety and
 * incremental state": a sequence commits its largest record value).
 *
 * {@link recordsMax} runs on every page, so it parses as few instants as it can: RFC 3339 texts
 * in UTC (`…Z`, at most 9 fraction digits) of the same length have the same layout (the same number of fraction digits),
 * and for two *valid* such texts the character order is the instant order (every field is
 * zero-padded, most significant first, and `parseInstant` accepts no field out of range: no
 * `24:00`, no `:60`, no February 30, see `compiler/interpret/date.ts`). So among the values of
 * one such length only the largest text can be the largest instant; it alone is parsed, and
 * only if it is not a valid instant (text that merely looks like one) are the others of that
 * length parsed one by one. Every other value (offsets, other formats, numbers) is parsed as
 * before.
 *
 * @module
 */
import { getPath } from '../compiler/interpret/index.ts';
import type { CursorIR } from '../compiler/ir.ts';
import { instantNanos } from './instant.ts';

/** A cursor value: its text (as the record has it) and its instant in nanoseconds since the epoch. */
export interface Max {
  readonly text: string;
  readonly nanos: bigint;
}

/** Keeps the larger of `a` and `b` (compared as instants; `a` when they are equal). */
export function larger(a: Max | undefined, b: Max | undefined): Max | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.nanos > a.nanos ? b : a;
}

/** Reads a stored cursor or sequence maximum; undefined when it is not an instant in the cursor's format. */
export function storedMax(cursor: CursorIR | undefined, text: string | undefined): Max | undefined {
  if (cursor?.kind !== 'record_max' || text === undefined) return undefined;
  const nanos = instantNanos(text, cursor.format);
  return nanos === undefined ? undefined : { text, nanos };
}

/** A value at a record index, parsed: undefined when it is not an instant in the cursor's format. */
interface Found extends Max {
  readonly index: number;
}

function found(cursor: Extract<CursorIR, { kind: 'record_max' }>, value: unknown, index: number): Found | undefined {
  const nanos = instantNanos(value, cursor.format);
  if (nanos === undefined) return undefined;
  return { text: typeof value === 'string' ? value : JSON.stringify(value), nanos, index };
}

/** The later instant; between equal instants, the one from the earlier record. */
function better(a: Found | undefined, b: Found | undefined): Found | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.nanos > a.nanos || (b.nanos === a.nanos && b.index < a.index) ? b : a;
}

/**
 * A text that may be an RFC 3339 instant in UTC with at most 9 fraction digits: from
 * `yyyy-MM-ddTHH:mm:ssZ` (20 characters) to 30 characters, ending in `Z`. Nanosecond instants
 * keep 9 digits, so two such valid texts are equal instants only when they are equal texts.
 */
const utcShaped = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 20 && value.length <= 30 && value.charCodeAt(value.length - 1) === 90;

/**
 * The largest cursor value among `records` (none without a `record_max` cursor); among equal
 * instants, the first record's. Exactly what parsing every value and keeping the largest gives
 * (see the module doc for why parsing fewer is the same).
 */
export function recordsMax(cursor: CursorIR | undefined, records: readonly unknown[]): Max | undefined {
  if (cursor?.kind !== 'record_max') return undefined;
  const utc = cursor.format.kind === 'iso8601';
  let max: Found | undefined;
  /**
   * Per text length (20 to 30, see {@link utcShaped}), at `length - 20`: the largest UTC-shaped
   * text of that length and the first record holding it. Arrays rather than a Map: this runs on
   * every record.
   */
  const bestText: (string | undefined)[] = [];
  const bestIndex: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const value = getPath(records[i], cursor.field);
    if (utc && utcShaped(value)) {
      const slot = value.length - 20;
      const best = bestText[slot];
      if (best === undefined || value > best) {
        bestText[slot] = value;
        bestIndex[slot] = i;
      }
      continue;
    }
    max = better(max, found(cursor, value, i));
  }
  for (let slot = 0; slot < bestText.length; slot++) {
    const text = bestText[slot];
    if (text === undefined) continue;
    const length = slot + 20;
    let m = found(cursor, text, bestIndex[slot] as number);
    if (m === undefined) {
      // The largest text of this length is no instant: parse every value of this length.
      for (let i = 0; i < records.length; i++) {
        const value = getPath(records[i], cursor.field);
        if (utcShaped(value) && value.length === length) m = better(m, found(cursor, value, i));
      }
    }
    max = better(max, m);
  }
  return max === undefined ? undefined : { text: max.text, nanos: max.nanos };
}
