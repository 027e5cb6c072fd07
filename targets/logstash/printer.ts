/**
 * The one serializer of {@link PipelineConfig}: layout of Logstash config text. The layout is
 * exactly what `mustache format` (github.com/breml/logstash-config v0.5.3) prints, so generated
 * files are already formatted: two-space indentation, one attribute per line, arrays and hashes one
 * element per line, a blank line between the statements of a block.
 *
 * Quoting is not decided here: every text of the model is a branded type of `./quote.ts`, whose
 * constructors proved that it has a portable form, and {@link quoted} writes it. Printing is
 * iterative (an explicit stack of pending work), so a deep or long model (a 10,000-long transform
 * chain) cannot overflow the call stack, and lines are appended one at a time.
 *
 * @module
 */
import type { Condition, PipelineConfig, Plugin, Rvalue, Statement, Value } from './model.ts';
import { quoted, type CommentLine } from './quote.ts';

const BAREWORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names and barewords are mapc's own (plugin and option names, `line`, `false`): a bad one is a bug. */
function name(text: string, what: string): string {
  if (!BAREWORD.test(text)) throw new Error(`mapc's own ${what} ${JSON.stringify(text)} is not a bareword`);
  return text;
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`mapc's own number ${value} cannot be written`);
  return String(value);
}

/** Serializes a whole pipeline; the text ends with a newline. */
export function printConfig(config: PipelineConfig): string {
  const lines: string[] = config.header.map(commentLine);
  for (const section of config.sections) {
    lines.push(`${section.kind} {`);
    printBlock(section.body, 1, lines);
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}

/** Serializes statements alone (a filter fragment), e.g. for tests. */
export function printStatements(body: readonly Statement[], depth = 0): string {
  const lines: string[] = [];
  printBlock(body, depth, lines);
  return lines.join('\n') + '\n';
}

const commentLine = (text: CommentLine): string => `# ${text}`;
const indent = (depth: number): string => '  '.repeat(depth);

/** Pending work: a finished line, a block, or a value whose first line starts with `prefix` and last ends with `suffix`. */
type Task =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'block'; readonly body: readonly Statement[]; readonly depth: number }
  | { readonly kind: 'statement'; readonly statement: Statement; readonly depth: number }
  | {
      readonly kind: 'value';
      readonly value: Value;
      readonly depth: number;
      readonly prefix: string;
      readonly suffix: string;
    }
  | {
      readonly kind: 'plugin';
      readonly plugin: Plugin;
      readonly depth: number;
      readonly prefix: string;
      readonly suffix: string;
    };

/** Appends the lines of `body` at `depth` to `out`. */
function printBlock(body: readonly Statement[], depth: number, out: string[]): void {
  const stack: Task[] = [{ kind: 'block', body, depth }];
  // Tasks are pushed in reverse so that they pop in document order.
  const later = (tasks: Task[]): void => {
    for (let i = tasks.length - 1; i >= 0; i--) stack.push(tasks[i] as Task);
  };
  for (let task = stack.pop(); task !== undefined; task = stack.pop()) {
    switch (task.kind) {
      case 'line':
        out.push(task.text);
        break;
      case 'block': {
        const tasks: Task[] = [];
        task.body.forEach((statement, i) => {
          if (i > 0) tasks.push({ kind: 'line', text: '' });
          tasks.push({ kind: 'statement', statement, depth: task.depth });
        });
        later(tasks);
        break;
      }
      case 'statement':
        later(statementTasks(task.statement, task.depth));
        break;
      case 'plugin':
        later(pluginTasks(task.plugin, task.depth, task.prefix, task.suffix));
        break;
      case 'value':
        later(valueTasks(task.value, task.depth, task.prefix, task.suffix));
        break;
    }
  }
}

function statementTasks(statement: Statement, depth: number): Task[] {
  const pad = indent(depth);
  const tasks: Task[] = (statement.comments ?? []).map((c) => ({ kind: 'line', text: pad + commentLine(c) }));
  if (statement.kind === 'plugin') {
    tasks.push({ kind: 'plugin', plugin: statement, depth, prefix: pad, suffix: '' });
    return tasks;
  }
  statement.branches.forEach((branch, i) => {
    const head = `${i === 0 ? 'if' : '} else if'} ${condition(branch.condition, 'top')} {`;
    tasks.push({ kind: 'line', text: pad + head }, { kind: 'block', body: branch.body, depth: depth + 1 });
  });
  if (statement.otherwise) {
    tasks.push(
      { kind: 'line', text: `${pad}} else {` },
      { kind: 'block', body: statement.otherwise, depth: depth + 1 },
    );
  }
  tasks.push({ kind: 'line', text: `${pad}}` });
  return tasks;
}

function pluginTasks(p: Plugin, depth: number, prefix: string, suffix: string): Task[] {
  const head = `${prefix}${name(p.name, 'plugin name')}`;
  if (p.attributes.length === 0) return [{ kind: 'line', text: `${head} {}${suffix}` }];
  const names = p.attributes.map((a) => a.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`mapc gave attribute ${twice} twice in ${p.name}`);
  return [
    { kind: 'line', text: `${head} {` },
    ...p.attributes.map((a): Task => ({
      kind: 'value',
      value: a.value,
      depth: depth + 1,
      prefix: `${indent(depth + 1)}${name(a.name, 'attribute name')} => `,
      suffix: '',
    })),
    { kind: 'line', text: `${indent(depth)}}${suffix}` },
  ];
}

function valueTasks(v: Value, depth: number, prefix: string, suffix: string): Task[] {
  const line = (text: string): Task[] => [{ kind: 'line', text: `${prefix}${text}${suffix}` }];
  switch (v.kind) {
    case 'string':
      return line(quoted(v.text));
    case 'number':
      return line(numberText(v.value));
    case 'bareword':
      return line(name(v.word, 'bareword'));
    case 'array':
      if (v.items.length === 0) return line('[]');
      return [
        { kind: 'line', text: `${prefix}[` },
        ...v.items.map((item, i): Task => ({
          kind: 'value',
          value: item,
          depth: depth + 1,
          prefix: indent(depth + 1),
          suffix: i < v.items.length - 1 ? ',' : '',
        })),
        { kind: 'line', text: `${indent(depth)}]${suffix}` },
      ];
    case 'hash':
      if (v.entries.length === 0) return line('{}');
      return [
        { kind: 'line', text: `${prefix}{` },
        ...v.entries.map((entry): Task => ({
          kind: 'value',
          value: entry.value,
          depth: depth + 1,
          prefix: `${indent(depth + 1)}${quoted(entry.key)} => `,
          suffix: '',
        })),
        { kind: 'line', text: `${indent(depth)}}${suffix}` },
      ];
    case 'plugin':
      return [{ kind: 'plugin', plugin: v.plugin, depth, prefix, suffix }];
  }
}

/**
 * `top`: no parentheses needed; `operand`: inside and/or, where and/or/in need grouping. Recursive
 * on the condition's nesting, which mapc's lowering bounds (a `not` over one test, flat and/or
 * lists), never on map input.
 */
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
      return r.ref;
    case 'string':
      return quoted(r.text);
    case 'number':
      return numberText(r.value);
    case 'regex':
      return `/${r.source}/`;
  }
}
