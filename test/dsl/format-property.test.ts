/**
 * Properties of `mapc fmt`'s formatter on maps fast-check makes: the bundled maps with their
 * whitespace, string spellings and comments mutated, and maps put together from valid pieces.
 * - the layout of the input does not matter: re-spacing a map (keeping which gaps hold a blank
 *   line) and re-spelling its strings formats to the same text;
 * - formatting is idempotent;
 * - formatting never changes what a map means: its AST and IR, compared without spans, are those
 *   of the input; every comment is kept, in order, with its text.
 * Seeds are fixed; fast-check prints the seed and the smallest failing case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMap } from '../../dsl/format/index.ts';
import { mapLexer, StringLiteral } from '../../dsl/tokens.ts';
import { astOf, commentTexts, format, irOf } from './format-support.ts';

const MAPS = readdirSync('maps')
  .filter((f) => f.endsWith('.map'))
  .sort()
  .map((f) => readFileSync(join('maps', f), 'utf8'));

/** A map cut into its tokens and the gaps around them (`gaps[i]` precedes `tokens[i]`; one more gap at the end). */
interface Cut {
  readonly tokens: string[];
  readonly strings: boolean[];
  readonly gaps: string[];
}

function cut(text: string): Cut {
  const lexed = mapLexer.tokenize(text);
  expect(lexed.errors).toEqual([]);
  const tokens: string[] = [];
  const strings: boolean[] = [];
  const gaps: string[] = [];
  let from = 0;
  for (const t of lexed.tokens) {
    gaps.push(text.slice(from, t.startOffset));
    tokens.push(t.image);
    strings.push(t.tokenType === StringLiteral);
    from = t.startOffset + t.image.length;
  }
  gaps.push(text.slice(from));
  return { tokens, strings, gaps };
}

function join2(c: Cut): string {
  return c.tokens.map((t, i) => c.gaps[i] + t).join('') + c.gaps[c.tokens.length];
}

/** Whitespace that may replace a gap without a comment or a blank line (`''` only where there was none). */
const SPACE = fc.constantFrom(' ', '  ', '\t', '\n', '\n    ', ' \t ');
const BLANK = fc.constantFrom('\n\n', '\n  \n\t', '\n\n\n\n      ');

/** Re-spaces every gap: a gap with a comment stays, a gap with a blank line gets another blank line. */
function respace(c: Cut): fc.Arbitrary<Cut> {
  const gapArbs = c.gaps.map((g) => {
    if (g.includes('#')) return fc.constant(g);
    if (/\n[ \t]*\n/.test(g)) return BLANK;
    if (g === '') return fc.oneof(fc.constant(''), SPACE);
    return SPACE;
  });
  return fc.tuple(...gapArbs).map((gaps) => ({ ...c, gaps }));
}

/**
 * Writes some characters of a string as `\u{...}` escapes: never a brace, a quote, a backslash or
 * a character between braces (a placeholder's name must stay a name).
 */
function respell(image: string, picks: readonly number[]): string {
  const chars = [...image.slice(1, -1)];
  // Only characters outside escapes: walk the content and skip every escape sequence whole.
  const out: string[] = [];
  let inPlaceholder = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '{') inPlaceholder = true;
    if (ch === '}') inPlaceholder = false;
    if (ch === '\\') {
      const rest = chars.slice(i).join('');
      const m = /^\\u\{[0-9A-Fa-f]+\}|^\\./.exec(rest);
      const len = [...(m?.[0] ?? ch)].length;
      out.push(chars.slice(i, i + len).join(''));
      i += len - 1;
      continue;
    }
    const pick = picks[i % Math.max(picks.length, 1)] ?? 0;
    if (pick % 3 === 0 && !inPlaceholder && !'{}"\\'.includes(ch)) {
      const hex = (ch.codePointAt(0) ?? 0).toString(16);
      out.push(`\\u{${pick % 2 === 0 ? hex.toUpperCase() : `00${hex}`}}`);
    } else out.push(ch);
  }
  return `"${out.join('')}"`;
}

