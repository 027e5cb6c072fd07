/**
 * Figure 4: the generated Vector remap on real VRL (`@bpinternal/verel` 0.2.0: the `vrl` crate
 * 0.25.0 in WASM). verel compiles the program on every `execute` call, so:
 *
 * - *per call*: one record per `execute`, i.e. compile + run; this is what one Vector event
 *   would cost only if Vector recompiled per event, which it does not (it compiles once at start);
 * - *batched*: `batch` records per `execute`, through the VRL test harness's `for_each` wrapper
 *   (`test/engines/vrl/harness.ts`), so one compile is shared by the batch. The wrapper
 *   accumulates outputs with `push`, which copies the array: its cost grows faster than linear
 *   with the batch size, so keep batches around 100;
 * - *compile only*: `check(program)`, which compiles without running;
 * - *execution only (estimate)*: `(batched - compile only) / batch` per record, what a record
 *   costs once the program is compiled: the closest figure to Vector's steady state here (Vector
 *   compiles a remap once at start). A difference of two noisy medians: on a loaded machine it can
 *   come out negative, and is then reported as `null`.
 *
 * @module
 */
import * as verel from '@bpinternal/verel';
import type { IntegrationIR, StreamIR } from '../compiler/ir.ts';
import { componentIds, vectorBackend } from '../targets/vector/index.ts';
import { deploymentEnv, loadVectorConfig, runRemapBatch } from '../test/engines/vrl/harness.ts';
import { fixtureMessages, replicate, type MapInput } from './inputs.ts';
import { perSecond, summarize, type MeasureOptions, type TimingSummary } from './stats.ts';

export interface VrlPlan {
  readonly perCall: MeasureOptions;
  readonly batched: MeasureOptions;
  /** Records per batched call. */
  readonly batch: number;
}

export interface VrlRow {
  readonly map: string;
  readonly stream: string;
  /** Characters of the remap program. */
  readonly programChars: number;
  /** Input event shape: `record` (exec source running mapc collect) or `response` (http_client). */
  readonly shape: string;
  /** ms per `execute` with one record (compile + run). */
  readonly perCall: TimingSummary;
  /** ms per `check` (compile only), as many repetitions as `perCall`. */
  readonly compileOnly: TimingSummary;
  /** ms per `execute` with `batch` records (one compile + `batch` runs). */
  readonly batched: TimingSummary;
  readonly batch: number;
  readonly recordsPerSecond: {
    readonly perCall: number;
    readonly batched: number;
    /** From the marginal cost; `null` when the batch was not slower than one call (noise). */
    readonly executionOnlyEstimate: number | null;
  };
  /** Events the last batched call emitted (one per record expected). */
  readonly eventsOut: number;
}

/** The remap source of `stream` as Vector would load it (environment interpolated). */
function remapSource(ir: IntegrationIR, stream: StreamIR): { program: string; shape: 'record' | 'response' } {
  const { files } = vectorBackend.emit(ir, {});
  const text = files.find((f) => f.path === 'vector.yaml')?.content;
  if (text === undefined) throw new Error(`${ir.name}: the Vector backend emitted no vector.yaml`);
  const config = loadVectorConfig(text, deploymentEnv(ir));
  const ids = componentIds(ir, stream);
  const program = config.transforms[ids.remap]?.source;
  if (program === undefined) throw new Error(`${ir.name}.${stream.name}: no remap ${ids.remap}`);
  return { program, shape: config.sources[ids.source]?.type === 'exec' ? 'record' : 'response' };
}

/** The event Vector's source emits for one record: the record's text, or a one-record response body. */
function inputEvent(stream: StreamIR, message: string, shape: 'record' | 'response'): Record<string, unknown> {
  if (shape === 'record') return { message };
  let body: unknown = [JSON.parse(message) as unknown];
  for (const segment of [...stream.source.records].reverse()) body = { [segment]: body };
  return { message: JSON.stringify(body) };
}

export function benchVrl(maps: readonly MapInput[], plan: VrlPlan): VrlRow[] {
  const rows: VrlRow[] = [];
  for (const map of maps) {
    for (const stream of map.ir.streams) {
      const messages = fixtureMessages(map.name, stream.name);
      if (messages.length === 0) continue;
      const { program, shape } = remapSource(map.ir, stream);
      const events = messages.map((m) => inputEvent(stream, m, shape));
      const batch = replicate(events, plan.batch);
      const perCallSamples: number[] = [];
      const compileSamples: number[] = [];
      const batchedSamples: number[] = [];
      let eventsOut = 0;
      // Interleaved, so that the machine's load drifts over both series alike (the marginal
      // estimate subtracts one from the other). Warm-up: the WASM code tiers up over a few calls.
      const rounds = Math.max(plan.perCall.warmup + plan.perCall.reps, plan.batched.warmup + plan.batched.reps);
      for (let i = 0; i < rounds; i++) {
        if (i < plan.perCall.warmup + plan.perCall.reps) {
          const event = events[i % events.length] as Record<string, unknown>;
          const start = performance.now();
          verel.execute(program, event);
          if (i >= plan.perCall.warmup) perCallSamples.push(performance.now() - start);
          const checkStart = performance.now();
          verel.check(program);
          if (i >= plan.perCall.warmup) compileSamples.push(performance.now() - checkStart);
        }
        if (i < plan.batched.warmup + plan.batched.reps) {
          const start = performance.now();
          const out = runRemapBatch(program, batch);
          if (i >= plan.batched.warmup) batchedSamples.push(performance.now() - start);
          eventsOut = out.reduce((n, e) => n + e.length, 0);
        }
      }
      const perCall = summarize(perCallSamples);
      const compileOnly = summarize(compileSamples);
      const batched = summarize(batchedSamples);
      const marginal = (batched.median - compileOnly.median) / plan.batch;
      rows.push({
        map: map.name,
        stream: stream.name,
        programChars: program.length,
        shape,
        perCall,
        compileOnly,
        batched,
        batch: plan.batch,
        recordsPerSecond: {
          perCall: perSecond(1, perCall.median),
          batched: perSecond(plan.batch, batched.median),
          executionOnlyEstimate: marginal > 0 ? perSecond(1, marginal) : null,
        },
        eventsOut,
      });
    }
  }
  return rows;
}
