/**
 * Checks of a stream's record schema (`record { }`) and of every read against it
 * (docs/language.md, "Record schemas"; module doc of `compiler/ir.ts`, "Record schemas").
 *
 * @module
 */
import type {
  FieldFormatNode,
  FieldTypeNode,
  MapRule,
  RecordField,
  Span,
  StreamDecl,
  Transform,
} from '../../../dsl/ast.ts';
import { pathSegments, pathText } from '../../../dsl/ast.ts';
import { closest } from '../../../dsl/suggest.ts';
import {
  acceptedInputs,
  acceptsPhrase,
  takes,
  transformSpec,
  type DateFormatKind,
  type InputType,
} from '../../../dsl/transforms.ts';
import type { FieldFormat, FieldPath, FieldTypeIR, SchemaFieldIR, ValueType } from '../../ir.ts';
import { holdsFields, isStrictlyUnder, rewritten, samePath, type SchemaIndex } from '../../schema/resolve.ts';
import type { CheckContext } from '../context.ts';
import type { CheckRule } from '../rule.ts';
import { namespaceOf, pathReads, READ_WORDS, recordKeyword, schemaIndex, type PathRead } from '../schema.ts';
import { resolveDestination, vendorRoots } from '../destination.ts';
import { typeClass } from '../value-type.ts';
import { MAX_PATH_SEGMENTS } from '../../../dsl/limits.ts';

/** `integer | string`, `array of object`. */
export function typesText(types: readonly ValueType[], items?: { types: readonly ValueType[] }): string {
  return types.map((t) => (t === 'array' && items ? `array of ${typesText(items.types)}` : t)).join(' | ');
}

function formatText(format: FieldFormat): string {
  return format.kind === 'pattern' ? JSON.stringify(format.pattern.text) : format.kind;
}

function nodeFormat(node: FieldFormatNode): FieldFormat {
  if (node.kind === 'IpFormat') return { kind: 'ip' };
  return node.format === 'pattern'
    ? { kind: 'pattern', pattern: { text: node.pattern ?? '', tokens: node.tokens ?? [] } }
    : { kind: node.format };
}

function sameFormat(a: FieldFormat, b: FieldFormat): boolean {
  return a.kind === b.kind && (a.kind !== 'pattern' || (b.kind === 'pattern' && a.pattern.text === b.pattern.text));
}

/** The declaration at exactly `path` (the first one), if any. */
function declarationAt(index: SchemaIndex, path: FieldPath): SchemaFieldIR | undefined {
  return index.schema.fields.find((f) => samePath(f.path, path));
}

/** The source span of a declared field (its path in the record block). */
function declSpan(stream: StreamDecl, field: SchemaFieldIR): Span {
  const node = stream.record?.fields.find((f) => samePath(pathSegments(f.path), field.path));
  return node?.path.loc ?? field.loc;
}

// ---------------------------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------------------------

/**
 * Each declaration is well formed: a path declared once (E0146), never below a field that
 * cannot hold fields (E0145), types and formats that make sense together (E0147), and a split
 * path declared as what the mapping sees after `split`, one element (E0144).
 */
export const SchemaDeclarationsRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const block = stream.record;
    const index = schemaIndex(stream);
    if (!block || !index) return;
    const first = new Map<string, RecordField>();
    for (const field of block.fields) {
      const key = JSON.stringify(pathSegments(field.path));
      const earlier = first.get(key);
      if (earlier) {
        ctx.error('E0146', `${pathText(field.path)} is declared twice`, field.path.loc, 'declared again here', {
          secondary: [{ span: earlier.path.loc, message: 'first declared here' }],
          notes: ['help: keep one declaration (give several types as `TYPE | TYPE`)'],
        });
        continue;
      }
      first.set(key, field);
      underNonObject(ctx, stream, index, field);
      typesAndFormats(ctx, field);
    }
    const split = stream.split;
    if (split) {
      const decl = first.get(JSON.stringify(pathSegments(split.path)));
      const array = decl?.types.find((t) => t.name === 'array');
      if (decl && array) {
        ctx.error(
          'E0144',
          `${pathText(split.path)} is split: the mapping sees one element of it, not an array`,
          array.loc,
          'declared as an array',
          {
            secondary: [{ span: split.loc, message: 'one event per element here' }],
            notes: [
              `note: after \`split ${pathText(split.path)}\`, each record holds one element there (or [] when the array was empty)`,
              `help: declare the element: \`${pathText(split.path)} object\`, or its fields: \`${pathText(split.path)}.NAME TYPE\``,
            ],
          },
        );
      }
    }
  },
});

