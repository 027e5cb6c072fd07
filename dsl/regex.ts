/**
 * The one parser of `extract("REGEX")` patterns: mapc's portable regex subset, cut into parsed
 * items once, in the front end. The checks report a {@link RegexProblem} (E0182, E0183), the IR
 * carries the {@link ParsedRegex} (`TransformIR` `extract` in `compiler/ir.ts`), and the
 * interpreter and every backend write it in their engine's dialect with {@link renderRegex} and a
 * {@link RegexDialect} of their own (the interpreter: RE2, run by re2js;
 * ingest: Joni in the `grok` processor; VRL: Rust's `regex` crate; Logstash: JRuby's `Regexp`,
 * also Joni). Nobody reparses the pattern text.
 *
 * The subset, and what each construct means everywhere (docs/language.md "extract"):
 * - a literal character; `\` before ASCII punctuation is that character; `\t \n \r \f \v`,
 *   `\xHH`, `\uHHHH` and `\u{H...}` are the code point;
 * - `.` is one Unicode code point other than `\n` (JavaScript's own `.` also excludes `\r`,
 *   U+2028 and U+2029, so every dialect writes the class `[^\n]`);
 * - classes `[...]` and `[^...]` of characters and ranges; `\d \w \s` (also inside a class) and
 *   `\D \W \S` (outside) are ASCII only: `[0-9]`, `[A-Za-z0-9_]`, `[\t\n\v\f\r ]` (written out
 *   as classes, since Rust's are Unicode and JavaScript's `\s` is);
 * - quantifiers `* + ? {m} {m,} {m,n}`, greedy or lazy (a `?` after them);
 * - alternation `|`, groups `(?:...)`, and either exactly one capturing group `(...)` or one or
 *   more named ones `(?<name>...)`, never one inside another (E0183);
 * - `^` and `$`: the start and end of the whole text (Joni's `^ $` are line anchors: dialects
 *   write `\A \z` where needed).
 *
 * Refused (E0182, with the construct and its column in the message): everything else
 * (backreferences, lookaround, other named-group syntaxes, inline flags, `\p{..}`, `\b`, possessive
 * quantifiers, other escapes), and what could make a backtracking engine (JavaScript, Joni) take
 * time beyond a polynomial of low degree in the text's length: a quantifier on a group may only
 * repeat a sequence of characters and classes (no quantifier, group, alternation or anchor inside,
 * and at least one character), so no quantifier nests and no repeated body matches the empty
 * text; at most {@link MAX_VARIABLE_QUANTIFIERS} quantifiers of variable length; counts up to
 * {@link MAX_REPEAT}; patterns up to {@link MAX_PATTERN_LENGTH} code points.
 *
 * @module
 */

/** Longest pattern, in code points. */
export const MAX_PATTERN_LENGTH = 256;
/** Largest count of a `{m,n}` quantifier. */
export const MAX_REPEAT = 255;
/**
 * Most quantifiers of variable length (`* + ? {m,} {m,n}` with m < n) in one pattern: with no
 * nested quantifier, a backtracking engine tries at most O(n^k) ways per start position for k of
 * them, so the search stays within O(n^(k+1)) steps for a text of n characters.
 */
export const MAX_VARIABLE_QUANTIFIERS = 3;

/** An inclusive range of code points. */
export type CodeRange = readonly [number, number];

/** One item of a sequence. */
export type RegexItem =
  /** One literal code point. */
  | { readonly kind: 'char'; readonly cp: number }
  /** `.`: any code point but `\n`. */
  | { readonly kind: 'any' }
  /** A class: any code point in one of the ranges (or in none, when negated). */
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly CodeRange[] }
  /** `^` (start of the text) or `$` (end of the text). */
  | { readonly kind: 'anchor'; readonly at: 'start' | 'end' }
  /** `(...)` or `(?<name>...)` (a capture: `name` for a named one) or `(?:...)`. */
  | { readonly kind: 'group'; readonly capture: boolean; readonly name?: string; readonly body: RegexAlternatives }
  /** An item repeated `min` to `max` times (`max` undefined: unbounded); `lazy`: as few as possible first. */
  | {
      readonly kind: 'repeat';
      readonly item: RegexItem;
      readonly min: number;
      readonly max: number | undefined;
      readonly lazy: boolean;
    };

