/**
 * An interpreter of the Painless subset mapc emits in ingest `if` conditions, parsed from the
 * emitted text (not from mapc's condition AST, so a rendering mistake shows up as a parse error
 * or a wrong result):
 *
 * ```
 * expr   = and { "||" and } ;          and = unary { "&&" unary } ;
 * unary  = "!" unary | "(" expr ")" | access test ;
 * test   = "!=" literal | "==" literal | ("<" | ">") NUMBER | "instanceof" TYPE | "==~" REGEX
 *        | ("." ("contains" | "startsWith" | "endsWith") "(" STRING ")")
 *        | ".doubleValue()" ("<" | "<=" | ">" | ">=") NUMBER ;
 * access = "ctx" { ("." | "?.") IDENT | "[" STRING "]" } | "mapcGet(ctx, [" STRING { "," STRING } "])" ;
 * literal= STRING | NUMBER ["L"] | "true" | "false" | "null" ;
 * ```
 *
 * Semantics (Painless language reference,
 * https://www.elastic.co/guide/en/elasticsearch/painless/8.17/painless-operators-reference.html):
 * - `m.key` / `m['key']` on a `def` Map is `m.get(key)` (null when absent); on null it throws a
 *   NullPointerException; on any other type (String, List with a non-numeric key) it throws;
 * - `==`/`!=` on `def`: two numbers compare numerically, otherwise `Object.equals`;
 * - `instanceof` tests the runtime Java class (JSON typing of the `json` processor: Integer/Long for
 *   integral numbers by range, Double otherwise); `Number` is their superclass;
 * - `String.startsWith`/`endsWith`/`contains` compare UTF-16 units; `Number.doubleValue()` on
 *   anything but a number throws (a dynamic method not found);
 * - `==~` is the whole-string regex match (`Matcher.matches()`); the left side must be a String;
 * - `&&`, `||` short-circuit; `!` negates a boolean;
 * - a condition may start with the declaration of `mapcGet` (exactly `GET_FUNCTION` of
 *   targets/elastic/painless.ts), whose call walks the keys through Maps and yields null at a
 *   missing or non-Map parent.
 *
 * Scripts (`script` processors) are not interpreted, but for the generated failure report
 * ({@link parseReport}: statements whose conditions are this subset): mapc emits otherwise only constant script sources,
 * and {@link SCRIPTS} holds, for each exact source text, a JavaScript twin written line by line
 * from that Painless source.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { SIMPLE_LOWER_EXCEPTIONS } from '../../../compiler/unicode-case.ts';
import { isMap, javaEquals, type Json, type JsonMap } from './document.ts';

export class PainlessError extends Error {}

type Token = { kind: 'op' | 'ident' | 'string' | 'number' | 'regex'; text: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let lastSignificant: Token | undefined;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const push = (t: Token): void => {
      tokens.push(t);
      lastSignificant = t;
    };
    if (c === "'") {
      let text = '';
      i++;
      while (i < src.length && src[i] !== "'") {
        if (src[i] === '\\') {
          const n = src[i + 1];
          if (n !== '\\' && n !== "'") throw new PainlessError(`invalid escape \\${n} in string`);
          text += n;
          i += 2;
        } else text += src[i++];
      }
      if (src[i] !== "'") throw new PainlessError('unterminated string');
      i++;
      push({ kind: 'string', text });
      continue;
    }
    if (c === ',') {
      push({ kind: 'op', text: ',' });
      i++;
      continue;
    }
    if (c === '/' && (lastSignificant?.text === '==~' || lastSignificant?.text === '[')) {
      let text = '';
      i++;
      while (i < src.length && src[i] !== '/') {
        if (src[i] === '\\' && src[i + 1] === '/') {
          text += '/';
          i += 2;
        } else if (src[i] === '\\') {
          text += src[i]! + src[i + 1]!;
          i += 2;
        } else text += src[i++];
      }
      if (src[i] !== '/') throw new PainlessError('unterminated regex');
      i++;
      push({ kind: 'regex', text });
      continue;
    }
    const op = [
      '==~',
      '==',
      '!=',
      '&&',
      '||',
      '?.',
      '!',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      ';',
      '.',
      '>=',
      '<=',
      '>',
      '<',
    ].find((o) => src.startsWith(o, i));
    if (op) {
      push({ kind: 'op', text: op });
      i += op.length;
      continue;
    }
    const num = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?L?/.exec(src.slice(i));
    if (num && (c === '-' || /[0-9]/.test(c))) {
      push({ kind: 'number', text: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      push({ kind: 'ident', text: id[0] });
      i += id[0].length;
      continue;
    }
    throw new PainlessError(`unexpected character ${c} at ${i} in: ${src}`);
  }
  return tokens;
}

/** One field access step; `nullSafe` for `?.` (a null receiver yields null instead of throwing). */
type Step = { key: string; nullSafe: boolean; guarded?: boolean };
type Path = Step[];

