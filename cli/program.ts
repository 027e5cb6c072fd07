/**
 * The `mapc` command line (commander): build, check, fmt, ir, preview, schema, init, collect, lsp.
 *
 * @module
 */
import { Command } from 'commander';
import { registerBuildCommand } from './commands/build.ts';
import { registerCheckCommand } from './commands/check.ts';
import { registerCollect } from './commands/collect.ts';
import { registerFmtCommand } from './commands/fmt.ts';
import { registerIrCommand } from './commands/ir.ts';
import { registerLspCommand } from './commands/lsp.ts';
import { registerPreviewCommand } from './commands/preview.ts';
import { registerSchemaCommand } from './commands/schema.ts';
import { registerInitCommand } from './commands/init.ts';
import type { Io } from './io.ts';

export async function createProgram(io: Io): Promise<Command> {
  const program = new Command('mapc')
    .description('Compile .map files to Elastic, Vector and Logstash log-collection configs')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerBuildCommand(program, io);
  registerCheckCommand(program, io);
  registerFmtCommand(program, io);
  registerIrCommand(program, io);
  registerPreviewCommand(program, io);
  registerSchemaCommand(program, io);
  registerInitCommand(program, io);
  await registerCollect(program, io);
  registerLspCommand(program, io);
  return program;
}
