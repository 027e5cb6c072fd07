/**
 * `mapc test [paths...] [--fixtures dir] [--engine names] [--update [--yes]]`: every stream's
 * fixtures (`<fixtures>/<integration>/<stream>/records.json` and `expected.json`) through the
 * reference interpreter and every engine that can run here (`cli/test/engines.ts`), naming each
 * engine skipped and why; a per-field diff for every document that differs; exit 1 on any
 * difference, any record an engine cannot process, or any failed check.
 *
 * `--update` rewrites, after showing the diff, the entries of `expected.json` the interpreter
 * disagrees with from what it makes (asking first on a terminal, unless `--yes`; refusing
 * without `--yes` when standard input is not a terminal). Only those entries change; the others
 * keep their text. The engines are then compared with the new expectations on the next run.
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldPath, IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { getPath } from '../../compiler/interpret/paths.ts';
import { collectionTimeDestinations } from '../../compiler/rule-paths.ts';
import { loadAndReport } from '../load.ts';
import type { FixtureCase } from '../../targets/contract.ts';
import { paint } from '../colour.ts';
import { FixtureError, loadFixtures } from '../fixtures.ts';
import { cliError, inCwd, type Io } from '../io.ts';
import { resolveMapPaths } from '../paths.ts';
import { Sources } from '../report.ts';
import { diffValues, renderDifferences, type FieldDifference } from '../test/diff.ts';
import { ENGINES, type EngineOutput, type EngineSpec, type PreparedEngine } from '../test/engines.ts';

export interface TestOptions {
  /** Fixture root: `<fixtures>/<integration>/<stream>/`. */
  readonly fixtures: string;
  /** `--engine a,b`: only these engines (the interpreter always runs: it is the reference). */
  readonly engines?: string;
  readonly update: boolean;
  readonly yes: boolean;
  /** Asks a yes/no question (default: on the terminal). */
  readonly ask?: (question: string) => Promise<boolean>;
}

/** One stream with fixtures. */
interface StreamUnderTest {
  readonly ir: IntegrationIR;
  readonly stream: StreamIR;
  readonly dir: string;
  readonly cases: readonly FixtureCase[];
}

/** A record an engine made differently, or could not process. */
interface RecordFailure {
  readonly index: number;
  readonly differences?: readonly FieldDifference[];
  readonly crash?: string;
}

function selectEngines(io: Io, value: string | undefined): EngineSpec[] | undefined {
  if (value === undefined) return [...ENGINES];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !ENGINES.some((e) => e.name === n));
  if (unknown.length > 0 || names.length === 0) {
    cliError(
      io,
      `unknown --engine ${unknown.join(', ') || '(none given)'}: expected ${ENGINES.map((e) => e.name).join(', ')}`,
    );
    return undefined;
  }
  return ENGINES.filter((e) => e.name === 'interpreter' || names.includes(e.name));
}

/** `yyyy-MM-ddTHH:mm:ss.SSSZ`: the form of every date mapc writes, a collection time included. */
const DATE_FORM = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

/**
 * `doc` without the `collected_at` fields (`collected`) the expected document does not hold and
 * the engine filled with a date in mapc's form: its own collection time, which no fixture can
 * hold (`mapc test`'s interpreter has none). Any other value there stays, so the diff shows it.
 */
export function withoutCollectionTimes(
  doc: Record<string, unknown>,
  expected: Record<string, unknown>,
  collected: readonly FieldPath[],
): Record<string, unknown> {
  if (collected.length === 0) return doc;
  const out = structuredClone(doc);
  for (const path of collected) {
    if (getPath(expected, path) !== undefined) continue;
    const parent = getPath(out, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) continue;
    const value = (parent as Record<string, unknown>)[key];
    if (typeof value === 'string' && DATE_FORM.test(value)) delete (parent as Record<string, unknown>)[key];
  }
  return out;
}