function underNonObject(ctx: CheckContext, stream: StreamDecl, index: SchemaIndex, field: RecordField): void {
  const path = pathSegments(field.path);
  // A path past the bound is E0128 already (rules/bounds.ts), and is not in the schema index.
  if (path.length > MAX_PATH_SEGMENTS) return;
  for (let n = path.length - 1; n >= 1; n--) {
    const parent = declarationAt(index, path.slice(0, n));
    if (!parent || holdsFields(parent)) continue;
    const parentText = parent.path.join('.');
    ctx.error(
      'E0145',
      `${pathText(field.path)} is declared below ${parentText}, which is declared ${typesText(parent.types, parent.items)}`,
      field.path.loc,
      `${parentText} holds no fields`,
      {
        secondary: [
          { span: declSpan(stream, parent), message: `declared ${typesText(parent.types, parent.items)} here` },
        ],
        notes: [
          'note: paths read objects only; they never go into an array or a scalar',
          `help: declare ${parentText} as \`object\` (or \`object | ...\` when it is sometimes something else)`,
        ],
      },
    );
    return;
  }
}

/** Which types a format applies to. */
const FORMAT_TYPES: Readonly<Record<FieldFormat['kind'], readonly ValueType[]>> = {
  iso8601: ['string'],
  pattern: ['string'],
  ip: ['string'],
  unix: ['string', 'integer', 'number'],
  unix_ms: ['string', 'integer', 'number'],
};

