/**
 * Lowers a stream's `record { }` block to `StreamIR.schema` and gives the rest of the lowering
 * the {@link FieldTypeIR} of each path it reads (module doc of `compiler/ir.ts`, "Record schemas").
 *
 * @module
 */
import type { StreamDecl } from '../../dsl/ast.ts';
import type { FieldPath, FieldTypeIR, RecordSchemaIR } from '../ir.ts';
import { declaredSchema } from '../schema/declared.ts';
import { SchemaIndex, UNDECLARED } from '../schema/resolve.ts';
import { path } from './common.ts';

/**
 * The type of a record path; `undefined` for every path when the stream has no schema, and the
 * record's own type (`[]`, an object) when it has one.
 */
export type PathTyper = (path: FieldPath) => FieldTypeIR | undefined;

export interface LoweredSchema {
  readonly schema?: RecordSchemaIR;
  readonly typeOf: PathTyper;
}

/**
 * The stream's schema and its path typer. A path the schema neither declares nor implies is
 * `undeclared` (any value): the checks allow that only for `remove` and for reads of paths an
 * earlier rule wrote inside the namespace (`E0140` otherwise), so lowering needs no error here.
 */
export function lowerSchema(stream: StreamDecl): LoweredSchema {
  if (!stream.record) return { typeOf: () => undefined };
  const schema = declaredSchema(stream.record);
  const index = new SchemaIndex(schema, stream.split ? path(stream.split.path) : undefined);
  return {
    schema,
    typeOf: (p) => {
      const resolved = index.resolve(p);
      return resolved.kind === 'found' ? resolved.type : UNDECLARED;
    },
  };
}