/** Alternatives (`a|b`), each a sequence of items; one alternative when there is no `|`. */
export type RegexAlternatives = readonly (readonly RegexItem[])[];

/**
 * A parsed pattern of the subset: exactly one unnamed capturing group (`names` undefined), or
 * one or more named ones (`names`, in the order of their `(`), none inside another.
 */
export interface ParsedRegex {
  readonly kind: 'regex';
  readonly body: RegexAlternatives;
  readonly names?: readonly string[];
}

/** Most named groups in one pattern. */
export const MAX_NAMED_GROUPS = 16;

/** Why a pattern is not in the subset: `code` E0182 (construct) or E0183 (not one capture group). */
export interface RegexProblem {
  readonly kind: 'problem';
  readonly code: 'E0182' | 'E0183';
  readonly message: string;
  /** 1-based column (in code points) inside the pattern text. */
  readonly column: number;
}

/** ASCII `\d`, `\w`, `\s` as ranges. */
export const DIGIT: readonly CodeRange[] = [[0x30, 0x39]];
export const WORD: readonly CodeRange[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
export const SPACE: readonly CodeRange[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
];

class Refused extends Error {
  constructor(
    readonly code: 'E0182' | 'E0183',
    readonly problem: string,
    readonly column: number,
  ) {
    super(problem);
  }
}

const SHORTHANDS: Readonly<Record<string, readonly CodeRange[]>> = { d: DIGIT, w: WORD, s: SPACE };
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, r: 0x0d, f: 0x0c, v: 0x0b };
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  b: 'a word boundary \\b',
  B: 'a non-boundary \\B',
  A: '\\A (write ^)',
  z: '\\z (write $)',
  Z: '\\Z (write $)',
  G: '\\G',
  k: 'a backreference \\k',
  p: 'a Unicode property \\p',
  P: 'a Unicode property \\P',
  Q: 'a quote \\Q',
  E: 'a quote end \\E',
  c: 'a control escape \\c',
  h: '\\h (engines disagree)',
  R: '\\R',
  X: '\\X',
  K: '\\K',
};

/** Parses `text` (the string literal's value) into the subset, or says what is refused and where. */
export function parseRegex(text: string): ParsedRegex | RegexProblem {
  try {
    return new Parser(text).pattern();
  } catch (e) {
    if (e instanceof Refused) return { kind: 'problem', code: e.code, message: e.problem, column: e.column };
    throw e;
  }
}

class Parser {
  private readonly cps: number[];
  private pos = 0;
  private captures = 0;
  private readonly names: string[] = [];
  private inCapture = false;
  private variable = 0;

  constructor(text: string) {
    this.cps = Array.from(text, (c) => c.codePointAt(0)!);
  }

  pattern(): ParsedRegex {
    if (this.cps.length > MAX_PATTERN_LENGTH)
      this.refuse(`a pattern longer than ${MAX_PATTERN_LENGTH} characters`, MAX_PATTERN_LENGTH + 1);
    const body = this.alternatives();
    if (this.pos < this.cps.length) this.refuse('an unmatched )', this.pos + 1);
    if (this.names.length > 0) {
      if (this.captures > 0)
        throw new Refused(
          'E0183',
          'the pattern mixes named and unnamed capturing groups; name them all, or write the others as (?:...)',
          1,
        );
      return { kind: 'regex', body, names: [...this.names] };
    }
    if (this.captures !== 1)
      throw new Refused(
        'E0183',
        this.captures === 0
          ? 'the pattern has no capturing group: write the part to extract in ( )'
          : `the pattern has ${this.captures} capturing groups; extract takes exactly one unnamed group (write the others as (?:...)) or named groups (?<name>...)`,
        1,
      );
    return { kind: 'regex', body };
  }

