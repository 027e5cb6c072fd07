/**
 * The map fuzzer in CI (`test/fuzz/`): a fixed seed, a few thousand mutated maps, and every
 * regression input of `test/fuzz/corpus/`. No map may crash the compiler, take over 1 s of CPU,
 * produce a malformed diagnostic, or compile into output its engine's tool rejects. Long runs:
 * `npm run fuzz -- --count 100000 --seed S`; one map: `npm run fuzz -- --seed S --only I`.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus.ts';
import { mutate, seeds } from './mutate.ts';
import { Random } from './random.ts';
import { Fuzzer, type Finding } from './run.ts';

/** Fixed for CI; `MAPC_FUZZ_SEED` / `MAPC_FUZZ_COUNT` explore further. */
const SEED = Number(process.env['MAPC_FUZZ_SEED'] ?? 20_240_611);
const COUNT = Number(process.env['MAPC_FUZZ_COUNT'] ?? 1_500);
/** verel compiles a remap program in 0.25-1 s: CI checks an even sample of the distinct programs. */
const VRL_BUDGET = 16;

function report(findings: readonly Finding[]): string {
  return findings
    .slice(0, 20)
    .map((f) => `${f.kind} map ${f.index} (${f.what})${f.target ? ` ${f.target} ${f.file}` : ''}: ${f.detail}`)
    .join('\n');
}

describe('map fuzzer', () => {
  it('replays every regression input without a finding', () => {
    const corpus = loadCorpus();
    expect(corpus.length).toBeGreaterThan(0);
    const fuzzer = new Fuzzer();
    corpus.forEach((entry, i) => fuzzer.run(i, `${entry.file} (was ${entry.kind}: ${entry.detail})`, entry.text));
    fuzzer.checkBatches();
    expect(fuzzer.findings, report(fuzzer.findings)).toEqual([]);
  });

  it(`compiles ${COUNT} mutated maps of seed ${SEED}: no crash, none over 1 s, well-formed diagnostics, loadable outputs`, () => {
    const all = seeds();
    const fuzzer = new Fuzzer(VRL_BUDGET);
    for (let i = 0; i < COUNT; i++) {
      const mutant = mutate(all, new Random(SEED, i));
      fuzzer.run(i, mutant.what, mutant.text);
    }
    fuzzer.checkBatches();
    const c = fuzzer.counts;
    // The fuzzer must reach the backends and the engine checks, not only the parser.
    expect(c.compiled, `seed ${SEED}`).toBeGreaterThan(COUNT / 10);
    expect(c.confsChecked).toBeGreaterThan(0);
    expect(c.vrlChecked).toBeGreaterThan(0);
    expect(
      fuzzer.findings,
      `seed ${SEED}: reproduce with npm run fuzz -- --seed ${SEED} --only I\n${report(fuzzer.findings)}`,
    ).toEqual([]);
  });
});
