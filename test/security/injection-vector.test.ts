/**
 * The Vector injection suite (issue 7; QUOTING.md rule 5): every string position of
 * `positions.ts` × `CORE_HOSTILE`, compiled with `compileSource` and the Vector backend. Each case
 * ends in one of two ways:
 *
 * - refused: an error diagnostic on the literal's line;
 * - compiled: vector.yaml holds no `$` and no `SECRET[` but mapc's own references; Vector (the
 *   model of `test/emulated/vector/interpolate.ts`) loads the same document with interpolation off,
 *   on over parsed values and on over the raw text, with secret values only where mapc put its
 *   references; the document has exactly the components and options of the benign map's
 *   document; each remap keeps the benign program's line and block structure; the operator files
 *   add no variable, key or value.
 *
 * Where map text lands in VRL (constants, lookup tables, condition literals, field-name segments,
 * the document id), verel (VRL 0.25) reads the value back byte-exact for a fixed set of probe
 * strings, among them the issue's reproductions (a title line break adding an `api:` block, `$`
 * in a title, `${VAR}` and `SECRET[x.y]` in constants, lookup values and path segments).
 *
 * `MAPC_FUZZ_FULL=1` runs `HOSTILE_STRINGS` instead of `CORE_HOSTILE` (about 20 CPU minutes for
 * every position); `MAPC_FUZZ_POSITIONS=a,b` runs those positions only.
 */
import { split as interpretSplit } from '../../compiler/interpret/split.ts';
import { kv as interpretKv } from '../../compiler/interpret/kv.ts';
import { extract as interpretExtract } from '../../compiler/interpret/extract.ts';
import { parseRegex } from '../../dsl/regex.ts';
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { vectorBackend } from '../../targets/vector/index.ts';
import { checkVrl, deploymentEnv, loadVectorConfig, runRemapBatch } from '../engines/vrl/harness.ts';
import { CORE_HOSTILE, HOSTILE_STRINGS } from './corpus.ts';
import { POSITIONS, placeAt, streamOf } from './positions.ts';

const FULL = process.env.MAPC_FUZZ_FULL === '1';
const STRINGS = FULL ? HOSTILE_STRINGS : CORE_HOSTILE;
/** `MAPC_FUZZ_POSITIONS=a,b` limits the suite to those positions (long runs in slices). */
const ONLY = process.env.MAPC_FUZZ_POSITIONS?.split(',').filter((p) => p !== '');
const SUITE_POSITIONS = ONLY ? POSITIONS.filter((p) => ONLY.includes(p.name)) : POSITIONS;
const HOSTILE_ENV = { HOME: '/root', INJ_API_KEY: 'LEAKED-ENV-VALUE', USER: 'u', A: 'a' };
const MODES = ['off', 'values', 'text'] as const;

interface Output {
  readonly ir: IntegrationIR;
  readonly files: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

type Outcome = { readonly refused: readonly Diagnostic[] } | { readonly output: Output };

function build(map: string): Outcome {
  const compiled = compileSource(map, 'hostile.map');
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !compiled.ir) return { refused: errors };
  const { files, diagnostics } = vectorBackend.emit(compiled.ir, {});
  const emitErrors = diagnostics.filter((d) => d.severity === 'error');
  if (emitErrors.length > 0) return { refused: emitErrors };
  return { output: { ir: compiled.ir, files: new Map(files.map((f) => [f.path, f.content])), diagnostics } };
}

/** The document with every leaf replaced by its type: what components and options there are. */
function shape(value: unknown, path = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => shape(v, path));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, k === 'source' && typeof v === 'string' ? 'vrl' : shape(v, `${path}.${k}`)]),
    );
  }
  return typeof value;
}

/** Line count and indentation of a VRL program: its statement and block structure. */
function structure(program: string): string[] {
  return program.split('\n').map((line) => `${/^ */.exec(line)?.[0].length ?? 0}:${line.trimStart().startsWith('#')}`);
}

