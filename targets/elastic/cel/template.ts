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
import { located } from '../quote.ts';
import { celConcat, celMap, celString } from './text.ts';

/** CEL string expressions for each placeholder kind; `undefined` = not available here. */
export interface TemplateScope {
  setting(name: string): string | undefined;
  /**
   * CEL expression of a setting's typed JSON value (a bare `setting.NAME` in a body, IR
   * `JsonTemplate` `setting`): an `int` for an `int` setting, a `bool` for a `bool` one, else the
   * string of {@link setting}; `undefined` when the setting is unknown.
   */
  jsonSetting(name: string): string | undefined;
  secret(name: string): string | undefined;
  readonly cursor?: string;
  readonly windowStart?: string;
  readonly windowEnd?: string;
  /** CEL bool: the current time window ends at or before now (request conditions). */
  readonly windowComplete?: string;
  readonly token?: string;
  /** CEL string of `{now}`, the instant the page sequence started. */
  readonly now?: string;
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
    case 'now':
      expr = scope.now;
      break;
  }
  if (expr === undefined) {
    onMissing(part);
    return '""';
  }
  return expr;
}

/**
 * A CEL string expression rendering `template` (adjacent literal texts merged). Text that no CEL
 * string can carry is refused at the template's own span.
 */
export function templateExpr(template: Template, scope: TemplateScope, onMissing: MissingPlaceholder): string {
  return located(template.loc, () => templateText(template, scope, onMissing));
}

function templateText(template: Template, scope: TemplateScope, onMissing: MissingPlaceholder): string {
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

type ObjectNode = { kind: 'object'; entries: { key: string; node: Node; optional: boolean }[] };
type Node = ObjectNode | { kind: 'array'; items: Node[] } | { kind: 'expr'; expr: string };

const EMPTY: Node = { kind: 'expr', expr: '' };

/** The body as a tree of objects, arrays and CEL expressions (iterative: the body's depth is the map's). */
function toNode(json: JsonTemplate, scope: TemplateScope, onMissing: MissingPlaceholder): Node {
  const root: { node: Node } = { node: EMPTY };
  const work: { json: JsonTemplate; put: (n: Node) => void }[] = [{ json, put: (n) => (root.node = n) }];
  for (let item = work.pop(); item; item = work.pop()) {
    const j = item.json;
    switch (j.kind) {
      case 'object': {
        const node: ObjectNode = {
          kind: 'object',
          entries: j.entries.map((e) => ({ key: e.key, node: EMPTY, optional: false })),
        };
        item.put(node);
        j.entries.forEach((e, i) => work.push({ json: e.value, put: (n) => (node.entries[i]!.node = n) }));
        break;
      }
      case 'array': {
        const node: Node = { kind: 'array', items: j.items.map(() => EMPTY) };
        item.put(node);
        j.items.forEach((value, i) => work.push({ json: value, put: (n) => (node.items[i] = n) }));
        break;
      }
      case 'string':
        item.put({ kind: 'expr', expr: templateExpr(j.template, scope, onMissing) });
        break;
      case 'number':
      case 'bool':
        item.put({ kind: 'expr', expr: String(j.value) });
        break;
      case 'null':
        item.put({ kind: 'expr', expr: 'null' });
        break;
      case 'setting': {
        const expr = scope.jsonSetting(j.name);
        if (expr === undefined) onMissing({ kind: 'setting', name: j.name });
        item.put({ kind: 'expr', expr: expr ?? '""' });
        break;
      }
    }
  }
  return root.node;
}

/**
 * `node` with `value` at `path`: objects on the way are copied (created when missing or not an
 * object), and the entry for each segment moves to the end of its object.
 */
function inject(node: Node, path: FieldPath, value: string, optional: boolean): Node {
  if (path.length === 0) return { kind: 'expr', expr: optional ? `${value}.orValue(dyn(null))` : value };
  const copy = (n: Node | undefined): ObjectNode =>
    n?.kind === 'object' ? { kind: 'object', entries: [...n.entries] } : { kind: 'object', entries: [] };
  const top = copy(node);
  let current = top;
  path.forEach((head, i) => {
    const existing = current.entries.find((e) => e.key === head);
    current.entries = current.entries.filter((e) => e.key !== head);
    if (i === path.length - 1) {
      current.entries.push({ key: head, node: { kind: 'expr', expr: value }, optional });
      return;
    }
    const child = copy(existing?.node);
    current.entries.push({ key: head, node: child, optional: false });
    current = child;
  });
  return top;
}

/** The CEL text of `node` (iterative post-order). */
function render(node: Node): string {
  const children = (n: Node): readonly Node[] =>
    n.kind === 'object' ? n.entries.map((e) => e.node) : n.kind === 'array' ? n.items : [];
  const stack: { node: Node; done: string[] }[] = [{ node, done: [] }];
  let result = '';
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const kids = children(top.node);
    if (top.done.length < kids.length) {
      stack.push({ node: kids[top.done.length]!, done: [] });
      continue;
    }
    const n = top.node;
    const text =
      n.kind === 'expr'
        ? n.expr
        : n.kind === 'array'
          ? `[${top.done.join(', ')}]`
          : celMap(n.entries.map((e, i) => ({ key: e.key, value: top.done[i]!, optional: e.optional })));
    stack.pop();
    if (stack.length > 0) stack[stack.length - 1]!.done.push(text);
    else result = text;
  }
  return result;
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
