/**
 * The one serializer of {@link PipelineConfig}: quoting, escaping and layout of Logstash config
 * text. The layout is exactly what `mustache format` (github.com/breml/logstash-config v0.5.3)
 * prints, so generated files are already formatted: two-space indentation, one attribute per line,
 * arrays and hashes one element per line, a blank line between the statements of a block.
 *
 * @module
 */
import type { Attribute, Condition, PipelineConfig, Plugin, Rvalue, Statement, Value } from './model.ts';

/** Text that cannot be written portably into a Logstash config (see {@link quoteString}). */
export class ConfigTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigTextError';
  }
}

/**
 * The per-target quoting table. Logstash processes escapes in quoted strings only when
 * `config.support_escapes: true` (default false), and then only `\\ \" \' \n \r \t` (and `\0`)
 * (logstash.yml reference, https://www.elastic.co/guide/en/logstash/current/logstash-settings-file.html;
 * `LogStash::Config::StringEscape`). A string is therefore written *without any escape*, in the
 * quote kind it does not contain, so that it reads the same under both settings; text that needs an
 * escape under either setting is refused.
 */
const QUOTING = {
  /** Backslash sequences whose meaning depends on `config.support_escapes`. */
  ambiguousEscape: /\\(?:[\\"'nrt0]|$)/,
  /** Line breaks would make the file layout differ from `mustache format`'s. */
  lineBreak: /[\r\n]/,
  /** `[`, `]` and `,` end a field-reference segment in the grammar (`selector_element`). */
  fieldSegment: /^[^[\],]+$/,
  bareword: /^[A-Za-z_][A-Za-z0-9_]*$/,
} as const;

/** Quotes `text` as a Logstash string literal. @throws ConfigTextError when no portable form exists. */
export function quoteString(text: string): string {
  if (QUOTING.lineBreak.test(text)) throw new ConfigTextError(`line break in ${JSON.stringify(text)}`);
  if (QUOTING.ambiguousEscape.test(text)) {
    throw new ConfigTextError(
      `backslash escape in ${JSON.stringify(text)} reads differently with config.support_escapes`,
    );
  }
  if (!text.includes('"')) return `"${text}"`;
  if (!text.includes("'")) return `'${text}'`;
  throw new ConfigTextError(`both quote kinds in ${JSON.stringify(text)}`);
}

/** `["a","b"]` → `[a][b]`. @throws ConfigTextError for a segment the grammar cannot hold. */
export function fieldRef(path: readonly string[]): string {
  if (path.length === 0) throw new ConfigTextError('empty field reference');
  for (const segment of path) {
    if (!QUOTING.fieldSegment.test(segment))
      throw new ConfigTextError(`field name ${JSON.stringify(segment)} cannot be referenced`);
  }
  return path.map((s) => `[${s}]`).join('');
}

/** Serializes a whole pipeline; the text ends with a newline. */
export function printConfig(config: PipelineConfig): string {
  const lines: string[] = config.header.map(comment);
  for (const section of config.sections) {
    lines.push(`${section.kind} {`);
    lines.push(...block(section.body, 1));
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}

/** Serializes statements alone (a filter fragment), e.g. for tests. */
export function printStatements(body: readonly Statement[], depth = 0): string {
  return block(body, depth).join('\n') + '\n';
}

/** `# text`. An empty comment is refused: `mustache format` would print it as `# ` (trailing space). */
function comment(text: string): string {
  if (QUOTING.lineBreak.test(text)) throw new ConfigTextError('line break in comment');
  if (text.trim() === '' || text !== text.trimEnd()) throw new ConfigTextError('empty comment or trailing space');
  return `# ${text}`;
}

function indent(depth: number): string {
  return '  '.repeat(depth);
}

function block(body: readonly Statement[], depth: number): string[] {
  const lines: string[] = [];
  body.forEach((statement, i) => {
    if (i > 0) lines.push('');
    lines.push(...statementLines(statement, depth));
  });
  return lines;
}

function statementLines(statement: Statement, depth: number): string[] {
  const pad = indent(depth);
  const lines = (statement.comments ?? []).map((c) => pad + comment(c));
  if (statement.kind === 'plugin') return [...lines, ...pluginLines(statement, depth)];
  statement.branches.forEach((branch, i) => {
    const head = `${i === 0 ? 'if' : '} else if'} ${condition(branch.condition, 'top')} {`;
    lines.push(pad + head, ...block(branch.body, depth + 1));
  });
  if (statement.otherwise) lines.push(`${pad}} else {`, ...block(statement.otherwise, depth + 1));
  lines.push(`${pad}}`);
  return lines;
}

function pluginLines(p: Plugin, depth: number): string[] {
  const pad = indent(depth);
  if (!QUOTING.bareword.test(p.name)) throw new ConfigTextError(`plugin name ${p.name}`);
  if (p.attributes.length === 0) return [`${pad}${p.name} {}`];
  const names = p.attributes.map((a) => a.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new ConfigTextError(`attribute ${twice} given twice in ${p.name}`);
  return [`${pad}${p.name} {`, ...p.attributes.flatMap((a) => attributeLines(a, depth + 1)), `${pad}}`];
}

function attributeLines(a: Attribute, depth: number): string[] {
  if (!QUOTING.bareword.test(a.name)) throw new ConfigTextError(`attribute name ${a.name}`);
  const [first = '', ...rest] = valueLines(a.value, depth);
  return [`${indent(depth)}${a.name} => ${first}`, ...rest];
}

/** The value's lines; the first is appended after `name => `, the rest carry their own indentation. */
function valueLines(v: Value, depth: number): string[] {
  switch (v.kind) {
    case 'string':
      return [quoteString(v.text)];
    case 'number':
      if (!Number.isFinite(v.value)) throw new ConfigTextError(`number ${v.value}`);
      return [String(v.value)];
    case 'bareword':
      if (!QUOTING.bareword.test(v.word)) throw new ConfigTextError(`bareword ${v.word}`);
      return [v.word];
    case 'array': {
      if (v.items.length === 0) return ['[]'];
      const lines = ['['];
      v.items.forEach((item, i) => {
        const [first = '', ...rest] = valueLines(item, depth + 1);
        const itemLines = [indent(depth + 1) + first, ...rest];
        if (i < v.items.length - 1) itemLines[itemLines.length - 1] += ',';
        lines.push(...itemLines);
      });
      lines.push(`${indent(depth)}]`);
      return lines;
    }
    case 'hash': {
      if (v.entries.length === 0) return ['{}'];
      const lines = ['{'];
      for (const entry of v.entries) {
        const [first = '', ...rest] = valueLines(entry.value, depth + 1);
        lines.push(`${indent(depth + 1)}${quoteString(entry.key)} => ${first}`, ...rest);
      }
      lines.push(`${indent(depth)}}`);
      return lines;
    }
    case 'plugin':
      return pluginLines(v.plugin, depth).map((line, i) => (i === 0 ? line.trimStart() : line));
  }
}

/** `top`: no parentheses needed; `operand`: inside and/or, where and/or/in need grouping. */
function condition(c: Condition, position: 'top' | 'operand'): string {
  switch (c.kind) {
    case 'truthy':
      return rvalue(c.field);
    case 'compare':
    case 'match':
    case 'in':
      return `${rvalue(c.left)} ${c.op} ${rvalue(c.right)}`;
    case 'not':
      return c.condition.kind === 'truthy' ? `!${rvalue(c.condition.field)}` : `!(${condition(c.condition, 'top')})`;
    case 'and':
    case 'or': {
      const text = c.conditions
        .map((inner) =>
          inner.kind === 'and' || inner.kind === 'or' ? `(${condition(inner, 'top')})` : condition(inner, 'operand'),
        )
        .join(` ${c.kind} `);
      return position === 'top' ? text : `(${text})`;
    }
  }
}

function rvalue(r: Rvalue): string {
  switch (r.kind) {
    case 'field':
      return fieldRef(r.path);
    case 'string':
      return quoteString(r.text);
    case 'number':
      return String(r.value);
    case 'regex':
      if (/(^|[^\\])\//.test(r.source) || QUOTING.lineBreak.test(r.source))
        throw new ConfigTextError(`regex /${r.source}/`);
      return `/${r.source}/`;
  }
}
