/**
 * What the lean mapping (`./lean.ts`) knows before it writes a line, from the rules alone
 * (module doc of `compiler/ir.ts`, steps 2-5):
 *
 * - **Writes** ({@link writeFacts}): before each rule, which earlier writes may have put a
 *   non-object at a parent of its destination (the parents to test), and what an `append` finds
 *   there (nothing, an array, or anything).
 * - **Groups** ({@link groupRules}): consecutive rules that read the same path with the same
 *   declared type share one read of it, as an engineer reads a field once and uses it for
 *   several targets; rules with the same functions also share the converted value.
 * - **Consumed paths deleted at their write** ({@link inlineConsumed}, over `consumedOwners` of
 *   `compiler/rule-paths.ts`): step 5 deletes a
 *   source path when its destination exists after all rules; when only its rule writes that destination
 *   and no later rule reads the path, the rule deletes it right after its write (an engineer's
 *   `.event.id = del(.uuid)`), which is the same document.
 *
 * @module
 */
import type { ConsumedIR, FieldPath, MappingIR, RuleIR, TransformIR } from '../../../compiler/ir.ts';
import { above, consumedOwners, overlap, parentPaths, samePath } from '../../../compiler/rule-paths.ts';
import { vrlPath } from '../quote.ts';

export { above, overlap, samePath };

/** What a rule's write finds in the document. */
export interface WriteFacts {
  /** Parents of the target that may hold a non-object, outermost first; `[]` when none may. */
  readonly parentsToTest: readonly FieldPath[];
  /** `absent`: nothing wrote the target, above or below it; `array`: only earlier appends did. */
  readonly append: 'absent' | 'array' | 'unknown';
}

/**
 * The facts of each rule's write, from what the earlier steps may have written: the kept record
 * at the namespace (any data strictly below it), `event.original` (a string), and each earlier
 * rule's destination (any value). A parent only ever created by writes below it is an object or
 * absent, which a write fills.
 */
export function writeFacts(mapping: MappingIR): Map<RuleIR, WriteFacts> {
  const ns = mapping.keepUnmapped ? mapping.namespace : undefined;
  const written: { path: FieldPath; op: 'set' | 'append' }[] = [];
  if (mapping.original) written.push({ path: ['event', 'original'], op: 'set' });
  const facts = new Map<RuleIR, WriteFacts>();
  for (const rule of mapping.rules) {
    const { destination: target } = rule;
    const parents = parentPaths(target);
    const risky = (p: FieldPath): boolean =>
      written.some((w) => samePath(w.path, p) || above(w.path, p)) || (ns !== undefined && above(ns, p));
    const first = parents.findIndex(risky);
    let append: WriteFacts['append'];
    const touching = written.filter((w) => overlap(w.path, target));
    if (ns !== undefined && overlap(ns, target)) append = 'unknown';
    else if (touching.length === 0) append = 'absent';
    else append = touching.every((w) => w.op === 'append' && samePath(w.path, target)) ? 'array' : 'unknown';
    facts.set(rule, { parentsToTest: first < 0 ? [] : parents.slice(first), append });
    written.push({ path: target, op: rule.op });
  }
  return facts;
}

