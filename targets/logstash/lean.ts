/**
 * The lean plan for a stream with a record schema (compiler/ir.ts, "Record schemas: two tiers"):
 * which rules can rely on the declared types, and the one type check per stream they read.
 *
 * On a conforming record the schema settles every declared type, so no rule needs its own probe.
 * Tier 2 still needs each rule to *fail* on a value of a type its declaration does not allow, and
 * Logstash conditionals see a value only through its string form (org.logstash.config.ir.compiler.
 * EventCondition), so `5` and `"5"` cannot be told apart natively. One `ruby` filter per stream (the
 * type probe of `./probe.ts`, with every declared path the rules read) writes each path's JSON type
 * once, right after the record is parsed, and every lean rule compares that token with its
 * declaration. A rule that reads a path an earlier rule rewrote (FieldTypeIR origin `undeclared`),
 * or writes below a parent an earlier rule may have replaced, keeps its own guarded lowering.
 *
 * @module
 */
import type {
  ConsumedIR,
  FieldPath,
  FieldTypeIR,
  MappingIR,
  RuleIR,
  TransformIR,
  ValueType,
} from '../../compiler/ir.ts';
import { redactedSource } from '../../compiler/ir.ts';
import { conditionTests } from '../../compiler/rule-paths.ts';
import { META } from './scratch.ts';

const key = (p: FieldPath): string => p.join('\u0000');

/** Where the stream's type check leaves the token of the `k`-th checked path. */
export const typeToken = (k: number): string[] => [...META, 'type', `p${k}`];

/** One path the stream's type check probes: a value (JSON type) or a slot (a target's parent). */
export interface Checked {
  readonly path: FieldPath;
  readonly kind: 'value' | 'slot';
  readonly token: FieldPath;
}

export interface LeanPlan {
  /** Paths the stream's type check probes, in first-use order (relative to the record). */
  readonly checked: readonly Checked[];
  /** The token of a record-relative path read as a value, if the stream checks it. */
  readonly valueToken: (path: FieldPath) => FieldPath | undefined;
  /** The token of a record-relative parent slot, if the stream checks it. */
  readonly slotToken: (path: FieldPath) => FieldPath | undefined;
  /** Whether rule `i` is lowered lean. */
  readonly lean: (i: number) => boolean;
  /** Whether rule `i` (lean, op append) may add its value with mutate merge. */
  readonly append: (i: number) => 'merge' | 'merge-unless-present' | undefined;
  /**
   * Whether rule `i` deletes its consumed source path itself, when it writes (step 5 at the write
   * instead of after all rules): it is the only rule writing its destination, so the destination exists at
   * the end exactly when this rule wrote it, and no later rule reads the path, a part of it or
   * below it, nor does any rule redact it.
   */
  readonly consumesAtWrite: (i: number) => boolean;
  /** The consumed path rule `i` deletes at its write as the path's last reader (see {@link leanPlan}). */
  readonly consumedAtReader: (i: number) => FieldPath | undefined;
  /** Whether a consumed path is deleted by a rule (its writer or last reader), not by step 5. */
  readonly consumedByRule: (c: ConsumedIR) => boolean;
  /**
   * Whether failing rules collect their `error.message` texts in {@link ERRORS} (common option
   * `add_field`, which appends to a present field) for one `merge` after the rules: no rule writes
   * below `error` or copies from there, so nothing reads or writes `error.message` in between.
   */
  readonly deferErrors: boolean;
}

/** Where failing rules collect their texts when the plan defers them ({@link LeanPlan.deferErrors}). */
export const ERRORS = [...META, 'errors'];

/** The JSON type tokens of `./probe.ts` a declared value type allows (`integer` also an integral float). */
export function tokensOf(types: readonly ValueType[]): string[] | 'any' {
  if (types.includes('any')) return 'any';
  const out: string[] = [];
  for (const t of types) {
    if (t === 'string') out.push('string');
    if (t === 'integer') out.push('integer');
    if (t === 'number') out.push('integer', 'float');
    if (t === 'boolean') out.push('true', 'false');
    if (t === 'object') out.push('object');
    if (t === 'array') out.push('array', 'empty');
  }
  return [...new Set(out)];
}

