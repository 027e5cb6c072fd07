/**
 * The Painless that mapc emits, built from a tiny condition AST so that every `if` of the
 * generated ingest pipeline comes from one renderer (and the test evaluator parses exactly this
 * subset back).
 *
 * Field reads are written as `instanceof Map` guard chains (`ctx.a instanceof Map && ctx.a.b != null`)
 * rather than null-safe chains (`ctx.a?.b`): `?.` only guards against `null`, and dereferencing a
 * field of a String or List throws in Painless, which would turn a vendor record with an
 * unexpected shape into a pipeline error instead of the IR's "missing value: the rule does
 * nothing" (compiler/ir.ts, step 3).
 *
 * Painless reference: https://www.elastic.co/guide/en/elasticsearch/painless/8.17/painless-operators-reference.html
 * (`instanceof`, `==`/`!=` on `def`, `==~` whole-string regex match, Map shortcuts `m.key` / `m['key']`).
 *
 * Map text reaches this Painless only as string literals ({@link painlessString}) and regex text
 * ({@link painlessRegexText}) from `./quote.ts`, or as `params` of the constant scripts.
 *
 * A path longer than {@link LONG_PATH} segments is read through the function {@link GET_FUNCTION}
 * (declared at the start of the condition script) over a list of its segments, so a condition's
 * text grows linearly with the path instead of repeating every prefix in its guards.
 *
 * @module
 */
import type { FieldPath } from '../../compiler/ir.ts';

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in epoch milliseconds: the instants a `now` test reads. */
const MIN_INSTANT_MS = -62_167_219_200_000;
const MAX_INSTANT_MS = 253_402_300_799_999;
import { LOWER_FIRST_WITH_SIGMA } from '../../compiler/unicode-case.ts';
import { painlessRegexText, painlessString } from './quote.ts';

export { painlessString };

/** A Java class name the conditions test with `instanceof`. */
export type JavaType = 'String' | 'Integer' | 'Long' | 'Double' | 'Float' | 'Boolean' | 'Map' | 'List';

/** A boolean Painless expression over the ingest document `ctx`. */
export type Cond =
  /** Every parent is a Map and the leaf is not null. */
  | { readonly kind: 'present'; readonly path: FieldPath; readonly known?: number }
  /**
   * Parents are Maps and the leaf `==` the literal (Painless `def` equality: numbers compare
   * numerically). `typed`: the leaf is first tested to be of the literal's class (`String`,
   * `Boolean`, `Number`): on OpenSearch 2.19, `def == true` throws on an Integer and `def == 5`
   * on a Boolean (`Cannot cast java.lang.Boolean to java.lang.Integer`, checked with `_simulate`),
   * and a condition must never fail (compiler/ir.ts `ConditionIR`).
   */
  | {
      readonly kind: 'equals';
      readonly path: FieldPath;
      readonly value: string | number | boolean;
      readonly known?: number;
      readonly typed?: boolean;
    }
  /** Parents are Maps and the leaf is an instance of one of the types. */
  | {
      readonly kind: 'instanceOf';
      readonly path: FieldPath;
      readonly types: readonly JavaType[];
      readonly known?: number;
    }
  /** Parents are Maps, the leaf is a String and matches the whole Java regex (`==~`, no anchors needed). */
  | { readonly kind: 'matches'; readonly path: FieldPath; readonly regex: string; readonly known?: number }
  /** Parents are Maps, the leaf is a String containing the text. */
  | { readonly kind: 'contains'; readonly path: FieldPath; readonly text: string }
  /**
   * Parents are Maps, the leaf is a String and `String.startsWith`/`endsWith`/`contains` the text
   * (UTF-16 units, which equal code points for a well-formed text: compiler/interpret/conditions.ts).
   */
  | {
      readonly kind: 'text';
      readonly path: FieldPath;
      readonly method: 'startsWith' | 'endsWith' | 'contains';
      readonly text: string;
      readonly known?: number;
    }
  /**
   * Parents are Maps, the leaf is a `java.lang.Number` and its `doubleValue()` compares with the
   * number as the operator says (a String never compares; the IR's `compare`).
   */
  | {
      readonly kind: 'compare';
      readonly path: FieldPath;
      readonly op: '<' | '<=' | '>' | '>=';
      readonly value: number;
      readonly known?: number;
    }
  /** The leaf, a number, is above `limit` or below `-limit` (Painless numeric `>`/`<` on `def`). */
  | { readonly kind: 'beyond'; readonly path: FieldPath; readonly limit: number }
  /** `ctx.tags` is a List containing the tag (how a Fleet bool variable reaches the pipeline). */
  /**
   * A `now` test (compiler/ir.ts `ConditionIR` `now`): the leaf, read by {@link NOW_FUNCTION} with
   * `formats` (the first that reads it wins), against the ingest timestamp at `now` (a
   * temporary) moved by `offsetMs`.
   */
  | {
      readonly kind: 'nowTest';
      readonly path: FieldPath;
      readonly formats: readonly NowFormat[];
      readonly op: 'lt' | 'le' | 'gt' | 'ge';
      readonly offsetMs: number;
      readonly now: FieldPath;
      readonly known?: number;
    }
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'not'; readonly cond: Cond }
  | { readonly kind: 'and'; readonly conds: readonly Cond[] }
  | { readonly kind: 'or'; readonly conds: readonly Cond[] };

