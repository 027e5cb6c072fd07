/**
 * Consecutive text lookups of one field (docs/language.md "Lookup tables"; compiler/ir.ts
 * TransformIR `lookup`), which the lean Vector remap writes as one `if` chain over the union of
 * the tables' keys (`targets/vector/vrl/typed.ts` lookupsChain): tables sharing keys, tables with
 * keys of their own, a default, a table holding `""` (no chain: `get`), and a lookup of the same
 * table twice. On curated records of every key, misses and values of other JSON types, every
 * engine gives the interpreter's documents and ids, with the record schema (the lean forms) and
 * without it (the guarded forms); random tables drawn by fast-check (a key repeated: the first
 * entry wins; texts that are empty or hold quotes and VRL syntax) give them on both VRL runtimes
 * (verel = VRL 0.25, the native CLI = VRL 0.38).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { defaultSettings, mapRecord } from '../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { remapOf, RUNTIMES } from '../engines/vrl/harness.ts';
import { baseMap } from '../compiler/helpers.ts';
import { expectAgreement } from './check.ts';
import { canonical, withoutEngineStamp } from './compare.ts';
import { engines } from './engines.ts';
import { withTables } from './tables.ts';
import type { Json } from './generate.ts';

const DECLS = `table categories {
  "a" => "x"
  "b" => "y"
}
table types {
  "b" => "p"
  "c" => "q"
  default "none"
}
table empties {
  "a" => ""
  "c" => "r"
}`;

const RULES = [
  '    related.hosts += kind | lookup(categories)',
  '    acme.audit.type = kind | lookup(types)',
  '    acme.audit.type_again = kind | lookup(types)',
  '    acme.audit.empty = kind | lookup(empties)',
  '    acme.audit.category = kind | lookup(categories)',
].join('\n');

const RECORD = `  record {
    created string optional format iso8601
    kind    string optional nullable
  }`;

function compiled(): IntegrationIR {
  const { ir, diagnostics } = compileSource(baseMap({ rules: RULES, decls: DECLS, streamItems: RECORD }), 'test.map');
  if (!ir) throw new Error(`the text-table map does not compile: ${JSON.stringify(diagnostics)}`);
  return ir;
}

const KINDS: (Json | undefined)[] = ['a', 'b', 'c', 'd', '', 'A', 5, true, null, ['a'], { k: 'a' }, undefined];
const RECORDS: Json[] = KINDS.map((kind): Json => {
  const record: { [k: string]: Json } = { created: '2024-11-13T08:21:07.250Z' };
  if (kind !== undefined) record['kind'] = kind;
  return record;
});

let node: OpenSearchNode | undefined;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

describe('consecutive text lookups of one field on every engine', () => {
  const lean = compiled();

  it('the lean remap tests each key once for the first three lookups, and reads the table holding "" by get', () => {
    const program = remapOf(lean);
    // The union of `categories` and `types` (a, b, c), each branch assigning what its key decides.
    const chains = program.split('\n').filter((line) => /^\s*if mapc_s_\d+ == "a" \{ mapc_v_\d+ = "x" \}/.test(line));
    expect(chains).toHaveLength(1);
    expect(chains[0]).toMatch(
      /== "b" \{ mapc_v_\d+ = "y"; mapc_v_\d+ = "p" \} else if mapc_s_\d+ == "c" \{ mapc_v_\d+ = "q" \}$/,
    );
    expect(program).toMatch(/get\(\{"a": "", "c": "r"\}/);
  });

  it.each([
    ['lean (record schema)', lean],
    ['guarded (no schema)', stripSchemas(lean)],
  ] as const)('%s: every engine gives the interpreter documents and ids', async (_name, ir) => {
    const interpreted = await expectAgreement(
      engines(() => node),
      ir,
      RECORDS,
    );
    // Hits of both tables and the default reached the documents.
    const docs = interpreted.map((o) => JSON.stringify(o));
    expect(docs.some((d) => d.includes('"hosts":["y"]') && d.includes('"type":"p"'))).toBe(true);
    expect(docs.some((d) => d.includes('"type":"none"'))).toBe(true);
  });
});

/** Table texts: plain, non-ASCII, empty, quotes and VRL syntax. */
const text = fc.constantFrom('x', 'y', 'é', 'İ', '', '"', '{ a }', 'x; y');
const KEYS = ['a', 'b', 'c', 'd'];

/** A random text table: some keys (repeats allowed: the first wins), maybe a default. */
const table = fc.record({
  entries: fc.array(fc.record({ from: fc.constantFrom(...KEYS), to: text }), { minLength: 1, maxLength: 5 }),
  default: fc.option(text, { nil: undefined }),
});

describe('random text tables on both VRL runtimes', () => {
  const SEED = 12_2026;
  const maps = fc.sample(fc.array(table, { minLength: 5, maxLength: 5 }), { seed: SEED, numRuns: 12 });
  const records: Json[] = [...KEYS, 'e', '', 3, null].map((kind) => ({ created: '2024-11-13T08:21:07.250Z', kind }));
  it.each(RUNTIMES.map((r) => [r.name, r] as const))(
    `on %s: 12 maps (seed ${SEED}), the interpreter's documents and ids`,
    (_name, runtime) => {
      let chained = 0;
      for (const tables of maps) {
        const ir = withTables(compiled(), tables, false);
        const stream = ir.streams[0] as StreamIR;
        const program = remapOf(ir);
        if (/\{ mapc_v_\d+ = [^}]*; mapc_v_\d+ = /.test(program)) chained++;
        const messages = records.map((r) => JSON.stringify(r));
        const outputs = runtime.runBatch(
          program,
          messages.map((message) => ({ message })),
        );
        const settings = defaultSettings(ir);
        records.forEach((record, i) => {
          const want = mapRecord(stream, messages[i] as string, settings);
          const [event, ...more] = outputs[i] ?? [];
          expect(more, `record ${JSON.stringify(record)}`).toEqual([]);
          const { _id, ...doc } = event as Record<string, unknown>;
          const got = canonical(withoutEngineStamp({ doc }, { doc: want.doc }).doc);
          expect(got, `tables ${JSON.stringify(tables)}\nrecord ${JSON.stringify(record)}`).toBe(canonical(want.doc));
          expect(_id).toBe(want.id);
        });
      }
      // The draws reach the merged chain, not only single tables.
      expect(chained).toBeGreaterThan(3);
    },
  );
});
