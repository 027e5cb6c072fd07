/**
 * List tables (docs/language.md "Lookup tables"; compiler/ir.ts TransformIR `lookup`) on every
 * engine: a map whose tables yield lists (with a list default, an empty list, a list repeating a
 * value, one-string values among lists, and integer codes read through `keyword`), appended with
 * `+=` into ECS array fields (into a field nothing wrote before, and after an earlier append) and
 * set with `=` under the vendor namespace, on curated records of every key, misses and values of
 * other JSON types, through the reference interpreter, VRL (both runtimes' harness as the
 * agreement suite runs it), the real OpenSearch node, the ingest evaluator and the Logstash
 * evaluator: with the record schema (the lean forms) and without it (the guarded forms). Every
 * engine gives the interpreter's documents and ids.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { baseMap } from '../compiler/helpers.ts';
import { failures, runAll } from './check.ts';
import { engines } from './engines.ts';
import type { Json } from './generate.ts';

const DECLS = `table hosts {
  "a" => ["h1", "h2"]
  "b" => "h1"
  "c" => []
}
table types {
  "a" => ["x", "y"]
  "b" => "x"
  "c" => []
  "d" => ["y", "y", "z"]
  default ["dflt"]
}
table codes {
  "1" => ["one", "x"]
  "2" => []
  "-3" => "minus three"
}`;

const RULES = [
  '    related.hosts += kind | lookup(hosts)',
  '    related.user += kind | lookup(types)',
  '    related.user += code | keyword | lookup(codes)',
  '    acme.audit.out = kind | lookup(types)',
].join('\n');

const RECORD = `  record {
    created string optional format iso8601
    kind    string optional nullable
    code    integer optional nullable
  }`;

function compiled(): IntegrationIR {
  const { ir, diagnostics } = compileSource(baseMap({ rules: RULES, decls: DECLS, streamItems: RECORD }), 'test.map');
  if (!ir) throw new Error(`the list-table map does not compile: ${JSON.stringify(diagnostics)}`);
  return ir;
}

const KINDS: (Json | undefined)[] = ['a', 'b', 'c', 'd', 'zz', '', 5, true, null, ['a'], { k: 'a' }, undefined];
const CODES: (Json | undefined)[] = [1, 2, -3, 3, '1', 1.5, null, undefined];

const RECORDS: Json[] = KINDS.flatMap((kind) =>
  CODES.map((code) => {
    const record: { [k: string]: Json } = { created: '2024-11-13T08:21:07.250Z', id: 'r' };
    if (kind !== undefined) record['kind'] = kind;
    if (code !== undefined) record['code'] = code;
    return record;
  }),
);

let node: OpenSearchNode | undefined;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

describe('list tables on every engine', () => {
  const lean = compiled();
  const forms = [
    ['lean (record schema)', lean],
    ['guarded (no schema)', stripSchemas(lean)],
  ] as const;
  it('the map has list tables, lowered as such', () => {
    const rules = lean.streams[0]!.mapping.rules;
    const lists = rules.flatMap((r) =>
      r.value.kind === 'field' ? r.value.transforms.filter((t) => t.kind === 'lookup' && t.list) : [],
    );
    expect(lists).toHaveLength(4);
  });
  it.each(forms)('%s: every engine gives the interpreter documents and ids', async (_name, ir) => {
    const stream = ir.streams[0] as StreamIR;
    const { outputs } = await runAll(
      engines(() => node),
      ir,
      stream.name,
      RECORDS.map((r) => JSON.stringify(r)),
    );
    const found = failures(stream, RECORDS, outputs, new Map());
    expect(found, `${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`).toEqual([]);
    // The lists reached the documents (not only misses): `a` appends both of its values.
    const docs = outputs.interpreter.map((o) => JSON.stringify(o));
    expect(docs.some((d) => d.includes('"h1","h2"'))).toBe(true);
    expect(docs.some((d) => d.includes('"one","x"'))).toBe(true);
  });
});
