/**
 * The `record { }` block of a stream (docs/language.md, "Record schemas"): its AST and the syntax
 * errors the visitor reports, with line and column.
 */
import { describe, expect, it } from 'vitest';
import type * as A from '../../dsl/ast.ts';
import { isNode, pathText } from '../../dsl/ast.ts';
import { parseMap } from '../../dsl/index.ts';

function record(body: string): A.RecordBlock {
  const { ast, diagnostics } = parseMap(`stream s {\n  record {\n${body}\n  }\n}\n`, 't.map');
  expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const s = ast?.declarations[0];
  if (!isNode(s, 'Stream') || !s.record) throw new Error('no record block');
  return s.record;
}

/** Field lines start on line 3 of the parsed text. */
function errors(body: string): string[] {
  const { diagnostics } = parseMap(`stream s {\n  record {\n${body}\n  }\n}\n`, 't.map');
  return diagnostics.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column} ${d.message}`);
}

function brief(field: A.RecordField): string {
  const types = field.types.map((t) => (t.items ? `${t.name} of ${t.items.name}` : t.name)).join(' | ');
  const formats = field.formats.map((f) => (f.kind === 'IpFormat' ? 'ip' : (f.pattern ?? f.format)));
  return [
    pathText(field.path),
    types,
    ...(field.optional ? ['optional'] : []),
    ...(field.nullable ? ['nullable'] : []),
    ...(formats.length ? [`format ${formats.join(',')}`] : []),
  ].join(' ');
}

describe('record fields', () => {
  it('take a path, one or more types and modifiers in any order', () => {
    const block = record(
      [
        '    uuid                  string',
        '    meta.create_time      string format iso8601',
        '    spec.payload.success  boolean optional nullable',
        '    spec.remote_address   string nullable format ip optional',
        '    spec.claims           array of object optional',
        '    line_number           integer | string optional',
        '    date                  string format "dd/MM/yyyy", iso8601',
        '    when_ms               integer | string format unix_ms, unix',
        '    "ip-address".v4       any',
        '    matrix                array of array of number',
      ].join('\n'),
    );
    expect(block.fields.map(brief)).toEqual([
      'uuid string',
      'meta.create_time string format iso8601',
      'spec.payload.success boolean optional nullable',
      'spec.remote_address string optional nullable format ip',
      'spec.claims array of object optional',
      'line_number integer | string optional',
      'date string format dd/MM/yyyy,iso8601',
      'when_ms integer | string format unix_ms,unix',
      'ip-address.v4 any',
      'matrix array of array',
    ]);
    expect(block.fields[9]!.types[0]!.items!.items).toMatchObject({ kind: 'FieldType', name: 'number' });
    expect(block.loc).toMatchObject({ line: 2, column: 3 });
    expect(block.fields[1]).toMatchObject({ loc: { line: 4, column: 5 }, formatLoc: { line: 4, column: 34 } });
    expect(block.fields[2]!.optional).toMatchObject({ line: 5, column: 35 });
  });

  it('take keywords as path segments, and a field named like a modifier when quoted', () => {
    const block = record('    format.version string\n    "format" string\n    records.token integer optional');
    expect(block.fields.map(brief)).toEqual([
      'format.version string',
      'format string',
      'records.token integer optional',
    ]);
  });

  it('an empty block has no fields', () => {
    expect(record('').fields).toEqual([]);
  });
});

describe('record syntax errors', () => {
  it('an unknown type, with a suggestion', () => {
    const { diagnostics } = parseMap('stream s {\n  record {\n    a strng\n  }\n}\n', 't.map');
    expect(diagnostics.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column} ${d.message}`)).toEqual([
      'E0004 3:7 expected a field type (string, integer, number, boolean, object, array, any), found "strng"',
    ]);
    expect(diagnostics[0]!.notes).toEqual(['help: did you mean "string"?']);
  });

  it('"of" after a type other than array', () => {
    expect(errors('    a integer of string')).toEqual(['E0004 3:15 only array takes "of", found "integer of"']);
  });

  it('an unknown format, with a suggestion', () => {
    expect(errors('    a string format iso8061')).toEqual([
      'E0004 3:21 expected a format (iso8601, unix_ms, unix, ip or a date pattern like "dd/MM/yyyy"), found "iso8061"',
    ]);
    expect(
      parseMap('stream s {\n  record {\n    a string format iso8061\n  }\n}\n', 't.map').diagnostics[0]!.notes,
    ).toEqual(['help: did you mean "iso8601"?']);
  });

  it('a field named format after another field must be quoted: the error says so', () => {
    const { diagnostics } = parseMap('stream s {\n  record {\n    a string\n    format string\n  }\n}\n', 't.map');
    expect(diagnostics.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column}`)).toEqual(['E0004 4:12']);
    expect(diagnostics[0]!.notes).toEqual([
      'help: "format" here modifies the field before it; a field named format is written quoted: "format" string',
    ]);
  });

  it('a modifier given twice (E0007, pointing at both)', () => {
    const { diagnostics } = parseMap('stream s {\n  record {\n    a string optional optional\n  }\n}\n', 't.map');
    expect(diagnostics.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column} ${d.message}`)).toEqual([
      'E0007 3:23 "optional" is given twice in the record field a',
    ]);
    expect(diagnostics[0]!.secondary[0]!.span).toMatchObject({ line: 3, column: 14 });
  });

  it('a field without a type: one error, at the next field, saying so', () => {
    const { diagnostics } = parseMap('stream s {\n  record {\n    a\n    b string\n  }\n}\n', 't.map');
    expect(diagnostics.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column} ${d.message}`)).toEqual([
      'E0004 4:5 expected a field type (string, integer, number, boolean, object, array, any), found "b"',
    ]);
    expect(diagnostics[0]!.notes).toEqual([
      'help: the field on the line before has no type: write one after its path, e.g. `string`',
    ]);
  });

  it('a record block given twice in a stream (E0007)', () => {
    const { diagnostics } = parseMap('stream s {\n  record { a string }\n  record { b string }\n}\n', 't.map');
    expect(diagnostics.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column}`)).toEqual(['E0007 3:3']);
  });
});
