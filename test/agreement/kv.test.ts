/**
 * `kv` (docs/language.md "kv"; compiler/ir.ts TransformIR `kv`) on every engine: a map that parses
 * three record fields with the default separators, with `kv(";", ":")` and with the two-character
 * `kv(", ", "=>")`, and reads one parsed key in a later rule, on curated texts (the shapes each
 * engine's native parser reads its own way: quotes, brackets, repeated and trailing separators,
 * empty keys and values, duplicates, whitespace of every kind, dotted keys, values holding the
 * value separator, non-strings) and on random texts built from separators, quotes, spaces,
 * brackets and multi-byte characters, through the reference interpreter, VRL (verel), the real
 * OpenSearch node, the ingest evaluator and the Logstash evaluator: with the record schema (the
 * lean forms) and without it (the guarded forms). Every engine gives the interpreter's documents.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { elasticBackend } from '../../targets/elastic/index.ts';
import { logstashBackend } from '../../targets/logstash/index.ts';
import { vectorBackend } from '../../targets/vector/index.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { baseMap } from '../compiler/helpers.ts';
import { expectAgreement, failures } from './check.ts';
import { engines, type EngineName, type EngineOutput } from './engines.ts';
import type { Json } from './generate.ts';

const RULES = [
  '    acme.audit.d0 = t0 | kv',
  '    acme.audit.d1 = t1 | kv(";", ":")',
  '    acme.audit.d2 = t2 | kv(", ", "=>")',
  '    event.action = d0.action',
].join('\n');

const RECORD = `  record {
    created string optional format iso8601
    t0      string optional nullable
    t1      string optional nullable
    t2      string optional nullable
  }`;

function compiled(): IntegrationIR {
  const { ir, diagnostics } = compileSource(baseMap({ rules: RULES, streamItems: RECORD }), 'test.map');
  if (!ir) throw new Error(`the kv map does not compile: ${JSON.stringify(diagnostics)}`);
  return ir;
}

/** Texts for the default separators (space, `=`); each also goes to the other two fields. */
const CURATED: Json[] = [
  'user=alice action=login ip=10.0.0.1',
  'a=1 a=2 a=1',
  'a=b=c x==y',
  'k[x]=(v) q=<z> r={1}',
  'é=日本 😀=x',
  '__proto__=x constructor=y',
  'a=1',
  'a=1 ',
  ' a=1',
  'a=1  b=2',
  'a= b=2',
  'a=',
  '=1',
  'a',
  'a=1 b',
  '',
  ' ',
  'a="x y"',
  "a='x'",
  'a=x\\ y',
  'a.b=1',
  'a=1.5 b=x.y',
  'a=1\tb=2',
  'a=1\nb=2',
  'a=1\u00a0b=2',
  'a=\u3000',
  'a=1\u2028',
  'a = 1',
  'a=1;b:2',
  'a:1;b:2',
  'a:1;;b:2',
  'a:1;',
  'a:x:y;b:=',
  'a=>1, b=>2',
  'a=>1,b=>2',
  'a=>1, b=>2, ',
  'a=>=>, b=>>',
  'a=1, b=2',
  // Long texts: the shape tests are linear (Painless' regex limit counts the steps of a match).
  Array.from({ length: 400 }, (_, i) => `k${i}=${'v'.repeat(20)}`).join(' '),
  `${Array.from({ length: 400 }, (_, i) => `k${i}=${'v'.repeat(20)}`).join(' ')} tail`,
  `a=${'x'.repeat(20000)}`,
  5,
  true,
  null,
  ['a=1'],
  { a: '1' },
];

const FIELDS = ['t0', 't1', 't2'] as const;
/** The engines of a map Logstash refuses. */
const COMPARED: readonly EngineName[] = ['interpreter', 'vrl', 'opensearch', 'ingest'];

const RECORDS: Json[] = CURATED.flatMap((text, i) => {
  const record: { [k: string]: Json } = { created: '2024-11-13T08:21:07.250Z', id: `r${i}` };
  for (const f of FIELDS) record[f] = text;
  return [record];
});

let node: OpenSearchNode | undefined;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

const FORMS = (ir: IntegrationIR) =>
  [
    ['lean (record schema)', ir],
    ['guarded (no schema)', stripSchemas(ir)],
  ] as const;

async function agree(ir: IntegrationIR, records: readonly Json[]): Promise<Record<string, unknown>[]> {
  const interpreted = await expectAgreement(
    engines(() => node),
    ir,
    records,
  );
  return interpreted.map((o) => (o.crash === undefined ? o.doc : {}));
}

describe('kv on every engine', () => {
  it.each(FORMS(compiled()))('%s: curated texts give the interpreter documents', async (_name, ir) => {
    const docs = (await agree(ir, RECORDS)).map((d) => JSON.stringify(d));
    // Parsed objects reached the documents (not only failures), duplicates as lists, and the read.
    expect(docs[0]).toContain('"d0":{"user":"alice","action":"login","ip":"10.0.0.1"}');
    expect(docs[0]).toContain('"action":"login"');
    expect(docs[1]).toContain('"d0":{"a":["1","2","1"]}');
    expect(docs[2]).toContain('"d0":{"a":"b=c","x":"=y"}');
    expect(docs.find((d) => d.includes('"d1":{"a":"1","b":"2"}'))).toBeDefined();
    expect(docs.find((d) => d.includes('"d2":{"a":"1","b":"2"}'))).toBeDefined();
    // A quoted value, whitespace or an empty value fails the rule.
    expect(docs[CURATED.indexOf('a="x y"')]).toContain('mapc: cannot map t0 to acme.audit.d0');
  });
});