type Node =
  | { kind: 'or' | 'and'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'test'; path: Path; op: '!=' | '=='; value: Json }
  | { kind: 'compare'; path: Path; op: '>' | '<'; value: number }
  | { kind: 'instanceof'; path: Path; type: string }
  | { kind: 'matches'; path: Path; regex: string }
  | { kind: 'contains'; path: Path; text: string }
  | { kind: 'method'; path: Path; method: 'startsWith' | 'endsWith'; text: string }
  | { kind: 'double'; path: Path; op: '<' | '<=' | '>' | '>='; value: number }
  | { kind: 'at'; path: Path; formats: { regex: string; fields: string }[]; op: string; offset: number; now: Path };

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }
  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new PainlessError('unexpected end of condition');
    return t;
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new PainlessError(`expected ${text}, got ${t.text}`);
  }

  parse(): Node {
    const n = this.or();
    if (this.peek()) throw new PainlessError(`unexpected ${this.peek()!.text}`);
    return n;
  }
  private or(): Node {
    const items = [this.and()];
    while (this.peek()?.text === '||') {
      this.next();
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }
  private and(): Node {
    const items = [this.unary()];
    while (this.peek()?.text === '&&') {
      this.next();
      items.push(this.unary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }
  private unary(): Node {
    const t = this.peek();
    if (t?.text === '!') {
      this.next();
      return { kind: 'not', item: this.unary() };
    }
    if (t?.text === '(') {
      this.next();
      const n = this.or();
      this.expect(')');
      return n;
    }
    if (t?.text === NOW_NAME) return this.atCall();
    this.pendingContains = undefined;
    this.pendingMethod = undefined;
    this.pendingDouble = false;
    const path = this.access();
    if (this.pendingContains !== undefined) return { kind: 'contains', path, text: this.pendingContains };
    const method = this.pendingMethod as { method: 'startsWith' | 'endsWith'; text: string } | undefined;
    if (method !== undefined) return { kind: 'method', path, method: method.method, text: method.text };
    if ((this.pendingDouble as boolean) === true) {
      const cmp = this.next().text;
      if (cmp !== '<' && cmp !== '<=' && cmp !== '>' && cmp !== '>=') throw new PainlessError(`unsupported ${cmp}`);
      const n = this.literal();
      if (typeof n !== 'number') throw new PainlessError('a comparison needs a number literal');
      return { kind: 'double', path, op: cmp, value: n };
    }
    const op = this.next();
    if (op.text === '!=' || op.text === '==') return { kind: 'test', path, op: op.text, value: this.literal() };
    if (op.text === '>' || op.text === '<') {
      const n = this.literal();
      if (typeof n !== 'number') throw new PainlessError('a comparison needs a number literal');
      return { kind: 'compare', path, op: op.text, value: n };
    }
    if (op.text === 'instanceof') return { kind: 'instanceof', path, type: this.next().text };
    if (op.text === '==~') {
      const re = this.next();
      if (re.kind !== 'regex') throw new PainlessError('expected a regex literal');
      return { kind: 'matches', path, regex: re.text };
    }
    throw new PainlessError(`unsupported operator ${op.text}`);
  }
  private access(): Path {
    if (this.peek()?.text === GET_NAME) return this.getCall();
    const root = this.next();
    if (root.text !== 'ctx') throw new PainlessError(`expected ctx, got ${root.text}`);
    const path: Path = [];
    for (;;) {
      const t = this.peek();
      if (t?.text === '.' || t?.text === '?.') {
        const nullSafe = t.text === '?.';
        this.next();
        const id = this.next();
        if (id.kind !== 'ident') throw new PainlessError(`expected a field name after ., got ${id.text}`);
        if ((id.text === 'startsWith' || id.text === 'endsWith') && this.peek()?.text === '(') {
          this.next();
          const s = this.next();
          if (s.kind !== 'string') throw new PainlessError(`${id.text}() takes a string literal`);
          this.expect(')');
          this.pendingMethod = { method: id.text, text: s.text };
          return path;
        }
        if (id.text === 'doubleValue' && this.peek()?.text === '(') {
          this.next();
          this.expect(')');
          this.pendingDouble = true;
          return path;
        }
        if (id.text === 'contains' && this.peek()?.text === '(') {
          // A method call ends the access: `<access>.contains('x')`.
          this.next();
          const s = this.next();
          if (s.kind !== 'string') throw new PainlessError('contains() takes a string literal');
          this.expect(')');
          this.pendingContains = s.text;
          return path;
        }
        path.push({ key: id.text, nullSafe });
      } else if (t?.text === '[') {
        this.next();
        const s = this.next();
        if (s.kind !== 'string') throw new PainlessError('expected a string key');
        this.expect(']');
        path.push({ key: s.text, nullSafe: false });
      } else return path;
    }
  }
  /** `mapcAt(<access>, [[/re/, 'fields'], ...], 'op', <n>L, <access>)`: a `now` test. */
  private atCall(): Node {
    this.next();
    this.expect('(');
    const path = this.access();
    this.expect(',');
    this.expect('[');
    const formats: { regex: string; fields: string }[] = [];
    for (;;) {
      this.expect('[');
      const re = this.next();
      if (re.kind !== 'regex') throw new PainlessError('mapcAt formats start with a regex literal');
      this.expect(',');
      const fields = this.next();
      if (fields.kind !== 'string') throw new PainlessError('mapcAt formats end with a string');
      this.expect(']');
      formats.push({ regex: re.text, fields: fields.text });
      const sep = this.next();
      if (sep.text === ']') break;
      if (sep.text !== ',') throw new PainlessError(`expected , or ], got ${sep.text}`);
    }
    this.expect(',');
    const op = this.next();
    if (op.kind !== 'string') throw new PainlessError('mapcAt takes its operator as a string');
    this.expect(',');
    const offset = this.next();
    if (offset.kind !== 'number' || !offset.text.endsWith('L')) throw new PainlessError('mapcAt takes a long offset');
    this.expect(',');
    const now = this.access();
    this.expect(')');
    return { kind: 'at', path, formats, op: op.text, offset: Number(offset.text.slice(0, -1)), now };
  }
  /** `mapcGet(ctx, ['a', 'b'])`: every step guarded (a missing or non-Map parent yields null). */
  private getCall(): Path {
    this.next();
    this.expect('(');
    this.expect('ctx');
    this.expect(',');
    this.expect('[');
    const path: Path = [];
    for (;;) {
      const s = this.next();
      if (s.kind !== 'string') throw new PainlessError('mapcGet takes string keys');
      path.push({ key: s.text, nullSafe: false, guarded: true });
      const sep = this.next();
      if (sep.text === ']') break;
      if (sep.text !== ',') throw new PainlessError(`expected , or ], got ${sep.text}`);
    }
    this.expect(')');
    return path;
  }
  /** Set by `access` when the access ends in `.contains('x')`. */
  private pendingContains: string | undefined;
  /** Set by `access` when the access ends in `.startsWith('x')` / `.endsWith('x')`. */
  private pendingMethod: { method: 'startsWith' | 'endsWith'; text: string } | undefined;
  /** Set by `access` when the access ends in `.doubleValue()`. */
  private pendingDouble = false;
  private literal(): Json {
    const t = this.next();
    if (t.kind === 'string') return t.text;
    if (t.kind === 'number') return Number(t.text.replace(/L$/, ''));
    if (t.text === 'true') return true;
    if (t.text === 'false') return false;
    if (t.text === 'null') return null;
    throw new PainlessError(`expected a literal, got ${t.text}`);
  }
}

/** The one function declaration a condition may start with (targets/elastic/painless.ts `GET_FUNCTION`, reviewed). */
const GET_FUNCTION =
  'def mapcGet(def v, List path) { for (def k : path) { v = v instanceof Map ? ((Map) v).get(k) : null; } return v; }';
const GET_NAME = 'mapcGet';

/**
 * The declaration of the `now` tests' function (targets/elastic/painless.ts `NOW_FUNCTION`,
 * reviewed), which a condition may hold after the optional `mapcGet` one; its calls run
 * {@link mapcAt}, written line by line from it.
 */
const NOW_FUNCTION =
  'boolean mapcAt(def v, List fs, String op, long off, def now) { ' +
  'if (!(v instanceof String) || !(now instanceof String)) { return false; } ' +
  'long ms = Long.MIN_VALUE; ' +
  'for (def f : fs) { ' +
  'Matcher m = ((Pattern) f[0]).matcher((String) v); ' +
  'if (ms == Long.MIN_VALUE && m.matches()) { ' +
  'String k = (String) f[1]; int[] t = new int[] {1970, 1, 1, 0, 0, 0, 0}; long z = 0L; boolean bad = false; ' +
  'for (int i = 0; i < k.length(); i++) { ' +
  'String g = m.group(i + 1); String c = k.substring(i, i + 1); ' +
  "if (g != null) { if (c == 'S') { t[6] = Integer.parseInt((g + '00').substring(0, 3)); } " +
  "else if (c == 'o') { if (g != 'Z') { int oh = Integer.parseInt(g.substring(1, 3)); int om = Integer.parseInt(g.substring(4, 6)); " +
  "if (oh > 23 || om > 59) { bad = true; } z = (oh * 60L + om) * 60000L; if (g.startsWith('+')) { z = -z; } } } " +
  "else { t['yMdHms'.indexOf(c)] = Integer.parseInt(g); } } " +
  '} ' +
  'long r = Long.MIN_VALUE; ' +
  'if (!bad) { try { r = LocalDateTime.of(t[0], t[1], t[2], t[3], t[4], t[5]).toEpochSecond(ZoneOffset.UTC) * 1000L + t[6] + z; } ' +
  'catch (Exception e) { r = Long.MIN_VALUE; } } ' +
  'if (r >= -62167219200000L && r <= 253402300799999L) { ms = r; } ' +
  '} ' +
  '} ' +
  'if (ms == Long.MIN_VALUE) { return false; } ' +
  'long n = ZonedDateTime.parse((String) now).toInstant().toEpochMilli() + off; ' +
  "return op == 'lt' ? ms < n : (op == 'le' ? ms <= n : (op == 'gt' ? ms > n : ms >= n)); " +
  '}';
const NOW_NAME = 'mapcAt';

/** Parses one condition (after the optional `mapcGet` and `mapcAt` declarations). */
export function parseCondition(src: string): Node {
  return parsedOnce(src, () => {
    let body = src.startsWith(`${GET_FUNCTION} `) ? src.slice(GET_FUNCTION.length + 1) : src;
    if (body.startsWith(`${NOW_FUNCTION} `)) body = body.slice(NOW_FUNCTION.length + 1);
    return new Parser(tokenize(body)).parse();
  });
}

/** `LocalDateTime.of(y, M, d, H, m, s)` in UTC epoch seconds, or undefined where Java throws (DateTimeException). */
function localDateTimeSeconds(t: readonly number[]): number | undefined {
  const [y, mo, d, h, mi, sec] = t as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return undefined;
  const days = new Date(Date.UTC(2000, mo, 0)).getUTCDate(); // days of month `mo` in a leap year
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > days || (mo === 2 && d === 29 && !leap)) return undefined;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, sec));
  date.setUTCFullYear(y);
  return date.getTime() / 1000;
}

