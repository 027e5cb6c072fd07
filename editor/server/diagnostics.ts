/**
 * The compiler's diagnostics of a document (parse, checks and, on a map without errors, lowering:
 * `compileSource`), as LSP diagnostics: the primary span as the range, the code, the severity,
 * the message with the primary label and the notes, secondary labels as related information.
 *
 * LSP types: https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#diagnostic
 *
 * @module
 */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { compileSource } from '../../compiler/compile.ts';
import type { Diagnostic, Severity, Span } from '../../dsl/diagnostics.ts';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

function range(doc: TextDocument, span: Span): LspDiagnostic['range'] {
  return { start: doc.positionAt(span.offset), end: doc.positionAt(span.offset + span.length) };
}

/** One compiler diagnostic as an LSP diagnostic of `doc`. */
export function toLspDiagnostic(doc: TextDocument, d: Diagnostic): LspDiagnostic {
  const label = d.primary.message ? `\n${d.primary.message}` : '';
  const notes = d.notes.length > 0 ? `\n${d.notes.join('\n')}` : '';
  return {
    range: range(doc, d.primary.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'mapc',
    message: `${d.message}${label}${notes}`,
    ...(d.secondary.length > 0
      ? {
          relatedInformation: d.secondary.map((s) => ({
            location: { uri: doc.uri, range: range(doc, s.span) },
            message: s.message,
          })),
        }
      : {}),
  };
}

/** Every diagnostic the compiler reports for the document's current text. */
export function documentDiagnostics(doc: TextDocument): LspDiagnostic[] {
  const name = decodeURIComponent(doc.uri.replace(/^.*\//, '')) || 'untitled.map';
  return compileSource(doc.getText(), name).diagnostics.map((d) => toLspDiagnostic(doc, d));
}