function typesAndFormats(ctx: CheckContext, field: RecordField): void {
  const bad = (span: Span, message: string, label: string, notes: string[] = []): void =>
    ctx.error('E0147', message, span, label, { notes });
  const seen: FieldTypeNode[] = [];
  for (const type of field.types) {
    const text = pathText(field.path);
    if (type.name === 'any' && field.types.length > 1) {
      bad(type.loc, `${text}: any already allows every value`, 'any with other types', [
        'help: write `any` alone, or list the types the field may hold',
      ]);
      return;
    }
    if (seen.some((t) => t.name === type.name)) {
      bad(type.loc, `${text}: ${type.name} is given twice`, 'given again', ['help: list each type once']);
      return;
    }
    const numeric = seen.find(
      (t) => (t.name === 'number' && type.name === 'integer') || (t.name === 'integer' && type.name === 'number'),
    );
    if (numeric) {
      bad(type.loc, `${text}: number already includes integer`, 'redundant with the other', [
        'help: keep `number` (any JSON number) or `integer` (numbers without a fraction)',
      ]);
      return;
    }
    seen.push(type);
  }
  const text = pathText(field.path);
  const names = field.types.map((t) => t.name);
  if (field.nullable && names.includes('any')) {
    bad(field.nullable, `${text}: any already allows null`, 'nothing to add', ['help: remove `nullable`']);
  }
  const formats = field.formats.map(nodeFormat);
  for (const [i, format] of formats.entries()) {
    const node = field.formats[i]!;
    if (formats.slice(0, i).some((f) => sameFormat(f, format))) {
      bad(node.loc, `${text}: format ${formatText(format)} is given twice`, 'given again', [
        'help: list each format once',
      ]);
      return;
    }
    if (!FORMAT_TYPES[format.kind].some((t) => names.includes(t))) {
      bad(
        node.loc,
        `${text}: format ${formatText(format)} applies to ${FORMAT_TYPES[format.kind].join(' or ')} values, and ${text} is declared ${names.join(' | ')}`,
        'no value it applies to',
        [`help: declare the type the format describes, e.g. \`${text} string format ${formatText(format)}\``],
      );
      return;
    }
  }
  if (formats.some((f) => f.kind === 'ip') && formats.some((f) => f.kind !== 'ip')) {
    bad(field.formatLoc ?? field.loc, `${text}: a field holds either IP addresses or dates`, 'ip with date formats', [
      'help: keep `format ip`, or the date formats',
    ]);
  }
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/**
 * Every path a rule, condition, `id`, `cursor` or `split` reads is declared or the parent of
 * declared paths (E0140, with "did you mean"); no read or `remove` goes below a field that cannot
 * hold fields (E0145). A rule may also read what an earlier rule wrote inside the namespace.
 * `remove` may name undeclared paths (undeclared fields may be present and are kept otherwise).
 */
export const SchemaReadsRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const index = schemaIndex(stream);
    if (!index || !stream.record) return;
    const namespace = namespaceOf(stream, ctx.symbols.integration?.name.value);
    for (const read of pathReads(stream, namespace)) {
      const path = pathSegments(read.path);
      const resolved = index.resolve(path);
      if (resolved.kind === 'found') continue;
      if (resolved.kind === 'through') {
        const blocker = resolved.blocker;
        const blockerText = blocker.path.join('.');
        ctx.error(
          'E0145',
          `${pathText(read.path)} never exists: ${blockerText} is declared ${typesText(blocker.types, blocker.items)}`,
          read.path.loc,
          `${READ_WORDS[read.kind]} below a field that holds no fields`,
          {
            secondary: [
              { span: declSpan(stream, blocker), message: `declared ${typesText(blocker.types, blocker.items)} here` },
            ],
            notes: [`help: declare ${blockerText} as \`object\` if the vendor sends an object there`],
          },
        );
        continue;
      }
      if (read.kind === 'remove') continue;
      if (rewritten(path, read.written ?? [])) continue;
      ctx.error(
        'E0140',
        `${pathText(read.path)} is not in the record schema`,
        read.path.loc,
        `${READ_WORDS[read.kind]} a path the schema lacks`,
        {
          secondary: [{ span: recordKeyword(stream.record), message: "the stream's record schema" }],
          notes: [
            ...suggestion(pathText(read.path), index),
            `help: declare it in the record block: \`${pathText(read.path)} TYPE\` (add \`optional\` if records may lack it)`,
          ],
        },
      );
    }
  },
});

/**
 * "did you mean": a declared path ending in the same field name (`created_by` → `meta.created_by`),
 * else the closest declared path by edit distance.
 */
function suggestion(text: string, index: SchemaIndex): string[] {
  const known = index.knownPaths();
  const leaf = text.split('.').pop();
  const best = known.find((k) => k !== text && k.split('.').pop() === leaf) ?? closest(text, known, 1)[0];
  return best === undefined ? [] : [`help: did you mean ${best}?`];
}

// ---------------------------------------------------------------------------------------------
// Transforms and formats
// ---------------------------------------------------------------------------------------------

/** The registry identifier of a transform node (`dsl/transforms.ts`). */
function identifier(t: Transform): string {
  switch (t.kind) {
    case 'ConvertTransform':
    case 'CaseTransform':
      return t.to;
    case 'DateTransform':
      return 'date';
    case 'LookupTransform':
      return 'lookup';
    case 'HashTransform':
      return 'hash';
    case 'MaskTransform':
      return 'mask';
    case 'SplitTransform':
      return 'split';
    case 'JsonTransform':
      return 'json';
    case 'ExtractTransform':
      return 'extract';
    case 'KvTransform':
      return 'kv';
  }
}

/** The rules of a stream with their source's declared type (not when an earlier rule rewrote it). */
function typedRules(
  ctx: CheckContext,
  stream: StreamDecl,
  index: SchemaIndex,
): { rule: MapRule; source: FieldTypeIR }[] {
  const out: { rule: MapRule; source: FieldTypeIR }[] = [];
  for (const read of pathReads(stream, namespaceOf(stream, ctx.symbols.integration?.name.value))) {
    if (read.kind !== 'rule' || !read.rule) continue;
    const path = pathSegments(read.path);
    if (rewritten(path, read.written ?? [])) continue;
    const resolved = index.resolve(path);
    if (resolved.kind === 'found') out.push({ rule: read.rule, source: resolved.type });
  }
  return out;
}

