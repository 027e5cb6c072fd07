/**
 * `mapc lsp [--stdio]`: the language server (`editor/server/`) on standard input and output, for
 * editors (`editor/README.md`). `--stdio` is accepted because editor clients pass it; stdio is the
 * only transport. The server and its protocol library are loaded only by this command (the
 * program imports this module lazily); the imports here are static, which is how the bundler
 * reads the named exports of the CommonJS protocol library.
 *
 * @module
 */
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { startServer } from '../../editor/server/server.ts';
import { mapcVersion } from '../version.ts';

/** Runs the server until the client sends `exit` (the protocol library then ends the process). */
export function runLsp(): void {
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(process.stdin),
    new StreamMessageWriter(process.stdout),
  );
  startServer(connection, { version: mapcVersion() });
}
