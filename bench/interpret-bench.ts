/**
 * Figure 3: the reference interpreter (`mapRecord`) on fixture records, replicated. Each
 * repetition maps a distinct slice of the replicated records, so the repetitions together map
 * the whole set once; memory is measured on a separate pass that keeps every document.
 *
 * @module
 */
import { defaultSettings, mapRecord, type MappedRecord } from '../compiler/interpret/index.ts';
import type { StreamIR } from '../compiler/ir.ts';
import { fixtureMessages, replicate, type MapInput } from './inputs.ts';
import { liveHeapBytes } from './machine.ts';
import { syntheticRecord } from './synthetic-map.ts';
import { perSecond, summarize, type TimingSummary } from './stats.ts';

export interface InterpretPlan {
  /** Records in the replicated set (e.g. 100,000). */
  readonly records: number;
  /** Repetitions; each maps `records / reps` records. */
  readonly reps: number;
  /** Records mapped before measuring (JIT warm-up). */
  readonly warmupRecords: number;
  /** Records kept alive for the memory figure. */
  readonly memoryRecords: number;
}

export interface InterpretRow {
  readonly map: string;
  readonly stream: string;
  readonly rules: number;
  /** Distinct fixture records replicated. */
  readonly distinct: number;
  readonly records: number;
  /** Mean length of one record's JSON text, UTF-16 code units (≈ bytes for ASCII). */
  readonly messageChars: number;
  /** Milliseconds per repetition of `records / reps` records. */
  readonly time: TimingSummary;
  /** Records per second: median and p95 here come from the repetitions' times (p95 time = slowest rate). */
  readonly recordsPerSecond: { readonly median: number; readonly p95: number };
  /** Live heap held per mapped document (document, id, nothing else), bytes, after a full GC. */
  readonly bytesPerDocument: number;
}

function run(stream: StreamIR, messages: readonly string[], settings: Record<string, unknown>): void {
  for (const m of messages) mapRecord(stream, m, settings);
}

function measure(
  name: string,
  stream: StreamIR,
  distinct: readonly string[],
  settings: Record<string, unknown>,
  plan: InterpretPlan,
): InterpretRow {
  const all = replicate(distinct, plan.records);
  run(stream, replicate(distinct, plan.warmupRecords), settings);
  const slice = Math.ceil(all.length / plan.reps);
  const samples: number[] = [];
  for (let r = 0; r < plan.reps; r++) {
    const part = all.slice(r * slice, (r + 1) * slice);
    const start = performance.now();
    run(stream, part, settings);
    samples.push(performance.now() - start);
  }
  const time = summarize(samples);

  const kept = replicate(distinct, plan.memoryRecords);
  const before = liveHeapBytes();
  const docs: MappedRecord[] = kept.map((m) => mapRecord(stream, m, settings));
  const bytesPerDocument = (liveHeapBytes() - before) / docs.length;

  return {
    map: name,
    stream: stream.name,
    rules: stream.mapping.rules.length,
    distinct: distinct.length,
    records: all.length,
    messageChars: Math.round(distinct.reduce((n, m) => n + m.length, 0) / Math.max(1, distinct.length)),
    time,
    recordsPerSecond: { median: perSecond(slice, time.median), p95: perSecond(slice, time.p95) },
    bytesPerDocument: Math.round(bytesPerDocument),
  };
}

/**
 * Bundled maps: every stream with fixture records, mapped with default settings. The synthetic
 * map: its first stream on generated records that exercise every rule (`syntheticPlan`).
 */
export function benchInterpret(
  maps: readonly MapInput[],
  plan: InterpretPlan,
  syntheticPlan: InterpretPlan,
): InterpretRow[] {
  const rows: InterpretRow[] = [];
  for (const map of maps) {
    const settings = defaultSettings(map.ir);
    if (map.synthetic) {
      const stream = map.ir.streams[0];
      if (!stream) continue;
      const rules = stream.mapping.rules.length;
      const distinct = Array.from({ length: 100 }, (_, i) => JSON.stringify(syntheticRecord(rules, i)));
      rows.push(measure(map.name, stream, distinct, settings, syntheticPlan));
      continue;
    }
    for (const stream of map.ir.streams) {
      const distinct = fixtureMessages(map.name, stream.name);
      if (distinct.length > 0) rows.push(measure(map.name, stream, distinct, settings, plan));
    }
  }
  return rows;
}