function respellAll(c: Cut): fc.Arbitrary<Cut> {
  return fc.array(fc.nat({ max: 11 }), { minLength: 1, maxLength: 8 }).map((picks) => ({
    ...c,
    tokens: c.tokens.map((t, i) => (c.strings[i] ? respell(t, picks.slice(i % picks.length)) : t)),
  }));
}

/** Puts comments into random gaps: trailing (`  # cN` at the end of the line) or on a line of their own. */
function comment(c: Cut): fc.Arbitrary<Cut> {
  return fc
    .uniqueArray(fc.tuple(fc.nat({ max: c.gaps.length - 1 }), fc.boolean()), {
      maxLength: 6,
      selector: ([at]) => at,
    })
    .map((inserts) => {
      const gaps = [...c.gaps];
      inserts.forEach(([at, trailing], n) => {
        gaps[at] = `${trailing ? ' ' : '\n'}# note ${n} {x} "y"\n${gaps[at]}`;
      });
      return { ...c, gaps };
    });
}

describe('formatting mutated bundled maps', () => {
  it('gives the same text whatever the spacing and string spellings (blank lines kept)', () => {
    const cases = fc.constantFrom(...MAPS.keys()).chain((m) =>
      respace(cut(MAPS[m]!))
        .chain(respellAll)
        .map((c) => ({ m, text: join2(c) })),
    );
    fc.assert(
      fc.property(cases, ({ m, text }) => {
        expect(format(text)).toBe(MAPS[m]);
      }),
      { numRuns: 60, seed: 20260110 },
    );
  });

  it('keeps every comment and the IR, and is idempotent', () => {
    const cases = fc.constantFrom(...MAPS.keys()).chain((m) =>
      respace(cut(MAPS[m]!))
        .chain(comment)
        .map((c) => ({ m, text: join2(c) })),
    );
    fc.assert(
      fc.property(cases, ({ m, text }) => {
        const formatted = format(text);
        expect(commentTexts(formatted)).toEqual(commentTexts(text));
        expect(irOf(formatted)).toEqual(irOf(MAPS[m]!));
        expect(format(formatted)).toBe(formatted);
      }),
      { numRuns: 60, seed: 424242 },
    );
  });
});

// ------------------------------------------------------------------ maps made of valid pieces

const SETTINGS = [
  'setting region: string = "eu" { title "Region" description "Where the tenant lives." }',
  'setting every: duration = "5m" required',
  'setting keep_original: bool = false { title "Keep the original" }',
  'setting page_size: int = 100',
];
const AUTHS = [
  'auth bearer secret.token',
  'auth header "X-Api-Key" = secret.token',
  'auth basic { username = setting.user password = secret.token }',
  'auth oauth2 { token_url "{base_url}/oauth/token" client_id = setting.user client_secret = secret.token scopes "read" "audit" }',
];
const PAGINATIONS = [
  'paginate page_token { token next send query "page_token" }',
  'paginate cursor_has_more { cursor page.next has_more page.more send query "cursor" }',
  'paginate page_number { send query "page" start 1 size query "per_page" = 50 }',
  'paginate offset { offset query "offset" limit query "limit" = 100 total meta.total }',
  'paginate link_header',
];
const STREAM_ITEMS = [
  'title "Audit logs"',
  'description "Everything \\"audited\\"."',
  'rate_limit { retry_after remaining "X-RateLimit-Remaining" reset "X-RateLimit-Reset" requests_per_second 2.5 }',
  'retry { attempts 4 backoff 2s to 1m }',
  'max_pages 50',
  'split entries',
];
const REQUESTS = [
  'request GET "{base_url}/v1/events" { header "Accept" = "application/json" query "since" = "{cursor}" optional }',
  'request POST "{base_url}/v1/search" { body { "from": "{cursor}", "size": 100, "filter": { "kinds": ["a", "b"], "on": true, "x": null } } }',
  'request GET "{base_url}/v1/events?raw={{x}}"',
];
const RULES = [
  'event.kind = "event"',
  'event.category += "authentication"',
  'event.type += "start"',
  'event.action = act | lowercase',
  'user.name = actor.name',
  'related.user += actor.name',
  'source.ip = addr | ip',
  'related.ip += addr | ip',
  'event.outcome = "success" when ok == true',
  'event.outcome = "failure" when ok != true',
  'event.id = id',
  'labels.region = region | uppercase',
  'related.hash += value | hash',
  'log.origin.file.line = line | long',
  'message = "said \\"hi\\" {not a placeholder}"',
  'event.reason = reason when exists reason',
  'event.provider = "Date & Time" | keyword when not exists provider',
  'labels.kind = kind | lookup(kinds) when setting.keep_original',
  'acme.audit."odd name".x = v | mask(2)',
  'event.severity = sev | long',
];
const OPTIONS = [
  'namespace acme.audit',
  'unmapped drop',
  'original when setting.keep_original',
  'id id, ts',
  'remove junk, x."y z"',
];

