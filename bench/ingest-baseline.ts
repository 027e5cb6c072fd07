/**
 * Ingest figures of issue 8 (`npm run bench -- --only ingest`), generated / hand-written baseline,
 * measured side by side in one run:
 *
 * - processors: top-level and with nested `on_failure` handlers, of the generated pipeline of each
 *   bundled vendor (with its record schema, the lean form of `targets/elastic/lean.ts`; and the
 *   same map without its schema, today's guarded form), against `bench/baselines/elastic/<vendor>.yml`
 *   where one exists (proven equal on the fixtures by test/bench-baselines/elastic.test.ts);
 * - ingest time: on one OpenSearch 2.19 node (the pinned `.tools/opensearch`, 127.0.0.1 only),
 *   `_bulk` of `events` records (the fixture records cycled, each with a distinct request id) into
 *   an index per pipeline with that pipeline as `index.default_pipeline` and `dynamic: false` (so
 *   that mapping work does not blur the figure), then the pipeline's `time_in_millis` from
 *   `_nodes/stats/ingest`. The pipelines run alternately in rounds (baseline first, then generated,
 *   then the guarded form), so load on the shared machine hits all alike, after one untimed
 *   round of the same events (warm-up: script compilation and the JVM's JIT). The stats are also
 *   read after every chunk of 2,000 events (one `_bulk` into each pipeline, back to back), and the
 *   chunks' time ratios give a median and its 95 % confidence interval (`./stats.ts`
 *   `medianInterval`): how far load on the shared machine may have moved the total's ratio.
 *   The unit: OpenSearch 2.19 runs each `_bulk` through the pipeline as one batch and charges
 *   every document of it the batch's whole elapsed milliseconds (`OperationMetrics.afterN` adds
 *   the time once per document; opensearch-project/OpenSearch
 *   `server/src/main/java/org/opensearch/common/metrics/OperationMetrics.java` and
 *   `IngestService.innerBatchExecute`), so `time_in_millis` is the pipeline's wall time over its
 *   batches × 2,000 (every figure the bench has printed is a multiple of 2,000). Only ratios are
 *   compared, and both sides are batched alike.
 *
 * @module
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { IntegrationIR, StreamIR } from '../compiler/ir.ts';
import { buildPipeline } from '../targets/elastic/pipeline.ts';
import { toOpenSearch } from '../test/engines/opensearch/dialect.ts';
import { startOpenSearch } from '../test/engines/opensearch/node.ts';
import { fixtureMessages, REPO_ROOT, type MapInput } from './inputs.ts';
import { medianInterval, type MedianInterval } from './stats.ts';

export interface IngestPlan {
  /** Events per pipeline per round. */
  readonly events: number;
  readonly rounds: number;
}

export interface IngestRow {
  readonly vendor: string;
  readonly stream: string;
  /** Top-level processors / with nested handlers: generated (schema), generated without schema, baseline. */
  readonly processors: { readonly lean: number; readonly guarded: number; readonly baseline?: number };
  readonly nested: { readonly lean: number; readonly guarded: number; readonly baseline?: number };
  /** Ingest ms over all rounds (from `_nodes/stats/ingest`), when measured. */
  readonly ingestMs?: { readonly lean: number; readonly guarded: number; readonly baseline: number };
  /**
   * Per `_bulk` chunk, the pipeline's time / the baseline's on the same 2,000 events: their median
   * and its 95 % confidence interval ({@link medianInterval}), when measured.
   */
  readonly chunkRatios?: { readonly lean: MedianInterval; readonly guarded: MedianInterval };
  readonly events?: number;
}

interface Pipeline {
  readonly processors: unknown[];
  readonly on_failure?: unknown[];
}

function count(list: readonly unknown[]): number {
  let n = 0;
  for (const p of list) {
    n += 1;
    const options = Object.values(p as Record<string, { on_failure?: unknown[] }>)[0];
    if (options?.on_failure) n += count(options.on_failure);
  }
  return n;
}

const baselineFile = (vendor: string): string => join(REPO_ROOT, 'bench', 'baselines', 'elastic', `${vendor}.yml`);

function generated(ir: IntegrationIR, stream: StreamIR, schema: boolean): Pipeline {
  const s: StreamIR = schema ? stream : { ...stream, schema: undefined };
  const { pipeline } = buildPipeline(ir, s);
  return {
    processors: toOpenSearch(pipeline.processors as never),
    on_failure: toOpenSearch(pipeline.on_failure as never),
  };
}

/** The records of a fixture stream, cycled to `n` messages, each top-level string id made distinct. */
function events(vendor: string, stream: string, n: number): string[] {
  const messages = fixtureMessages(vendor, stream);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const record = JSON.parse(messages[i % messages.length]!) as Record<string, unknown>;
    const results = record['results'] as Record<string, unknown> | undefined;
    if (results && typeof results['request_id'] === 'string') results['request_id'] = `${results['request_id']}-${i}`;
    out.push(JSON.stringify(record));
  }
  return out;
}