function remaps(config: unknown): Map<string, string> {
  const transforms = (config as { transforms: Record<string, { type: string; source?: string }> }).transforms;
  return new Map(
    Object.entries(transforms)
      .filter(([, t]) => t.type === 'remap')
      .map(([id, t]) => [id, t.source ?? '']),
  );
}

/** The benign map's output for a position, and its vector.yaml as js-yaml reads it (read once: callers only read it). */
const benign = new Map<string, Output & { readonly doc: unknown }>();
function benignOutput(position: string): Output & { readonly doc: unknown } {
  const cached = benign.get(position);
  if (cached) return cached;
  const p = POSITIONS.find((x) => x.name === position);
  const outcome = build(placeAt(position, p?.benign ?? '').map);
  if (!('output' in outcome)) throw new Error(`the benign map of ${position} does not compile`);
  const output = { ...outcome.output, doc: yaml.load(outcome.output.files.get('vector.yaml') ?? '') };
  benign.set(position, output);
  return output;
}

/** Problems of a compiled hostile case (empty: no injection). */
function problems(position: string, output: Output, sampled: boolean): string[] {
  const found: string[] = [];
  const text = output.files.get('vector.yaml') ?? '';
  if (text.includes('$')) found.push('a $ in vector.yaml');
  const refs = [...text.matchAll(/SECRET\[[^\]\n]*\]?/g)].map((m) => m[0]);
  const own = new RegExp(`^SECRET\\[mapc_${output.ir.name}\\.[A-Z0-9_]+\\]$`);
  for (const ref of refs) if (!own.test(ref)) found.push(`a foreign ${ref}`);
  if (found.length > 0) return found;
  // Without a `$` anywhere, interpolation is the identity in every mode (see the model's tests):
  // the three modes are loaded on a fixed share of the cases, the off mode on all.
  const env = deploymentEnv(output.ir, HOSTILE_ENV);
  const modes = sampled ? MODES : (['off'] as const);
  const loaded = modes.map((mode) => {
    try {
      return loadVectorConfig(text, env, mode) as unknown;
    } catch (error) {
      found.push(`Vector would not load it (${mode}): ${String(error)}`);
      return undefined;
    }
  });
  if (found.length > 0) return found;
  for (const doc of loaded.slice(1)) if (JSON.stringify(doc) !== JSON.stringify(loaded[0])) found.push('modes differ');
  const serialised = JSON.stringify(loaded[0]);
  if (serialised.includes(HOSTILE_ENV.INJ_API_KEY)) found.push('an environment value reached the config');
  const secretValues = [...output.ir.secrets.map((s) => env[s.envVar] ?? ''), env.ELASTICSEARCH_PASSWORD ?? ''];
  const placed = secretValues.reduce((n, v) => n + serialised.split(v).length - 1, 0);
  const expected = refs.filter((r) => /(API_KEY|CLIENT_SECRET|ELASTICSEARCH_PASSWORD)\]$/.test(r)).length;
  if (placed !== expected) found.push(`secret values placed ${placed} times, ${expected} references`);
  const base = benignOutput(position);
  const baseDoc = base.doc;
  // js-yaml is a pure function of the text: one reading serves both comparisons.
  const doc = yaml.load(text);
  if (JSON.stringify(shape(doc)) !== JSON.stringify(shape(baseDoc))) found.push('the document shape changed');
  const baseRemaps = remaps(baseDoc);
  for (const [id, program] of remaps(doc)) {
    if (JSON.stringify(structure(program)) !== JSON.stringify(structure(baseRemaps.get(id) ?? '')))
      found.push(`the structure of ${id} changed`);
  }
  const secrets = JSON.parse(output.files.get('secrets.example.json') ?? '{}') as Record<string, unknown>;
  if (Object.entries(secrets).some(([k, v]) => v !== '' && k !== 'ELASTICSEARCH_DATA_STREAM_NAMESPACE'))
    found.push('a value in secrets.example.json');
  const baseSecrets = Object.keys(JSON.parse(base.files.get('secrets.example.json') ?? '{}') as object);
  if (JSON.stringify(Object.keys(secrets)) !== JSON.stringify(baseSecrets))
    found.push('secrets.example.json keys changed');
  const envLines = (output.files.get('.env.example') ?? '').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const baseEnvLines = (base.files.get('.env.example') ?? '').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  if (JSON.stringify(envLines) !== JSON.stringify(baseEnvLines)) found.push('.env.example variables changed');
  return found;
}

