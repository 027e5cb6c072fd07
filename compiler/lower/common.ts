/**
 * Small lowerings shared by the source and mapping lowerings: spans, paths, durations,
 * templates, date formats.
 *
 * @module
 */
import type { DateFormatNode, DurationLiteral, PathNode, RootPath, Span, TemplateString } from '../../dsl/ast.ts';
import { pathSegments } from '../../dsl/ast.ts';
import type { DateFormat, FieldPath, SourceSpan, Template, TemplatePart } from '../ir.ts';

/** Raised when the AST holds something the checks should have rejected; becomes `E0300`. */
export class LoweringError extends Error {
  readonly span: Span;
  constructor(message: string, span: Span) {
    super(message);
    this.span = span;
  }
}

/** A fresh plain span (the AST's may carry extra properties in the future; the IR must not). */
export function span(loc: Span): SourceSpan {
  return { file: loc.file, offset: loc.offset, length: loc.length, line: loc.line, column: loc.column };
}

export function path(node: PathNode | RootPath): FieldPath {
  return [...pathSegments(node)];
}

/** A duration in seconds (`500ms` → 0.5). */
export function seconds(d: DurationLiteral): number {
  return d.milliseconds / 1000;
}

export function dateFormat(node: DateFormatNode): DateFormat {
  if (node.format === 'pattern') {
    if (node.pattern === undefined || node.tokens === undefined)
      throw new LoweringError('date pattern without text', node.loc);
    return { kind: 'pattern', pattern: { text: node.pattern, tokens: node.tokens } };
  }
  return { kind: node.format };
}

/** How placeholder names resolve: built-ins first (settings may not take their names, E0117), then settings, then secrets. */
export interface Names {
  readonly settings: ReadonlySet<string>;
  readonly secrets: ReadonlySet<string>;
  /** The `duration` settings among `settings` (a `cursor start` on one is a look-back). */
  readonly durationSettings?: ReadonlySet<string>;
}

export function template(node: TemplateString, names: Names): Template {
  const parts: TemplatePart[] = node.parts.map((part): TemplatePart => {
    if (part.kind === 'TemplateText') return { kind: 'text', text: part.text };
    switch (part.name) {
      case 'cursor':
        return { kind: 'cursor' };
      case 'token':
        return { kind: 'token' };
      case 'now':
        return { kind: 'now' };
      case 'window.start':
        return { kind: 'window', edge: 'start' };
      case 'window.end':
        return { kind: 'window', edge: 'end' };
    }
    if (names.settings.has(part.name)) return { kind: 'setting', name: part.name };
    if (names.secrets.has(part.name)) return { kind: 'secret', name: part.name };
    throw new LoweringError(`unknown placeholder {${part.name}}`, part.loc);
  });
  return { parts, loc: span(node.loc) };
}
