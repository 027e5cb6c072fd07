/**
 * Target-neutral facts about the paths rules read and write, which every backend's lean output
 * plans with (Elastic `targets/elastic/lean.ts`, Vector `targets/vector/vrl/plan.ts`): path
 * comparisons, what a rule reads, and which consumed path (module doc of `./ir.ts`, step 5) its
 * own rule may delete right after writing its destination.
 *
 * @module
 */
import type { ConditionIR, ConsumedIR, FieldPath, MappingIR, RuleIR } from './ir.ts';

/**
 * The destinations of `collected_at` rules (ValueIR `collection_time`), once each, in rule order:
 * fields an engine fills with its own collection time, which no fixture's expected document can
 * hold (the interpreter of `mapc test` has none), so each engine's test leaves them out of its
 * comparison after checking their form, as it does for an engine-assigned `@timestamp` (step 8).
 */
export function collectionTimeDestinations(mapping: MappingIR): FieldPath[] {
  const out: FieldPath[] = [];
  for (const rule of mapping.rules) {
    if (rule.value.kind !== 'collection_time') continue;
    if (!out.some((p) => samePath(p, rule.destination))) out.push(rule.destination);
  }
  return out;
}

/** A condition's tests that read a record path (`exists`, `equals`, `in`, `compare`, `text`). */
export type PathTest = Extract<ConditionIR, { readonly path: FieldPath }>;

/** The names of the `bool` settings a condition reads (`setting.x`), left to right, with repeats. */
export function conditionSettings(c: ConditionIR | undefined): string[] {
  const out: string[] = [];
  const walk = (node: ConditionIR | undefined): void => {
    if (node === undefined) return;
    if (node.kind === 'setting') out.push(node.name);
    else if (node.kind === 'not') walk(node.condition);
    else if (node.kind === 'and') node.all.forEach(walk);
    else if (node.kind === 'or') node.any.forEach(walk);
  };
  walk(c);
  return out;
}

/** Every record condition of a mapping: its `drop when`s, each rule's `when`, then each `remove ... when`, in order. */
export function mappingConditions(mapping: MappingIR): ConditionIR[] {
  return [
    ...(mapping.drop ?? []),
    ...mapping.rules.flatMap((r) => (r.when ? [r.when] : [])),
    ...(mapping.removeWhen ?? []).map((r) => r.when),
  ];
}

/** The tests of a condition that read a record path, left to right (through `not`/`and`/`or`). */
export function conditionTests(c: ConditionIR | undefined): PathTest[] {
  const out: PathTest[] = [];
  const walk = (node: ConditionIR | undefined): void => {
    if (node === undefined) return;
    switch (node.kind) {
      case 'not':
        return walk(node.condition);
      case 'and':
        return node.all.forEach(walk);
      case 'or':
        return node.any.forEach(walk);
      case 'setting':
        return;
      default:
        out.push(node);
    }
  };
  walk(c);
  return out;
}

/** The same segments. */
export function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** `prefix` is a proper prefix of `path`. */
export function above(prefix: FieldPath, path: FieldPath): boolean {
  return prefix.length < path.length && prefix.every((s, i) => path[i] === s);
}

/** Equal, or one above the other: a write to one changes what a read of the other sees. */
export function overlap(a: FieldPath, b: FieldPath): boolean {
  return samePath(a, b) || above(a, b) || above(b, a);
}

/** The parent paths of `path`, outermost first (`a`, `a.b` for `a.b.c`). */
export function parentPaths(path: FieldPath): FieldPath[] {
  return path.slice(0, -1).map((_, i) => path.slice(0, i + 1));
}

/** Every record path a rule reads: its value's source (a selection's array) and its condition's paths. */
export function ruleReads(rule: RuleIR): FieldPath[] {
  const out: FieldPath[] =
    rule.value.kind === 'field'
      ? [rule.value.path]
      : rule.value.kind === 'select' || rule.value.kind === 'elements'
        ? [rule.value.array]
        : [];
  for (const test of conditionTests(rule.when)) out.push(test.path);
  return out;
}

/**
 * The consumed paths (step 5) that their own rule can delete right after writing its destination, by
 * that rule: for a kept record (`keepUnmapped`), a consumed path whose owner (the first `set` of
 * that very path into `whenDestinationSet`) is the only rule writing at, above or below its destination,
 * and whose record path no later rule writes or reads. The destination then exists after all rules
 * exactly when the owner wrote it, so step 5's removal is the owner's own. A backend narrows the
 * result further for what its engine needs.
 * @param readIsShared `(reader, owner)`: true when a later rule's read does not count because it
 *   reads the value the owner read, not the path (Vector's shared reads); default none
 */
export function consumedOwners(
  mapping: MappingIR,
  readIsShared: (reader: RuleIR, owner: RuleIR) => boolean = () => false,
): Map<RuleIR, ConsumedIR> {
  const out = new Map<RuleIR, ConsumedIR>();
  if (!mapping.keepUnmapped) return out;
  for (const consumed of mapping.consumed) {
    const owner = mapping.rules.find(
      (r) =>
        r.op === 'set' &&
        r.value.kind === 'field' &&
        samePath(r.value.path, consumed.path) &&
        samePath(r.destination, consumed.whenDestinationSet),
    );
    if (!owner) continue;
    if (mapping.rules.some((r) => r !== owner && overlap(r.destination, owner.destination))) continue;
    const path = [...mapping.namespace, ...consumed.path];
    const later = mapping.rules.slice(mapping.rules.indexOf(owner) + 1);
    // A `remove ... when` tests the record after every rule: it reads the path as step 5 finds it.
    const removeReads = (mapping.removeWhen ?? []).some((r) =>
      conditionTests(r.when).some((t) => overlap(t.path, consumed.path)),
    );
    const touched =
      removeReads ||
      later.some(
        (r) =>
          overlap(r.destination, path) ||
          (!readIsShared(r, owner) && ruleReads(r).some((p) => overlap(p, consumed.path))),
      );
    if (!touched) out.set(owner, consumed);
  }
  return out;
}
