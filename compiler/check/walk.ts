/**
 * A generic depth-first walk over the `.map` AST that hands every node, with its ancestors, to
 * a visitor keyed by node kind (graphql-js `visit` with `visitInParallel`, reduced to what the
 * checks need: enter only, no edits).
 *
 * @module
 */
import type { AstNode, NodeKind, NodeKindMap } from '../../dsl/ast.ts';

/** Called on entering a node of kind `K`; `ancestors` run from the root (`MapFile`) to the parent. */
export type VisitFn<K extends NodeKind> = (node: NodeKindMap[K], ancestors: readonly AstNode[]) => void;

/** Handlers by node kind; kinds without a handler are walked through silently. */
export type Visitor = { readonly [K in NodeKind]?: VisitFn<K> };

/**
 * Walks `root` depth first in field order, calling each visitor's handler for the node's kind,
 * visitors in list order. Children are the node's fields holding nodes (objects with a string
 * `kind`) or arrays of nodes; spans and plain values are skipped.
 *
 * The handlers are gathered by kind once per walk: a node then costs one `Map` lookup instead of
 * one property lookup per visitor (each visitor is an object of its own shape, so those lookups
 * were megamorphic: the checks' largest cost when many maps are built).
 */
export function walk(root: AstNode, visitors: readonly Visitor[]): void {
  const handlers = new Map<string, VisitFn<NodeKind>[]>();
  for (const visitor of visitors) {
    for (const [kind, fn] of Object.entries(visitor)) {
      if (typeof fn !== 'function') continue;
      const list = handlers.get(kind);
      if (list) list.push(fn as VisitFn<NodeKind>);
      else handlers.set(kind, [fn as VisitFn<NodeKind>]);
    }
  }
  const ancestors: AstNode[] = [];
  const visit = (node: AstNode): void => {
    const fns = handlers.get(node.kind);
    if (fns !== undefined) for (const fn of fns) fn(node, ancestors);
    ancestors.push(node);
    for (const key in node) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isAstNode(item)) visit(item);
      } else if (isAstNode(value)) {
        visit(value);
      }
    }
    ancestors.pop();
  };
  visit(root);
}

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

/** The nearest ancestor of the given kind, innermost first. */
export function nearest<K extends NodeKind>(ancestors: readonly AstNode[], kind: K): NodeKindMap[K] | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if (node.kind === kind) return node as NodeKindMap[K];
  }
  return undefined;
}