/** {@link NOW_FUNCTION}'s body, statement by statement. */
function mapcAt(
  v: Json,
  formats: readonly { regex: string; fields: string }[],
  op: string,
  off: number,
  now: Json,
): boolean {
  if (typeof v !== 'string' || typeof now !== 'string') return false;
  let ms: number | undefined;
  for (const f of formats) {
    const m = new RegExp(`^(?:${f.regex})$`, 'u').exec(v);
    if (!m) continue;
    const t = [1970, 1, 1, 0, 0, 0, 0];
    let z = 0;
    let bad = false;
    for (let i = 0; i < f.fields.length; i++) {
      const g = m[i + 1];
      const c = f.fields[i]!;
      if (g === undefined) continue;
      if (c === 'S') t[6] = Number.parseInt(`${g}00`.slice(0, 3), 10);
      else if (c === 'o') {
        if (g !== 'Z') {
          const oh = Number.parseInt(g.slice(1, 3), 10);
          const om = Number.parseInt(g.slice(4, 6), 10);
          if (oh > 23 || om > 59) bad = true;
          z = (oh * 60 + om) * 60000;
          if (g.startsWith('+')) z = -z;
        }
      } else t['yMdHms'.indexOf(c)] = Number.parseInt(g, 10);
    }
    if (bad) continue;
    const seconds = localDateTimeSeconds(t);
    if (seconds === undefined) continue;
    const r = seconds * 1000 + t[6]! + z;
    if (r >= -62167219200000 && r <= 253402300799999) {
      ms = r;
      break;
    }
  }
  if (ms === undefined) return false;
  // `ZonedDateTime.parse` of `_ingest.timestamp`'s text: ISO with a zone; Date.parse reads it to the millisecond.
  const n = Math.floor(Date.parse(now)) + off;
  return op === 'lt' ? ms < n : op === 'le' ? ms <= n : op === 'gt' ? ms > n : ms >= n;
}

/**
 * Parsed conditions and reports by source text: a pipeline runs its scripts and `if`s on every
 * document, and evaluating never changes a parsed tree, so each text is parsed once (a failed
 * parse is not kept and throws again). Cleared past {@link PARSED_LIMIT} texts (random maps).
 */
const parsed = new Map<string, Node | ReportStatement[]>();
const PARSED_LIMIT = 10_000;

function parsedOnce<T extends Node | ReportStatement[]>(src: string, parse: () => T): T {
  const hit = parsed.get(src);
  if (hit !== undefined) return hit as T;
  const tree = parse();
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(src, tree);
  return tree;
}

/** The function a generated failure report starts with (targets/elastic/painless.ts `FAIL_FUNCTION`, reviewed). */
const FAIL_FUNCTION =
  "void mapcFail(Map c, String m) { if (!c.containsKey('error')) { c.error = new HashMap(); } def e = c.error; " +
  "if (!e.containsKey('message')) { e.message = [m]; } else { def x = e.message; if (x instanceof List) { x.add(m); } else { e.message = [x, m]; } } }";

type ReportAction = { kind: 'fail'; message: string } | { kind: 'remove'; parent: Path; key: string };
type ReportStatement = {
  cond: Node;
  action: ReportAction;
  otherwise?: { cond: Node; action: ReportAction };
};

/**
 * Parses a generated failure report (targets/elastic/lean.ts `reportSource`): {@link FAIL_FUNCTION},
 * then statements of exactly this grammar, whose conditions are the `if` subset above:
 *
 * ```
 * stmt   = "if" "(" cond ")" action [ "else" "if" "(" cond ")" action ] ;
 * action = "{" ( "mapcFail" "(" "ctx" "," STRING ")" | access ".remove" "(" STRING ")" ) ";" "}" ;
 * ```
 */
export function parseReport(src: string): ReportStatement[] {
  return parsedOnce(src, () => parseReportText(src));
}

function parseReportText(src: string): ReportStatement[] {
  if (!isReport(src)) throw new PainlessError('not a failure report');
  const t = tokenize(src.slice(FAIL_FUNCTION.length + 1));
  let i = 0;
  const next = (): Token => {
    const x = t[i++];
    if (!x) throw new PainlessError('unexpected end of the report');
    return x;
  };
  const expect = (text: string): void => {
    const x = next();
    if (x.text !== text || x.kind === 'string') throw new PainlessError(`expected ${text}, got ${x.text}`);
  };
  const string = (): string => {
    const x = next();
    if (x.kind !== 'string') throw new PainlessError(`expected a string, got ${x.text}`);
    return x.text;
  };
  const cond = (): Node => {
    expect('(');
    const start = i;
    for (let depth = 1; depth > 0;) {
      const x = next();
      if (x.kind === 'op' && x.text === '(') depth++;
      else if (x.kind === 'op' && x.text === ')') depth--;
    }
    return new Parser(t.slice(start, i - 1)).parse();
  };
  const action = (): ReportAction => {
    expect('{');
    let a: ReportAction;
    if (t[i]?.kind === 'ident' && t[i]?.text === 'mapcFail') {
      i++;
      expect('(');
      expect('ctx');
      expect(',');
      a = { kind: 'fail', message: string() };
      expect(')');
    } else {
      expect('ctx');
      const parent: Path = [];
      for (;;) {
        const x = next();
        if (x.kind === 'op' && x.text === '.') {
          const id = next();
          if (id.kind !== 'ident') throw new PainlessError(`expected a field name, got ${id.text}`);
          if (id.text === 'remove' && t[i]?.text === '(') {
            i++;
            a = { kind: 'remove', parent, key: string() };
            expect(')');
            break;
          }
          parent.push({ key: id.text, nullSafe: false });
        } else if (x.kind === 'op' && x.text === '[') {
          parent.push({ key: string(), nullSafe: false });
          expect(']');
        } else throw new PainlessError(`unexpected ${x.text} in a removal`);
      }
    }
    expect(';');
    expect('}');
    return a;
  };
  const statements: ReportStatement[] = [];
  while (i < t.length) {
    expect('if');
    const statement: ReportStatement = { cond: cond(), action: action() };
    if (t[i]?.kind === 'ident' && t[i]?.text === 'else') {
      i++;
      expect('if');
      statements.push({ ...statement, otherwise: { cond: cond(), action: action() } });
    } else statements.push(statement);
  }
  return statements;
}

/** `mapcFail(ctx, m)` ({@link FAIL_FUNCTION}); `<parent>.remove(key)`: a Map loses the key, a List is left as is (`List.remove(Object)`), anything else throws. */
function runAction(a: ReportAction, ctx: JsonMap): void {
  if (a.kind === 'fail') {
    if (!('error' in ctx)) ctx['error'] = {};
    const e = ctx['error'] ?? null;
    if (!isMap(e)) throw new PainlessError(`dynamic method containsKey not found on ${javaClass(e)}`);
    if (!('message' in e)) e['message'] = [a.message];
    else {
      const m = e['message'] ?? null;
      if (Array.isArray(m)) m.push(a.message);
      else e['message'] = [m, a.message];
    }
    return;
  }
  const p = read(ctx, a.parent);
  if (isMap(p)) delete p[a.key];
  else if (!Array.isArray(p)) throw new PainlessError(`dynamic method [${javaClass(p)}, remove/1] not found`);
}