const generatedMap = fc
  .record({
    settings: fc.subarray(SETTINGS),
    items: fc.tuple(
      fc.shuffledSubarray(STREAM_ITEMS),
      fc.subarray(AUTHS, { maxLength: 1 }),
      fc.subarray(PAGINATIONS, { maxLength: 1 }),
    ),
    request: fc.constantFrom(...REQUESTS),
    options: fc.subarray(OPTIONS),
    rules: fc.shuffledSubarray(RULES, { minLength: 1, maxLength: 10 }),
  })
  .map(
    ({
      settings,
      items,
      request,
      options,
      rules,
    }) => `integration acme { title "Acme" vendor "Acme" version "1.0.0" description "Acme logs." }
setting base_url: url = "https://api.acme.test"
setting user: string required
setting backfill: timestamp { title "Backfill start" }
${settings.join('\n')}
secret token
table kinds { "a" => "x" default "y" }
stream audit {
  dataset "acme.audit"
  interval 5m
  ${items.flat().join('\n  ')}
  ${request}
  records data.items
  cursor { max ts format iso8601 start setting.backfill }
  map {
    ${options.join('\n    ')}
    @timestamp = ts | date(iso8601, "dd/MM/yyyy HH:mm")
    ${rules.join('\n    ')}
  }
}
`,
  );

describe('formatting generated maps', () => {
  it('keeps their AST, IR and comments, and is idempotent', () => {
    let compiled = 0;
    fc.assert(
      fc.property(
        generatedMap.chain((text) => respace(cut(text)).chain(comment).map(join2)),
        (text) => {
          const formatted = format(text);
          expect(astOf(formatted)).toEqual(astOf(text));
          const ir = irOf(text);
          if (ir !== undefined) compiled += 1;
          expect(irOf(formatted)).toEqual(ir);
          expect(commentTexts(formatted)).toEqual(commentTexts(text));
          expect(format(formatted)).toBe(formatted);
        },
      ),
      { numRuns: 80, seed: 1917 },
    );
    // Most generated maps pass the checks, so the IR comparison is not vacuous.
    expect(compiled).toBeGreaterThan(20);
  });
});

describe('formatting randomly edited maps', () => {
  // The edits of test/dsl/robustness.test.ts: most break the map, some leave it valid but odd.
  const edit = fc.record({
    map: fc.constantFrom(...MAPS.keys()),
    at: fc.nat(),
    remove: fc.nat({ max: 40 }),
    insert: fc.string({
      unit: fc.constantFrom('{', '}', '"', '\\', '=', '.', ',', '|', '(', ')', ' ', '\n', 'x', '1', '#', 'when', 'map'),
    }),
  });

  it('never throws: a broken map is refused, a valid one formatted without changing its AST', () => {
    let formatted = 0;
    fc.assert(
      fc.property(edit, ({ map, at, remove, insert }) => {
        const original = MAPS[map]!;
        const pos = at % (original.length + 1);
        const text = original.slice(0, pos) + insert + original.slice(pos + remove);
        const result = formatMap(text, 'f.map');
        if (!result.ok) {
          expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          return;
        }
        formatted += 1;
        expect(astOf(result.text)).toEqual(astOf(text));
        expect(format(result.text)).toBe(result.text);
      }),
      { numRuns: 150, seed: 31337 },
    );
    expect(formatted).toBeGreaterThan(10);
  });
});
