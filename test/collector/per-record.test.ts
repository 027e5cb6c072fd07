/**
 * The collector's per-record path, made cheaper without changing what it computes: each fast
 * piece against the plain definition it replaces, on generated inputs (fast-check, fixed seeds,
 * printed on failure):
 * - `recordsMax` (parses one instant per page and text length) against parsing every value;
 * - `deeperThan` (recursive, allocation-free) against an explicit depth computation;
 * - `Scrubber.scrubJsonLines` (one pass over a page) against `scrub` line by line;
 * - `Scrubber.scrub`, `scrubJsonLines` and `contains` (which first look for the forms holding no
 *   other form) against replacing every form, longest first;
 * - the events a page writes: one write per page, each record's JSON text, scrubbed.
 */
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deeperThan } from '../../collector/events.ts';
import { instantNanos } from '../../collector/instant.ts';
import { EventOutput } from '../../collector/output.ts';
import { recordsMax, type Max } from '../../collector/record-max.ts';
import { SCRUBBED, Scrubber, secretForms } from '../../collector/scrub.ts';
import type { CursorIR, DateFormat } from '../../compiler/ir.ts';

/** The definition: parse every value, keep the first of the largest instants. */
function plainMax(cursor: CursorIR, records: readonly unknown[]): Max | undefined {
  if (cursor.kind !== 'record_max') return undefined;
  let max: Max | undefined;
  for (const record of records) {
    const value = (record as { t?: unknown }).t;
    const nanos = instantNanos(value, cursor.format);
    if (nanos !== undefined && (max === undefined || nanos > max.nanos)) {
      max = { text: typeof value === 'string' ? value : JSON.stringify(value), nanos };
    }
  }
  return max;
}

const cursorOf = (format: DateFormat): CursorIR =>
  ({ kind: 'record_max', field: ['t'], format, initial: { lookbackSeconds: 0 } }) as unknown as CursorIR;

/**
 * RFC 3339 texts from small pools, so that equal texts, equal instants in other texts (offsets,
 * fractions past 9 digits) and invalid fields (month 13, February 30, hour 24, :60) are common;
 * UTC or with offsets, 0-12 fraction digits.
 */
const instantText = fc
  .tuple(
    fc.constantFrom('2024', '9999'),
    fc.constantFrom('02', '13'),
    fc.constantFrom('29', '30'),
    fc.constantFrom('23', '24'),
    fc.constantFrom('59', '60'),
    fc.constantFrom('59', '60'),
    fc.constantFrom(undefined, '0', '5', '500', '123456', '123456789', '1234567890', '1234567891', '123456789123'),
    fc.constantFrom('Z', 'Z', 'Z', '+00:00', '-01:00', 'z', ''),
  )
  .map(
    ([y, mo, d, h, mi, s, frac, zone]) =>
      `${y}-${mo}-${d}T${h}:${mi}:${s}${frac === undefined ? '' : `.${frac}`}${zone}`,
  );

/** Cursor values as records hold them: mostly instants (often repeated), sometimes other JSON. */
const cursorValue = fc.oneof(
  { weight: 8, arbitrary: instantText },
  { weight: 1, arbitrary: fc.constantFrom(null, 17, 'yesterday', '2024-01-01T00:00:00ZZ', 'xxxx-xx-xxTxx:xx:xxZ') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2_000_000_000_000 }) },
);

const records = fc.array(
  cursorValue.map((t) => ({ t })),
  { maxLength: 40 },
);

describe('recordsMax', () => {
  it('is the plain maximum (first of equal instants) for iso8601, with ties, offsets and invalid texts', () => {
    const cursor = cursorOf({ kind: 'iso8601' });
    fc.assert(
      fc.property(records, (rs) => {
        // Repeat some values so that equal texts and equal instants occur.
        const page = [...rs, ...rs.slice(0, 3)];
        expect(recordsMax(cursor, page)).toEqual(plainMax(cursor, page));
      }),
      { numRuns: 3000, seed: 20261206 },
    );
  });

  it('is the plain maximum for unix_ms and unix', () => {
    for (const format of [{ kind: 'unix_ms' }, { kind: 'unix' }] as DateFormat[]) {
      const cursor = cursorOf(format);
      fc.assert(
        fc.property(records, (rs) => {
          expect(recordsMax(cursor, rs)).toEqual(plainMax(cursor, rs));
        }),
        { numRuns: 500, seed: 6 },
      );
    }
  });

  it('keeps the first text of an instant written twice, and skips a larger text that is no instant', () => {
    const cursor = cursorOf({ kind: 'iso8601' });
    const page = [
      { t: '2024-05-01T10:00:00.000Z' },
      { t: '2024-05-01T12:00:00+02:00' },
      { t: '2024-13-01T00:00:00.000Z' },
      { t: '2024-05-01T09:59:59.999Z' },
    ];
    expect(recordsMax(cursor, page)?.text).toBe('2024-05-01T10:00:00.000Z');
    expect(recordsMax(cursor, page.slice(1))?.text).toBe('2024-05-01T12:00:00+02:00');
    expect(recordsMax(cursor, [{ t: '2024-02-30T00:00:00Z' }])).toBeUndefined();
    // The same instant in another text between two copies of the first: the first copy wins.
    const tie = [{ t: '2024-05-01T10:00:00Z' }, { t: '2024-05-01T10:00:00+00:00' }, { t: '2024-05-01T10:00:00Z' }];
    expect(recordsMax(cursor, tie)).toEqual(plainMax(cursor, tie));
    expect(recordsMax(cursor, tie)?.text).toBe('2024-05-01T10:00:00Z');
    // Past 9 fraction digits, two texts are one nanosecond instant: the first wins.
    const fine = [{ t: '2024-05-01T10:00:00.1234567890Z' }, { t: '2024-05-01T10:00:00.1234567891Z' }];
    expect(recordsMax(cursor, fine)?.text).toBe('2024-05-01T10:00:00.1234567890Z');
    expect(recordsMax(cursor, [{ t: '2024-02-29T00:00:00Z' }, { t: '2024-02-30T00:00:00Z' }])?.text).toBe(
      '2024-02-29T00:00:00Z',
    );
  });
});