/** Runs a generated failure report ({@link parseReport}) on the document. */
export function runReport(src: string, ctx: JsonMap): void {
  for (const s of parseReport(src)) {
    if (evalNode(s.cond, ctx)) runAction(s.action, ctx);
    else if (s.otherwise && evalNode(s.otherwise.cond, ctx)) runAction(s.otherwise.action, ctx);
  }
}

/** Whether a script source is a generated failure report (it starts with {@link FAIL_FUNCTION}). */
export const isReport = (src: string): boolean =>
  src.startsWith(FAIL_FUNCTION) && /\s/.test(src.charAt(FAIL_FUNCTION.length));

/** The Java class name of a JSON-model value (see module doc). */
export function javaClass(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'Double';
    return v >= -2147483648 && v <= 2147483647 ? 'Integer' : 'Long';
  }
  return Array.isArray(v) ? 'List' : 'Map';
}

/** A Map's value at `key`, else null: own keys only (a Java Map has no inherited ones, `constructor` included). */
function mapGet(v: JsonMap, key: string): Json {
  return Object.hasOwn(v, key) ? v[key]! : null;
}

/**
 * `def v = from; for (def k : path) { v = v instanceof Map ? v[k] : null; }`: the value at `path`
 * through Maps, null where a step is missing, null or not a Map.
 */
function walkMaps(from: Json, path: readonly string[]): Json {
  let v: Json = from;
  for (const k of path) v = isMap(v) ? mapGet(v, k) : null;
  return v;
}

function read(ctx: JsonMap, path: Path): Json {
  let v: Json = ctx;
  for (const { key, nullSafe, guarded } of path) {
    if (guarded) {
      v = isMap(v) ? mapGet(v, key) : null;
      continue;
    }
    if (v === null && nullSafe) continue;
    if (v === null) throw new PainlessError(`NullPointerException: cannot access [${key}] of null`);
    if (isMap(v)) v = mapGet(v, key);
    else if (Array.isArray(v) && /^[0-9]+$/.test(key)) {
      const i = Number(key);
      if (i >= v.length) throw new PainlessError(`IndexOutOfBoundsException: ${key}`);
      v = v[i]!;
    } else throw new PainlessError(`dynamic getter [${javaClass(v)}, ${key}] not found`);
  }
  return v;
}

function defEquals(a: Json, b: Json): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return javaEquals(a, b);
}

function evalNode(n: Node, ctx: JsonMap): boolean {
  switch (n.kind) {
    case 'or':
      return n.items.some((i) => evalNode(i, ctx));
    case 'and':
      return n.items.every((i) => evalNode(i, ctx));
    case 'not':
      return !evalNode(n.item, ctx);
    case 'test': {
      const eq = defEquals(read(ctx, n.path), n.value);
      return n.op === '==' ? eq : !eq;
    }
    case 'compare': {
      // Numeric comparison on def; a non-number operand is a ClassCastException.
      const v = read(ctx, n.path);
      if (typeof v !== 'number') throw new PainlessError(`ClassCastException: cannot compare ${javaClass(v)}`);
      return n.op === '>' ? v > n.value : v < n.value;
    }
    case 'instanceof': {
      const cls = javaClass(read(ctx, n.path));
      if (n.type === 'Number') return cls === 'Integer' || cls === 'Long' || cls === 'Double';
      return cls === n.type;
    }
    case 'method': {
      const v = read(ctx, n.path);
      if (typeof v !== 'string') throw new PainlessError(`dynamic method [${javaClass(v)}, ${n.method}/1] not found`);
      return n.method === 'startsWith' ? v.startsWith(n.text) : v.endsWith(n.text);
    }
    case 'double': {
      const v = read(ctx, n.path);
      if (typeof v !== 'number') throw new PainlessError(`dynamic method [${javaClass(v)}, doubleValue/0] not found`);
      if (n.op === '<') return v < n.value;
      if (n.op === '<=') return v <= n.value;
      if (n.op === '>') return v > n.value;
      return v >= n.value;
    }
    case 'matches': {
      const v = read(ctx, n.path);
      if (typeof v !== 'string') throw new PainlessError(`cannot cast ${javaClass(v)} to String for ==~`);
      // Java `Matcher.matches()`: the whole input; the patterns mapc emits use only constructs
      // that mean the same in Java and JavaScript `u` mode (classes, groups, quantifiers, anchors).
      // Java's `\x{H}` is JavaScript's `\u{H}` (with the `u` flag).
      return new RegExp(`^(?:${n.regex.replace(/\\x\{/g, '\\u{')})$`, 'u').test(v);
    }
    case 'at':
      return mapcAt(read(ctx, n.path), n.formats, n.op, n.offset, read(ctx, n.now));
    case 'contains': {
      const v = read(ctx, n.path);
      if (typeof v === 'string') return v.includes(n.text);
      if (Array.isArray(v)) return v.some((x) => javaEquals(x, n.text));
      throw new PainlessError(`dynamic method [${javaClass(v)}, contains/1] not found`);
    }
  }
}

/** Evaluates an ingest `if` condition against the document (Painless `ctx`). */
export function evalCondition(src: string, ctx: JsonMap): boolean {
  return evalNode(parseCondition(src), ctx);
}

/**
 * The simple uppercase mapping (UnicodeData.txt, Java `Character.toUpperCase`) of one code point, derived
 * from JavaScript's full mapping: a one-code-point result is the simple mapping; a longer one is
 * either a letter with ypogegrammeni, whose simple uppercase is the precomposed letter with
 * prosgegrammeni (full `ΑΙ` → simple `ᾼ` = NFC of `Α` + U+0345), or has no simple uppercase.
 */
export function simpleUpper(ch: string): string {
  const full = ch.toUpperCase();
  if ([...full].length === 1) return full;
  if (ch.normalize('NFD').includes('\u0345') && full.endsWith('\u0399')) {
    const composed = `${full.slice(0, -1)}\u0345`.normalize('NFC');
    if ([...composed].length === 1) return composed;
  }
  return ch;
}

/**
 * The simple lowercase mapping (UnicodeData.txt, Java `Character.toLowerCase`) of one code point:
 * JavaScript's full mapping of the code point alone (no final-sigma context), but for U+0130,
 * whose full lowercase has two code points and whose simple one is `i`
 * (compiler/unicode-case.ts SIMPLE_LOWER_EXCEPTIONS).
 */
export function simpleLower(ch: string): string {
  const full = ch.toLowerCase();
  if ([...full].length === 1) return full;
  const cp = ch.codePointAt(0) ?? 0;
  return String.fromCodePoint(SIMPLE_LOWER_EXCEPTIONS.get(cp) ?? cp);
}

/**
 * `new BigDecimal(text).movePointRight(shift).setScale(0, RoundingMode.FLOOR)` as a BigInt:
 * `text` is a decimal with an optional `E` exponent (Java `BigDecimal(String)`; anything else throws
 * NumberFormatException).
 */
export function floorDecimal(text: string, shift: number): bigint {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m || `${m[2]}${m[3] ?? ''}` === '') throw new PainlessError(`NumberFormatException: ${text}`);
  const [, sign, whole = '', fraction = '', exp = '0'] = m;
  // value = digits * 10^(scale), digits an integer
  const digits = BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n);
  const scale = Number(exp) - fraction.length + shift;
  if (scale >= 0) return digits * 10n ** BigInt(scale);
  const divisor = 10n ** BigInt(-scale);
  const q = digits / divisor;
  // BigInt division truncates toward zero; FLOOR rounds toward negative infinity.
  return digits < 0n && q * divisor !== digits ? q - 1n : q;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Java `Object.toString()` over the JSON model (Integer/Long decimal, Double `Double.toString`, Map `{k=v}`). */
