/**
 * IR {@link Template}s and {@link JsonTemplate}s as CEL expressions.
 *
 * A {@link TemplateScope} says what each placeholder reads in the program (a `state` key, the
 * run's cursor snapshot, the window bounds, the cached token); a placeholder the scope cannot
 * serve is reported through `onMissing` and renders as `""`, so the caller can turn it into a
 * diagnostic instead of a broken program.
 *
 * @module
 */
import type { FieldPath, JsonTemplate, Template, TemplatePart } from '../../../compiler/ir.ts';
import { celConcat, celMap, celString } from './text.ts';

/** CEL string expressions for each placeholder kind; `undefined` = not available here. */
export interface TemplateScope {
  setting(name: string): string | undefined;
  secret(name: string): string | undefined;
  readonly cursor?: string;
  readonly windowStart?: string;
  readonly windowEnd?: string;
  readonly token?: string;
}

export type MissingPlaceholder = (part: TemplatePart) => void;

function partExpr(part: TemplatePart, scope: TemplateScope, onMissing: MissingPlaceholder): string {
  let expr: string | undefined;
  switch (part.kind) {
    case 'text':
      return celString(part.text);
    case 'setting':
      expr = scope.setting(part.name);
      break;
    case 'secret':
      expr = scope.secret(part.name);
      break;
    case 'cursor':
      expr = scope.cursor;
      break;
    case 'window':
      expr = part.edge === 'start' ? scope.windowStart : scope.windowEnd;
      break;
    case 'token':
      expr = scope.token;
      break;
  }
  if (expr === undefined) {
    onMissing(part);
    return '""';
  }
  return expr;
}

/** A CEL string expression rendering `template` (adjacent literal texts merged). */
export function templateExpr(template: Template, scope: TemplateScope, onMissing: MissingPlaceholder): string {
  const merged: TemplatePart[] = [];
  for (const part of template.parts) {
    const last = merged[merged.length - 1];
    if (part.kind === 'text' && last?.kind === 'text')
      merged[merged.length - 1] = { kind: 'text', text: last.text + part.text };
    else merged.push(part);
  }
  return celConcat(
    merged.filter((p) => !(p.kind === 'text' && p.text === '')).map((p) => partExpr(p, scope, onMissing)),
  );
}

/** True when the template is literal text only (no placeholder). */
export function isLiteral(template: Template): boolean {
  return template.parts.every((p) => p.kind === 'text');
}

/** A value spliced into a JSON body at `path`: `optional` values use `{?"k": opt}` entries. */
export interface BodyInjection {
  readonly path: FieldPath;
  readonly value: string;
  readonly optional: boolean;
}

type Node =
  { kind: 'object'; entries: { key: string; node: Node; optional: boolean }[] } | { kind: 'expr'; expr: string };

function toNode(json: JsonTemplate, scope: TemplateScope, onMissing: MissingPlaceholder): Node {
  switch (json.kind) {
    case 'object':
      return {
        kind: 'object',
        entries: json.entries.map((e) => ({ key: e.key, node: toNode(e.value, scope, onMissing), optional: false })),
      };
    case 'array':
      return { kind: 'expr', expr: `[${json.items.map((i) => render(toNode(i, scope, onMissing))).join(', ')}]` };
    case 'string':
      return { kind: 'expr', expr: templateExpr(json.template, scope, onMissing) };
    case 'number':
      return { kind: 'expr', expr: String(json.value) };
    case 'bool':
      return { kind: 'expr', expr: String(json.value) };
    case 'null':
      return { kind: 'expr', expr: 'null' };
  }
}

function inject(node: Node, path: FieldPath, value: string, optional: boolean): Node {
  if (path.length === 0) return { kind: 'expr', expr: optional ? `${value}.orValue(dyn(null))` : value };
  const base: Node = node.kind === 'object' ? node : { kind: 'object', entries: [] };
  if (base.kind !== 'object') return base;
  const [head, ...rest] = path as [string, ...string[]];
  const entries = base.entries.filter((e) => e.key !== head);
  const existing = base.entries.find((e) => e.key === head);
  if (rest.length === 0) entries.push({ key: head, node: { kind: 'expr', expr: value }, optional });
  else
    entries.push({
      key: head,
      node: inject(existing?.node ?? { kind: 'object', entries: [] }, rest, value, optional),
      optional: false,
    });
  return { kind: 'object', entries };
}

function render(node: Node): string {
  if (node.kind === 'expr') return node.expr;
  return celMap(node.entries.map((e) => ({ key: e.key, value: render(e.node), optional: e.optional })));
}

/**
 * A CEL expression for the JSON body (a map literal, encoded by the caller with `encode_json()`),
 * with each injection (pagination values) placed at its path, creating objects as needed.
 */
export function jsonBodyExpr(
  body: JsonTemplate | undefined,
  injections: readonly BodyInjection[],
  scope: TemplateScope,
  onMissing: MissingPlaceholder,
): string {
  let node: Node = body ? toNode(body, scope, onMissing) : { kind: 'object', entries: [] };
  for (const inj of injections) node = inject(node, inj.path, inj.value, inj.optional);
  return render(node);
}