const sameFormat = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Whether the declared formats of a rule's source are enforced by its own first transform, so
 * that a value of the right type but the wrong format fails natively (tier 2): no format, a
 * `date` trying only declared formats, or `ip` format read by `convert ip`.
 */
function formatsEnforced(source: FieldTypeIR, transforms: readonly TransformIR[]): boolean {
  if (source.formats.length === 0) return true;
  const first = transforms[0];
  if (first?.kind === 'date') return first.formats.every((f) => source.formats.some((g) => sameFormat(f, g)));
  if (first?.kind === 'convert' && first.to === 'ip') return source.formats.every((f) => f.kind === 'ip');
  return false;
}

/** Whether a rule's value is a string whenever it is written (so `in` compares it exactly). */
export function writesString(rule: RuleIR): boolean {
  const v = rule.value;
  if (v.kind === 'const') return typeof v.value === 'string';
  if (v.kind === 'copy') return false;
  if (v.kind === 'collection_time') return true;
  if (v.kind === 'select' || v.kind === 'elements') return false;
  const last = v.transforms.at(-1);
  if (!last) return v.source !== undefined && v.source.types.length === 1 && v.source.types[0] === 'string';
  if (last.kind === 'convert') return last.to === 'keyword' || last.to === 'ip';
  // A list (`split`, a list table's `lookup`) or any JSON value (`json`): mutate merge would keep
  // an array's duplicates, where `+=` adds each value once (./append.ts).
  if (last.kind === 'split' || last.kind === 'json' || last.kind === 'kv' || (last.kind === 'lookup' && last.list))
    return false;
  return true; // date (not @timestamp: appends never target it), lowercase, uppercase, lookup, redact
}

/**
 * Whether a rule's value is a list table's `lookup` none of whose lists repeats a string: mutate
 * `merge` of such a list into an array that holds none of its strings adds each once, as `+=`
 * does (merge concatenates: logstash-filter-mutate `lib/logstash/filters/mutate.rb` `merge`).
 */
export function writesDistinctList(rule: RuleIR): boolean {
  const last = rule.value.kind === 'field' || rule.value.kind === 'select' ? rule.value.transforms.at(-1) : undefined;
  if (last?.kind !== 'lookup' || !last.list) return false;
  const lists = [...last.entries.map((e) => e.to), ...(last.default !== undefined ? [last.default] : [])];
  return lists.every((to) => typeof to === 'string' || new Set(to).size === to.length);
}

/**
 * The risky parents of a rule's destination (`riskyPrefixes`, ./filters.ts) that its own lean test
 * does not already settle. A rule writes only when its source value is present (its type token is
 * neither `null` nor `missing`); a parent inside the record that is a prefix of that source path, and
 * whose child segment on the path is no array index, then holds an object: Logstash reads
 * `[a][b]` through a Hash only (org.logstash.Accessors: a List is indexed by an integer segment,
 * any other value has no children), and the parent is no rule's target (./lean.ts plan), so it
 * stays that object until the rule writes.
 */
export function parentsToCheck(rule: RuleIR, namespace: FieldPath, risky: readonly FieldPath[]): FieldPath[] {
  if (rule.value.kind !== 'field') return [...risky];
  const source = [...namespace, ...rule.value.path];
  return risky.filter((p) => {
    const through = p.length < source.length && p.every((s, i) => source[i] === s);
    return !(through && !/^-?[0-9]+$/.test(source[p.length] as string));
  });
}

const consumedKey = (c: ConsumedIR): string => `${key(c.path)}\u0001${key(c.whenDestinationSet)}`;

/**
 * What decides whether a lean rule writes, when that is its source's type token alone: no
 * condition, and no transform or one that never fails on a declared string (the allowed tokens), or
 * `ip` (the token and the address test). Two rules of one source with the same key write together.
 */