  private refuse(what: string, column = this.pos + 1): never {
    throw new Refused('E0182', `${what} at column ${column}`, column);
  }

  private peek(offset = 0): string | undefined {
    const cp = this.cps[this.pos + offset];
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  private alternatives(): RegexItem[][] {
    const alts: RegexItem[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): RegexItem[] {
    const items: RegexItem[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return items;
      items.push(this.quantified(this.atom()));
    }
  }

  private quantified(atom: RegexItem): RegexItem {
    const at = this.pos;
    const q = this.quantifier();
    if (q === undefined) return atom;
    if (atom.kind === 'anchor') this.refuse('a quantifier on an anchor', at + 1);
    if (atom.kind === 'group') {
      const body = atom.body;
      const plain =
        body.length === 1 &&
        body[0]!.length > 0 &&
        body[0]!.every((i) => i.kind === 'char' || i.kind === 'any' || i.kind === 'class');
      if (!plain)
        this.refuse(
          'a quantifier on a group holding more than characters and classes (a nested quantifier, group, alternation or anchor; engines could backtrack without bound or repeat empty matches differently)',
          at + 1,
        );
    }
    if (q.max === undefined || q.max !== q.min) {
      this.variable++;
      if (this.variable > MAX_VARIABLE_QUANTIFIERS)
        this.refuse(`more than ${MAX_VARIABLE_QUANTIFIERS} quantifiers of variable length`, at + 1);
    }
    const next = this.peek();
    if (next === '*' || next === '+' || next === '?' || next === '{')
      this.refuse(next === '+' ? 'a possessive quantifier' : 'a quantifier after a quantifier', this.pos + 1);
    return { kind: 'repeat', item: atom, min: q.min, max: q.max, lazy: q.lazy };
  }

  private quantifier(): { min: number; max: number | undefined; lazy: boolean } | undefined {
    const c = this.peek();
    let min: number;
    let max: number | undefined;
    if (c === '*') [min, max] = [0, undefined];
    else if (c === '+') [min, max] = [1, undefined];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const rest = String.fromCodePoint(...this.cps.slice(this.pos, this.pos + 16));
      const m = /^\{(\d{1,6})(?:(,)(\d{0,6}))?\}/.exec(rest);
      if (!m) this.refuse('a { that is not a quantifier {m}, {m,} or {m,n} (write \\{ for the character)');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
      if (min > MAX_REPEAT || (max !== undefined && max > MAX_REPEAT)) this.refuse(`a count above ${MAX_REPEAT}`);
      if (max !== undefined && max < min) this.refuse('a quantifier {m,n} with n below m');
      this.pos += m[0].length - 1;
    } else return undefined;
    this.pos++;
    const lazy = this.peek() === '?';
    if (lazy) this.pos++;
    return { min, max, lazy };
  }

  private atom(): RegexItem {
    const c = this.peek()!;
    const column = this.pos + 1;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        this.pos++;
        return { kind: 'any' };
      case '^':
        this.pos++;
        return { kind: 'anchor', at: 'start' };
      case '$':
        this.pos++;
        return { kind: 'anchor', at: 'end' };
      case '\\': {
        const e = this.escape(false);
        return Array.isArray(e.ranges)
          ? { kind: 'class', negated: e.negated, ranges: e.ranges }
          : { kind: 'char', cp: e.cp! };
      }
      case '*':
      case '+':
      case '?':
        return this.refuse(`a quantifier ${c} with nothing to repeat`, column);
      case '{':
        return this.refuse('an unescaped { (write \\{)', column);
      case '}':
        return this.refuse('an unescaped } (write \\})', column);
      case ']':
        return this.refuse('an unescaped ] (write \\])', column);
      default:
        this.pos++;
        return { kind: 'char', cp: c.codePointAt(0)! };
    }
  }

