/**
 * Path resolution against a record schema: the {@link FieldTypeIR} of a record path, as the
 * lowering puts it on every IR node that reads a path and as the checks judge reads by
 * (module doc of `compiler/ir.ts`, "Record schemas").
 *
 * @module
 */
import type { FieldPath, FieldTypeIR, RecordSchemaIR, SchemaFieldIR } from '../ir.ts';
import { MAX_PATH_SEGMENTS } from '../../dsl/limits.ts';

/**
 * One node of the declared tree: a declared path, or an implicit parent of declared paths.
 * `children` by segment name, in declaration order.
 */
export interface SchemaNode {
  readonly path: FieldPath;
  readonly field?: SchemaFieldIR;
  readonly children: ReadonlyMap<string, SchemaNode>;
}

export type Resolution =
  /** Declared, or the parent of declared paths. */
  | { readonly kind: 'found'; readonly type: FieldTypeIR; readonly node: SchemaNode }
  /** The path goes below a declared field that cannot hold declared fields (not an object). */
  | { readonly kind: 'through'; readonly blocker: SchemaFieldIR }
  /** Neither declared nor the parent of a declared path. */
  | { readonly kind: 'missing' };

/** The type of a path the schema says nothing about (module doc: `origin: 'undeclared'`). */
export const UNDECLARED: FieldTypeIR = {
  origin: 'undeclared',
  types: ['any'],
  optional: true,
  nullable: true,
  formats: [],
};

/** Can a declared field hold declared fields of its own? Only when one of its types is `object`. */
export function holdsFields(field: SchemaFieldIR): boolean {
  return field.types.includes('object');
}

/** The declared tree of a schema and path resolution over it. */
export class SchemaIndex {
  readonly root: SchemaNode;
  readonly split: FieldPath | undefined;

  /** `split`: the stream's split path, whose element the mapping sees (`SplitIR`). */
  constructor(
    readonly schema: RecordSchemaIR,
    split?: FieldPath,
  ) {
    this.split = split;
    const root: MutableNode = { path: [], children: new Map() };
    for (const field of schema.fields) {
      // A path past the bound is refused by the checks (E0128); the tree never holds one, so
      // every walk of it is shallow.
      if (field.path.length > MAX_PATH_SEGMENTS) continue;
      let node = root;
      for (const [i, segment] of field.path.entries()) {
        let child = node.children.get(segment);
        if (!child) {
          child = { path: field.path.slice(0, i + 1), children: new Map() };
          node.children.set(segment, child);
        }
        node = child;
      }
      node.field ??= field;
    }
    this.root = root;
  }

  /** Resolves `path` (relative to the record); `[]` is the record itself. */
  resolve(path: FieldPath): Resolution {
    let node: SchemaNode = this.root;
    let optional = false;
    for (const segment of path) {
      const field = node.field;
      if (field) {
        if (!holdsFields(field)) return { kind: 'through', blocker: field };
        // Fields under an optional, nullable or not-only-object parent may be absent with it.
        if (field.optional || field.nullable || field.types.length > 1) optional = true;
      }
      const child = node.children.get(segment);
      if (!child) return { kind: 'missing' };
      if (!isRequired(child)) optional = true;
      node = child;
    }
    const underSplit = this.split !== undefined && isStrictlyUnder(path, this.split);
    const atSplit = this.split !== undefined && samePath(path, this.split);
    const field = node.field;
    const type: FieldTypeIR = field
      ? {
          origin: 'declared',
          types: field.types,
          ...(field.items ? { items: field.items } : {}),
          optional: optional || underSplit,
          nullable: field.nullable,
          formats: field.formats,
          ...(atSplit ? { emptySplit: true as const } : {}),
        }
      : {
          origin: 'parent',
          types: ['object'],
          optional: optional || underSplit,
          nullable: false,
          formats: [],
          ...(atSplit ? { emptySplit: true as const } : {}),
        };
    return { kind: 'found', type, node };
  }

  /** The dotted text of every declared path and every parent of one, for "did you mean". */
  knownPaths(): string[] {
    const out: string[] = [];
    const visit = (node: SchemaNode): void => {
      for (const child of node.children.values()) {
        out.push(child.path.join('.'));
        visit(child);
      }
    };
    visit(this.root);
    return out;
  }
}

interface MutableNode {
  readonly path: FieldPath;
  field?: SchemaFieldIR;
  readonly children: Map<string, MutableNode>;
}

/**
 * Whether a conforming record has this node whenever its parent is an object: a declared field
 * unless `optional`; an implicit parent when any of its children is required.
 */
export function isRequired(node: SchemaNode): boolean {
  if (node.field) return !node.field.optional;
  for (const child of node.children.values()) if (isRequired(child)) return true;
  return false;
}

export function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/**
 * Whether an earlier rule's write inside the namespace (`written`, record-relative destinations) may
 * have replaced the value at `path`: a write at the path, above it or below it. Such a read sees
 * what the rule wrote, not the vendor's value, so its type is `undeclared` (module doc of
 * `compiler/ir.ts`, FieldTypeIR).
 */
export function rewritten(path: FieldPath, written: readonly FieldPath[]): boolean {
  return written.some((w) => samePath(w, path) || isStrictlyUnder(path, w) || isStrictlyUnder(w, path));
}

/** `path` lies below `prefix` (not equal to it). */
export function isStrictlyUnder(path: FieldPath, prefix: FieldPath): boolean {
  return path.length > prefix.length && prefix.every((s, i) => path[i] === s);
}