/** Two function chains are the same (so their results are the same value). */
export function sameTransforms(a: readonly TransformIR[], b: readonly TransformIR[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The rules in order, in groups: a group of several rules reads one path once. Rules join the
 * group of the rule before them when both can share a read (`shareable`: a field rule without
 * condition whose value is read by one typed call), they read the same path with the same
 * declared type, and no rule already in the group changes that path for the rules after it (a
 * target at, above or below it in the kept record, or a redaction with more functions than
 * `hash` or `mask`, which may fail on a string and delete it).
 */
export function groupRules(mapping: MappingIR, shareable: (rule: RuleIR) => boolean): RuleIR[][] {
  const groups: RuleIR[][] = [];
  const inRecord = (rule: RuleIR, path: FieldPath): boolean =>
    mapping.keepUnmapped &&
    above(mapping.namespace, rule.destination) &&
    overlap(rule.destination.slice(mapping.namespace.length), path);
  for (const rule of mapping.rules) {
    const group = groups[groups.length - 1];
    const head = group?.[0];
    const joins =
      group !== undefined &&
      head !== undefined &&
      head.value.kind === 'field' &&
      rule.value.kind === 'field' &&
      shareable(head) &&
      shareable(rule) &&
      samePath(head.value.path, rule.value.path) &&
      JSON.stringify(head.value.source) === JSON.stringify(rule.value.source) &&
      group.every(
        (r) =>
          r.value.kind === 'field' &&
          (!r.value.transforms.some((t) => t.kind === 'redact') || loneRedaction(r)) &&
          !inRecord(r, (head.value as { path: FieldPath }).path),
      );
    if (joins) group.push(rule);
    else groups.push([rule]);
  }
  return groups;
}

/**
 * A rule whose one function is `hash` or `mask`: on a string it never fails, so the rules after
 * it in a group read the value it read; on anything else it fails and deletes its source
 * (redaction fails closed), so the rules after it read nothing and report nothing
 * ({@link untilRedaction}).
 */
function loneRedaction(rule: RuleIR): boolean {
  return (
    rule.value.kind === 'field' && rule.value.transforms.length === 1 && rule.value.transforms[0]?.kind === 'redact'
  );
}

/**
 * The rules of a group whose failure a value of another type reports: up to the first that
 * redacts, which deletes the source, so that the later rules find nothing (step 3: no error).
 */
export function untilRedaction(group: readonly RuleIR[]): readonly RuleIR[] {
  const first = group.findIndex((r) => r.value.kind === 'field' && r.value.transforms.some((t) => t.kind === 'redact'));
  return first < 0 ? group : group.slice(0, first + 1);
}

/**
 * The consumed paths (step 5) that their own rule deletes right after writing its destination, by
 * rule: those of a kept record whose target no other rule writes (at, above or below it) and
 * whose path no later rule writes, nor reads outside the rule's group (whose rules read the
 * value the group read once). The target then exists after all rules exactly when the rule
 * wrote it.
 */
export function inlineConsumed(mapping: MappingIR, groups: readonly (readonly RuleIR[])[]): Map<RuleIR, ConsumedIR> {
  // Rules of the owner's group read the shared value, not the path.
  return consumedOwners(mapping, (reader, owner) => (groups.find((g) => g.includes(owner)) ?? []).includes(reader));
}

/**
 * Whether an earlier rule wrote a proper prefix of `rule`'s target. VRL then knows that parent's
 * type from the earlier assignment (a string, say) and rejects a path write below it at compile
 * time (error 642, https://errors.vrl.dev/642), so the write goes through `set` instead.
 */
export function belowEarlierDestination(rules: readonly RuleIR[], rule: RuleIR): boolean {
  const index = rules.indexOf(rule);
  return rules.slice(0, index < 0 ? 0 : index).some((r) => above(r.destination, rule.destination));
}

/** Constant rules written together as one object literal under their top-level field ({@link constantObjects}). */
export interface ConstantObject {
  /** The top-level field (`event`). */
  readonly key: string;
  /** The rules, in rule order; each writes `key.<field>` (its destination has two segments). */
  readonly rules: readonly RuleIR[];
}

/**
 * Unconditional constants written as one object literal per top-level field before the rules
 * (`.event = {"category": ["vulnerability"], "dataset": "entro.audit", "type": ["info"]}`), as an
 * engineer writes the fixed fields of an event; one VRL assignment instead of one a field (a path
 * write costs about 2,500 instructions a record on the `vrl` CLI 0.38, a literal about as much:
 * Entro's three `event` constants as one literal save 1.5k of its remap's 126.8k a record).
 * The document is the same when, for each rule taken:
 *
 * - it is a `set` of a constant, or an `append` of one into a target nothing else writes, with no
 *   condition; its destination is `key.<field>`, written as a VRL path;
 * - no other rule writes at, above or below its destination or copies from there, so moving it
 *   before the rules changes no other rule's outcome (a constant never fails);
 * - nothing written before the rules lies under `key`: not the kept record (its namespace), nor
 *   `_id`; `event.original`, written conditionally before the rules, is written after the literal;
 * - every other rule under `key` writes a direct child of it (`.event.kind`): VRL then knows
 *   `.key` as an object and accepts the write, where a write two levels below a field the literal
 *   does not hold is error 642 (https://errors.vrl.dev/642).
 *
 * Only fields with two or more such rules are taken.
 */
export function constantObjects(mapping: MappingIR): ConstantObject[] {
  const ns = mapping.keepUnmapped ? mapping.namespace : undefined;
  if (ns !== undefined && ns.length === 0) return [];
  const candidate = (rule: RuleIR): boolean => {
    const [key, field] = rule.destination;
    if (rule.when !== undefined || rule.value.kind !== 'const' || rule.destination.length !== 2) return false;
    if (key === undefined || field === undefined || vrlPath(rule.destination) === undefined || key === '_id')
      return false;
    if (ns !== undefined && ns[0] === key) return false;
    return mapping.rules.every(
      (other) =>
        other === rule ||
        (!overlap(other.destination, rule.destination) &&
          !(other.value.kind === 'copy' && overlap(other.value.from, rule.destination))),
    );
  };
  const byKey = new Map<string, RuleIR[]>();
  for (const rule of mapping.rules) {
    if (!candidate(rule)) continue;
    const key = rule.destination[0] as string;
    byKey.set(key, [...(byKey.get(key) ?? []), rule]);
  }
  return [...byKey]
    .filter(
      ([key, rules]) =>
        rules.length >= 2 &&
        mapping.rules.every((r) => rules.includes(r) || r.destination[0] !== key || r.destination.length === 2),
    )
    .map(([key, rules]) => ({ key, rules }));
}