describe(`Vector injection suite: ${SUITE_POSITIONS.length} positions × ${STRINGS.length} hostile strings`, () => {
  it('every case is refused on the literal’s line or compiles to a config that carries the text and nothing else', () => {
    const failures: string[] = [];
    let refused = 0;
    let compiled = 0;
    for (const position of SUITE_POSITIONS) {
      for (const text of STRINGS) {
        const placed = placeAt(position.name, text);
        const outcome = build(placed.map);
        if ('refused' in outcome) {
          refused++;
          if (!outcome.refused.some((d) => d.primary.span.line === placed.line))
            failures.push(
              `${position.name} ${JSON.stringify(text).slice(0, 60)}: refused elsewhere (${outcome.refused
                .map((d) => `${d.code}@${d.primary.span.line}`)
                .join(', ')}, literal on ${placed.line})`,
            );
          continue;
        }
        compiled++;
        for (const p of problems(position.name, outcome.output, FULL || compiled % 10 === 0))
          failures.push(`${position.name} ${JSON.stringify(text).slice(0, 60)}: ${p}`);
      }
    }
    console.log(`vector injection: ${refused} refused, ${compiled} compiled, ${failures.length} failures`);
    expect(failures.slice(0, 30)).toEqual([]);
    expect(refused + compiled).toBe(SUITE_POSITIONS.length * STRINGS.length);
  }, 36_000_000);
});

// ---------------------------------------------------------------------------------------------
// Where the text lands in VRL: read back byte-exact by verel
// ---------------------------------------------------------------------------------------------

/** Probe strings: the issue's reproductions and each syntax a VRL or YAML string could break on. */
const PROBES: readonly string[] = [
  'Price in $USD',
  '$',
  '$$',
  '${INJ_API_KEY}',
  '$INJ_API_KEY',
  'SECRET[mapc_hostile.HOSTILE_API_KEY]',
  'SECRET[backend.key]',
  '"; .leak = get_env_var!("HOME"); "',
  '{{ .x }}',
  'a\\b"c',
  '\napi:\n  enabled: true\n  address: 0.0.0.0:8686\n#',
  '\u0000',
  '\u2028\u0085',
  '😀 ß İ',
];

interface Probe {
  /** The rules of the position's stream (`streamOf`) the probe reads (the others are left out: smaller programs). */
  readonly rules: (target: string) => boolean;
  /** Records fed to the remap of the position's stream. */
  readonly records: (text: string) => Record<string, unknown>[];
  /** The check on the documents of those records. */
  readonly check: (docs: Record<string, unknown>[], text: string) => void;
}

const get = (doc: Record<string, unknown>, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);

/** `kv` with the placed separators (`[field, value]`): the interpreter's object on pairs built from them, and a failing text. */
function kvProbe(separators: (t: string) => readonly [string, string]): Probe {
  const texts = (t: string): string[] => {
    const [fs, vs] = separators(t);
    return [[`a${vs}1`, `b${vs}x${vs}y`, `a${vs}2`].join(fs), `a${vs}`];
  };
  return {
    rules: (t) => t === 'hostile.audit.pairs',
    records: (t) => texts(t).map((pairs) => ({ pairs })),
    check: (docs, t) => {
      const [fs, vs] = separators(t);
      const want = texts(t).map((text) => {
        // A failed rule leaves the text in the namespace (the record's own `pairs`).
        const o = interpretKv(text, fs, vs);
        return o.kind === 'value' ? o.value : text;
      });
      expect(docs.map((d) => get(d, 'hostile', 'audit', 'pairs'))).toEqual(want);
      expect(want[0]).toEqual({ a: ['1', '2'], b: `x${vs}y` });
    },
  };
}

