/**
 * `npm run fuzz -- [--count N] [--from I] [--seed S] [--vrl-budget N] [--save] [--json file] [--only I]`:
 * the long runs of the map fuzzer (`test/fuzz/`), outside CI. Builds maps number `--from` (default
 * 0) to `--from + --count - 1` (default 100,000 maps) of `--seed` (default 1; map I of a seed is
 * always the same map, so runs can be split and compared), compiles each with every target, checks the
 * outputs in their engines' tools, and prints the figures: maps fuzzed, compiled, crashes,
 * maps over 1 s, malformed diagnostics and invalid outputs (by target and cause, one example
 * each). `--save` keeps every crash, slow map and malformed diagnostic in `test/fuzz/corpus/`
 * (the CI test replays them). `--only I` rebuilds map number I of the seed, prints it and its
 * findings (to reproduce one). `--json` is rewritten every 100 maps. Exit code 1 when anything
 * was found.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { saveFinding } from '../test/fuzz/corpus.ts';
import { mutate, seeds } from '../test/fuzz/mutate.ts';
import { Random } from '../test/fuzz/random.ts';
import { Fuzzer, type Finding } from '../test/fuzz/run.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'vrl-budget': { type: 'string' },
    save: { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
    from: { type: 'string', default: '0' },
  },
});
const count = Number(values.count);
const from = Number(values.from);
const seed = Number(values.seed);
const vrlBudget = values['vrl-budget'] === undefined ? Number.POSITIVE_INFINITY : Number(values['vrl-budget']);
if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(seed) || !Number.isSafeInteger(from)) {
  process.stderr.write(
    'usage: npm run fuzz -- [--count N] [--from I] [--seed S] [--vrl-budget N] [--save] [--json file] [--only I]\n',
  );
  process.exit(2);
}

if (values.only !== undefined) {
  const index = Number(values.only);
  const mutant = mutate(seeds(), new Random(seed, index));
  const one = new Fuzzer();
  one.run(index, mutant.what, mutant.text);
  one.checkBatches();
  process.stdout.write(`# map ${index} of seed ${seed}: ${mutant.what}\n${mutant.text}\n`);
  for (const f of one.findings) process.stdout.write(`# ${f.kind}: ${f.target ?? ''} ${f.file ?? ''} ${f.detail}\n`);
  process.exit(one.findings.length > 0 ? 1 : 0);
}

function mapsWith(findings: readonly Finding[]): number {
  return new Set(findings.map((f) => f.index)).size;
}

function summarise(): Record<string, number> {
  const c = fuzzer.counts;
  const byKind = (kind: Finding['kind']): Finding[] => fuzzer.findings.filter((f) => f.kind === kind);
  return {
    seed,
    maps: c.maps,
    compiled: c.compiled,
    crashes: mapsWith(byKind('crash')),
    slow: mapsWith(byKind('slow')),
    badDiagnostics: mapsWith(byKind('bad-diagnostic')),
    invalidOutputs: mapsWith(byKind('invalid-output')),
    logstashConfigsChecked: c.confsChecked,
    vrlProgramsChecked: c.vrlChecked,
    vrlProgramsNotChecked: c.vrlSkipped,
    vrlProgramsTooLargeToCheck: c.vrlTooLarge,
    slowestMs: Math.round(slowest.ms),
    slowestIndex: slowest.index,
    seconds: Math.round((performance.now() - started) / 1000),
  };
}

function writeJson(): void {
  if (!values.json) return;
  writeFileSync(
    values.json,
    `${JSON.stringify({ summary: summarise(), findings: fuzzer.findings.map(({ text, ...f }) => ({ ...f, length: text.length })) }, null, 2)}\n`,
  );
}

/** Batch checks run (and `--json` is rewritten) every this many maps: bounded memory, usable partial runs. */
const BATCH = 100;
const all = seeds();
const fuzzer = new Fuzzer(vrlBudget);
const started = performance.now();
let slowest = { ms: 0, index: -1 };
for (let i = from; i < from + count; i++) {
  const mutant = mutate(all, new Random(seed, i));
  const result = fuzzer.run(i, mutant.what, mutant.text);
  if (result.ms > slowest.ms) slowest = { ms: result.ms, index: i };
  if (result.ms > 5_000) process.stderr.write(`map ${i} (${mutant.what}): ${Math.round(result.ms)} ms\n`);
  if ((i + 1 - from) % BATCH === 0 || i + 1 === from + count) {
    fuzzer.checkBatches();
    const c = fuzzer.counts;
    process.stderr.write(
      `${i + 1 - from}/${count} maps, ${c.compiled} compiled, ${fuzzer.findings.length} findings, ${Math.round((performance.now() - started) / 1000)} s\n`,
    );
    writeJson();
  }
}

const byKind = (kind: Finding['kind']): Finding[] => fuzzer.findings.filter((f) => f.kind === kind);
/** One line per cause: the detail with numbers, positions and quoted text blanked out. */
function groups(findings: readonly Finding[]): [string, Finding[]][] {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const cause = `${f.target ?? '-'} ${(f.file ?? '').replace(/data_stream\/[^/]+\//, 'data_stream/*/').replace(/^\S+\.conf$/, '*.conf')} ${f.detail
      .replace(/"[^"]*"|'[^']*'/g, '"…"')
      .replace(/[0-9]+/g, 'N')
      .slice(0, 120)}`;
    map.set(cause, [...(map.get(cause) ?? []), f]);
  }
  return [...map].sort((a, b) => b[1].length - a[1].length);
}

const summary = summarise();
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
for (const kind of ['crash', 'slow', 'bad-diagnostic', 'invalid-output'] as const) {
  const found = byKind(kind);
  if (found.length === 0) continue;
  process.stdout.write(`\n${kind}: ${mapsWith(found)} maps\n`);
  for (const [cause, list] of groups(found).slice(0, 40)) {
    const example = list[0]!;
    process.stdout.write(
      `  ${String(mapsWith(list)).padStart(6)}  ${cause}\n          e.g. map ${example.index} (${example.what}): ${example.detail.slice(0, 200)}\n`,
    );
  }
}
if (values.save) {
  const saved = new Set<string>();
  for (const f of fuzzer.findings) if (f.kind !== 'invalid-output') saved.add(saveFinding(f));
  process.stdout.write(`\nsaved ${saved.size} regression inputs to test/fuzz/corpus/\n`);
}
process.exitCode = fuzzer.findings.length > 0 ? 1 : 0;