/**
 * Pieces of random texts: the separators of the three rules (alone and doubled), quotes, a
 * backslash, brackets, dots, whitespace of several kinds, multi-byte and astral characters.
 */
const ATOMS = [
  'a',
  'b',
  'k',
  '1',
  'x',
  '=',
  ' ',
  ';',
  ':',
  ',',
  ', ',
  '=>',
  '>',
  '"',
  "'",
  '\\',
  '[',
  ']',
  '(',
  ')',
  '<',
  '.',
  '\t',
  '\u00a0',
  'é',
  '日',
  '😀',
];
const word = fc.array(fc.constantFrom(...ATOMS), { maxLength: 3 }).map((p) => p.join(''));
const plain = fc.array(fc.constantFrom('a', 'b', 'k', '1', 'x', 'é', '日', '😀', '[', ')', '-'), {
  minLength: 1,
  maxLength: 3,
});
const key = fc.oneof({ weight: 3, arbitrary: plain.map((p) => p.join('')) }, { weight: 1, arbitrary: word });
/** `k V v (F k V v)*`, keys and values mostly plain, sometimes holding any atom, for the separators (F, V). */
const pairs = (fs: string, vs: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(key, fc.constantFrom(vs, vs, vs, '='), key), { minLength: 1, maxLength: 4 }),
      fc.constantFrom(fs, fs, fs, ' '),
      fc.constantFrom('', '', '', fs, ' '),
    )
    .map(([ps, sep, end]) => ps.map(([k, v, w]) => `${k}${v}${w}`).join(sep) + end);
const text = (fs: string, vs: string) =>
  fc.oneof(
    { weight: 6, arbitrary: pairs(fs, vs) },
    { weight: 1, arbitrary: word },
    { weight: 1, arbitrary: fc.string() },
  );

describe('random kv texts on every engine', () => {
  const SEED = 20_261_207;
  const records: Json[] = fc
    .sample(fc.tuple(text(' ', '='), text(';', ':'), text(', ', '=>')), { seed: SEED, numRuns: 120 })
    .map(([t0, t1, t2], i) => ({ created: '2024-11-13T08:21:07.250Z', id: `r${i}`, t0, t1, t2 }));
  it.each(FORMS(compiled()))(`%s (seed ${SEED}): the interpreter's documents`, async (_name, ir) => {
    const docs = await agree(ir, records);
    // About half the texts parse on each rule: the suite tests both outcomes.
    const parsed = docs.filter((d) => JSON.stringify(d).includes('"d0":{')).length;
    expect(parsed).toBeGreaterThan(10);
    expect(parsed).toBeLessThan(records.length - 10);
  });
});

describe('bracket and caret separators on the other engines', () => {
  it('kv("^", "[") and kv("]", "<>") give the interpreter documents on VRL, OpenSearch and the ingest evaluator', async () => {
    const rules = '    acme.audit.d0 = t0 | kv("^", "[")\n    acme.audit.d1 = t1 | kv("]", "<>")';
    const { ir } = compileSource(baseMap({ rules }), 'test.map');
    const texts = ['a[1^b[x[y^a[2', 'a<>1]b<>2<>3', 'a[1^', '^a[1', 'a[1]b<>2', 'a<>1]]b<>2', 'x', 5];
    const records: Json[] = texts.map((t, i) => ({ created: '2024-11-13T08:21:07.250Z', id: `b${i}`, t0: t, t1: t }));
    const stream = ir!.streams[0] as StreamIR;
    const outputs: Partial<Record<EngineName, EngineOutput[]>> & { interpreter: EngineOutput[] } = { interpreter: [] };
    const messages = records.map((r) => JSON.stringify(r));
    for (const name of COMPARED) outputs[name] = await engines(() => node)(name)(ir!, stream.name, messages, {});
    const found = failures(stream, records, outputs, new Map(), COMPARED);
    expect(found, found.slice(0, 4).join('\n')).toEqual([]);
    const docs = outputs.interpreter.map((o) => JSON.stringify(o.crash === undefined ? o.doc : {}));
    expect(docs[0]).toContain('"d0":{"a":["1","2"],"b":"x[y"}');
    expect(docs[1]).toContain('"d1":{"a":"1","b":"2<>3"}');
  });
});

describe('kv separators Logstash cannot carry (E0600, at the separator)', () => {
  const emit = (args: string) => {
    const source = baseMap({ rules: `    acme.audit.d = t0 | kv(${args})` });
    const { ir, diagnostics } = compileSource(source, 'test.map');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const errors = logstashBackend.emit(ir!, {}).diagnostics.filter((d) => d.severity === 'error');
    return { source, errors };
  };
  it.each([['"[", "="'], ['";", "]"'], ['"^^", ":"']])('kv(%s) is refused on Logstash only', (args) => {
    const { source, errors } = emit(args);
    const line = source.split('\n').findIndex((l) => l.includes('| kv(')) + 1;
    expect(errors.map((d) => `${d.code} ${d.primary.span.line}`)).toEqual([`E0600 ${line}`]);
    expect(errors[0]!.message).toMatch(/kv separator holding \[, \] or \^/);
    const { ir } = compileSource(source, 'test.map');
    expect(vectorBackend.emit(ir!, {}).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(elasticBackend.emit(ir!, {}).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