const PROBED: Readonly<Record<string, Probe>> = {
  'rule.constant': {
    rules: (t) => t === 'labels.origin',
    records: () => [{}],
    check: ([doc = {}], t) => expect(get(doc, 'labels', 'origin')).toBe(t),
  },
  'rule.split.separator': {
    rules: (t) => t === 'hostile.audit.parts',
    records: (t) => [{ tags: ['', 'a', 'b', '', 'c', ''].join(t) }, { tags: 'abc' }],
    // The interpreter's pieces (compiler/interpret/split.ts), whatever the separator holds.
    check: (docs, t) => {
      const pieces = (text: string): unknown => (interpretSplit(text, t) as { value: unknown }).value;
      expect(docs.map((d) => get(d, 'hostile', 'audit', 'parts'))).toEqual([
        pieces(['', 'a', 'b', '', 'c', ''].join(t)),
        pieces('abc'),
      ]);
    },
  },
  'rule.kv.field_separator': kvProbe((t) => [t, ':']),
  'rule.kv.value_separator': kvProbe((t) => [';', t]),
  'rule.extract.pattern': {
    rules: (t) => t === 'hostile.audit.code',
    records: (t) => [{ note: `code=${t}` }, { note: `x code=${t}\ny` }, { note: 'x' }],
    // The interpreter's capture (compiler/interpret/extract.ts) of the pattern as placed.
    check: (docs, t) => {
      const regex = parseRegex(`code=(${t})`);
      if (regex.kind !== 'regex') throw new Error('a pattern the checks refuse compiled');
      const capture = (text: string): unknown => {
        const o = interpretExtract(text, regex);
        return o.kind === 'value' ? o.value : undefined;
      };
      expect(docs.map((d) => get(d, 'hostile', 'audit', 'code'))).toEqual(
        [`code=${t}`, `x code=${t}\ny`, 'x'].map(capture),
      );
    },
  },
  'table.value': {
    rules: (t) => t === 'labels.kind',
    records: () => [{ kind: 'LOGIN' }],
    check: ([doc = {}], t) => expect(get(doc, 'labels', 'kind')).toBe(t),
  },
  'table.key': {
    rules: (t) => t === 'labels.kind',
    records: (t) => [{ kind: t }, { kind: `${t}x` }],
    check: ([hit = {}, miss = {}]) => {
      expect(get(hit, 'labels', 'kind')).toBe('start');
      expect(get(miss, 'labels', 'kind')).toBe('info');
    },
  },
  'table.default': {
    rules: (t) => t === 'labels.kind',
    records: () => [{ kind: 'OTHER' }],
    check: ([doc = {}], t) => expect(get(doc, 'labels', 'kind')).toBe(t),
  },
  'rule.condition.literal': {
    rules: (t) => t === 'event.outcome',
    records: (t) => [{ status: t }, { status: `${t}x` }],
    check: ([hit = {}, miss = {}]) => {
      expect(get(hit, 'event', 'outcome')).toBe('success');
      expect(get(miss, 'event', 'outcome')).toBeUndefined();
    },
  },
  'rule.condition.in': {
    rules: (t) => t === 'labels.listed',
    records: (t) => [{ status: t }, { status: `${t}x` }],
    check: ([hit = {}, miss = {}]) => {
      expect(get(hit, 'labels', 'listed')).toBe('yes');
      expect(get(miss, 'labels', 'listed')).toBeUndefined();
    },
  },
  'rule.condition.prefix': {
    rules: (t) => t === 'labels.prefix',
    records: (t) => [{ status: `${t}x` }, { status: `x${t}` }],
    check: ([hit = {}, miss = {}], t) => {
      expect(get(hit, 'labels', 'prefix')).toBe('yes');
      expect(get(miss, 'labels', 'prefix')).toBe(`x${t}`.startsWith(t) ? 'yes' : undefined);
    },
  },
  'rule.condition.suffix': {
    rules: (t) => t === 'labels.suffix',
    records: (t) => [{ status: `x${t}` }, { status: `${t}x` }],
    check: ([hit = {}, miss = {}], t) => {
      expect(get(hit, 'labels', 'suffix')).toBe('yes');
      expect(get(miss, 'labels', 'suffix')).toBe(`${t}x`.endsWith(t) ? 'yes' : undefined);
    },
  },
  'rule.condition.contains': {
    rules: (t) => t === 'labels.inside',
    records: (t) => [{ status: `x${t}x` }, { status: 'x' }],
    check: ([hit = {}, miss = {}], t) => {
      expect(get(hit, 'labels', 'inside')).toBe('yes');
      expect(get(miss, 'labels', 'inside')).toBe('x'.includes(t) ? 'yes' : undefined);
    },
  },
  // `user.name = "«rule.source.segment»"` is a constant by the grammar (a lone quoted string,
  // docs/language.md); `cursor.segment` below is the source segment read through `| date(...)`.
  'rule.source.segment': {
    rules: (t) => t === 'user.name',
    records: (t) => [{ [t]: 'v' }],
    check: ([doc = {}], t) => expect(get(doc, 'user', 'name')).toBe(t),
  },
  // `hostile.audit.picked = targets["«rule.select.key»" == "«rule.select.literal»"]."«rule.select.rest»"`.
  'rule.select.key': {
    rules: (t) => t === 'hostile.audit.picked',
    records: (t) => [{ targets: ['x', { [t]: 'Other', 'target-id': 'no' }, { [t]: 'User', 'target-id': 'picked' }] }],
    check: ([doc = {}]) => expect(get(doc, 'hostile', 'audit', 'picked')).toBe('picked'),
  },
  'rule.select.literal': {
    rules: (t) => t === 'hostile.audit.picked',
    records: (t) => [
      {
        targets: [
          { 'target-type': `${t}x`, 'target-id': 'no' },
          { 'target-type': t, 'target-id': 'picked' },
        ],
      },
    ],
    check: ([doc = {}]) => expect(get(doc, 'hostile', 'audit', 'picked')).toBe('picked'),
  },
  'rule.select.rest': {
    rules: (t) => t === 'hostile.audit.picked',
    records: (t) => [{ targets: [{ 'target-type': 'User', [t]: 'picked' }] }],
    check: ([doc = {}]) => expect(get(doc, 'hostile', 'audit', 'picked')).toBe('picked'),
  },
  // `hostile.audit.kept = targets[] { "«rule.elements.name»" = "target-id" }`.
  'rule.elements.name': {
    rules: (t) => t === 'hostile.audit.kept',
    records: () => [{ targets: ['x', { 'target-id': 'k1' }, { other: 1 }] }],
    check: ([doc = {}], t) => expect(get(doc, 'hostile', 'audit', 'kept')).toEqual([{ [t]: 'k1' }, {}]),
  },
  'rule.destination.segment': {
    rules: (t) => t.startsWith('hostile.audit.'),
    records: () => [{ note: 'n' }],
    check: ([doc = {}], t) => expect(get(doc, 'hostile', 'audit', t)).toBe('n'),
  },
  'map.remove.segment': {
    rules: () => false,
    records: (t) => [{ [t]: 'gone', kept: 1 }],
    check: ([doc = {}], t) => {
      expect(Object.keys((get(doc, 'hostile', 'audit') as object) ?? {})).not.toContain(t);
      expect(get(doc, 'hostile', 'audit', 'kept')).toBe(1);
    },
  },
  'map.remove_when.segment': {
    rules: () => false,
    records: (t) => [
      { [t]: 'gone', status: 'ok' },
      { [t]: 'kept', status: 'not-ok' },
    ],
    check: ([hit = {}, miss = {}], t) => {
      expect(Object.keys((get(hit, 'hostile', 'audit') as object) ?? {})).not.toContain(t);
      expect(get(miss, 'hostile', 'audit', t)).toBe('kept');
    },
  },
  'map.remove_when.literal': {
    rules: () => false,
    records: (t) => [
      { 'draft-note': 'gone', status: t },
      { 'draft-note': 'kept', status: `${t}x` },
    ],
    check: ([hit = {}, miss = {}]) => {
      expect(get(hit, 'hostile', 'audit', 'draft-note')).toBeUndefined();
      expect(get(miss, 'hostile', 'audit', 'draft-note')).toBe('kept');
    },
  },
  'map.id_raw.segment': {
    rules: () => false,
    records: (t) => [{ meta: { [t]: 'vendor-id' } }, { meta: { [t]: 42 } }, { meta: { [t]: '' } }],
    check: ([text = {}, integer = {}, none = {}]) => {
      expect(text._id).toBe('vendor-id');
      expect(integer._id).toBe('42');
      expect(none._id).toBeUndefined();
    },
  },
  'map.id.segment': {
    rules: () => false,
    records: (t) => [{ [t]: 'idv' }],
    check: ([doc = {}], t) => expect(doc._id).toBe(createHash('sha256').update(`|${t}|idv|`, 'utf8').digest('hex')),
  },
  'cursor.segment': {
    rules: (t) => t === '@timestamp',
    records: (t) => [{ [t]: '2024-01-02T03:04:05Z' }],
    check: ([doc = {}]) => expect(doc['@timestamp']).toBe('2024-01-02T03:04:05.000Z'),
  },
};