/** The definition: a scalar is level 0, an object or array one more than its deepest member. */
function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depth));
}

describe('deeperThan', () => {
  it('is depth(value) > limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        expect(deeperThan(value, limit)).toBe(depth(value) > limit);
      }),
      { numRuns: 2000, seed: 64 },
    );
  });

  it('stops at the limit on a record nested a million levels', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = i % 2 === 0 ? [deep] : { a: deep };
    expect(deeperThan(deep, 64)).toBe(true);
    expect(deeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(deeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });
});

describe('Scrubber.scrubJsonLines', () => {
  it('is scrub applied to each line, for secrets holding line feeds, quotes, spaces and each other', () => {
    const secret = fc.string({
      unit: fc.constantFrom('a', 'b', '\n', '"', ' ', '+', '%', 'é', '\\'),
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 3 }),
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 6 }),
        (secrets, values) => {
          const r = new Scrubber();
          for (const s of secrets) r.add(s);
          // Lines of JSON text that hold the secrets (and pieces of them) in every form.
          const lines = values.map((v, i) =>
            JSON.stringify({ v, s: secrets[i % secrets.length], t: `${secrets.join('')}x` }),
          );
          const page = `${lines.join('\n')}\n`;
          expect(r.scrubJsonLines(page)).toBe(`${lines.map((l) => r.scrub(l)).join('\n')}\n`);
        },
      ),
      { numRuns: 1500, seed: 9 },
    );
  });
});

/** The definition: every form of every secret (in the order added), longest first, replaced over the whole text. */
function plainForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const s of secrets) if (s !== '') for (const f of secretForms(s)) if (f !== '') forms.add(f);
  return [...forms].sort((a, b) => b.length - a.length);
}
function plainReplace(text: string, forms: readonly string[]): string {
  let out = text;
  for (const v of forms) if (out.includes(v)) out = out.split(v).join(SCRUBBED);
  return out;
}

describe('Scrubber', () => {
  it('scrub, scrubJsonLines and contains are the plain replacement of every form, longest first', () => {
    // Secrets whose forms hold one another (a value and its JSON or URL form, base64 with and
    // without padding, one secret inside another), and texts made of their forms and pieces.
    const unit = fc.constantFrom('a', 'b', '-', '\n', '"', ' ', '+', '/', '%', 'é', '\\', '=', '?');
    const secret = fc.string({ unit, minLength: 1, maxLength: 7 });
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.string({ unit, maxLength: 3 })), { maxLength: 8 }),
        (secrets, picks) => {
          const r = new Scrubber();
          for (const s of secrets) r.add(s);
          const forms = plainForms(secrets);
          // Each piece: a whole form, or a slice of one, then a few characters.
          const text = picks
            .map(([i, from, to, tail]) => {
              const f = forms[i % forms.length] ?? '';
              return `${from % 3 === 0 ? f : f.slice(from % (f.length + 1), to % (f.length + 1))}${tail}`;
            })
            .join('');
          expect(r.scrub(text)).toBe(plainReplace(text, forms));
          expect(r.contains(text)).toBe(forms.some((f) => text.includes(f)));
          const oneLine = forms.filter((f) => !f.includes('\n'));
          expect(r.scrubJsonLines(text)).toBe(plainReplace(text, oneLine));
        },
      ),
      { numRuns: 3000, seed: 2026 },
    );
  });
});

describe('EventOutput', () => {
  it('writes a page in one write, scrubbed as a whole, each line where it was', async () => {
    const r = new Scrubber();
    r.add('s3cr3t\nline');
    r.add('tok');
    const out = new PassThrough();
    const writes: string[] = [];
    out.on('data', (c: Buffer) => writes.push(c.toString('utf8')));
    const output = new EventOutput(out, (text) => r.scrubJsonLines(text));
    const lines = [JSON.stringify({ a: 'tok', b: 's3cr3t\nline' }), JSON.stringify({ c: 'no secret' })];
    for (const line of lines) output.add(line);
    await output.flush();
    expect(writes).toEqual([`{"a":"${SCRUBBED}","b":"${SCRUBBED}"}\n{"c":"no secret"}\n`]);
  });
});