/**
 * The first transform of a rule can take the source's declared type (E0141: none of its types,
 * e.g. `lowercase` on an integer, `date(iso8601)` on a boolean, `hash` on an object; W0148: some
 * of them, e.g. `keyword` on a number with a fraction); an object copied as is into an ECS text
 * field is E0141 too. The accepted types come from the transform registry (`accepts`).
 */
export const SchemaTransformsRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const index = schemaIndex(stream);
    if (!index) return;
    for (const { rule, source } of typedRules(ctx, stream, index)) transformTakes(ctx, stream, index, rule, source);
  },
});

function transformTakes(
  ctx: CheckContext,
  stream: StreamDecl,
  index: SchemaIndex,
  rule: MapRule,
  source: FieldTypeIR,
): void {
  {
    if (rule.value.kind !== 'FieldValue' || source.types.includes('any') || source.origin === 'undeclared') return;
    const text = pathText(rule.value.path);
    const declared = typesText(source.types, source.items);
    const decl = declarationAt(index, pathSegments(rule.value.path));
    const secondary = decl ? [{ span: declSpan(stream, decl), message: `declared ${declared} here` }] : [];
    const first = rule.value.transforms[0];
    if (!first) {
      objectCopy(ctx, stream, rule, source, secondary);
      return;
    }
    const spec = transformSpec(identifier(first));
    if (!spec) return;
    const formats = first.kind === 'DateTransform' ? first.formats.map((f) => f.format as DateFormatKind) : undefined;
    const accepted = acceptedInputs(spec, formats);
    const verdicts = source.types.map((t) => ({ type: t, takes: takes(accepted, t as InputType) }));
    const name =
      first.kind === 'DateTransform'
        ? `date(${first.formats.map((f) => (f.format === 'pattern' ? JSON.stringify(f.pattern) : f.format)).join(', ')})`
        : spec.identifier;
    const takesNote = `note: ${name} takes ${formats ? orList(accepted) : acceptsPhrase(spec)}`;
    if (verdicts.every((v) => v.takes === 'none')) {
      ctx.error(
        'E0141',
        `${name} cannot take ${text}: it is declared ${declared}`,
        first.loc,
        `fails on every ${declared} value`,
        {
          secondary,
          notes: [
            takesNote,
            `help: if the vendor sends another type, declare it; else use a transform that takes ${declared}`,
          ],
        },
      );
      return;
    }
    const failing = verdicts.filter((v) => v.takes !== 'all');
    if (failing.length === 0) return;
    const what = failing
      .map((v) => (v.takes === 'some' ? 'numbers with a fraction' : `${v.type} values`))
      .join(' and ');
    ctx.warning(
      'W0148',
      `${name} fails on some values ${text} may hold: ${what}`,
      first.loc,
      `not every ${declared} value converts`,
      {
        secondary,
        notes: [takesNote, 'note: such a value leaves the destination unset and appends error.message'],
      },
    );
  }
}

