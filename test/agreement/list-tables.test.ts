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
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { logstashBackend } from '../../targets/logstash/index.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { baseMap } from '../compiler/helpers.ts';
import { expectAgreement, failures, runAll } from './check.ts';
import { engines } from './engines.ts';
import { withTables } from './tables.ts';
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
    const interpreted = await expectAgreement(
      engines(() => node),
      ir,
      RECORDS,
    );
    // The lists reached the documents (not only misses): `a` appends both of its values.
    const docs = interpreted.map((o) => JSON.stringify(o));
    expect(docs.some((d) => d.includes('"h1","h2"'))).toBe(true);
    expect(docs.some((d) => d.includes('"one","x"'))).toBe(true);
  });
});

/**
 * Pieces of table strings: plain, non-ASCII, the separators Logstash may join with, Mustache
 * syntax, a quote. No backslash, `${NAME}` or `%{field}`: Logstash refuses them in table values
 * (a backslash, E0602; `${NAME}` the keystore would replace; `%{field}` in a default, which
 * mutate formats), as for any table.
 */
const PIECES = ['x', 'y', 'é', 'İ', '|', ',', ';', '{{a}}', '"', ' '];
const text = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }).map((p) => p.join(''));
const listValue = fc.oneof(text, fc.array(text, { maxLength: 3 }));
const KEYS = ['a', 'b', 'c', '1', '2'];

/** A random list table: some keys, each a string or a list (possibly empty, possibly repeating), maybe a default. */
const table = fc
  .record({
    entries: fc
      .uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 5 })
      .chain((keys) => fc.tuple(...keys.map((k) => listValue.map((to) => ({ from: k, to }))))),
    default: fc.option(listValue, { nil: undefined }),
  })
  .map(({ entries, default: d }) => {
    const list = (to: string | string[]): string[] => (typeof to === 'string' ? [to] : to);
    return {
      entries: [...entries.map((e) => ({ from: e.from, to: list(e.to) })), { from: 'always', to: ['x', 'y'] }],
      ...(d !== undefined ? { default: list(d) } : {}),
    };
  });

describe('random list tables on every engine', () => {
  const SEED = 9_2026;
  const maps = fc.sample(fc.array(table, { minLength: 3, maxLength: 3 }), { seed: SEED, numRuns: 4 });
  const records: Json[] = fc
    .sample(
      fc.record({
        kind: fc.oneof(fc.constantFrom(...KEYS, 'always', 'none'), fc.constantFrom<Json>(5, true, null)),
        code: fc.oneof(fc.constantFrom(1, 2, 3), fc.constantFrom<Json>('1', null)),
      }),
      { seed: SEED, numRuns: 40 },
    )
    .map((r) => ({ created: '2024-11-13T08:21:07.250Z', ...r }));
  it.each(maps.map((tables, i) => [i, tables] as const))(
    `map %i (seed ${SEED}), lean and guarded: the interpreter's documents and ids`,
    async (_i, tables) => {
      const ir = withTables(compiled(), tables, true);
      for (const form of [ir, stripSchemas(ir)]) {
        const stream = form.streams[0] as StreamIR;
        const { outputs } = await runAll(
          engines(() => node),
          form,
          stream.name,
          records.map((r) => JSON.stringify(r)),
        );
        const found = failures(stream, records, outputs, new Map());
        expect(found, `tables ${JSON.stringify(tables)}\n${found.slice(0, 4).join('\n')}`).toEqual([]);
      }
    },
  );
});

describe('list tables Logstash cannot carry (E0600, at the rule)', () => {
  const refusal = (tables: { entries: { from: string; to: string[] }[]; default?: string[] }[]): string[] =>
    logstashBackend
      .emit(withTables(compiled(), tables, true), {})
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column} ${d.message}`);
  const line = (n: number): string => `${24 + n}:5`;
  it('a list holding an empty string (mutate split drops a trailing empty piece)', () => {
    const found = refusal([{ entries: [{ from: 'a', to: ['x', ''] }] }]);
    expect(found[0]).toMatch(new RegExp(`^E0600 ${line(0)} .*empty string`));
  });
  it('a table whose strings hold every separator mapc may join with', () => {
    const found = refusal([{ entries: [{ from: 'a', to: ['|,;#~^!'] }] }]);
    expect(found[0]).toMatch(new RegExp(`^E0600 ${line(0)} .*every separator`));
  });
  it('the separator is the first one no string holds', () => {
    const conf = logstashBackend
      .emit(withTables(compiled(), [{ entries: [{ from: 'a', to: ['x|y', 'z,'] }] }], true), {})
      .files.find((f) => f.path.endsWith('.conf'))!.content;
    expect(conf).toContain('"a" => "x|y;z,"');
    expect(conf).toMatch(/split => \{\s*"\[@metadata\]\[mapc\]\[r\]\[v\]" => ";"/);
  });
});
