/**
 * A stream that splits its records must give each element its own document id (W0165): two
 * elements of one record that the `id` fields cannot tell apart get the same `_id`, and the sink
 * keeps only one of them (Entro: two secrets of the same type on the same line of one request).
 *
 * - The `id` fields must include a path at or under the `split` path (also `id raw PATH`, whose
 *   one field is then the element's own vendor id, taken as unique: the next point does not apply).
 * - When the record schema declares the element's fields (paths under the split path), every
 *   declared field that is not `optional` and holds a scalar (`string`, `integer`, `number`,
 *   `boolean`) must be read by the `id` (the path itself, or a parent of it).
 *
 * @module
 */
import { pathSegments, pathText, type FieldTypeNode, type StreamDecl } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';

const SCALARS: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'boolean']);

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

function scalar(types: readonly FieldTypeNode[]): boolean {
  return types.length > 0 && types.every((t) => SCALARS.has(t.name));
}

/** The id of a split stream tells its elements apart (W0165). */
export const SplitDocumentIdRule: CheckRule = (ctx) => ({
  Stream(stream: StreamDecl) {
    const split = stream.split;
    const id = stream.map?.id;
    if (!split || !id) return;
    const splitPath = pathSegments(split.path);
    const ids = id.paths.map((p) => pathSegments(p));
    const splitText = pathText(split.path);
    if (!ids.some((p) => startsWith(p, splitPath))) {
      ctx.warning(
        'W0165',
        `the document id reads nothing of the split element ${splitText}`,
        id.loc,
        'two elements of one record get the same _id',
        {
          secondary: [{ span: split.loc, message: 'each element of this array becomes its own event' }],
          notes: [`help: add the element's identifying fields (e.g. ${splitText}.<field>) to \`id\``],
        },
      );
      return;
    }
    // `id raw PATH` under the split path: the vendor's own id of the element, taken as unique.
    if (id.raw !== undefined) return;
    const missing = (stream.record?.fields ?? []).filter((f) => {
      const path = pathSegments(f.path);
      if (path.length <= splitPath.length || !startsWith(path, splitPath)) return false;
      if (f.optional !== undefined || !scalar(f.types)) return false;
      return !ids.some((p) => startsWith(path, p));
    });
    if (missing.length === 0) return;
    const names = missing.map((f) => pathText(f.path));
    ctx.warning(
      'W0165',
      `the document id cannot tell apart two elements of ${splitText} that differ only in ${names.join(', ')}`,
      id.loc,
      'such elements get the same _id; the sink keeps one',
      {
        secondary: missing.map((f) => ({ span: f.loc, message: 'declared here, not read by the id' })),
        notes: [
          `help: add ${names.join(', ')} to \`id\` (the id is a SHA-256: a redacted value read by it is never stored)`,
        ],
      },
    );
  },
});