function objectCopy(
  ctx: CheckContext,
  stream: StreamDecl,
  rule: MapRule,
  source: FieldTypeIR,
  secondary: { span: Span; message: string }[],
): void {
  if (!source.types.every((t) => t === 'object') || rule.value.kind !== 'FieldValue') return;
  const resolved = resolveDestination(
    ctx.ecs,
    pathText(rule.destination),
    vendorRoots(ctx.symbols.integration?.name.value, stream, stream.map),
  );
  if (resolved.kind !== 'ecs' || typeClass(resolved.field.type) !== 'text') return;
  ctx.error(
    'E0141',
    `${pathText(rule.destination)} is an ECS ${resolved.field.type} field, and ${pathText(rule.value.path)} is declared object`,
    rule.value.loc,
    'copies a whole object',
    {
      secondary,
      notes: [
        `help: map one of its fields, e.g. \`${pathText(rule.destination)} = ${pathText(rule.value.path)}.NAME\``,
      ],
    },
  );
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * A field's declared `format` agrees with what reads it (W0142): every declared date format is
 * one the rule's `date(...)` tries (else those values fail to parse), a field declared `format ip`
 * is not read by `date`, a date-formatted field is not read by `ip`, and the cursor's `format` is
 * among the field's formats.
 */
export const SchemaFormatsRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const index = schemaIndex(stream);
    if (!index) return;
    for (const { rule, source } of typedRules(ctx, stream, index)) {
      if (rule.value.kind !== 'FieldValue') continue;
      const first = rule.value.transforms[0];
      if (!first || source.formats.length === 0) continue;
      const text = pathText(rule.value.path);
      const declared = source.formats.map(formatText).join(', ');
      const decl = declarationAt(index, pathSegments(rule.value.path));
      const secondary = decl ? [{ span: declSpan(stream, decl), message: `declared format ${declared} here` }] : [];
      if (first.kind === 'DateTransform') {
        const tried = first.formats.map(nodeFormat);
        const missing = source.formats.filter((f) => !tried.some((t) => sameFormat(t, f)));
        if (missing.length === 0) continue;
        const ip = missing.some((f) => f.kind === 'ip');
        ctx.warning(
          'W0142',
          ip
            ? `${text} is declared format ip; date(...) reads dates`
            : `${text} is declared format ${missing.map(formatText).join(', ')}, which this date(...) does not try`,
          first.loc,
          ip ? 'an IP address is no date' : 'such values fail to parse',
          {
            secondary,
            notes: ip ? [] : [`help: add ${missing.map(formatText).join(', ')} to the formats of date(...)`],
          },
        );
      } else if (
        first.kind === 'ConvertTransform' &&
        first.to === 'ip' &&
        source.formats.every((f) => f.kind !== 'ip')
      ) {
        ctx.warning(
          'W0142',
          `${text} is declared format ${declared}; ip reads IP addresses`,
          first.loc,
          'a date is no IP address',
          {
            secondary,
          },
        );
      }
    }
    const max = stream.cursor?.max;
    if (max) {
      const resolved = index.resolve(pathSegments(max.path));
      if (resolved.kind !== 'found' || resolved.type.formats.length === 0) return;
      const cursor = nodeFormat(max.format);
      if (resolved.type.formats.some((f) => sameFormat(f, cursor))) return;
      const declared = resolved.type.formats.map(formatText).join(', ');
      const decl = declarationAt(index, pathSegments(max.path));
      ctx.warning(
        'W0142',
        `the cursor reads ${pathText(max.path)} as ${formatText(cursor)}, but it is declared format ${declared}`,
        max.format.loc,
        'not a declared format',
        {
          secondary: decl ? [{ span: declSpan(stream, decl), message: `declared format ${declared} here` }] : [],
          notes: ['note: a cursor value its format cannot read never moves the cursor'],
        },
      );
    }
  },
});

// ---------------------------------------------------------------------------------------------
// Unread declarations
// ---------------------------------------------------------------------------------------------

/**
 * A declared field nothing reads (W0143, like W0122): no rule, condition, id, cursor, split or
 * remove reads it, one of its parents or one of its fields. Reported only for files without
 * errors.
 */
export const UnreadSchemaFieldsRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const index = schemaIndex(stream);
    if (!index || !stream.record) return;
    const reads: PathRead[] = pathReads(stream, namespaceOf(stream, ctx.symbols.integration?.name.value));
    const paths = reads.map((r) => pathSegments(r.path));
    const fields = index.schema.fields;
    ctx.onFinish(() => {
      if (ctx.diagnostics.some((d) => d.severity === 'error')) return;
      for (const field of fields) {
        const used = paths.some(
          (p) => samePath(p, field.path) || isStrictlyUnder(field.path, p) || isStrictlyUnder(p, field.path),
        );
        if (used) continue;
        ctx.warning(
          'W0143',
          `${field.path.join('.')} is declared but nothing reads it`,
          declSpan(stream, field),
          'declared here, read nowhere',
          {
            notes: [
              'help: read it in a rule, or remove the declaration (undeclared fields are kept in the namespace anyway)',
            ],
          },
        );
      }
    });
  },
});
