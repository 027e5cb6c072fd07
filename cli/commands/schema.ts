import { compileFile } from '../../compiler/compile.ts';
import { streamJsonSchema } from '../../compiler/schema/validate.ts';
import { cliError, type Io } from '../io.ts';
import { printDiagnostics, Sources } from '../report.ts';
import { pickStream } from './preview.ts';

/**
 * `mapc schema <map> [--stream s]`: the JSON Schema (draft 2020-12) of a stream's records, from
 * its `record` block (`compiler/schema/`), on stdout. Diagnostics go to stderr; exit 1 on errors
 * or when the stream declares no record schema.
 */
export function runSchema(io: Io, file: string, options: { readonly stream?: string }): void {
  let compiled;
  try {
    compiled = compileFile(file);
  } catch (error) {
    cliError(io, `cannot read ${file}: ${(error as Error).message}`);
    return;
  }
  const sources = new Sources();
  sources.add(file, compiled.source);
  printDiagnostics(io, compiled.diagnostics, sources);
  const ir = compiled.ir;
  if (!ir) return;
  const stream = pickStream(io, ir, options.stream);
  if (!stream) return;
  const schema = streamJsonSchema(ir.name, stream);
  if (!schema) {
    cliError(io, `stream ${stream.name} of ${file} has no record schema: add a \`record { ... }\` block`);
    return;
  }
  io.out(`${JSON.stringify(schema, null, 2)}\n`);
}
