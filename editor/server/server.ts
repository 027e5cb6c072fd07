/**
 * The mapc language server (LSP 3.17 over JSON-RPC, `vscode-languageserver` 11): diagnostics as
 * you type (debounced), hover, completion, go-to-definition and whole-document formatting
 * (`mapc fmt`'s layout). Started by `mapc lsp` on stdio; see `editor/README.md` for editors.
 *
 * Protocol: https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/
 *
 * @module
 */
import {
  CompletionItemKind,
  MarkupKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionItem,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatMap } from '../../dsl/format/index.ts';
import { completionsAt, type CompletionKind } from './completion.ts';
import { definitionAt } from './definition.ts';
import { documentDiagnostics } from './diagnostics.ts';
import { hoverAt } from './hover.ts';
import type { Range } from './reference.ts';
import { DocumentTokens } from './tokens.ts';

/** How long the server waits after the last change before it checks the document again. */
export const DIAGNOSTICS_DELAY_MS = 150;

const ITEM_KIND: Readonly<Record<CompletionKind, CompletionItemKind>> = {
  keyword: CompletionItemKind.Keyword,
  field: CompletionItemKind.Field,
  fieldSet: CompletionItemKind.Module,
  setting: CompletionItemKind.Variable,
  secret: CompletionItemKind.Constant,
  table: CompletionItemKind.Struct,
  transform: CompletionItemKind.Function,
};

export interface ServerOptions {
  /** The version reported in `serverInfo`. */
  readonly version: string;
  /** Delay of diagnostics after a change (default {@link DIAGNOSTICS_DELAY_MS}). */
  readonly delayMs?: number;
}

/** Registers every handler on `connection` and starts listening. */
export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, NodeJS.Timeout>();
  const delay = options.delayMs ?? DIAGNOSTICS_DELAY_MS;

  const toLsp = (doc: TextDocument, r: Range) => ({ start: doc.positionAt(r.start), end: doc.positionAt(r.end) });

  const publish = (uri: string): void => {
    timers.delete(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    let diagnostics;
    try {
      diagnostics = documentDiagnostics(doc);
    } catch (error) {
      connection.console.error(`mapc: checking ${uri} failed: ${(error as Error).message}`);
      return;
    }
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };

  const schedule = (uri: string): void => {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => publish(uri), delay),
    );
  };

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.', '|', '(', '{', '@'] },
      definitionProvider: true,
      documentFormattingProvider: true,
    },
    serverInfo: { name: 'mapc', version: options.version },
  }));

  documents.onDidChangeContent((change) => schedule(change.document.uri));
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    timers.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onHover((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const hover = hoverAt(new DocumentTokens(doc.getText()), doc.offsetAt(params.position));
    if (!hover) return null;
    return { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: toLsp(doc, hover.range) };
  });

  connection.onCompletion((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const { items, range } = completionsAt(new DocumentTokens(doc.getText()), doc.offsetAt(params.position));
    return items.map((item, i): CompletionItem => ({
      label: item.label,
      kind: ITEM_KIND[item.kind],
      ...(item.detail ? { detail: item.detail } : {}),
      ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
      textEdit: { range: toLsp(doc, range), newText: item.label },
      sortText: String(i).padStart(5, '0'),
    }));
  });

  connection.onDefinition((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const declared = definitionAt(new DocumentTokens(doc.getText()), doc.offsetAt(params.position));
    return declared ? { uri: doc.uri, range: toLsp(doc, declared) } : null;
  });

  connection.onDocumentFormatting((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const text = doc.getText();
    let result;
    try {
      result = formatMap(text, params.textDocument.uri);
    } catch (error) {
      connection.console.error(`mapc: formatting failed: ${(error as Error).message}`);
      return null;
    }
    // A map with syntax errors is not formatted (its diagnostics say why).
    if (!result.ok || result.text === text) return [];
    return [{ range: { start: doc.positionAt(0), end: doc.positionAt(text.length) }, newText: result.text }];
  });

  connection.onShutdown(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });

  documents.listen(connection);
  connection.listen();
}
