/**
 * The text of the starting map `mapc init` writes: integration, settings, a stream skeleton with
 * the records path, the suggested rules and the inferred `record` block. Every guess carries a
 * `# suggested:` or `# assumed:` comment; choices left to the author (auth, pagination, the
 * incremental cursor) are commented-out examples.
 *
 * @module
 */
import type { ElementTypeIR, FieldFormat, FieldPath, ValueType } from '../ir.ts';
import type { InferredField } from './infer.ts';
import type { Suggestions } from './suggest.ts';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Words that read as a modifier at the start of a `record` line (after the previous field's
 * type), so a field named like one is quoted there (docs/language.md, "Record schemas").
 */
const RECORD_LINE_WORDS: ReadonlySet<string> = new Set(['optional', 'nullable', 'format', 'of']);

/** A map string literal: `"..."` with the language's escapes (`\"`, `\\`, `\n`, `\t`, `\u{...}`). */
export function mapString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029)
      out += `\\u{${code.toString(16).toUpperCase()}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A path as map text: identifiers bare, other segments quoted; `quoteFirst` also quotes those words first. */
export function mapPath(path: FieldPath, quoteFirst: ReadonlySet<string> = new Set()): string {
  return path
    .map((segment, i) => (IDENT.test(segment) && !(i === 0 && quoteFirst.has(segment)) ? segment : mapString(segment)))
    .join('.');
}

function typeText(types: readonly ValueType[], items: ElementTypeIR | undefined): string {
  return types.map((t) => (t === 'array' && items ? `array of ${typeText(items.types, items.items)}` : t)).join(' | ');
}

function formatText(f: FieldFormat): string {
  return f.kind === 'pattern' ? mapString(f.pattern.text) : f.kind;
}

/** `meta.create_time string format iso8601` (path padded to `width`). */
function fieldLine(field: InferredField, width: number): string {
  const path = mapPath(field.path, RECORD_LINE_WORDS).padEnd(width);
  const parts = [path, typeText(field.types, field.items)];
  if (field.optional) parts.push('optional');
  if (field.nullable) parts.push('nullable');
  if (field.formats.length > 0) parts.push(`format ${field.formats.map(formatText).join(', ')}`);
  return parts.join(' ');
}

/** Whether a field needs its own `record` line: a leaf, or an object that is not plainly a required object. */
function needsLine(field: InferredField): boolean {
  if (!field.hasFields) return true;
  return field.optional || field.nullable || field.types.length !== 1 || field.types[0] !== 'object';
}

function isPrefix(prefix: FieldPath, path: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

export interface InitMap {
  readonly name: string;
  readonly stream: string;
  readonly sampleFile: string;
  readonly responseFile?: string;
  /** The records path found in the response; undefined without `--response`. */
  readonly recordsPath?: FieldPath;
  readonly fields: readonly InferredField[];
  readonly suggestions: Suggestions;
}

function titleOf(name: string): string {
  return name
    .split('_')
    .map((w) => (w === '' ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/** The map text (ends with a newline). */
export function renderInitMap(init: InitMap): string {
  const { name, stream, suggestions, fields } = init;
  const title = titleOf(name);
  const reads = [...suggestions.rules.map((r) => r.source), ...(suggestions.id ? [suggestions.id.path] : [])];
  const isRead = (f: InferredField): boolean => reads.some((r) => r.length === f.path.length && isPrefix(f.path, r));
  const aboveRead = (f: InferredField): boolean => reads.some((r) => r.length > f.path.length && isPrefix(f.path, r));
  // A parent of a read field needs its line when it is optional, nullable or not only an object.
  const declared = fields.filter((f) => isRead(f) || (aboveRead(f) && needsLine(f)));
  const others = fields.filter((f) => !declared.includes(f) && needsLine(f));
  const width = Math.min(
    40,
    Math.max(0, ...[...declared, ...others].map((f) => mapPath(f.path, RECORD_LINE_WORDS).length)),
  );

  const records =
    init.recordsPath === undefined
      ? `  records $ # assumed: the response body is the array of records (give --response to find the path)`
      : `  records ${init.recordsPath.length === 0 ? '$' : mapPath(init.recordsPath)} # suggested: the first array of objects in ${init.responseFile}`;

  const ruleLines = suggestions.rules.map((r) => {
    let value = mapPath(r.source);
    // A lone quoted segment would be a constant string: a transform keeps it a path.
    const transform = r.transform || (r.source.length === 1 && !IDENT.test(r.source[0]!) ? '| keyword' : '');
    if (transform) value += ` ${transform}`;
    return { destination: r.destination, op: r.op, value, reason: r.reason };
  });
  const destinationWidth = Math.max(0, ...ruleLines.map((l) => l.destination.length));
  const valueWidth = Math.max(0, ...ruleLines.map((l) => l.value.length));

  const lines: string[] = [
    `# ${title}: a starting map written by \`mapc init ${name}\` from ${init.sampleFile}${
      init.responseFile ? ` and ${init.responseFile}` : ''
    }.`,
    '#',
    '# Every `# suggested:` line is a guess from the samples and every `# assumed:` line a placeholder:',
    "# check each against the vendor's API documentation. Then: `mapc check`, `mapc preview` on the",
    `# fixture records (fixtures/${name}/${stream}/records.json), and fill in expected.json.`,
    '',
    `integration ${name} {`,
    `  title       ${mapString(title)}`,
    `  vendor      ${mapString(title)} # assumed: the vendor's name`,
    '  version     "0.1.0"',
    `  description ${mapString(`Collect ${title} events.`)}`,
    '}',
    '',
    'setting base_url: url required {',
    '  title "API base URL"',
    '}',
    'setting interval: duration = "5m" {',
    '  title "Poll interval"',
    '}',
    '',
    '# The credential the API wants, referenced only inside `auth` below, e.g.:',
    '# secret api_token { title "API token" }',
    '',
    `stream ${stream} {`,
    `  dataset  ${mapString(`${name}.${stream}`)}`,
    '  interval setting.interval',
    '',
    "  # auth: choose the vendor's scheme, e.g. `auth bearer secret.api_token` or",
    '  #   auth header "Authorization" = secret.api_token',
    `  request GET "{base_url}/api/events" # assumed: the vendor's list endpoint`,
    records,
    '',
    "  # paginate: choose the vendor's kind (docs/language.md), e.g.",
    '  #   paginate page_token { token next_page_token  send query "page_token" }',
    '  #   paginate cursor_has_more { cursor next_cursor  has_more has_more  send query "cursor" }',
    '  #   paginate link_header',
    ...(suggestions.cursor
      ? [
          '  # An incremental cursor (with a timestamp setting backfill_start), e.g.',
          `  #   cursor { max ${mapPath(suggestions.cursor.path)} format ${formatText(suggestions.cursor.format)}  start setting.backfill_start }`,
        ]
      : []),
    '',
    '  map {',
    ...(suggestions.id ? [`    id ${mapPath(suggestions.id.path)} # suggested: ${suggestions.id.reason}`, ''] : []),
    ...(ruleLines.length === 0
      ? ['    # No evident ECS field in the samples: map fields here, e.g. `event.action = ...`.']
      : []),
    // Operators aligned as in the bundled maps: `=` in one column, `+=` one to the left.
    ...ruleLines.map(
      (l) =>
        `    ${l.destination.padEnd(destinationWidth)} ${l.op.padStart(2)} ${l.value.padEnd(valueWidth)} # suggested: ${l.reason}`,
    ),
    '  }',
    '',
    '  # The fields the rules read, as the samples show them. Fields no rule reads yet are listed',
    '  # commented out: uncomment one when a rule reads it (undeclared fields are kept anyway).',
    '  record {',
    ...declared.map((f) => `    ${fieldLine(f, width)}`),
    ...others.map((f) => `    # ${fieldLine(f, width)}`),
    '  }',
    '}',
  ];
  return `${lines.map((l) => l.replace(/\s+$/, '')).join('\n')}\n`;
}