  private group(): RegexItem {
    const column = this.pos + 1;
    this.pos++;
    let capture = true;
    let name: string | undefined;
    const named = this.peek() === '?' && this.peek(1) === '<' && this.peek(2) !== '=' && this.peek(2) !== '!';
    if (named) {
      const rest = String.fromCodePoint(...this.cps.slice(this.pos + 2, this.pos + 2 + 66));
      const m = /^([A-Za-z_][A-Za-z0-9_]{0,63})>/.exec(rest);
      if (!m)
        this.refuse('a group name that is not 1 to 64 ASCII letters, digits or _ (not starting with a digit)', column);
      name = m[1]!;
      if (this.names.includes(name)) this.refuse(`a second group named ${name}`, column);
      if (this.names.length >= MAX_NAMED_GROUPS) this.refuse(`more than ${MAX_NAMED_GROUPS} named groups`, column);
      this.names.push(name);
      this.pos += 2 + m[0].length;
    } else if (this.peek() === '?') {
      if (this.peek(1) !== ':') {
        const next = this.peek(1);
        const two = `${next ?? ''}${this.peek(2) ?? ''}`;
        const what =
          next === '=' || next === '!'
            ? 'a lookahead'
            : two === '<=' || two === '<!'
              ? 'a lookbehind'
              : next === 'P' || next === "'"
                ? 'a named group other than (?<name>...)'
                : next === '>'
                  ? 'an atomic group'
                  : next === '#'
                    ? 'a comment group'
                    : 'an inline flag or other (? group';
        this.refuse(what, column);
      }
      this.pos += 2;
      capture = false;
    } else {
      this.captures++;
    }
    if (capture && this.inCapture) this.refuse('a capturing group inside another', column);
    const outer = this.inCapture;
    this.inCapture ||= capture;
    const body = this.alternatives();
    this.inCapture = outer;
    if (this.peek() !== ')') this.refuse('an unclosed (', column);
    this.pos++;
    return name === undefined ? { kind: 'group', capture, body } : { kind: 'group', capture, name, body };
  }

  private charClass(): RegexItem {
    const column = this.pos + 1;
    this.pos++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: CodeRange[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.refuse('an unclosed [', column);
      if (c === ']') {
        if (first) this.refuse('an empty class (write \\] for the character)');
        this.pos++;
        break;
      }
      if (c === '[') this.refuse('an unescaped [ inside a class (write \\[)');
      const lo = this.classAtom();
      if (Array.isArray(lo)) {
        ranges.push(...lo);
      } else if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        const dash = this.pos + 1;
        this.pos++;
        const hi = this.classAtom();
        if (Array.isArray(hi)) this.refuse('a range ending in a shorthand class', dash + 1);
        if (hi < lo) this.refuse('a range out of order', dash);
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
      first = false;
    }
    return { kind: 'class', negated, ranges };
  }

  /** One code point of a class, or the ranges of `\d \w \s`. */
  private classAtom(): number | CodeRange[] {
    const c = this.peek()!;
    if (c !== '\\') {
      if (c === '&' && this.peek(1) === '&')
        this.refuse('&& inside a class (class intersection in Joni and Rust; write \\&)');
      if (c === '-' && this.peek(1) === '-') this.refuse('-- inside a class (class difference in Rust; write \\-)');
      if (c === '~' && this.peek(1) === '~') this.refuse('~~ inside a class (write \\~)');
      this.pos++;
      return c.codePointAt(0)!;
    }
    const e = this.escape(true);
    if (e.ranges) return [...e.ranges];
    return e.cp!;
  }