/** Compares one engine's outputs with the expected documents (`collected`: {@link withoutCollectionTimes}). */
function compare(
  cases: readonly FixtureCase[],
  outputs: readonly EngineOutput[],
  collected: readonly FieldPath[] = [],
): RecordFailure[] {
  const failures: RecordFailure[] = [];
  cases.forEach((c, index) => {
    const out = outputs[index];
    if (out === undefined) {
      failures.push({ index, crash: 'no output' });
      return;
    }
    if (out.crash !== undefined) {
      failures.push({ index, crash: out.crash });
      return;
    }
    const differences = [
      ...diffValues({ _id: c.expected._id }, { _id: out._id }),
      ...diffValues(c.expected.doc, withoutCollectionTimes(out.doc, c.expected.doc, collected)),
    ];
    if (differences.length > 0) failures.push({ index, differences });
  });
  return failures;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

async function askOnTerminal(io: Io, question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** Rewrites the differing entries of `expected.json` with the interpreter's documents. */
function rewriteExpected(file: string, replacements: ReadonlyMap<number, EngineOutput>): void {
  const entries = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  for (const [index, out] of replacements) {
    if (out.crash !== undefined) continue;
    entries[index] = out._id === undefined ? { doc: out.doc } : { _id: out._id, doc: out.doc };
  }
  writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`);
}

/** Runs the command (see the module doc). */
export async function runTest(io: Io, paths: readonly string[], options: TestOptions): Promise<void> {
  const engines = selectEngines(io, options.engines);
  if (!engines) return;
  let files: string[];
  try {
    files = resolveMapPaths(paths, io.cwd);
  } catch (error) {
    cliError(io, (error as Error).message);
    return;
  }
  const colour = io.colour === true;
  const ok = (text: string): string => (colour ? paint(text, 'green') : text);
  const bad = (text: string): string => (colour ? paint(text, 'bold', 'red') : text);

  // Compile every map and gather the streams that have fixtures.
  const sources = new Sources();
  const streams: StreamUnderTest[] = [];
  for (const file of files) {
    const ir = loadAndReport(io, file, sources, 'tested');
    if (!ir) continue;
    let fixtures;
    try {
      fixtures = loadFixtures(options.fixtures, ir, io.cwd);
    } catch (error) {
      if (!(error instanceof FixtureError)) throw error;
      cliError(io, `${file}: ${error.message}`);
      continue;
    }
    for (const stream of ir.streams) {
      const cases = fixtures.get(stream.name);
      const dir = join(options.fixtures, ir.name, stream.name);
      if (cases) streams.push({ ir, stream, dir, cases });
      else io.err(`${ir.name}.${stream.name}: no fixtures (${join(dir, 'records.json')} and expected.json)`);
    }
  }
  if (streams.length === 0) {
    cliError(io, `no stream to test: no fixtures under ${options.fixtures}/<integration>/<stream>/`);
    return;
  }

  // Prepare the engines: each is started once for every stream, or skipped with its reason.
  const prepared: { readonly spec: EngineSpec; readonly engine: PreparedEngine }[] = [];
  const skipped: { readonly name: string; readonly reason: string }[] = [];
  for (const spec of engines) {
    let result: PreparedEngine | { readonly skipped: string };
    try {
      result = await spec.prepare(io);
    } catch (error) {
      result = { skipped: `failed to load: ${(error as Error).message.split('\n')[0]}` };
    }
    if ('skipped' in result) skipped.push({ name: spec.name, reason: result.skipped });
    else prepared.push({ spec, engine: result });
  }
  const width = Math.max(...engines.map((e) => e.name.length)) + 2;
  io.err(['engines:', ...prepared.map((p) => `  ${p.spec.name.padEnd(width)}${p.spec.title}`)].join('\n'));
  if (skipped.length > 0)
    io.err(['skipped:', ...skipped.map((s) => `  ${s.name.padEnd(width)}${s.reason}`)].join('\n'));

  let differing = 0;
  let failedChecks = 0;
  let records = 0;
  const updates: { readonly file: string; readonly replacements: Map<number, EngineOutput> }[] = [];
  try {
    for (const s of streams) {
      const name = `${s.ir.name}.${s.stream.name}`;
      records += s.cases.length;
      io.err(`\n${name}: ${plural(s.cases.length, 'record')} (${s.dir})`);
      const messages = s.cases.map((c) => c.message);
      const recordsJson = JSON.parse(readFileSync(inCwd(io, join(s.dir, 'records.json')), 'utf8')) as unknown[];
      for (const { spec, engine } of prepared) {
        const label = spec.name.padEnd(11);
        if (engine.documents) {
          let outputs: EngineOutput[];
          try {
            outputs = await engine.documents(s.ir, s.stream, messages);
          } catch (error) {
            outputs = s.cases.map(() => ({ crash: (error as Error).message.split('\n')[0] ?? 'error' }));
          }
          const failures = compare(s.cases, outputs, collectionTimeDestinations(s.stream.mapping));
          if (failures.length === 0) {
            io.err(`  ${ok('ok')}    ${label} ${plural(s.cases.length, 'document')} as expected`);
            continue;
          }
          differing += failures.length;
          io.err(`  ${bad('FAIL')}  ${label} ${failures.length} of ${plural(s.cases.length, 'document')} differ`);
          for (const f of failures) {
            io.err(`      record ${f.index + 1} (${join(s.dir, 'records.json')} entry ${f.index + 1}):`);
            if (f.crash !== undefined) io.err(`        ${bad('cannot be processed')}: ${f.crash}`);
            else io.err(renderDifferences(f.differences ?? [], '        ').join('\n'));
          }
          if (spec.name === 'interpreter' && options.update) {
            updates.push({
              file: join(s.dir, 'expected.json'),
              replacements: new Map(failures.map((f) => [f.index, outputs[f.index]!])),
            });
          }
        } else if (engine.check) {
          let result: string[] | { skipped: string };
          try {
            result = await engine.check(s.ir, s.stream, { dir: inCwd(io, s.dir), records: recordsJson });
          } catch (error) {
            result = [(error as Error).message.split('\n')[0] ?? 'error'];
          }
          if (!Array.isArray(result)) io.err(`  skip  ${label} ${result.skipped}`);
          else if (result.length === 0) io.err(`  ${ok('ok')}    ${label} ${spec.title.split(': ')[1] ?? 'passed'}`);
          else {
            failedChecks++;
            io.err(`  ${bad('FAIL')}  ${label} ${result.join('; ')}`);
          }
        }
      }
    }
  } finally {
    for (const { engine } of prepared) await engine.close?.();
  }

  const problems = differing + failedChecks;
  io.err(
    `\ntested ${plural(streams.length, 'stream')} (${plural(records, 'record')}) on ${plural(prepared.length, 'engine')}` +
      `: ${problems === 0 ? 'no difference' : `${plural(differing, 'differing document')}, ${plural(failedChecks, 'failed check')}`}`,
  );
  if (problems > 0) io.fail();

  for (const u of updates) {
    if (!existsSync(inCwd(io, u.file))) continue;
    const what = `rewrite ${plural(u.replacements.size, 'entry', 'entries')} of ${u.file} from the interpreter`;
    let yes = options.yes;
    if (!yes) {
      if (options.ask) yes = await options.ask(`${what}?`);
      else if (io.stdin.isTTY) yes = await askOnTerminal(io, `${what}?`);
      else {
        cliError(io, `not rewriting ${u.file}: standard input is not a terminal; pass --yes to rewrite without asking`);
        continue;
      }
    }
    if (!yes) {
      io.err(`${u.file}: left as it was`);
      continue;
    }
    rewriteExpected(inCwd(io, u.file), u.replacements);
    io.err(
      `${u.file}: rewrote ${plural(u.replacements.size, 'entry', 'entries')}; run mapc test again to compare the engines with it`,
    );
  }
}
