/**
 * What the record-schema checks share: each stream's declared schema (the one lowering puts in
 * the IR, `compiler/schema/declared.ts`) and every record path the stream reads.
 *
 * @module
 */
import type { Condition, MapRule, PathNode, RecordBlock, Span, StreamDecl } from '../../dsl/ast.ts';
import { pathSegments, pathText } from '../../dsl/ast.ts';
import { declaredSchema } from '../schema/declared.ts';
import { SchemaIndex } from '../schema/resolve.ts';
import type { FieldPath } from '../ir.ts';

const indexes = new WeakMap<RecordBlock, SchemaIndex>();

/** The stream's schema index, or undefined when it has no `record` block (computed once per block). */
export function schemaIndex(stream: StreamDecl): SchemaIndex | undefined {
  const block = stream.record;
  if (!block) return undefined;
  let index = indexes.get(block);
  if (!index) {
    index = new SchemaIndex(declaredSchema(block), stream.split ? [...pathSegments(stream.split.path)] : undefined);
    indexes.set(block, index);
  }
  return index;
}

/** What reads a record path: a rule's source, a rule's `when`, `id`, `cursor { max }`, `split`, `remove`. */
export type ReadKind = 'rule' | 'condition' | 'id' | 'cursor' | 'split' | 'remove';

export interface PathRead {
  readonly kind: ReadKind;
  readonly path: PathNode;
  /** For `rule` and `condition`: the rule. */
  readonly rule?: MapRule;
  /**
   * For `rule` and `condition`: record paths earlier rules wrote inside the namespace, which this
   * read may see (module doc of `compiler/ir.ts`, step 2) although the schema does not declare them.
   */
  readonly written?: readonly FieldPath[];
}

/** Every record path the stream reads, in source order within each kind. */
export function pathReads(stream: StreamDecl, namespace: FieldPath | undefined): PathRead[] {
  const reads: PathRead[] = [];
  const written: FieldPath[] = [];
  // Without `unmapped keep` the namespace holds no record, so reads never see writes there.
  const keep = stream.map?.unmapped?.mode !== 'drop';
  // `drop when` reads the record as received, before any rule.
  for (const drop of stream.map?.drop ?? []) {
    for (const path of conditionPaths(drop.when)) reads.push({ kind: 'condition', path, written: [] });
  }
  for (const rule of stream.map?.rules ?? []) {
    const seen = [...written];
    if (rule.value.kind === 'FieldValue') reads.push({ kind: 'rule', path: rule.value.path, rule, written: seen });
    // A selection reads its array (typed by ./rules/select.ts, E0240), never a declared element field.
    if (rule.value.kind === 'SelectValue' || rule.value.kind === 'ElementsValue')
      reads.push({ kind: 'rule', path: rule.value.array, written: seen });
    for (const path of conditionPaths(rule.when)) reads.push({ kind: 'condition', path, rule, written: seen });
    const destination = pathSegments(rule.destination);
    if (keep && namespace && destination.length > namespace.length && namespace.every((s, i) => destination[i] === s)) {
      written.push(destination.slice(namespace.length));
    }
  }
  for (const path of stream.map?.id?.paths ?? []) reads.push({ kind: 'id', path });
  if (stream.cursor?.max) reads.push({ kind: 'cursor', path: stream.cursor.max.path });
  if (stream.split) reads.push({ kind: 'split', path: stream.split.path });
  for (const remove of stream.map?.remove ?? []) for (const path of remove.paths) reads.push({ kind: 'remove', path });
  // `remove ... when` tests the record as the rules left it.
  for (const remove of stream.map?.remove ?? []) {
    for (const path of conditionPaths(remove.when)) reads.push({ kind: 'condition', path, written: [...written] });
  }
  return reads;
}

/** Every field path a record condition reads, in source order (none for `setting.x` tests or no condition). */
export function conditionPaths(condition: Condition | undefined): PathNode[] {
  if (!condition) return [];
  switch (condition.kind) {
    case 'SettingCondition':
      return [];
    case 'NotCondition':
      return conditionPaths(condition.operand);
    case 'AndCondition':
    case 'OrCondition':
      return condition.operands.flatMap((c) => conditionPaths(c));
    default:
      return [condition.path];
  }
}

/** The namespace the stream's record is kept under (`map { namespace }`, else `<integration>.<stream>`). */
export function namespaceOf(stream: StreamDecl, integration: string | undefined): FieldPath | undefined {
  if (stream.map?.namespace) return [...pathSegments(stream.map.namespace)];
  return integration === undefined ? undefined : [integration, stream.name.value];
}

/** How each kind of read is named in messages. */
export const READ_WORDS: Readonly<Record<ReadKind, string>> = {
  rule: 'a rule reads',
  condition: 'a condition reads',
  id: 'the document id reads',
  cursor: 'the cursor reads',
  split: 'split reads',
  remove: 'remove deletes',
};

/** The span of the `record` keyword of a block, for secondary labels. */
export function recordKeyword(block: RecordBlock): Span {
  return { ...block.loc, length: 'record'.length };
}

export { pathText };
