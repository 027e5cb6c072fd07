/**
 * A stream's `record { }` block as {@link RecordSchemaIR}: the declarations in source order,
 * each path once (the first wins; a repeat is the checks' `E0146`).
 *
 * Used by the lowering (`StreamIR.schema`) and by the checks, which run before lowering and so
 * see the same declarations the IR will hold.
 *
 * @module
 */
import type { FieldFormatNode, FieldTypeNode, RecordBlock } from '../../dsl/ast.ts';
import { pathSegments } from '../../dsl/ast.ts';
import type { ElementTypeIR, FieldFormat, RecordSchemaIR, SchemaFieldIR, SourceSpan, ValueType } from '../ir.ts';

/** Pure; never throws: every syntactically valid block has a schema. */
export function declaredSchema(block: RecordBlock): RecordSchemaIR {
  const fields: SchemaFieldIR[] = [];
  const seen = new Set<string>();
  for (const field of block.fields) {
    const path = [...pathSegments(field.path)];
    const key = JSON.stringify(path);
    if (seen.has(key)) continue;
    seen.add(key);
    const items = field.types.find((t) => t.items !== undefined)?.items;
    fields.push({
      path,
      types: field.types.map((t) => t.name),
      ...(items ? { items: elementType(items) } : {}),
      optional: field.optional !== undefined,
      nullable: field.nullable !== undefined,
      formats: field.formats.map(fieldFormat),
      loc: plainSpan(field.loc),
    });
  }
  return { fields, loc: plainSpan(block.loc) };
}

function elementType(node: FieldTypeNode): ElementTypeIR {
  return { types: [node.name as ValueType], ...(node.items ? { items: elementType(node.items) } : {}) };
}

export function fieldFormat(node: FieldFormatNode): FieldFormat {
  if (node.kind === 'IpFormat') return { kind: 'ip' };
  if (node.format === 'pattern')
    return { kind: 'pattern', pattern: { text: node.pattern ?? '', tokens: node.tokens ?? [] } };
  return { kind: node.format };
}

/** A fresh plain span (the AST's may grow extra properties; the IR must not). */
function plainSpan(loc: SourceSpan): SourceSpan {
  return { file: loc.file, offset: loc.offset, length: loc.length, line: loc.line, column: loc.column };
}