export function javaToString(v: Json): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const abs = Math.abs(v);
    if (abs >= 1e-3 && abs < 1e7) return String(v);
    const [m, e] = v.toExponential().split('e');
    return `${m!.includes('.') ? m : `${m}.0`}E${Number(e)}`;
  }
  if (Array.isArray(v)) return `[${v.map(javaToString).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}=${javaToString(x)}`)
    .join(', ')}}`;
}

/** The lean scripts' read and write texts (targets/elastic/painless.ts READ_V, writeH). */
const READ_V = 'def v = ctx; for (def k : params.source) { v = v[k]; }';
const writeH = (target: string, append: string): string =>
  `def t = ctx; int n = ${target}.size() - 1; for (int i = 0; i < n; i++) { def k = ${target}[i]; if (t[k] == null) { t[k] = new HashMap(); } t = t[k]; } def k = ${target}[n]; if (${append}) { def c = t[k]; if (c == null) { t[k] = [h]; } else { if (!(c instanceof List)) { c = [c]; t[k] = c; } if (!c.contains(h)) { c.add(h); } } } else { t[k] = h; }`;
const WRITE_H = writeH('params.target', 'params.append');
const SIMPLE_LOWER_H =
  "h = ''; int j = 0; while (j < s.length()) { int a = s.charAt(j); int z = j + 1 < s.length() ? s.charAt(j + 1) : 0; if (a >= 55296 && a <= 56319 && z >= 56320 && z <= 57343) { h += s.substring(j, j + 2).toLowerCase(); j += 2; } else { h += Character.toLowerCase((char) a); j += 1; } }";

/** READ_V: walks params.source through Maps (a non-Map parent throws, as `v[k]` does on a String). */
function leanRead(ctx: JsonMap, params: JsonMap): Json {
  let v: Json = ctx;
  for (const k of params['source'] as string[]) {
    if (!isMap(v)) throw new PainlessError(`cannot read [${k}] of ${javaClass(v)}`);
    v = v[k] ?? null;
  }
  return v;
}

/** The lookups loop: per `params.maps`, in order, its table's output for a String key (else its default), a non-null one written at its own target. */
function lookupEach(ctx: JsonMap, params: JsonMap, v: Json): void {
  for (const l of params['maps'] as JsonMap[]) {
    const table = l['table'] as JsonMap;
    let h: Json = typeof v === 'string' && Object.hasOwn(table, v) ? table[v]! : null;
    if (h === null) h = (l['default'] as Json | undefined) ?? null;
    if (h !== null) leanWriteAt(ctx, l['target'] as string[], l['append'] === true, h);
  }
}

/**
 * writeHList (targets/elastic/painless.ts): a List output is appended element by element without
 * duplicates (a missing or null target becomes a new list, possibly empty; a scalar its first
 * element), or set as a copy; any other output as writeH.
 */
const writeHList = (target: string, append: string): string =>
  `if (h instanceof List) { def t = ctx; int n = ${target}.size() - 1; for (int i = 0; i < n; i++) { def k = ${target}[i]; if (t[k] == null) { t[k] = new HashMap(); } t = t[k]; } def k = ${target}[n]; if (${append}) { def c = t[k]; if (c == null) { c = new ArrayList(); t[k] = c; } else if (!(c instanceof List)) { c = [c]; t[k] = c; } for (def x : h) { if (!c.contains(x)) { c.add(x); } } } else { t[k] = new ArrayList(h); } } else { ${writeH(target, append)} }`;

/** writeHList at `target` (see above). */
function leanWriteListAt(ctx: JsonMap, target: readonly string[], append: boolean, h: Json): void {
  if (!Array.isArray(h)) return leanWriteAt(ctx, target, append, h);
  const t = writeParent(ctx, target);
  const last = target[target.length - 1]!;
  if (!append) {
    t[last] = [...h];
    return;
  }
  const c = t[last] ?? null;
  const list = c === null ? [] : Array.isArray(c) ? c : [c];
  t[last] = list;
  for (const x of h) if (!list.some((y) => JSON.stringify(y) === JSON.stringify(x))) list.push(x);
}

/** The list-capable lookups loop: as lookupEach, each output written by writeHList. */
function lookupEachList(ctx: JsonMap, params: JsonMap, v: Json): void {
  for (const l of params['maps'] as JsonMap[]) {
    const table = l['table'] as JsonMap;
    let h: Json = typeof v === 'string' && Object.hasOwn(table, v) ? table[v]! : null;
    if (h === null) h = (l['default'] as Json | undefined) ?? null;
    if (h !== null) leanWriteListAt(ctx, l['target'] as string[], l['append'] === true, h);
  }
}

/** The single lookup with the list-capable write: the table's output for a String key `v`, else the default. */
function lookupOneList(ctx: JsonMap, params: JsonMap, v: Json): void {
  const table = params['table'] as JsonMap;
  let h: Json = typeof v === 'string' && Object.hasOwn(table, v) ? table[v]! : null;
  if (h === null) h = (params['default'] as Json | undefined) ?? null;
  if (h !== null) leanWriteListAt(ctx, params['target'] as string[], params['append'] === true, h);
}

/** WRITE_H: missing parents become Maps (another type throws); set, or append without duplicates. */
function leanWrite(ctx: JsonMap, params: JsonMap, h: Json): void {
  leanWriteAt(ctx, params['target'] as string[], params['append'] === true, h);
}

/** The Map that holds `target`'s last key: missing parents become Maps, another type throws. */
function writeParent(ctx: JsonMap, target: readonly string[]): JsonMap {
  let t: Json = ctx;
  for (const k of target.slice(0, -1)) {
    if (!isMap(t)) throw new PainlessError(`cannot write [${k}] into ${javaClass(t)}`);
    if ((t[k] ?? null) === null) t[k] = {};
    t = t[k]!;
  }
  if (!isMap(t)) throw new PainlessError(`cannot write into ${javaClass(t)}`);
  return t;
}

/** writeH at `target`: missing parents become Maps (another type throws); set, or append without duplicates. */
function leanWriteAt(ctx: JsonMap, target: readonly string[], append: boolean, h: Json): void {
  const t = writeParent(ctx, target);
  const last = target[target.length - 1]!;
  if (!append) {
    t[last] = h;
    return;
  }
  const c = t[last] ?? null;
  if (c === null) t[last] = [h];
  else {
    const list = Array.isArray(c) ? c : [c];
    t[last] = list;
    if (!list.some((x) => JSON.stringify(x) === JSON.stringify(h))) list.push(h);
  }
}

/**
 * The constant script sources mapc emits and their JavaScript twins. A source not listed here is
 * rejected, so changing a script in the emitter without reviewing its twin fails the tests.
 */
export const SCRIPTS: ReadonlyMap<string, (ctx: JsonMap, params: JsonMap) => void> = new Map([
  [
    // `id raw`: walk params.path through Maps; a String of 1..max_bytes UTF-8 bytes (counted per
    // UTF-16 unit: < 128 one, < 2048 two, a surrogate two, else three) as is; an Integer/Long
    // within ±max_integer, or a Double equal to its floor within it, as Long.toString; else no _id.
    'def v = ctx; for (def k : params.path) { v = v instanceof Map ? v[k] : null; } String id = null; if (v instanceof String) { String s = (String) v; int n = 0; for (int i = 0; i < s.length(); i++) { int c = s.charAt(i); n += c < 128 ? 1 : (c < 2048 ? 2 : (c >= 55296 && c <= 57343 ? 2 : 3)); } if (n >= 1 && n <= params.max_bytes) { id = s; } } else if (v instanceof Integer || v instanceof Long) { long l = ((Number) v).longValue(); if (l <= params.max_integer && l >= -params.max_integer) { id = Long.toString(l); } } else if (v instanceof Double || v instanceof Float) { double d = ((Number) v).doubleValue(); if (d == Math.floor(d) && Math.abs(d) <= params.max_integer) { id = Long.toString((long) d); } } if (id != null) { ctx._id = id; }',
    (ctx: JsonMap, params: JsonMap): void => {
      const v = walkMaps(ctx, params['path'] as string[]);
      const max = params['max_integer'] as number;
      if (typeof v === 'string') {
        let n = 0;
        for (let i = 0; i < v.length; i++) {
          const c = v.charCodeAt(i);
          n += c < 128 ? 1 : c < 2048 ? 2 : c >= 55296 && c <= 57343 ? 2 : 3;
        }
        if (n >= 1 && n <= (params['max_bytes'] as number)) ctx['_id'] = v;
      } else if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= max) {
        ctx['_id'] = String(v === 0 ? 0 : v);
      }
    },
  ],
  [
    // Element fields: walk params.array through Maps; in a List, a new List of one new Map per Map
    // element holding each params.names[i] with the element's non-null value at params.from[i]
    // (a LinkedHashMap: in the listed order); the List goes to ctx._mapc.v.
    'def a = ctx; for (def k : params.array) { a = a instanceof Map ? ((Map) a).get(k) : null; } if (a instanceof List) { List out = new ArrayList(); for (def e : (List) a) { if (!(e instanceof Map)) { continue; } Map o = new LinkedHashMap(); for (int i = 0; i < params.names.size(); i++) { def v = e; for (def k : params.from[i]) { v = v instanceof Map ? ((Map) v).get(k) : null; } if (v != null) { o.put(params.names[i], v); } } out.add(o); } if (!(ctx._mapc instanceof Map)) { ctx._mapc = new HashMap(); } ctx._mapc.v = out; }',
    (ctx: JsonMap, params: JsonMap): void => {
      const a = walkMaps(ctx, params['array'] as string[]);
      if (!Array.isArray(a)) return;
      const names = params['names'] as string[];
      const from = params['from'] as string[][];
      const out: Json[] = [];
      for (const e of a) {
        if (!isMap(e)) continue;
        const o: JsonMap = {};
        names.forEach((name, i) => {
          const v = walkMaps(e, from[i]!);
          if (v !== null) o[name] = v;
        });
        out.push(o);
      }
      if (!isMap(ctx['_mapc'] ?? null)) ctx['_mapc'] = {};
      (ctx['_mapc'] as JsonMap)['v'] = out;
    },
  ],
  [
    // A selection: walk params.array through Maps; in a List, the first Map element whose value at
    // params.key equals params.value (Numbers by double value, Strings and Booleans by value and
    // class), then its value at params.rest; a non-null one goes to ctx._mapc.v. Only the first
    // matching element is read (break).
    'def a = ctx; for (def k : params.array) { a = a instanceof Map ? ((Map) a).get(k) : null; } if (a instanceof List) { for (def e : (List) a) { if (!(e instanceof Map)) { continue; } def x = e; for (def k : params.key) { x = x instanceof Map ? ((Map) x).get(k) : null; } def w = params.value; boolean same = (x instanceof Number && w instanceof Number && ((Number) x).doubleValue() == ((Number) w).doubleValue()) || (x instanceof String && w instanceof String && x == w) || (x instanceof Boolean && w instanceof Boolean && x == w); if (!same) { continue; } def v = e; for (def k : params.rest) { v = v instanceof Map ? ((Map) v).get(k) : null; } if (v != null) { if (!(ctx._mapc instanceof Map)) { ctx._mapc = new HashMap(); } ctx._mapc.v = v; } break; } }',
    (ctx: JsonMap, params: JsonMap): void => {
      const a = walkMaps(ctx, params['array'] as string[]);
      if (!Array.isArray(a)) return;
      const w = params['value'] as Json;
      for (const e of a) {
        if (!isMap(e)) continue;
        const x = walkMaps(e, params['key'] as string[]);
        const same =
          (typeof x === 'number' && typeof w === 'number' && x === w) ||
          (typeof x === 'string' && typeof w === 'string' && x === w) ||
          (typeof x === 'boolean' && typeof w === 'boolean' && x === w);
        if (!same) continue;
        const v = walkMaps(e, params['rest'] as string[]);
        if (v !== null) {
          if (!isMap(ctx['_mapc'] ?? null)) ctx['_mapc'] = {};
          (ctx['_mapc'] as JsonMap)['v'] = v;
        }
        break;
      }
    },
  ],
  [
    // Walk params.path through Maps (else null); a non-null value goes to ctx._mapc.v (created as a Map).
    'def v = ctx; for (def k : params.path) { v = v instanceof Map ? ((Map) v).get(k) : null; } if (v != null) { if (!(ctx._mapc instanceof Map)) { ctx._mapc = new HashMap(); } ctx._mapc.v = v; }',
    (ctx: JsonMap, params: JsonMap): void => {
      const v = walkMaps(ctx, params['path'] as string[]);
      if (v === null) return;
      if (!isMap(ctx['_mapc'] ?? null)) ctx['_mapc'] = {};
      (ctx['_mapc'] as JsonMap)['v'] = v;
    },
  ],
  [
    // drop empty: mapcEmpty(v) is true for null and "", and for a Map/List after removeIf(mapcEmpty)
    // of its values/elements leaves it empty; walk params.ns through Maps (stop at a non-Map),
    // prune a Map/List at the end and, when emptied, remove it and each parent left an empty Map.
    'boolean mapcEmpty(def v) { if (v == null) { return true; } if (v instanceof String) { return ((String) v).isEmpty(); } if (v instanceof Map) { ((Map) v).values().removeIf(x -> mapcEmpty(x)); return ((Map) v).isEmpty(); } if (v instanceof List) { ((List) v).removeIf(x -> mapcEmpty(x)); return ((List) v).isEmpty(); } return false; } List chain = new ArrayList(); chain.add(ctx); boolean found = true; int last = params.ns.size() - 1; for (int i = 0; found && i < last; i++) { def next = ((Map) chain.get(i)).get(params.ns[i]); if (next instanceof Map) { chain.add(next); } else { found = false; } } if (found) { def v = ((Map) chain.get(last)).get(params.ns[last]); if ((v instanceof Map || v instanceof List) && mapcEmpty(v)) { for (int i = last; i >= 0; i--) { Map parent = (Map) chain.get(i); parent.remove(params.ns[i]); if (!parent.isEmpty()) { break; } } } }',
    (ctx: JsonMap, params: JsonMap): void => {
      const empty = (v: Json): boolean => {
        if (v === null) return true;
        if (typeof v === 'string') return v === '';
        if (Array.isArray(v)) {
          const kept = v.filter((x) => !empty(x));
          v.splice(0, v.length, ...kept);
          return v.length === 0;
        }
        if (isMap(v)) {
          for (const k of Object.keys(v)) if (empty(v[k]!)) delete v[k];
          return Object.keys(v).length === 0;
        }
        return false;
      };
      const ns = params['ns'] as string[];
      const chain: JsonMap[] = [ctx];
      for (const k of ns.slice(0, -1)) {
        const next = chain.at(-1)![k];
        if (next === undefined || !isMap(next)) return;
        chain.push(next);
      }
      const v = chain.at(-1)![ns.at(-1)!];
      if (v === undefined || !(isMap(v) || Array.isArray(v)) || !empty(v)) return;
      for (let i = ns.length - 1; i >= 0; i--) {
        delete chain[i]![ns[i]!];
        if (Object.keys(chain[i]!).length > 0) return;
      }
    },
  ],
  [
    // Walk all keys but the last through Maps; remove the last key from a Map parent.
    'def v = ctx; int last = params.path.size() - 1; for (int i = 0; i < last; i++) { v = v instanceof Map ? ((Map) v).get(params.path[i]) : null; } if (v instanceof Map) { ((Map) v).remove(params.path[last]); }',
    (ctx: JsonMap, params: JsonMap): void => {
      const path = params['path'] as string[];
      const v = walkMaps(ctx, path.slice(0, -1));
      if (isMap(v)) delete v[path[path.length - 1]!];
    },
  ],
  [
    // String s = '|'; for each field: walk Maps from ctx (non-Map parent → null), append
    // name + '|' + (null ? '' : v.toString()) + '|'; then ctx._id = s.sha256().
    "String s = '|'; for (def f : params.fields) { def v = ctx; for (def k : f.path) { v = v instanceof Map ? v[k] : null; } s += f.name + '|' + (v == null ? '' : v.toString()) + '|'; } ctx._id = s.sha256();",
    (ctx: JsonMap, params: JsonMap): void => {
      let s = '|';
      for (const f of params['fields'] as JsonMap[]) {
        const v = walkMaps(ctx, f['path'] as string[]);
        s += `${f['name'] as string}|${v === null ? '' : javaToString(v)}|`;
      }
      ctx['_id'] = sha256(s);
    },
  ],
  [
    // Per UTF-16 unit, a surrogate pair as one: Character.toUpperCase(char) (simple mapping), the
    // pair through String.toUpperCase() (equal to the simple mapping outside the BMP).
    "String s = (String) ctx._mapc.v; String u = ''; int i = 0; while (i < s.length()) { int c = s.charAt(i); int d = i + 1 < s.length() ? s.charAt(i + 1) : 0; if (c >= 55296 && c <= 56319 && d >= 56320 && d <= 57343) { u += s.substring(i, i + 2).toUpperCase(); i += 2; } else { u += Character.toUpperCase((char) c); i += 1; } } ctx._mapc.v = u;",
    (ctx: JsonMap): void => {
      const tmp = ctx['_mapc'];
      if (!isMap(tmp)) throw new PainlessError('NullPointerException: ctx._mapc is null');
      const v = tmp['v'] ?? null;
      if (typeof v !== 'string') throw new PainlessError(`ClassCastException: cannot cast ${javaClass(v)} to String`);
      // JavaScript's string iterator yields a surrogate pair as one code point and a lone surrogate
      // as itself, like the script's pairing rule.
      tmp['v'] = [...v].map(simpleUpper).join('');
    },
  ],
  [
    // BigDecimal(v.toString()).movePointRight(shift).setScale(0, FLOOR), range-checked to years
    // 0001-9999, into ctx._mapc.ms as a long.
    "BigDecimal d = new BigDecimal(ctx._mapc.v.toString()).movePointRight(params.shift).setScale(0, RoundingMode.FLOOR); if (d.compareTo(new BigDecimal('-62135596800000')) < 0 || d.compareTo(new BigDecimal('253402300799999')) > 0) { throw new IllegalArgumentException('epoch value out of range'); } ctx._mapc.ms = d.longValue();",
    (ctx: JsonMap, params: JsonMap): void => {
      const tmp = ctx['_mapc'];
      if (!isMap(tmp)) throw new PainlessError('NullPointerException: ctx._mapc is null');
      const v = tmp['v'] ?? null;
      if (v === null) throw new PainlessError('NullPointerException: toString() on null');
      const ms = floorDecimal(javaToString(v), params['shift'] as number);
      if (ms < -62135596800000n || ms > 253402300799999n) throw new PainlessError('epoch value out of range');
      tmp['ms'] = Number(ms);
    },
  ],
  [
    // Walk params.source (Maps, the `if` tested them); the String cast throws for anything else;
    // then the lean write (see leanWrite).
    `${READ_V} String h = ((String) v).sha256(); ${WRITE_H}`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      if (typeof v !== 'string') throw new PainlessError(`ClassCastException: cannot cast ${javaClass(v)} to String`);
      leanWrite(ctx, params, sha256(v));
    },
  ],
  [
    // Walk params.source; the table's output for a String key (Map.get of anything else is null),
    // else params.default; a non-null output is written (see leanWrite).
    `${READ_V} def h = params.table[v]; if (h == null) { h = params.default; } if (h != null) { ${WRITE_H} }`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      const table = params['table'] as JsonMap;
      let h: Json = typeof v === 'string' && Object.hasOwn(table, v) ? table[v]! : null;
      if (h === null) h = (params['default'] as Json | undefined) ?? null;
      if (h !== null) leanWrite(ctx, params, h);
    },
  ],
  [
    // Walk params.source; the value replaced by its text (Object.toString(): an Integer or Long as
    // its decimal digits, a Boolean as true/false, a String as is); the table's output for that
    // key, else params.default; a non-null output is written (see leanWrite).
    `${READ_V} v = v.toString(); def h = params.table[v]; if (h == null) { h = params.default; } if (h != null) { ${WRITE_H} }`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      if (v === null) throw new PainlessError('NullPointerException: toString() on null');
      const key = javaToString(v);
      const table = params['table'] as JsonMap;
      let h: Json = Object.hasOwn(table, key) ? table[key]! : null;
      if (h === null) h = (params['default'] as Json | undefined) ?? null;
      if (h !== null) leanWrite(ctx, params, h);
    },
  ],
  [
    // Walk params.source once; the value replaced by its text (as above); per map in order: its
    // table's output for that key (else its default); a non-null output written at its own target.
    `${READ_V} v = v.toString(); for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } if (h != null) { ${writeH('l.target', 'l.append')} } }`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      if (v === null) throw new PainlessError('NullPointerException: toString() on null');
      lookupEach(ctx, params, javaToString(v));
    },
  ],
  [
    // The guarded append of a list table's output: ctx._mapc.v (a List) written by writeHList.
    `def h = ctx._mapc.v; ${writeHList('params.target', 'params.append')}`,
    (ctx: JsonMap, params: JsonMap): void => {
      const tmp = ctx['_mapc'];
      const h = isMap(tmp) ? (tmp['v'] ?? null) : null;
      leanWriteListAt(ctx, params['target'] as string[], params['append'] === true, h);
    },
  ],
  [
    // The single lookup of a list table: as the lookup above, the output written by writeHList.
    `${READ_V} def h = params.table[v]; if (h == null) { h = params.default; } if (h != null) { ${writeHList('params.target', 'params.append')} }`,
    (ctx: JsonMap, params: JsonMap): void => lookupOneList(ctx, params, leanRead(ctx, params)),
  ],
  [
    // The same keyed by the value's text (Object.toString()).
    `${READ_V} v = v.toString(); def h = params.table[v]; if (h == null) { h = params.default; } if (h != null) { ${writeHList('params.target', 'params.append')} }`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      if (v === null) throw new PainlessError('NullPointerException: toString() on null');
      lookupOneList(ctx, params, javaToString(v));
    },
  ],
  [
    // The lookups loop of a group with a list table: each output written by writeHList.
    `${READ_V} for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } if (h != null) { ${writeHList('l.target', 'l.append')} } }`,
    (ctx: JsonMap, params: JsonMap): void => lookupEachList(ctx, params, leanRead(ctx, params)),
  ],
  [
    // The same keyed by the value's text (Object.toString()).
    `${READ_V} v = v.toString(); for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } if (h != null) { ${writeHList('l.target', 'l.append')} } }`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      if (v === null) throw new PainlessError('NullPointerException: toString() on null');
      lookupEachList(ctx, params, javaToString(v));
    },
  ],
  [
    // Walk params.source once; per map in order: a lowercase (the String cast throws for anything
    // else) as simpleLower per code point, else its table's output for a String key (else its
    // default); a non-null output written at its own target (see leanWriteAt).
    `${READ_V} for (def l : params.maps) { def h = null; if (l.lowercase == true) { String s = (String) v; ${SIMPLE_LOWER_H} } else { h = l.table[v]; if (h == null) { h = l.default; } } if (h != null) { ${writeH('l.target', 'l.append')} } }`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      for (const l of params['maps'] as JsonMap[]) {
        let h: Json;
        if (l['lowercase'] === true) {
          if (typeof v !== 'string')
            throw new PainlessError(`ClassCastException: cannot cast ${javaClass(v)} to String`);
          h = [...v].map(simpleLower).join('');
        } else {
          const table = l['table'] as JsonMap;
          h = typeof v === 'string' && Object.hasOwn(table, v) ? table[v]! : null;
          if (h === null) h = (l['default'] as Json | undefined) ?? null;
        }
        if (h !== null) leanWriteAt(ctx, l['target'] as string[], l['append'] === true, h);
      }
    },
  ],
  [
    // Walk params.source once; per map in order: its table's output for a String key (else its
    // default); a non-null output written at its own target (see leanWriteAt).
    `${READ_V} for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } if (h != null) { ${writeH('l.target', 'l.append')} } }`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      lookupEach(ctx, params, v);
    },
  ],
  [
    // The lookups as above; then the String value (the group's `if` admits nothing else) holding
    // U+0130 or U+03A3 is written in simpleLower per code point at params.lower (a plain set,
    // missing parents created as Maps; the `lowercase` processor before wrote every other value).
    `${READ_V} for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } if (h != null) { ${writeH('l.target', 'l.append')} } } String s = (String) v; if (s.contains('\u0130') || s.contains('\u03a3')) { def h = null; ${SIMPLE_LOWER_H} def t = ctx; int n = params.lower.size() - 1; for (int i = 0; i < n; i++) { def k = params.lower[i]; if (t[k] == null) { t[k] = new HashMap(); } t = t[k]; } t[params.lower[n]] = h; }`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      lookupEach(ctx, params, v);
      if (typeof v !== 'string') throw new PainlessError(`ClassCastException: cannot cast ${javaClass(v)} to String`);
      if (v.includes('\u0130') || v.includes('\u03a3'))
        leanWriteAt(ctx, params['lower'] as string[], false, [...v].map(simpleLower).join(''));
    },
  ],
  [
    // Walk params.source; the String cast throws for anything else; simpleLower per code point
    // (Character.toLowerCase(char), a surrogate pair through String.toLowerCase()); then written.
    `${READ_V} String s = (String) v; def h = null; ${SIMPLE_LOWER_H} ${WRITE_H}`,
    (ctx: JsonMap, params: JsonMap): void => {
      const v = leanRead(ctx, params);
      if (typeof v !== 'string') throw new PainlessError(`ClassCastException: cannot cast ${javaClass(v)} to String`);
      leanWrite(ctx, params, [...v].map(simpleLower).join(''));
    },
  ],
  [
    // The lean failure report: per rule, in order, a missing or null source did nothing; else it
    // failed when it has types and the value's class is none of them, else when it has no target
    // (a rename left the value), else when its target is missing: the message is appended to
    // error.message as `append` does (a missing `error` becomes a Map; a null or non-Map one
    // throws, as containsKey on it does); a rule that succeeded consumes its source unless the
    // preserve tag is on the event and the path is keepable. Then each params.consumed path is
    // removed (from a Map parent) when its `when` field exists, with the same tag rule.
    'boolean keep = ctx.tags instanceof List && ctx.tags.contains(params.preserve); ' +
      'for (def r : params.rules) { ' +
      'def v = ctx; for (def k : r.source) { v = v instanceof Map ? v[k] : null; } ' +
      'if (v == null) { continue; } ' +
      'boolean failed = true; ' +
      'if (r.types != null) { ' +
      "String c = v instanceof String ? 'String' : v instanceof Boolean ? 'Boolean' : v instanceof Integer ? 'Integer' : v instanceof Long ? 'Long' : " +
      "v instanceof Double ? 'Double' : v instanceof Float ? 'Float' : v instanceof Map ? 'Map' : v instanceof List ? 'List' : ''; " +
      'failed = !r.types.contains(c); } ' +
      'else if (r.target != null) { def t = ctx; for (def k : r.target) { t = t instanceof Map ? t[k] : null; } failed = t == null; } ' +
      "if (failed) { if (!ctx.containsKey('error')) { ctx.error = new HashMap(); } def e = ctx.error; " +
      "if (!e.containsKey('message')) { e.message = [r.message]; } else { def m = e.message; if (m instanceof List) { m.add(r.message); } else { e.message = [m, r.message]; } } } " +
      'else if (r.consume && !(keep && r.keepable)) { def p = ctx; int n = r.source.size() - 1; for (int i = 0; i < n; i++) { p = p[r.source[i]]; } p.remove(r.source[n]); } ' +
      '} ' +
      'if (params.consumed != null) { for (def c : params.consumed) { ' +
      'def w = ctx; for (def k : c.when) { w = w instanceof Map ? w[k] : null; } ' +
      'if (w != null && !(keep && c.keepable)) { def p = ctx; int n = c.path.size() - 1; ' +
      'for (int i = 0; i < n; i++) { p = p instanceof Map ? p[c.path[i]] : null; } ' +
      'if (p instanceof Map) { p.remove(c.path[n]); } } } }',
    (ctx: JsonMap, params: JsonMap): void => {
      const tags = ctx['tags'] ?? null;
      const keep = Array.isArray(tags) && tags.some((t) => javaEquals(t, params['preserve'] ?? null));
      for (const r of params['rules'] as JsonMap[]) {
        const source = r['source'] as string[];
        const v = walkMaps(ctx, source);
        if (v === null) continue;
        const types = (r['types'] ?? null) as string[] | null;
        const target = (r['target'] ?? null) as string[] | null;
        const failed =
          types !== null ? !types.includes(javaClass(v)) : target === null ? true : walkMaps(ctx, target) === null;
        if (failed) {
          if (!('error' in ctx)) ctx['error'] = {};
          const e = ctx['error'] ?? null;
          if (!isMap(e)) throw new PainlessError(`dynamic method containsKey not found on ${javaClass(e)}`);
          const message = r['message'] as string;
          if (!('message' in e)) e['message'] = [message];
          else {
            const m = e['message'] ?? null;
            if (Array.isArray(m)) m.push(message);
            else e['message'] = [m, message];
          }
        } else if (r['consume'] === true && !(keep && r['keepable'] === true)) {
          let p = ctx;
          for (const k of source.slice(0, -1)) p = p[k] as JsonMap;
          delete p[source[source.length - 1]!];
        }
      }
      for (const c of (params['consumed'] ?? []) as JsonMap[]) {
        if (walkMaps(ctx, c['when'] as string[]) === null || (keep && c['keepable'] === true)) continue;
        const path = c['path'] as string[];
        const p = walkMaps(ctx, path.slice(0, -1));
        if (isMap(p)) delete p[path[path.length - 1]!];
      }
    },
  ],
  [
    // The cast throws ClassCastException for a non-String.
    'ctx._mapc.v = ((String) ctx._mapc.v).sha256();',
    (ctx: JsonMap): void => {
      const tmp = ctx['_mapc'];
      if (!isMap(tmp)) throw new PainlessError('NullPointerException: ctx._mapc is null');
      const v = tmp['v'] ?? null;
      if (typeof v !== 'string') throw new PainlessError(`ClassCastException: cannot cast ${javaClass(v)} to String`);
      tmp['v'] = sha256(v);
    },
  ],
]);
