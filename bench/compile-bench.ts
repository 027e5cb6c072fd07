/**
 * Figure 1: the front end. Each map's text goes through parse (`parseMap`), check (`checkMap`)
 * and lower (`lowerMap`) exactly as `compileSource` chains them, each phase timed on its own.
 *
 * @module
 */
import { parseMap } from '../dsl/index.ts';
import { checkMap } from '../compiler/check/index.ts';
import { lowerMap } from '../compiler/lower/index.ts';
import { compileSource } from '../compiler/compile.ts';
import type { MapInput } from './inputs.ts';
import { liveHeapBytes, peakRssMiB } from './machine.ts';
import { summarize, type MeasureOptions, type TimingSummary } from './stats.ts';

export interface CompileRow {
  readonly map: string;
  readonly bytes: number;
  readonly streams: number;
  readonly rules: number;
  readonly parse: TimingSummary;
  readonly check: TimingSummary;
  readonly lower: TimingSummary;
  /** parse + check + lower of the same repetition. */
  readonly total: TimingSummary;
}

export interface CompileMemory {
  readonly map: string;
  /** Live heap held by one compile result (AST and IR kept), after a full GC, MiB. */
  readonly retainedMiB: number;
  /** Heap growth from before to right after one compile, garbage included (no GC): close to the compile's peak heap, MiB. */
  readonly heapGrowthMiB: number;
  /** Peak RSS of the bench process when this map had been compiled, MiB. */
  readonly peakRssMiB: number;
}

export interface CompileResults {
  readonly rows: readonly CompileRow[];
  readonly memory: CompileMemory;
}

function phases(map: MapInput, options: MeasureOptions): CompileRow {
  const times = { parse: [] as number[], check: [] as number[], lower: [] as number[], total: [] as number[] };
  for (let i = 0; i < options.warmup + options.reps; i++) {
    const t0 = performance.now();
    const parsed = parseMap(map.text, map.file);
    const t1 = performance.now();
    if (!parsed.ast) throw new Error(`${map.file}: parse failed`);
    checkMap(parsed.ast);
    const t2 = performance.now();
    const lowered = lowerMap(parsed.ast, map.file);
    const t3 = performance.now();
    if (!lowered.ir) throw new Error(`${map.file}: lowering failed`);
    if (i < options.warmup) continue;
    times.parse.push(t1 - t0);
    times.check.push(t2 - t1);
    times.lower.push(t3 - t2);
    times.total.push(t3 - t0);
  }
  return {
    map: map.name,
    bytes: Buffer.byteLength(map.text),
    streams: map.ir.streams.length,
    rules: map.ir.streams.reduce((n, s) => n + s.mapping.rules.length, 0),
    parse: summarize(times.parse),
    check: summarize(times.check),
    lower: summarize(times.lower),
    total: summarize(times.total),
  };
}

function memory(map: MapInput): CompileMemory {
  const before = liveHeapBytes();
  const result = compileSource(map.text, map.file);
  const grown = process.memoryUsage().heapUsed - before;
  const retained = liveHeapBytes() - before;
  if (!result.ir) throw new Error(`${map.file}: compile failed`);
  return { map: map.name, retainedMiB: retained / 2 ** 20, heapGrowthMiB: grown / 2 ** 20, peakRssMiB: peakRssMiB() };
}

/** Bundled maps get `small` repetitions, the synthetic map `large` (it takes ~1 s per compile). */
export function benchCompile(maps: readonly MapInput[], small: MeasureOptions, large: MeasureOptions): CompileResults {
  const rows = maps.map((m) => phases(m, m.synthetic ? large : small));
  const biggest = maps.find((m) => m.synthetic) ?? maps[maps.length - 1];
  if (!biggest) throw new Error('no map to measure');
  return { rows, memory: memory(biggest) };
}
