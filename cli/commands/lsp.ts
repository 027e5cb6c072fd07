/**
 * `mapc lsp [--stdio]`: the language server (`editor/server/`) on standard input and output, for
 * editors (`editor/README.md`). `--stdio` is accepted because editor clients pass it; stdio is the
 * only transport. The server and its protocol library are loaded only by this command.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Io } from '../io.ts';

/** mapc's version, from its `package.json`. */
function mapcVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

/** Runs the server until the client sends `exit` (the protocol library then ends the process). */
export async function runLsp(): Promise<void> {
  const { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } =
    await import('vscode-languageserver/node');
  const { startServer } = await import('../../editor/server/server.ts');
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(process.stdin),
    new StreamMessageWriter(process.stdout),
  );
  startServer(connection, { version: mapcVersion() });
}

export function registerLspCommand(program: Command, _io: Io): void {
  program
    .command('lsp')
    .description('run the language server on standard input/output (for editors)')
    .option('--stdio', 'talk LSP over standard input/output (the default and only transport)')
    .action(() => runLsp());
}
