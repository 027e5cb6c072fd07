/**
 * Mutations of `.map` files for the fuzzer: token deletions, duplications and swaps; hostile
 * strings (from `test/security/corpus.ts`) in string positions, escaped or raw; deep JSON bodies
 * and brackets; long transform chains and field paths; huge numbers and durations.
 *
 * Every operator works on the text and its tokens (the real lexer, `dsl/tokens.ts`), and may
 * produce an invalid map: that is the point. The seeds are the bundled maps and the injection
 * suites' map of every string position (`test/security/positions.ts`).
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IToken } from 'chevrotain';
import { mapLexer, StringLiteral } from '../../dsl/tokens.ts';
import { HOSTILE_STRINGS } from '../security/corpus.ts';
import { mapStringBody, placeAt, POSITIONS } from '../security/positions.ts';
import type { Random } from './random.ts';

export interface Seed {
  readonly name: string;
  readonly text: string;
}

/** The maps every mutant starts from. */
export function seeds(root = '.'): Seed[] {
  const dir = join(root, 'maps');
  const bundled = readdirSync(dir)
    .filter((f) => f.endsWith('.map'))
    .sort()
    .map((f) => ({ name: `maps/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
  return [...bundled, { name: 'positions', text: placeAt('integration.title', 'Hostile Vendor').map }];
}

export interface Mutant {
  /** The seed's name and the operators applied, e.g. `maps/entro.map + hostile-string + delete-token`. */
  readonly what: string;
  readonly text: string;
}

type Operator = (text: string, rng: Random) => string;

/** The tokens of `text` (lexing errors ignored: a mutant may already be broken). */
function tokens(text: string): IToken[] {
  return mapLexer.tokenize(text).tokens;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

const deleteToken: Operator = (text, rng) => {
  const all = tokens(text);
  if (all.length === 0) return text;
  const t = rng.pick(all);
  return splice(text, t.startOffset, tokenEnd(t), '');
};

const duplicateToken: Operator = (text, rng) => {
  const all = tokens(text);
  if (all.length === 0) return text;
  const t = rng.pick(all);
  return splice(text, tokenEnd(t), tokenEnd(t), ` ${t.image}`);
};

const swapTokens: Operator = (text, rng) => {
  const all = tokens(text);
  if (all.length < 2) return text;
  // Neighbours most of the time (plausible typos), anywhere otherwise.
  const i = rng.below(all.length - 1);
  const j = rng.chance(0.7) ? i + 1 : rng.below(all.length);
  const [a, b] = i < j ? [all[i]!, all[j]!] : [all[j]!, all[i]!];
  if (a === b) return text;
  return (
    text.slice(0, a.startOffset) + b.image + text.slice(tokenEnd(a), b.startOffset) + a.image + text.slice(tokenEnd(b))
  );
};

function stringTokens(text: string): IToken[] {
  return tokens(text).filter((t) => t.tokenType === StringLiteral);
}

/** A hostile string, spelled with escapes, replacing (or extending) a string literal's content. */
const hostileString: Operator = (text, rng) => {
  const strings = stringTokens(text);
  if (strings.length === 0) return text;
  const t = rng.pick(strings);
  const body = mapStringBody(rng.pick(HOSTILE_STRINGS));
  const inside = t.image.slice(1, -1);
  const content = rng.chance(0.5) ? body : rng.chance(0.5) ? `${inside}${body}` : `${body}${inside}`;
  return splice(text, t.startOffset, tokenEnd(t), `"${content}"`);
};

/** Characters a string may hold raw in the file (no quote, backslash or line break). */
const RAW = [
  '\u0000',
  '\u0001',
  '\t',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udfff',
  '$',
  '%{',
  '{{',
  '\u202e',
];

/** A raw special character written directly inside a string literal. */
const rawCharacter: Operator = (text, rng) => {
  const strings = stringTokens(text);
  if (strings.length === 0) return text;
  const t = rng.pick(strings);
  const at = t.startOffset + 1 + rng.below(Math.max(1, t.image.length - 1));
  return splice(text, at, at, rng.pick(RAW));
};

const DEPTHS = [10, 40, 100, 1_000, 10_000];

/** A deeply nested JSON value in a request body (or, without one, after a random `{`). */
const deepJson: Operator = (text, rng) => {
  const depth = rng.pick(DEPTHS);
  const array = rng.chance(0.3);
  const value = array ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"d": '.repeat(depth)}1${'}'.repeat(depth)}`;
  const body = text.indexOf('body {');
  if (body >= 0) return splice(text, body + 6, body + 6, ` "deep": ${value},`);
  const braces = tokens(text).filter((t) => t.image === '{');
  if (braces.length === 0) return text;
  const at = tokenEnd(rng.pick(braces));
  return splice(text, at, at, ` ${value} `);
};

const LENGTHS = [17, 30, 100, 1_000, 10_000];
const CHAIN_LINKS = [' | lowercase', ' | uppercase', ' | keyword', ' | hash', ' | mask(2)'];

/** A long chain of transforms after a rule's value. */
const longChain: Operator = (text, rng) => {
  const pipes = tokens(text).filter((t) => t.image === '|');
  if (pipes.length === 0) return text;
  const link = rng.pick(CHAIN_LINKS);
  const at = pipes[rng.below(pipes.length)]!.startOffset;
  return splice(text, at, at, link.repeat(rng.pick(LENGTHS)).slice(1) + ' ');
};

/** A long field path: a path segment followed by many more. */
const longPath: Operator = (text, rng) => {
  const all = tokens(text);
  const dots = all.filter((t) => t.image === '.');
  if (dots.length === 0) return text;
  const at = tokenEnd(rng.pick(dots));
  const n = rng.pick([21, 40, 1_000, 20_000]);
  return splice(text, at, at, 'x.'.repeat(n));
};

const HUGE_NUMBERS = [
  '99999999999999999999',
  `1${'0'.repeat(400)}`,
  '-99999999999999999999',
  '9007199254740993',
  '4294967296',
  '2147483648',
  '0',
  '-1',
  '100000',
  '257',
  '10001',
  '0.5',
];
const HUGE_DURATIONS = ['99999999999999999999d', '2562048h', '0s', '0ms', '366d', '9999999999ms', '1d'];

/** A number or duration replaced by a huge (or zero, or negative) one. */
const hugeNumber: Operator = (text, rng) => {
  const all = tokens(text).filter((t) => /^-?[0-9]/.test(t.image));
  if (all.length === 0) return text;
  const t = rng.pick(all);
  const duration = /[A-Za-z]/.test(t.image);
  return splice(text, t.startOffset, tokenEnd(t), rng.pick(duration ? HUGE_DURATIONS : HUGE_NUMBERS));
};

/** Many opening brackets at once (parser depth). */
const deepBrackets: Operator = (text, rng) => {
  const at = rng.below(text.length + 1);
  const open = rng.pick(['{', '[', '(']);
  return splice(text, at, at, open.repeat(rng.pick(DEPTHS)));
};

export const OPERATORS: readonly { readonly name: string; readonly weight: number; readonly apply: Operator }[] = [
  { name: 'delete-token', weight: 6, apply: deleteToken },
  { name: 'duplicate-token', weight: 4, apply: duplicateToken },
  { name: 'swap-tokens', weight: 4, apply: swapTokens },
  { name: 'hostile-string', weight: 10, apply: hostileString },
  { name: 'raw-character', weight: 3, apply: rawCharacter },
  { name: 'deep-json', weight: 2, apply: deepJson },
  { name: 'deep-brackets', weight: 1, apply: deepBrackets },
  { name: 'long-chain', weight: 2, apply: longChain },
  { name: 'long-path', weight: 2, apply: longPath },
  { name: 'huge-number', weight: 3, apply: hugeNumber },
];

const TOTAL_WEIGHT = OPERATORS.reduce((sum, op) => sum + op.weight, 0);

function pickOperator(rng: Random): (typeof OPERATORS)[number] {
  let n = rng.below(TOTAL_WEIGHT);
  for (const op of OPERATORS) {
    if (n < op.weight) return op;
    n -= op.weight;
  }
  return OPERATORS[0]!;
}

/**
 * One mutant. A quarter are the injection suites' map with one hostile string in one string
 * position (`placeAt`, spelled so that it decodes to the hostile text), sometimes mutated once
 * more: most of them compile, so the backends and the engine checks see hostile text in every
 * position. The rest are a seed with one to three operators applied.
 */
export function mutate(all: readonly Seed[], rng: Random): Mutant {
  if (rng.chance(0.25)) {
    const position = rng.pick(POSITIONS);
    const placed = placeAt(position.name, rng.pick(HOSTILE_STRINGS));
    const what = `positions + ${position.name} hostile`;
    if (!rng.chance(0.2)) return { what, text: placed.map };
    const op = pickOperator(rng);
    return { what: `${what} + ${op.name}`, text: op.apply(placed.map, rng) };
  }
  const seed = rng.pick(all);
  let text = seed.text;
  const names: string[] = [seed.name];
  const count = 1 + (rng.chance(0.3) ? 1 + rng.below(2) : 0);
  for (let i = 0; i < count; i++) {
    const op = pickOperator(rng);
    text = op.apply(text, rng);
    names.push(op.name);
  }
  return { what: names.join(' + '), text };
}
