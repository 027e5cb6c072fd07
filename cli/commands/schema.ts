import { loadAndReport } from '../load.ts';
import { streamJsonSchema } from '../../compiler/schema/validate.ts';
import { cliError, type Io } from '../io.ts';
import { Sources } from '../report.ts';
import { pickStream } from './preview.ts';

/**
 * `mapc schema <map> [--stream s]`: the JSON Schema (draft 2020-12) of a stream's records, from
 * its `record` block (`compiler/schema/`), on stdout. Diagnostics go to stderr; exit 1 on errors
 * or when the stream declares no record schema.
 */
export function runSchema(io: Io, file: string, options: { readonly stream?: string }): void {
  const ir = loadAndReport(io, file, new Sources());
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