export async function benchIngest(maps: readonly MapInput[], plan: IngestPlan): Promise<IngestRow[]> {
  const rows: IngestRow[] = [];
  const timed: { row: number; vendor: string; stream: string; pipelines: Record<string, Pipeline> }[] = [];
  for (const map of maps) {
    if (map.synthetic) continue;
    for (const stream of map.ir.streams) {
      const lean = generated(map.ir, stream, true);
      const guarded = generated(map.ir, stream, false);
      const file = baselineFile(map.name);
      const baseline = existsSync(file) ? (parse(readFileSync(file, 'utf8')) as Pipeline) : undefined;
      rows.push({
        vendor: map.name,
        stream: stream.name,
        processors: {
          lean: lean.processors.length,
          guarded: guarded.processors.length,
          ...(baseline ? { baseline: baseline.processors.length } : {}),
        },
        nested: {
          lean: count(lean.processors),
          guarded: count(guarded.processors),
          ...(baseline ? { baseline: count(baseline.processors) } : {}),
        },
      });
      if (baseline)
        timed.push({
          row: rows.length - 1,
          vendor: map.name,
          stream: stream.name,
          pipelines: { baseline, lean, guarded },
        });
    }
  }
  if (timed.length === 0 || plan.events === 0) return rows;

  const node = await startOpenSearch(180_000);
  try {
    const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const { status, json } = await node.request(method, path, body);
      if (status >= 300) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json).slice(0, 500)}`);
      return json;
    };
    const bulk = async (index: string, messages: readonly string[]): Promise<void> => {
      const lines: string[] = [];
      for (const message of messages) {
        lines.push(JSON.stringify({ index: { _index: index } }));
        lines.push(JSON.stringify({ '@timestamp': '2024-01-01T00:00:00.000Z', message }));
      }
      const response = await fetch(`${node.url}/_bulk?refresh=false`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: `${lines.join('\n')}\n`,
      });
      const json = (await response.json()) as { errors: boolean; items: unknown[] };
      if (json.errors) throw new Error(`bulk into ${index}: ${JSON.stringify(json.items.slice(0, 2)).slice(0, 500)}`);
    };
    for (const t of timed) {
      const messages = events(t.vendor, t.stream, plan.events);
      const names = Object.keys(t.pipelines);
      const stats = async (): Promise<Record<string, number>> => {
        const json = (await call('GET', '/_nodes/stats/ingest')) as {
          nodes: Record<string, { ingest: { pipelines: Record<string, { time_in_millis: number }> } }>;
        };
        const pipelines = Object.values(json.nodes)[0]!.ingest.pipelines;
        return Object.fromEntries(
          names.map((n) => [n, pipelines[`bench-${t.vendor}-${t.stream}-${n}`]?.time_in_millis ?? 0]),
        );
      };
      // Each chunk's time per pipeline, when timed: the chunks are pairs (the same 2,000 events
      // through each pipeline, back to back), so their ratios see the same load.
      const chunkMs: Record<string, number>[] = [];
      // `count` passes of all events, 2,000 a `_bulk`, each chunk through every pipeline in turn.
      const rounds = async (count: number, timed: boolean): Promise<void> => {
        const chunk = 2000;
        let last = timed ? await stats() : undefined;
        for (let round = 0; round < count; round++) {
          for (let i = 0; i < messages.length; i += chunk) {
            for (const name of names) await bulk(`bench-${t.vendor}-${t.stream}-${name}`, messages.slice(i, i + chunk));
            if (last) {
              const now = await stats();
              const prev = last;
              chunkMs.push(Object.fromEntries(names.map((n) => [n, now[n]! - prev[n]!])));
              last = now;
            }
          }
        }
      };
      for (const name of names) {
        const id = `bench-${t.vendor}-${t.stream}-${name}`;
        await call('PUT', `/_ingest/pipeline/${id}`, t.pipelines[name]);
        await call('PUT', `/${id}`, {
          settings: { number_of_shards: 1, number_of_replicas: 0, 'index.default_pipeline': id },
          mappings: { dynamic: false },
        });
      }
      // Warm-up, not counted (the stats are read as differences): one whole pass of the events
      // through every pipeline, interleaved as the timed rounds, so that the node has compiled
      // the scripts and its JIT has compiled the hot code of every pipeline before the clock
      // runs. A node ingests for days; the figure is its steady state. (Until session 10 the
      // warm-up was 500 events, which left the larger scripts being JIT-compiled inside the
      // timed rounds, most on a loaded machine: README "Where the time goes".)
      await rounds(1, false);
      await rounds(plan.rounds, true);
      // The chunks' times add up to the timed rounds' (each is a difference of consecutive reads).
      const total = (name: string): number => chunkMs.reduce((sum, c) => sum + c[name]!, 0);
      const row = rows[t.row]!;
      rows[t.row] = {
        ...row,
        events: plan.events * plan.rounds,
        ingestMs: { lean: total('lean'), guarded: total('guarded'), baseline: total('baseline') },
        chunkRatios: {
          lean: medianInterval(chunkMs.map((c) => c['lean']! / c['baseline']!)),
          guarded: medianInterval(chunkMs.map((c) => c['guarded']! / c['baseline']!)),
        },
      };
    }
  } finally {
    await node.stop();
  }
  return rows;
}