describe.each(Object.keys(PROBED))('verel reads %s back byte-exact', (position) => {
  it.each(PROBES.map((p) => [JSON.stringify(p), p] as const))('%s', (_label, text) => {
    const placed = placeAt(position, text);
    const outcome = build(placed.map);
    if ('refused' in outcome) {
      // Refused texts are the checks' (control characters): on the literal's line.
      expect(outcome.refused.some((d) => d.primary.span.line === placed.line)).toBe(true);
      return;
    }
    const probe = PROBED[position]!;
    const full = outcome.output.ir;
    const ir: IntegrationIR = {
      ...full,
      streams: full.streams.map((st) => ({
        ...st,
        mapping: { ...st.mapping, rules: st.mapping.rules.filter((r) => probe.rules(r.destination.join('.'))) },
      })),
    };
    const yamlText = vectorBackend.emit(ir, {}).files.find((f) => f.path === 'vector.yaml')?.content ?? '';
    const config = loadVectorConfig(yamlText, deploymentEnv(ir, HOSTILE_ENV), 'values');
    const program = config.transforms[`hostile_${streamOf(position)}_remap`]?.source ?? '';
    expect(checkVrl(program)).toEqual({ errors: [], warnings: [] });
    const records = probe.records(text);
    const docs = runRemapBatch(
      program,
      records.map((r) => ({ message: JSON.stringify(r) })),
    ).map((out) => out[0] ?? {});
    probe.check(docs, text);
    expect(JSON.stringify(docs)).not.toContain(HOSTILE_ENV.INJ_API_KEY);
  });
});

describe('the issue’s reproductions', () => {
  it('a line break in the integration title adds no api block; a $ in a title loads in every mode', () => {
    for (const title of ['X\napi:\n  enabled: true\n  address: 0.0.0.0:8686\n#', 'Price in $USD']) {
      const outcome = build(placeAt('integration.title', title).map);
      if ('refused' in outcome) continue; // the checks' choice (a line break): refused on its line above
      const text = outcome.output.files.get('vector.yaml') ?? '';
      for (const mode of MODES) {
        const doc = loadVectorConfig(text, deploymentEnv(outcome.output.ir), mode) as unknown as Record<
          string,
          unknown
        >;
        expect(Object.keys(doc).sort()).toEqual(['secret', 'sinks', 'sources', 'transforms']);
      }
      expect(text).not.toContain('$');
    }
  });
});