  /** An escape at `\`; shorthand classes as ranges (negated ones only outside classes). */
  private escape(inClass: boolean): { cp?: number; ranges?: readonly CodeRange[]; negated: boolean } {
    const column = this.pos + 1;
    this.pos++;
    const c = this.peek();
    if (c === undefined) this.refuse('a \\ at the end', column);
    this.pos++;
    const lower = c.toLowerCase();
    if (SHORTHANDS[lower]) {
      const negated = c !== lower;
      if (negated && inClass) this.refuse(`\\${c} inside a class`, column);
      return { ranges: SHORTHANDS[lower], negated };
    }
    if (CONTROL_ESCAPES[c] !== undefined) return { cp: CONTROL_ESCAPES[c], negated: false };
    if (c === 'x') {
      const m = /^[0-9A-Fa-f]{2}/.exec(this.take(2));
      if (!m) this.refuse('\\x without two hex digits', column);
      this.pos += 2;
      return { cp: parseInt(m[0], 16), negated: false };
    }
    if (c === 'u') {
      if (this.peek() === '{') {
        const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.take(9));
        const cp = m ? parseInt(m[1]!, 16) : NaN;
        if (!m || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          this.refuse('\\u{...} that is not a Unicode scalar value', column);
        this.pos += m[0].length;
        return { cp, negated: false };
      }
      const m = /^[0-9A-Fa-f]{4}/.exec(this.take(4));
      const cp = m ? parseInt(m[0], 16) : NaN;
      if (!m || (cp >= 0xd800 && cp <= 0xdfff))
        this.refuse('\\u without four hex digits of a Unicode scalar value', column);
      this.pos += 4;
      return { cp, negated: false };
    }
    if (/^[0-9]$/.test(c)) this.refuse(c === '0' ? 'a NUL or octal escape \\0' : `a backreference \\${c}`, column);
    if (/^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(c)) return { cp: c.codePointAt(0)!, negated: false };
    this.refuse(NAMED_ESCAPES[c] ?? `an unknown escape \\${c}`, column);
  }

  private take(n: number): string {
    return String.fromCodePoint(...this.cps.slice(this.pos, this.pos + n));
  }
}

/**
 * How one engine writes the subset. Every method returns that engine's regex text; a dialect that
 * must refuse a construct throws from its method (the caller turns that into a refusal).
 */
export interface RegexDialect {
  /** A literal code point outside a class. */
  readonly char: (cp: number) => string;
  /** A code point as a class member or range end. */
  readonly classChar: (cp: number) => string;
  /** `.`. */
  readonly any: string;
  readonly start: string;
  readonly end: string;
  /** A capturing group around its body: `name` for a named one (a dialect may name an unnamed one). */
  readonly capture: (body: string, name?: string) => string;
}

/** The pattern in `dialect`: classes and shorthands as explicit classes, groups and quantifiers as written. */
export function renderRegex(regex: ParsedRegex, dialect: RegexDialect): string {
  return alternatives(regex.body, dialect);
}

function alternatives(alts: RegexAlternatives, d: RegexDialect): string {
  return alts.map((seq) => seq.map((i) => item(i, d)).join('')).join('|');
}

function item(i: RegexItem, d: RegexDialect): string {
  switch (i.kind) {
    case 'char':
      return d.char(i.cp);
    case 'any':
      return d.any;
    case 'class':
      return `[${i.negated ? '^' : ''}${i.ranges
        .map(([lo, hi]) => (lo === hi ? d.classChar(lo) : `${d.classChar(lo)}-${d.classChar(hi)}`))
        .join('')}]`;
    case 'anchor':
      return i.at === 'start' ? d.start : d.end;
    case 'group':
      return i.capture ? d.capture(alternatives(i.body, d), i.name) : `(?:${alternatives(i.body, d)})`;
    case 'repeat': {
      const inner = item(i.item, d);
      const body = i.item.kind === 'char' && inner.length > 1 && !inner.startsWith('\\') ? `(?:${inner})` : inner;
      const q =
        i.min === 0 && i.max === undefined
          ? '*'
          : i.min === 1 && i.max === undefined
            ? '+'
            : i.min === 0 && i.max === 1
              ? '?'
              : i.max === undefined
                ? `{${i.min},}`
                : i.max === i.min
                  ? `{${i.min}}`
                  : `{${i.min},${i.max}}`;
      return `${body}${q}${i.lazy ? '?' : ''}`;
    }
  }
}

/** Printable ASCII letters and digits: the only characters every dialect writes as themselves. */
export function isAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}