export const and = (...conds: readonly (Cond | undefined)[]): Cond | undefined => {
  const list = conds.filter((c): c is Cond => c !== undefined);
  if (list.length === 0) return undefined;
  return list.length === 1 ? list[0] : { kind: 'and', conds: list };
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names that `m.name` would not read as a Map key: Painless resolves a `def` field load through
 * the receiver's allowlisted getters before the Map shortcut, so `m.empty` is `m.isEmpty()`
 * (checked on OpenSearch 2.19: `ctx.a.empty == 5` fails casting a Boolean) and `m.class` names
 * the class. These are always read with brackets.
 */
const GETTER_NAMES = new Set(['empty', 'class']);

/** Paths longer than this are read through {@link GET_FUNCTION} (linear text). */
export const LONG_PATH = 12;

/** Name of the path-walking function of long-path conditions. */
export const GET_NAME = 'mapcGet';

/**
 * The value at a path (a List of keys) from `v`, or null when a parent is missing or not a Map:
 * the same reading as the `instanceof Map` guard chains. Declared at the start of a condition
 * script that reads a long path (Painless scripts may begin with function declarations).
 */
export const GET_FUNCTION = `def ${GET_NAME}(def v, List path) { for (def k : path) { v = v instanceof Map ? ((Map) v).get(k) : null; } return v; }`;

const isLong = (path: FieldPath): boolean => path.length > LONG_PATH;

/**
 * One date format of a `now` test: a Java regex matching the whole text, whose capturing groups
 * are, in order, the fields `fields` names one letter each: `y M d H m s` (decimal digits), `S`
 * (fraction digits, the first three read as milliseconds) and `o` (`Z` or `±hh:mm`).
 */
export interface NowFormat {
  readonly regex: string;
  readonly fields: string;
}

/** Name of the function of `now` tests. */
export const NOW_NAME = 'mapcAt';

/**
 * `mapcAt(value, formats, op, offset, now)`: whether the String `value`, read by the first of
 * `formats` (`[[/regex/, 'fields'], ...]`, {@link NowFormat}) that reads it as a valid instant of
 * years 0000-9999, compares by `op` (`lt`, `le`, `gt`, `ge`) with the instant of the String `now`
 * (`_ingest.timestamp` as its template renders it, a `ZonedDateTime`'s text) moved by `offset`
 * milliseconds. Anything else (not a String, no format reads it) is false, never an exception:
 * `LocalDateTime.of` refuses an impossible date (2024-02-30), caught as the next format's turn,
 * as the interpreter's `date` reading moves on (compiler/interpret/date.ts). Painless API:
 * `java.util.regex.Matcher`, `java.time.LocalDateTime.of`, `ChronoLocalDateTime.toEpochSecond`,
 * `ZonedDateTime.parse` (https://www.elastic.co/guide/en/elasticsearch/painless/8.17/painless-api-reference-shared.html).
 */
export const NOW_FUNCTION =
  `boolean ${NOW_NAME}(def v, List fs, String op, long off, def now) { ` +
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
  `if (r >= ${MIN_INSTANT_MS}L && r <= ${MAX_INSTANT_MS}L) { ms = r; } ` +
  '} ' +
  '} ' +
  'if (ms == Long.MIN_VALUE) { return false; } ' +
  'long n = ZonedDateTime.parse((String) now).toInstant().toEpochMilli() + off; ' +
  "return op == 'lt' ? ms < n : (op == 'le' ? ms <= n : (op == 'gt' ? ms > n : ms >= n)); " +
  '}';

/** `mapcGet(ctx, ['a', 'b', ...])` for a long path. */
function longAccess(path: FieldPath): string {
  return `${GET_NAME}(ctx, [${path.map(painlessString).join(', ')}])`;
}

/**
 * Paths under these roots are mapc's own temporaries: their parents are Maps or absent, never
 * another type, so they read with null-safe `?.` instead of `instanceof Map` guards.
 */
const TRUSTED_ROOTS = new Set(['_mapc']);
const trusted = (path: FieldPath): boolean => path.length > 1 && TRUSTED_ROOTS.has(path[0]!);

/** `ctx.a.b['odd key']`: dot form for identifiers, brackets otherwise; `ctx._mapc?.v` for temporaries. */
export function access(path: FieldPath): string {
  const safe = trusted(path);
  return (
    'ctx' +
    path
      .map((s, i) => {
        if (!IDENT.test(s) || GETTER_NAMES.has(s)) return `[${painlessString(s)}]`;
        return safe && i > 0 ? `?.${s}` : `.${s}`;
      })
      .join('')
  );
}

/** The class a value must have to equal the literal (`Number`: any of the JSON number classes). */
function literalClass(value: string | number | boolean): string {
  return typeof value === 'string' ? 'String' : typeof value === 'boolean' ? 'Boolean' : 'Number';
}

function literal(value: string | number | boolean): string {
  if (typeof value === 'string') return painlessString(value);
  if (typeof value === 'boolean') return String(value);
  // Integer literals beyond int need the long suffix; doubles keep their decimal form.
  if (Number.isInteger(value)) return Math.abs(value) > 2147483647 ? `${value}L` : String(value);
  return String(value);
}

/**
 * Guards saying every proper prefix of `path` is a Map (none for temporaries and long paths).
 * `known`: how many leading segments are known to be Maps (the lean pipeline's kept record, which
 * the `json` processor always creates as an object), whose guards are left out. A null-safe chain
 * (`ctx.a?.b?.c`) cannot replace the others: on OpenSearch 2.19 a condition reading a field of a
 * String or List throws (`dynamic getter [java.lang.String, c] not found`, `Illegal list shortcut
 * value`), and an exception in an `if` fails the whole document, not the processor's `on_failure`
 * (checked with `_simulate`), which tier 2 of compiler/ir.ts forbids.
 */
function parentGuards(path: FieldPath, known = 0): string[] {
  const guards: string[] = [];
  if (trusted(path) || isLong(path)) return guards;
  for (let i = Math.max(1, known + 1); i < path.length; i++) guards.push(`${access(path.slice(0, i))} instanceof Map`);
  return guards;
}

function regexLiteral(regex: string): string {
  return `/${painlessRegexText(regex)}/`;
}

/** The value expression of `path`: a field access, or a {@link GET_FUNCTION} call for a long path. */
function read(path: FieldPath): string {
  return isLong(path) && !trusted(path) ? longAccess(path) : access(path);
}

/** Whether a condition holds a `now` test (it then starts with {@link NOW_FUNCTION}). */
function hasNowTest(cond: Cond): boolean {
  const work: Cond[] = [cond];
  for (let c = work.pop(); c; c = work.pop()) {
    if (c.kind === 'nowTest') return true;
    if (c.kind === 'not') work.push(c.cond);
    else if (c.kind === 'and' || c.kind === 'or') work.push(...c.conds);
  }
  return false;
}

/** Whether a condition reads a long path (iterative: conditions nest by the map's `not`/`and`). */
function readsLongPath(cond: Cond): boolean {
  const work: Cond[] = [cond];
  for (let c = work.pop(); c; c = work.pop()) {
    if (c.kind === 'not') work.push(c.cond);
    else if (c.kind === 'and' || c.kind === 'or') work.push(...c.conds);
    else if ('path' in c && isLong(c.path) && !trusted(c.path)) return true;
  }
  return false;
}

/**
 * Renders a condition as a Painless `if` script; a script reading a long path starts with
 * {@link GET_FUNCTION}.
 */
export function renderCond(cond: Cond): string {
  const expr = renderExpr(cond, true);
  const functions = [...(readsLongPath(cond) ? [GET_FUNCTION] : []), ...(hasNowTest(cond) ? [NOW_FUNCTION] : [])];
  return [...functions, expr].join(' ');
}

/**
 * What an enclosing condition has already proven true where a part of it is evaluated: `strings`,
 * the reads tested to be Strings (an `instanceOf` of `String` alone, its parents Maps with it),
 * whose text tests then need neither guard again; `maps`, the parent guards (`x instanceof Map`)
 * an earlier conjunct or a factored guard established, which are not written again.
 */
interface Proven {
  readonly strings: ReadonlySet<string>;
  readonly maps: ReadonlySet<string>;
}

const NOTHING_PROVEN: Proven = { strings: new Set(), maps: new Set() };

/**
 * Renders a condition expression; `top` omits the outer parentheses. Sound because a condition
 * has no side effects and never fails (compiler/ir.ts `ConditionIR`): in `a && b`, `b` runs only
 * where `a` holds, so what `a` proved is left out of `b`.
 */
function renderExpr(cond: Cond, top: boolean, proven: Proven = NOTHING_PROVEN): string {
  const wrap = (s: string, many: boolean): string => (many && !top ? `(${s})` : s);
  const guards = (path: FieldPath, known?: number): string[] =>
    parentGuards(path, known).filter((g) => !proven.maps.has(g));
  const stringTest = (path: FieldPath, known: number | undefined): string[] =>
    proven.strings.has(read(path)) ? [] : [...guards(path, known), `${read(path)} instanceof String`];
  switch (cond.kind) {
    case 'present': {
      const parts = [...guards(cond.path, cond.known), `${read(cond.path)} != null`];
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'equals': {
      const parts = [
        ...guards(cond.path, cond.known),
        ...(cond.typed ? [`${read(cond.path)} instanceof ${literalClass(cond.value)}`] : []),
        `${read(cond.path)} == ${literal(cond.value)}`,
      ];
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'instanceOf': {
      const leaf = cond.types.map((t) => `${read(cond.path)} instanceof ${t}`);
      const alt = leaf.length > 1 ? `(${leaf.join(' || ')})` : leaf[0]!;
      const parts = [...guards(cond.path, cond.known), alt];
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'matches': {
      const parts = [...stringTest(cond.path, cond.known), `${read(cond.path)} ==~ ${regexLiteral(cond.regex)}`];
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'contains': {
      const parts = [...stringTest(cond.path, undefined), `${read(cond.path)}.contains(${painlessString(cond.text)})`];
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'text': {
      const parts = [
        ...stringTest(cond.path, cond.known),
        `${read(cond.path)}.${cond.method}(${painlessString(cond.text)})`,
      ];
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'compare': {
      const parts = [
        ...guards(cond.path, cond.known),
        `${read(cond.path)} instanceof Number`,
        `${read(cond.path)}.doubleValue() ${cond.op} ${literal(cond.value)}`,
      ];
      return wrap(parts.join(' && '), true);
    }
    case 'beyond': {
      const v = read(cond.path);
      const parts = [...guards(cond.path), `(${v} > ${cond.limit} || ${v} < -${cond.limit})`];
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'nowTest': {
      const formats = cond.formats.map((f) => `[${regexLiteral(f.regex)}, ${painlessString(f.fields)}]`);
      const offset = `${cond.offsetMs}L`;
      const call = `${NOW_NAME}(${read(cond.path)}, [${formats.join(', ')}], ${painlessString(cond.op)}, ${offset}, ${read(cond.now)})`;
      const parts = [...guards(cond.path, cond.known), call];
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'tag':
      return wrap(`ctx.tags instanceof List && ctx.tags.contains(${painlessString(cond.name)})`, true);
    case 'not':
      // A temporary's absence reads better as `== null` (same meaning: no parent guards).
      if (cond.cond.kind === 'present' && trusted(cond.cond.path)) return `${read(cond.cond.path)} == null`;
      return `!(${renderExpr(cond.cond, true, proven)})`;
    case 'and': {
      // Left to right, as Painless's `&&` evaluates: a conjunct may rely on what those before it proved.
      const strings = new Set(proven.strings);
      const maps = new Set(proven.maps);
      const parts = cond.conds.map((c) => {
        const text = renderExpr(c, false, { strings, maps });
        asserted(c, strings, maps);
        return text;
      });
      return wrap(parts.join(' && '), parts.length > 1);
    }
    case 'or': {
      const parts = factored(
        disjuncts(cond.conds, (c) => renderExpr(c, false, proven)),
        proven,
      );
      if (parts.length === 1) return wrap(parts[0]!.text, parts[0]!.guarded);
      return wrap(parts.map((p) => (p.guarded ? `(${p.text})` : p.text)).join(' || '), true);
    }
  }
}

/**
 * Adds to `strings` and `maps` what `cond` proves where it holds: the parent guards of the paths
 * its tests read (each test holds only where they do), and a read tested to be a String or a Map.
 * A disjunction or negation proves nothing.
 */
function asserted(cond: Cond, strings: Set<string>, maps: Set<string>): void {
  switch (cond.kind) {
    case 'and':
      for (const c of cond.conds) asserted(c, strings, maps);
      return;
    case 'or':
    case 'not':
    case 'tag':
      return;
    case 'instanceOf':
      for (const g of parentGuards(cond.path, cond.known)) maps.add(g);
      if (cond.types.length === 1 && cond.types[0] === 'String') strings.add(read(cond.path));
      if (cond.types.length === 1 && cond.types[0] === 'Map' && !isLong(cond.path))
        maps.add(`${read(cond.path)} instanceof Map`);
      return;
    default:
      for (const g of parentGuards(cond.path, 'known' in cond ? cond.known : undefined)) maps.add(g);
  }
}

/**
 * The first parent guard a disjunct writes (not yet proven), by which {@link factored} groups
 * disjuncts; undefined for one that starts with no guard.
 */
function leadGuard(cond: Cond, proven: Proven): string | undefined {
  switch (cond.kind) {
    case 'and':
      return leadGuard(cond.conds[0]!, proven);
    case 'or':
    case 'not':
    case 'tag':
      return undefined;
    case 'matches':
    case 'text':
    case 'contains':
      if (proven.strings.has(read(cond.path))) return undefined;
      break;
    default:
      break;
  }
  return parentGuards(cond.path, 'known' in cond ? cond.known : undefined).find((g) => !proven.maps.has(g));
}

/**
 * The disjuncts of an `or` (the kept ones, rendered by the caller; `guarded`: a group's text, a
 * conjunction to parenthesise among others) with those that start with the
 * same parent guard written once, as an engineer writes them: `(m instanceof Map && m.a != null) ||
 * (m instanceof Map && m.b != null)` is `m instanceof Map && (m.a != null || m.b != null)`, in the
 * place of the group's first disjunct (each disjunct is guarded on its own and has no side
 * effects, so their order does not change the value). Groups nest on the next guard.
 */
function factored(
  kept: readonly { readonly cond: Cond; readonly text: string }[],
  proven: Proven,
): { readonly text: string; readonly guarded: boolean }[] {
  const leads = kept.map(({ cond }) => leadGuard(cond, proven));
  const groups = new Map<string, Cond[]>();
  kept.forEach(({ cond }, i) => {
    const g = leads[i];
    if (g !== undefined) groups.set(g, [...(groups.get(g) ?? []), cond]);
  });
  const done = new Set<string>();
  const out: { text: string; guarded: boolean }[] = [];
  for (const [i, { text }] of kept.entries()) {
    const g = leads[i];
    const group = g === undefined ? undefined : groups.get(g)!;
    if (g === undefined || group!.length < 2) {
      out.push({ text, guarded: false });
      continue;
    }
    if (done.has(g)) continue;
    done.add(g);
    const inner = renderExpr({ kind: 'or', conds: group! }, false, {
      strings: proven.strings,
      maps: new Set([...proven.maps, g]),
    });
    out.push({ text: `${g} && ${inner}`, guarded: true });
  }
  return out;
}

/**
 * The disjuncts of an `or`, in their order, without those another one makes redundant: a
 * repeat, and a conjunction one of whose conjuncts is a disjunct kept (absorption, `a || (a && b)`
 * is `a`). Smaller disjuncts are decided first, so that an absorbing one is kept before the ones it
 * absorbs are looked at (two one-conjunct `and`s render alike and cannot drop each other). Sound
 * because a condition has no side effects and never fails (compiler/ir.ts `ConditionIR`): the
 * disjunct left out can only be true where the kept one that absorbs it is.
 */
function disjuncts(
  conds: readonly Cond[],
  render: (c: Cond) => string,
): { readonly cond: Cond; readonly text: string }[] {
  const texts = conds.map(render);
  const sizes = conds.map(condSize);
  const order = conds.map((_, i) => i).sort((a, b) => sizes[a]! - sizes[b]! || a - b);
  const keptTexts = new Set<string>();
  const kept = new Set<number>();
  for (const i of order) {
    const c = conds[i]!;
    const text = texts[i]!;
    if (keptTexts.has(text)) continue;
    if (c.kind === 'and' && c.conds.some((conjunct) => keptTexts.has(render(conjunct)))) continue;
    kept.add(i);
    keptTexts.add(text);
  }
  return conds.flatMap((cond, i) => (kept.has(i) ? [{ cond, text: texts[i]! }] : []));
}

/** Nodes of a condition tree (a leaf test is one). */
function condSize(cond: Cond): number {
  if (cond.kind === 'not') return 1 + condSize(cond.cond);
  if (cond.kind === 'and' || cond.kind === 'or') return cond.conds.reduce((n, c) => n + condSize(c), 1);
  return 1;
}

/**
 * The document-id script (IR {@link DocumentIdIR}): `"|" + path + "|" + value + "|" ...` hashed
 * with Painless's `String.sha256()` augmentation, which returns the lowercase hex SHA-256 of the
 * UTF-8 bytes (elastic/elasticsearch `modules/lang-painless/.../api/Augmentation.java`,
 * `sha256(String)` = `MessageDigests.toHexString(MessageDigests.sha256().digest(source.getBytes(UTF_8)))`,
 * commit 048acf6722c3d02b15452b97ef9e707cabe3953d).
 *
 * The standard `fingerprint` processor cannot produce this value: it sorts the fields, feeds a
 * salt, writes a 0x00 delimiter before every value, encodes numbers as little-endian binary and
 * booleans as 0x01/0x02, and Base64-encodes the digest (elastic/elasticsearch
 * `modules/ingest-common/.../FingerprintProcessor.java`, `execute` and `toBytes`, commit
 * 04c76c69e84d9a0095b12850b766741f2dd0d5f3).
 *
 * The source is constant (compiled once by Elasticsearch, cached); `params.fields` carries
 * `[{name: 'dotted.source.path', path: ['absolute', 'segments']}]`. `def v = ctx` walks Maps only:
 * a non-Map parent reads as missing, and missing or null becomes the empty string.
 */
export const DOC_ID_SCRIPT =
  "String s = '|'; " +
  'for (def f : params.fields) { ' +
  'def v = ctx; ' +
  'for (def k : f.path) { v = v instanceof Map ? v[k] : null; } ' +
  "s += f.name + '|' + (v == null ? '' : v.toString()) + '|'; " +
  '} ' +
  'ctx._id = s.sha256();';

/**
 * The `id raw PATH` script (compiler/ir.ts `RawDocumentIdIR`): walks `params.path` from `ctx` (the
 * record as received) and sets `_id` to a String of 1 to `params.max_bytes` UTF-8 bytes as is,
 * or to the decimal digits of an integral number within ±`params.max_integer` (the `json`
 * processor gives JSON integers as Integer/Long, other numbers as Double: `1.0` becomes `1`);
 * anything else sets no `_id` (Elasticsearch assigns one). The UTF-8 length is counted per UTF-16
 * unit (a surrogate pair is 4 bytes) so that no charset class is needed in Painless. The path is a
 * parameter: map text never becomes script text.
 */
export const RAW_ID_SCRIPT =
  'def v = ctx; ' +
  'for (def k : params.path) { v = v instanceof Map ? v[k] : null; } ' +
  'String id = null; ' +
  'if (v instanceof String) { String s = (String) v; int n = 0; ' +
  'for (int i = 0; i < s.length(); i++) { int c = s.charAt(i); ' +
  'n += c < 128 ? 1 : (c < 2048 ? 2 : (c >= 55296 && c <= 57343 ? 2 : 3)); } ' +
  'if (n >= 1 && n <= params.max_bytes) { id = s; } } ' +
  'else if (v instanceof Integer || v instanceof Long) { long l = ((Number) v).longValue(); ' +
  'if (l <= params.max_integer && l >= -params.max_integer) { id = Long.toString(l); } } ' +
  'else if (v instanceof Double || v instanceof Float) { double d = ((Number) v).doubleValue(); ' +
  'if (d == Math.floor(d) && Math.abs(d) <= params.max_integer) { id = Long.toString((long) d); } } ' +
  'if (id != null) { ctx._id = id; }';

/**
 * The `redact hash` script: the temporary value (a String, guarded by the processor's `if`)
 * becomes its lowercase hex SHA-256 (same augmentation as {@link DOC_ID_SCRIPT}).
 */
export const SHA256_SCRIPT = 'ctx._mapc.v = ((String) ctx._mapc.v).sha256();';

/**
 * The `uppercase` script: Unicode *simple* uppercase mapping per code point, as the IR specifies
 * (compiler/ir.ts TransformIR); the standard `uppercase` processor calls
 * `String.toUpperCase(Locale.ROOT)`, whose full mapping turns `ß` into `SS` and `ﬀ` into `FF`.
 * A BMP character goes through `Character.toUpperCase(char)`, the simple mapping of UnicodeData.txt
 * (Painless whitelists only the `char` overload); a surrogate pair through `String.toUpperCase()`,
 * which equals the simple mapping there because SpecialCasing.txt has no supplementary entries
 * and no locale rule touches them. Surrogate ranges are decimal (0xD800-0xDBFF high,
 * 0xDC00-0xDFFF low): the Painless of OpenSearch 2.19 rejected hexadecimal literals in this
 * position. Checked on a real Painless engine by test/agreement/ingest-evaluator.test.ts.
 */
export const UPPERCASE_SCRIPT =
  "String s = (String) ctx._mapc.v; String u = ''; int i = 0; " +
  'while (i < s.length()) { int c = s.charAt(i); int d = i + 1 < s.length() ? s.charAt(i + 1) : 0; ' +
  'if (c >= 55296 && c <= 56319 && d >= 56320 && d <= 57343) { u += s.substring(i, i + 2).toUpperCase(); i += 2; } ' +
  'else { u += Character.toUpperCase((char) c); i += 1; } } ' +
  'ctx._mapc.v = u;';

/**
 * The epoch normalisation script of `date` transforms with `unix`/`unix_ms` formats: the value
 * (a number, or a decimal string) becomes `_mapc.ms`, its exact epoch milliseconds rounded down,
 * computed in decimal (`BigDecimal` of its text; Java's `Double.toString` gives the same shortest
 * digits as JSON for doubles). `params.shift` is 3 for seconds, 0 for milliseconds. Values outside
 * 0001-01-01..9999-12-31 (UTC) throw: the IR rejects years after 9999, and the output pattern's
 * `yyyy` is Java's year-of-era, which writes year 0000 (1 BC) as `0001`, so year 0000 is refused
 * rather than written one year off.
 *
 * The `date` processor's own `UNIX` computes `(long) (Double.parseDouble(text) * 1000.0)`, so
 * `1.001` s became 1000 ms and negative fractions rounded toward zero; its `UNIX_MS` is
 * `Long.parseLong`, so `1700000000123.5` failed (elastic/elasticsearch
 * `modules/ingest-common/.../DateFormat.java`, commit 04c76c69e84d9a0095b12850b766741f2dd0d5f3).
 * After this script the pipeline parses `_mapc.ms` with `UNIX_MS`, which is then exact.
 */
export const EPOCH_MS_SCRIPT =
  'BigDecimal d = new BigDecimal(ctx._mapc.v.toString()).movePointRight(params.shift).setScale(0, RoundingMode.FLOOR); ' +
  "if (d.compareTo(new BigDecimal('-62135596800000')) < 0 || d.compareTo(new BigDecimal('253402300799999')) > 0) { " +
  "throw new IllegalArgumentException('epoch value out of range'); } " +
  'ctx._mapc.ms = d.longValue();';

/**
 * Reads a record path that the dotted field syntax cannot name (a segment holding `.`, or empty)
 * into `_mapc.v`: walks `params.path` through Maps (a missing or non-Map parent reads as null,
 * as the `instanceof Map` guards do) and stores a non-null value. The value is not copied: the
 * rule writes its destination from `_mapc.v` with `copy_from`, which copies it (as `set` with
 * `copy_from` on the path itself would).
 */
export const READ_SCRIPT =
  'def v = ctx; ' +
  'for (def k : params.path) { v = v instanceof Map ? ((Map) v).get(k) : null; } ' +
  'if (v != null) { if (!(ctx._mapc instanceof Map)) { ctx._mapc = new HashMap(); } ctx._mapc.v = v; }';

/**
 * A selection (compiler/ir.ts ValueIR `select`) into `_mapc.v`: walks `params.array` through
 * Maps; when it reaches a List, takes its first element that is a Map whose value at
 * `params.key` equals `params.value` (strict JSON equality, as the interpreter's `===`: a String
 * equals the same String, a Boolean the same Boolean, a Number a Number of the same double
 * value, so `1` equals `1.0` and never `"1"`), walks `params.rest` in it and stores a non-null
 * value. Only the first matching element is read. Every piece of map text is a param: the
 * source is constant (compiled once by Elasticsearch, cached).
 */
export const SELECT_SCRIPT =
  'def a = ctx; ' +
  'for (def k : params.array) { a = a instanceof Map ? ((Map) a).get(k) : null; } ' +
  'if (a instanceof List) { for (def e : (List) a) { ' +
  'if (!(e instanceof Map)) { continue; } ' +
  'def x = e; for (def k : params.key) { x = x instanceof Map ? ((Map) x).get(k) : null; } ' +
  'def w = params.value; ' +
  'boolean same = (x instanceof Number && w instanceof Number && ((Number) x).doubleValue() == ((Number) w).doubleValue()) ' +
  '|| (x instanceof String && w instanceof String && x == w) || (x instanceof Boolean && w instanceof Boolean && x == w); ' +
  'if (!same) { continue; } ' +
  'def v = e; for (def k : params.rest) { v = v instanceof Map ? ((Map) v).get(k) : null; } ' +
  'if (v != null) { if (!(ctx._mapc instanceof Map)) { ctx._mapc = new HashMap(); } ctx._mapc.v = v; } ' +
  'break; } }';

/**
 * Element fields (compiler/ir.ts ValueIR `elements`) into `_mapc.v`: walks `params.array` through
 * Maps; when it reaches a List, a new List of one new Map per Map element (other elements left
 * out) holding, for each `params.names[i]` in order, the element's non-null value at
 * `params.from[i]`. Names and paths are params: the source is constant.
 */
export const ELEMENTS_SCRIPT =
  'def a = ctx; ' +
  'for (def k : params.array) { a = a instanceof Map ? ((Map) a).get(k) : null; } ' +
  'if (a instanceof List) { List out = new ArrayList(); for (def e : (List) a) { ' +
  'if (!(e instanceof Map)) { continue; } ' +
  'Map o = new LinkedHashMap(); ' +
  'for (int i = 0; i < params.names.size(); i++) { ' +
  'def v = e; for (def k : params.from[i]) { v = v instanceof Map ? ((Map) v).get(k) : null; } ' +
  'if (v != null) { o.put(params.names[i], v); } } ' +
  'out.add(o); } ' +
  'if (!(ctx._mapc instanceof Map)) { ctx._mapc = new HashMap(); } ctx._mapc.v = out; }';

/**
 * Removes a record path that the dotted field syntax cannot name: walks `params.path` but its
 * last key through Maps and removes that key from the parent when the parent is a Map (a missing
 * path is left alone, like `remove` with `ignore_missing`).
 */
export const REMOVE_SCRIPT =
  'def v = ctx; int last = params.path.size() - 1; ' +
  'for (int i = 0; i < last; i++) { v = v instanceof Map ? ((Map) v).get(params.path[i]) : null; } ' +
  'if (v instanceof Map) { ((Map) v).remove(params.path[last]); }';

/**
 * `drop empty` (compiler/ir.ts step 5, `MappingIR.dropEmpty`): `mapcEmpty` removes every `null`,
 * empty String, empty List and empty Map inside its argument, innermost first (a Map's
 * `values().removeIf`, a List's `removeIf`), and says whether the argument is left empty; the
 * body walks `params.ns` (the namespace's keys) through Maps, prunes a Map or List found there,
 * and when it is left empty removes it and then each parent left an empty Map. Many
 * elastic/integrations ingest pipelines drop empty values with the same `removeIf` recursion (a
 * `script` described "Drops null/empty values recursively"), over the whole document.
 */
export const DROP_EMPTY_SCRIPT =
  'boolean mapcEmpty(def v) { ' +
  'if (v == null) { return true; } ' +
  'if (v instanceof String) { return ((String) v).isEmpty(); } ' +
  'if (v instanceof Map) { ((Map) v).values().removeIf(x -> mapcEmpty(x)); return ((Map) v).isEmpty(); } ' +
  'if (v instanceof List) { ((List) v).removeIf(x -> mapcEmpty(x)); return ((List) v).isEmpty(); } ' +
  'return false; } ' +
  'List chain = new ArrayList(); chain.add(ctx); boolean found = true; int last = params.ns.size() - 1; ' +
  'for (int i = 0; found && i < last; i++) { def next = ((Map) chain.get(i)).get(params.ns[i]); ' +
  'if (next instanceof Map) { chain.add(next); } else { found = false; } } ' +
  'if (found) { def v = ((Map) chain.get(last)).get(params.ns[last]); ' +
  'if ((v instanceof Map || v instanceof List) && mapcEmpty(v)) { ' +
  'for (int i = last; i >= 0; i--) { Map parent = (Map) chain.get(i); parent.remove(params.ns[i]); if (!parent.isEmpty()) { break; } } } }';

/**
 * The write of a lean script (`./lean.ts`): the value `h` at the path `target` (a Painless
 * expression of a List of keys), creating missing parents as Maps (a parent of another type
 * throws, and the processor's `on_failure` reports the rule), appending when `append` (a boolean
 * expression) as the `append` processor does with `allow_duplicates: false` (a scalar becomes a
 * one-element list first; a value already present is not added again:
 * https://www.elastic.co/guide/en/elasticsearch/reference/8.19/append-processor.html).
 */
const writeH = (target: string, append: string): string =>
  walkParents(target) +
  `def k = ${target}[n]; ` +
  `if (${append}) { def c = t[k]; if (c == null) { t[k] = [h]; } else { if (!(c instanceof List)) { c = [c]; t[k] = c; } if (!c.contains(h)) { c.add(h); } } } ` +
  'else { t[k] = h; }';

/**
 * `t`: the parent Map of the path `target` (a Painless expression of a List of keys) from `ctx`,
 * missing parents created as Maps; `n`: the index of its last key.
 */
function walkParents(target: string): string {
  return (
    `def t = ctx; int n = ${target}.size() - 1; ` +
    `for (int i = 0; i < n; i++) { def k = ${target}[i]; if (t[k] == null) { t[k] = new HashMap(); } t = t[k]; } `
  );
}

/** {@link writeH} at `params.target`, appending when `params.append`. */
const WRITE_H = writeH('params.target', 'params.append');

/**
 * {@link writeH} for a lookup whose output `h` may be a List (a list table's value, compiler/ir.ts
 * TransformIR `lookup`): a List is appended element by element, each one not already present (a
 * missing or null target becomes a new list, possibly empty; a scalar one becomes its first
 * element), as the `append` processor appends a list value
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.19/append-processor.html), or set
 * as a copy (the params List itself must never reach a document: a later append would change
 * the table); any other `h` is written as {@link writeH} does.
 */
const writeHList = (target: string, append: string): string =>
  'if (h instanceof List) { ' +
  walkParents(target) +
  `def k = ${target}[n]; ` +
  `if (${append}) { def c = t[k]; if (c == null) { c = new ArrayList(); t[k] = c; } else if (!(c instanceof List)) { c = [c]; t[k] = c; } for (def x : h) { if (!c.contains(x)) { c.add(x); } } } ` +
  'else { t[k] = new ArrayList(h); } } else { ' +
  writeH(target, append) +
  ' }';

/** Reads `params.source` into `v` (its parents are Maps: the processor's `if` tests them). */
const READ_V = 'def v = ctx; for (def k : params.source) { v = v[k]; } ';

/**
 * The lean `redact hash` rule: hashes the value as {@link SHA256_SCRIPT} does (the cast throws for
 * a value that is not a String: the processor's `on_failure` then reports the rule and deletes the
 * source) and writes the hex digest ({@link WRITE_H}).
 */
export const HASH_WRITE_SCRIPT = READ_V + 'String h = ((String) v).sha256(); ' + WRITE_H;

/**
 * The lean `lookup` rule: `params.table` (a Map, first entry per key) gives the value's output,
 * else `params.default` (absent: null), and a non-null output is written ({@link WRITE_H}). A value
 * that is not a String is no key (`Map.get` of it is null), as the IR says.
 */
export const LOOKUP_WRITE_SCRIPT =
  READ_V + 'def h = params.table[v]; if (h == null) { h = params.default; } if (h != null) { ' + WRITE_H + ' }';

/**
 * {@link READ_V}, then the value replaced by its text (`Object.toString()`): the IR's `convert
 * keyword` (compiler/ir.ts TransformIR) of the classes a keyed lookup's `if` admits, an Integer or
 * Long as its decimal digits (`Long.toString`), a Boolean as `true`/`false`, a String as is
 * (`./lean.ts` `keyedLookup`: never used for another class).
 */
const READ_TEXT = READ_V + 'v = v.toString(); ';

/**
 * The lean `keyword | lookup` rule of a value declared as integers (and/or strings, booleans):
 * {@link LOOKUP_WRITE_SCRIPT} keyed by the value's text ({@link READ_TEXT}), so `1000` reads the
 * table's `"1000"` entry, as an engineer keys a table of numeric codes by their decimal text.
 */
export const LOOKUP_TEXT_WRITE_SCRIPT =
  READ_TEXT + 'def h = params.table[v]; if (h == null) { h = params.default; } if (h != null) { ' + WRITE_H + ' }';

/**
 * The guarded form's `+=` of a list table's output (`_mapc.v`, a List): written by
 * {@link writeHList} at `params.target` (each value appended once; a missing target becomes a
 * list, an empty one for `[]`), as `append` with `copy_from` does on Elasticsearch 9.2+, in one
 * processor that needs no `copy_from` (OpenSearch 2.19 has none).
 */
export const LIST_APPEND_SCRIPT = 'def h = ctx._mapc.v; ' + writeHList('params.target', 'params.append');

/** {@link LOOKUP_WRITE_SCRIPT} of a list table: the output written by {@link writeHList}. */
export const LOOKUP_LIST_WRITE_SCRIPT =
  READ_V +
  'def h = params.table[v]; if (h == null) { h = params.default; } if (h != null) { ' +
  writeHList('params.target', 'params.append') +
  ' }';

/** {@link LOOKUP_TEXT_WRITE_SCRIPT} of a list table: the output written by {@link writeHList}. */
export const LOOKUP_TEXT_LIST_WRITE_SCRIPT =
  READ_TEXT +
  'def h = params.table[v]; if (h == null) { h = params.default; } if (h != null) { ' +
  writeHList('params.target', 'params.append') +
  ' }';

/**
 * Unicode *simple* lowercase of the String `s` into `h`, as the IR specifies (compiler/ir.ts
 * TransformIR): a BMP character through `Character.toLowerCase(char)` (UnicodeData.txt's simple
 * mapping; Painless whitelists only the `char` overload), a surrogate pair through
 * `String.toLowerCase()`, which equals the simple mapping there (SpecialCasing.txt's lowercase
 * entries, U+0130 and the final sigma, are in the BMP, and no locale rule touches supplementary
 * characters). Surrogate ranges are decimal, as in {@link UPPERCASE_SCRIPT}. Declares `j`, `a`,
 * `z` (not `h`).
 */
const SIMPLE_LOWER_H =
  "h = ''; int j = 0; " +
  'while (j < s.length()) { int a = s.charAt(j); int z = j + 1 < s.length() ? s.charAt(j + 1) : 0; ' +
  'if (a >= 55296 && a <= 56319 && z >= 56320 && z <= 57343) { h += s.substring(j, j + 2).toLowerCase(); j += 2; } ' +
  'else { h += Character.toLowerCase((char) a); j += 1; } }';

/**
 * Several lean rules on one source value, in rule order (`./lean.ts` `sourceGroup`, as an engineer
 * maps one field through several tables in one script): for each of `params.maps` (`{table,
 * default?, target, append}` for a `lookup`, `{lowercase: true, target, append}` for a
 * `lowercase` of a String), the output as {@link LOOKUP_WRITE_SCRIPT} or
 * {@link LOWERCASE_WRITE_SCRIPT} computes it, written at its own target ({@link writeH}).
 */
export const SOURCE_GROUP_SCRIPT =
  READ_V +
  'for (def l : params.maps) { def h = null; ' +
  'if (l.lowercase == true) { String s = (String) v; ' +
  SIMPLE_LOWER_H +
  ' } else { h = l.table[v]; if (h == null) { h = l.default; } } ' +
  'if (h != null) { ' +
  writeH('l.target', 'l.append') +
  ' } }';

/**
 * {@link SOURCE_GROUP_SCRIPT} for a group of lookups only (no `lowercase`): per `params.maps`
 * (`{table, default?, target, append}`), in order, the table's output for the value (else
 * `default`), a non-null one written at its own target ({@link writeH}). The same outputs as
 * SOURCE_GROUP_SCRIPT gives these maps, without its lowercase branch and the `l.lowercase` probe
 * of each map: on OpenSearch 2.19 (`npm run bench -- --only ingest`, the Enpass stream, whose two
 * tables are such a group) the group script cost up to three times a one-line script per run,
 * this one about as much as the hand-written baseline's lookup script.
 */
export const SOURCE_LOOKUPS_SCRIPT =
  READ_V +
  'for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } ' +
  'if (h != null) { ' +
  writeH('l.target', 'l.append') +
  ' } }';

/**
 * {@link SOURCE_LOOKUPS_SCRIPT} for a group of `keyword | lookup` rules of a value declared as
 * integers (and/or strings, booleans): every table keyed by the value's text ({@link READ_TEXT}),
 * made once for the group (Bitwarden's event type code through five tables).
 */
export const SOURCE_TEXT_LOOKUPS_SCRIPT =
  READ_TEXT +
  'for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } ' +
  'if (h != null) { ' +
  writeH('l.target', 'l.append') +
  ' } }';

/** {@link SOURCE_LOOKUPS_SCRIPT} of a group with a list table: each output written by {@link writeHList}. */
export const SOURCE_LIST_LOOKUPS_SCRIPT =
  READ_V +
  'for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } ' +
  'if (h != null) { ' +
  writeHList('l.target', 'l.append') +
  ' } }';

/** {@link SOURCE_TEXT_LOOKUPS_SCRIPT} of a group with a list table: each output written by {@link writeHList}. */
export const SOURCE_TEXT_LIST_LOOKUPS_SCRIPT =
  READ_TEXT +
  'for (def l : params.maps) { def h = l.table[v]; if (h == null) { h = l.default; } ' +
  'if (h != null) { ' +
  writeHList('l.target', 'l.append') +
  ' } }';

/**
 * {@link SOURCE_LOOKUPS_SCRIPT} for a group that also holds one `lowercase` rule (a plain `set` of
 * a String into a target no other rule of the group writes), which the `lowercase` processor
 * before this script wrote (`String.toLowerCase(Locale.ROOT)`, the full mapping) unless the value
 * holds U+0130 or U+03A3, the two characters whose full lowercase differs from the simple one
 * (https://www.unicode.org/Public/15.1.0/ucd/SpecialCasing.txt): for such a value this script writes
 * the simple lowercase ({@link SIMPLE_LOWER_H}) at `params.lower` (a List of keys, missing parents
 * created as Maps). The group's `if` admits a String only. On OpenSearch 2.19 (`npm run bench --
 * --only ingest`, Endor Labs) the group script with its lowercase branch cost about 2.4 times this
 * script and the `lowercase` processor together, even on values the branch never reads.
 */
export const SOURCE_LOOKUPS_LOWER_SCRIPT =
  SOURCE_LOOKUPS_SCRIPT +
  ` String s = (String) v; if (${LOWER_FIRST_WITH_SIGMA.map(([from]) => `s.contains(${painlessString(from)})`).join(' || ')}) { def h = null; ` +
  SIMPLE_LOWER_H +
  ' ' +
  walkParents('params.lower') +
  't[params.lower[n]] = h; }';

/**
 * The lean `lowercase` rule's value in Unicode *simple* lowercase ({@link SIMPLE_LOWER_H}; the
 * processor's `if` admits a String only), written at `params.target` ({@link WRITE_H}). A typed
 * rule runs it only for a value holding U+0130 or U+03A3, the two characters whose full lowercase
 * (the `lowercase` processor's `String.toLowerCase(Locale.ROOT)`) differs from the simple one;
 * the `lowercase` processor maps every other String.
 */
export const LOWERCASE_WRITE_SCRIPT = READ_V + 'String s = (String) v; def h = null; ' + SIMPLE_LOWER_H + ' ' + WRITE_H;

/**
 * Name of the function a generated failure report (`./lean.ts`, `reportSource`) declares first.
 */
export const FAIL_NAME = 'mapcFail';

/**
 * `mapcFail(ctx, message)`: appends `message` to `error.message` as the `append` processor does (a
 * missing field becomes a one-element list, a scalar a list holding it then the message; a missing
 * `error` becomes a Map; a null or non-Map `error` throws:
 * https://www.elastic.co/guide/en/elasticsearch/reference/8.19/append-processor.html), as
 * {@link REPORT_SCRIPT} does per failed rule. Declared at the start of a generated report.
 */
export const FAIL_FUNCTION =
  `void ${FAIL_NAME}(Map c, String m) { if (!c.containsKey('error')) { c.error = new HashMap(); } def e = c.error; ` +
  "if (!e.containsKey('message')) { e.message = [m]; } else { def x = e.message; if (x instanceof List) { x.add(m); } else { e.message = [x, m]; } } }";

/**
 * The failure report of the lean pipeline (`./lean.ts`, `reportProcessors`): one script after a
 * run of rules whose processors report nothing themselves (`ignore_failure`, a `rename` that
 * leaves a violating value where it is, or a processor whose `if` skips a value of another type),
 * which tells each rule's outcome from the document, in rule order. `params.rules`: `{source,
 * target?, types?, message, consume, keepable}` with absolute paths. A rule whose source is
 * missing or null did nothing. Otherwise it failed when it has `types` and the value is of none of
 * them (Java simple class names: the rule's processor skipped it, and nothing else fails it), else
 * when it has no `target` (its `rename` moved a conforming value away, so a value still there is
 * one its declaration does not allow), else when its target is missing (the processor skipped a
 * violating value or failed): `message` is appended to `error.message` as the `append` processor
 * does (a missing field becomes a list, a scalar a list holding it; a missing `error` becomes an
 * object, a null or non-object one throws, as `append` does:
 * https://www.elastic.co/guide/en/elasticsearch/reference/8.19/append-processor.html). A rule that
 * succeeded and `consume`s its source deletes it (compiler/ir.ts step 5, done here because
 * nothing later reads the path or writes the target: `consumedOwners`), unless the tag
 * `params.preserve` is on the event and the path is `keepable` (not a redacted source). Then
 * `params.consumed` (only in the report after the last rule, with no `remove` step in the map):
 * `{path, when, keepable}`, step 5's removal of each consumed path whose `when` field exists, with
 * the same tag rule (a parent that is not a Map leaves the path alone, as `remove` with
 * `ignore_missing` does).
 */
export const REPORT_SCRIPT =
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
  'if (p instanceof Map) { p.remove(c.path[n]); } } } }';