function successKey(rule: RuleIR): string | undefined {
  if (rule.when || rule.value.kind !== 'field' || !rule.value.source) return undefined;
  const allowed = tokensOf(rule.value.source.types);
  const text = allowed === 'any' ? 'any' : allowed.join(',');
  const [t, ...more] = rule.value.transforms;
  if (!t) return text;
  if (more.length > 0 || text !== 'string') return undefined;
  if (t.kind === 'convert') return t.to === 'keyword' ? text : t.to === 'ip' ? 'ip' : undefined;
  if (t.kind === 'lookup') return t.default === undefined ? undefined : text;
  return t.kind === 'lowercase' || t.kind === 'uppercase' || t.kind === 'redact' ? text : undefined;
}

const isPrefix = (p: FieldPath, of: FieldPath): boolean => p.length < of.length && p.every((s, i) => of[i] === s);

/**
 * Plans a stream with a schema. `riskyPrefixes` gives a rule target's parents that may hold a
 * non-object (./filters.ts); those inside the record, never a rule's destination nor a redacted source,
 * are probed once as slots; a rule with any other risky parent stays guarded.
 */
export function leanPlan(mapping: MappingIR, riskyPrefixes: (target: FieldPath) => FieldPath[]): LeanPlan {
  const checked: Checked[] = [];
  const values = new Map<string, FieldPath>();
  const slots = new Map<string, FieldPath>();
  const check = (path: FieldPath, kind: 'value' | 'slot'): void => {
    const index = kind === 'value' ? values : slots;
    if (index.has(key(path))) return;
    const token = typeToken(checked.length);
    checked.push({ path, kind, token });
    index.set(key(path), token);
  };
  const targets = new Set(mapping.rules.map((r) => key(r.destination)));
  const redacted = new Set(mapping.rules.map((r) => redactedSource(r)).flatMap((p) => (p ? [key(p)] : [])));
  const ns = mapping.namespace;
  const inRecord = (p: FieldPath): boolean =>
    mapping.keepUnmapped && p.length > ns.length && ns.every((s, i) => p[i] === s);

  const leanRules = new Set<number>();
  const appends = new Map<number, 'merge' | 'merge-unless-present'>();
  mapping.rules.forEach((rule, i) => {
    const reads: FieldTypeIR[] = [];
    const paths: FieldPath[] = [];
    const visit = (c: RuleIR['when']): boolean =>
      conditionTests(c).every((t) => {
        if (!t.source || t.source.origin === 'undeclared') return false;
        reads.push(t.source);
        paths.push(t.path);
        return true;
      });
    if (!visit(rule.when)) return;
    // `copy` reads the document, `collected_at` the set-aside @timestamp, not the record: the full form.
    // A selection reads an element through a ruby filter (./select.ts): the full form.
    if (
      rule.value.kind === 'copy' ||
      rule.value.kind === 'collection_time' ||
      rule.value.kind === 'select' ||
      rule.value.kind === 'elements'
    )
      return;
    if (rule.value.kind === 'field') {
      const source = rule.value.source;
      if (!source || source.origin === 'undeclared' || !formatsEnforced(source, rule.value.transforms)) return;
      reads.push(source);
      paths.push(rule.value.path);
    }
    const parents = mapping.keepUnmapped
      ? parentsToCheck(rule, ns, riskyPrefixes(rule.destination))
      : riskyPrefixes(rule.destination);
    const slotsOk = parents.every((p) => inRecord(p) && !targets.has(key(p)) && !redacted.has(key(p.slice(ns.length))));
    if (!slotsOk) return;
    for (const p of paths) check(p, 'value');
    for (const p of parents) check(p.slice(ns.length), 'slot');
    leanRules.add(i);
    const list = writesDistinctList(rule);
    if (rule.op === 'append' && (writesString(rule) || list) && !inRecord(rule.destination)) {
      const earlier = mapping.rules.slice(0, i);
      const others = mapping.rules.filter((r, j) => j !== i);
      if (others.some((r) => isPrefix(r.destination, rule.destination) || isPrefix(rule.destination, r.destination)))
        return;
      const same = earlier.filter((r) => key(r.destination) === key(rule.destination));
      // A list merges into a target nothing wrote before (its strings are distinct); `not in`
      // tests one value, so a list after earlier appends takes the ruby append.
      if (same.length === 0) appends.set(i, 'merge');
      else if (!list && same.every((r) => r.op === 'append' && (writesString(r) || writesDistinctList(r))))
        appends.set(i, 'merge-unless-present');
    }
  });
  const reads = (r: RuleIR): FieldPath[] => {
    const out: FieldPath[] = r.value.kind === 'field' ? [r.value.path] : [];
    for (const t of conditionTests(r.when)) out.push(t.path);
    return out;
  };
  const related = (a: FieldPath, b: FieldPath): boolean => key(a) === key(b) || isPrefix(a, b) || isPrefix(b, a);
  const atWrite = new Set<number>();
  for (const c of mapping.consumed) {
    const i = mapping.rules.findIndex(
      (r) =>
        r.op === 'set' &&
        r.value.kind === 'field' &&
        key(r.value.path) === key(c.path) &&
        key(r.destination) === key(c.whenDestinationSet),
    );
    const rule = mapping.rules[i];
    if (!rule || !leanRules.has(i)) continue;
    if (mapping.rules.some((r, j) => j !== i && key(r.destination) === key(rule.destination))) continue;
    if (mapping.rules.slice(i + 1).some((r) => reads(r).some((p) => related(p, c.path)))) continue;
    if (redacted.has(key(c.path))) continue;
    // A `remove ... when` tests the record after every rule: it reads the path as step 5 finds it.
    if ((mapping.removeWhen ?? []).some((r) => conditionTests(r.when).some((t) => related(t.path, c.path)))) continue;
    atWrite.add(i);
  }
  // A consumed path whose writer cannot delete it (a later rule reads it) is deleted by its last
  // reader instead, at the reader's write, when the two succeed together (same source, same test,
  // no condition, no parent to test): then the reader writes exactly when the writer did, which is
  // when step 5 would find the writer's target set.
  const atReader = new Map<number, FieldPath>();
  const handled = new Set<string>();
  for (const c of mapping.consumed) {
    const w = mapping.rules.findIndex(
      (r) =>
        r.op === 'set' &&
        r.value.kind === 'field' &&
        key(r.value.path) === key(c.path) &&
        key(r.destination) === key(c.whenDestinationSet),
    );
    const writer = mapping.rules[w];
    if (!writer) continue;
    if (atWrite.has(w)) {
      handled.add(consumedKey(c));
      continue;
    }
    if (!leanRules.has(w) || redacted.has(key(c.path))) continue;
    if (mapping.rules.some((r, j) => j !== w && key(r.destination) === key(writer.destination))) continue;
    if ((mapping.removeWhen ?? []).some((r) => conditionTests(r.when).some((t) => related(t.path, c.path)))) continue;
    const last = mapping.rules.reduce((at, r, j) => (reads(r).some((p) => related(p, c.path)) ? j : at), -1);
    const reader = mapping.rules[last];
    if (!reader || last <= w || !leanRules.has(last) || atReader.has(last)) continue;
    if (reader.value.kind !== 'field' || key(reader.value.path) !== key(c.path)) continue;
    const success = successKey(writer);
    if (success === undefined || success !== successKey(reader)) continue;
    const risky = (r: RuleIR): boolean => parentsToCheck(r, ns, riskyPrefixes(r.destination)).length > 0;
    if (risky(writer) || risky(reader)) continue;
    if (reader.op === 'append' && appends.get(last) === undefined) continue;
    atReader.set(last, c.path);
    handled.add(consumedKey(c));
  }
  const underError = (p: FieldPath): boolean => p[0] === 'error';
  const deferErrors = !mapping.rules.some(
    (r) => underError(r.destination) || (r.value.kind === 'copy' && underError(r.value.from)),
  );
  return {
    deferErrors,
    consumesAtWrite: (i) => atWrite.has(i),
    consumedAtReader: (i) => atReader.get(i),
    consumedByRule: (c) => handled.has(consumedKey(c)),
    checked,
    valueToken: (p) => values.get(key(p)),
    slotToken: (p) => slots.get(key(p)),
    lean: (i) => leanRules.has(i),
    append: (i) => appends.get(i),
  };
}
