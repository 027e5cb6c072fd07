/**
 * One adapter per engine, all with the same shape: (IntegrationIR, stream name, record messages)
 * in, one `{ _id, doc }` per message out, in order. Each adapter generates its target's config
 * from the IR with the target's own backend and runs it on that target's engine harness
 * (test/engines/*), then strips only the engine's documented plumbing (listed with its reason in
 * docs/target-differences.md, "Plumbing stripped before comparing"):
 *
 * - `interpreter`: the reference interpreter `mapRecord` (the semantics of `mapc preview`).
 * - `vrl`: the Vector `remap` of `targets/vector`, on the real VRL runtime (verel, VRL 0.25),
 *   every message of a call in ONE batched verel execution (it compiles on every call).
 * - `opensearch`: the Elasticsearch ingest pipeline of `targets/elastic`, rewritten by the
 *   reviewed dialect of test/engines/opensearch, in ONE `_ingest/pipeline/_simulate` call per
 *   batch on a real OpenSearch 2.19 node.
 * - `ingest`: the same pipeline on the evaluator of test/emulated/ingest.
 * - `logstash`: the filter section of the `targets/logstash` exec pipeline on the evaluator of
 *   test/emulated/logstash.
 *
 * Settings (`Settings`, by name) go through each target's own mechanism, so the same run also
 * checks that the targets read operator settings alike.
 *
 * An engine that throws, fails the document, or emits a number of events other than one gives
 * an {@link EngineOutput} with `crash` set, so a property test reports it as a crash (never a
 * silent skip).
 *
 * @module
 */
import { defaultSettings, mapRecord } from '../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { buildPipeline } from '../../targets/elastic/pipeline.ts';
import { defaultTags } from '../../targets/elastic/devtests.ts';
import { logstashBackend, pipelineFile } from '../../targets/logstash/index.ts';
import { componentIds, vectorBackend } from '../../targets/vector/index.ts';
import { simulate, type PipelineDefinition } from '../emulated/ingest/processors.ts';
import type { JsonMap } from '../emulated/ingest/document.ts';
import { runPipelineOrDrop } from '../emulated/logstash/run.ts';
import { toOpenSearch } from '../engines/opensearch/dialect.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { deploymentEnv, loadVectorConfig, runRemapBatch } from '../engines/vrl/harness.ts';

export type EngineName = 'interpreter' | 'vrl' | 'opensearch' | 'ingest' | 'logstash';
export const ENGINES: readonly EngineName[] = ['interpreter', 'vrl', 'opensearch', 'ingest', 'logstash'];

/** One record's result on one engine: the document and id, or why there is none. */
export type EngineOutput =
  | {
      readonly _id?: string;
      readonly doc: Record<string, unknown>;
      readonly crash?: undefined;
      /** A `drop when` held: the engine made no document (`doc` is `{}`). */
      readonly dropped?: true;
    }
  | { readonly crash: string };

/** The output of a record the engine dropped (`drop when`): no document. */
const DROPPED: EngineOutput = { doc: {}, dropped: true };

/**
 * Settings an operator sets, by setting name (the rest take their defaults). Each adapter passes
 * them through its target's own mechanism: interpreter settings, Vector and Logstash environment
 * variables (`SettingIR.envVar`), Elastic Agent `tags` for `bool` settings.
 */
export type Settings = Readonly<Record<string, string | number | boolean>>;

/** Runs a batch of messages (record JSON texts) of one stream; one output per message, in order. */
export type Engine = (
  ir: IntegrationIR,
  stream: string,
  messages: readonly string[],
  settings?: Settings,
) => Promise<EngineOutput[]>;

/** The environment that sets `settings` for Vector and Logstash (values as operators write them). */
function settingsEnv(ir: IntegrationIR, settings: Settings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    const setting = ir.settings.find((s) => s.name === name);
    if (!setting) throw new Error(`no setting ${name} in ${ir.name}`);
    env[setting.envVar] = String(value);
  }
  return env;
}

function streamOf(ir: IntegrationIR, name: string): StreamIR {
  const stream = ir.streams.find((s) => s.name === name);
  if (!stream) throw new Error(`no stream ${name} in ${ir.name}`);
  return stream;
}

/** True when the stream has a `drop when`: only then may an engine emit no document. */
function dropsRecords(ir: IntegrationIR, name: string): boolean {
  return (streamOf(ir, name).mapping.drop ?? []).length > 0;
}

function crashOf(error: unknown): { crash: string } {
  return { crash: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

function withId(doc: Record<string, unknown>, id: unknown): EngineOutput {
  return typeof id === 'string' ? { _id: id, doc } : { doc };
}

/** Generated configs are pure functions of the IR object and settings: build each once. */
function memo<T>(
  build: (ir: IntegrationIR, stream: StreamIR, settings: Settings) => T,
): (ir: IntegrationIR, stream: StreamIR, settings?: Settings) => T {
  const cache = new WeakMap<IntegrationIR, Map<string, T>>();
  return (ir, stream, settings = {}) => {
    let byKey = cache.get(ir);
    if (!byKey) cache.set(ir, (byKey = new Map()));
    const key = `${stream.name}\u0000${JSON.stringify(Object.entries(settings).sort())}`;
    if (!byKey.has(key)) byKey.set(key, build(ir, stream, settings));
    return byKey.get(key) as T;
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * The collection time the interpreter is given (`collected_at`, compiler/ir.ts ValueIR
 * `collection_time`): a fixed instant no engine can have collected at, so that ./check.ts finds
 * where the collection time lands in the reference document and checks each engine's own value
 * there (a date in the IR's form, no earlier than the run's start) instead of skipping it.
 */
export const COLLECTION_TIME_SENTINEL = '1971-01-01T00:00:00.000Z';

export const interpreter: Engine = async (ir, name, messages, overrides = {}) => {
  const stream = streamOf(ir, name);
  const settings = { ...defaultSettings(ir), ...overrides };
  return messages.map((message) => {
    try {
      const { id, doc, dropped } = mapRecord(stream, message, settings, { collectedAt: COLLECTION_TIME_SENTINEL });
      return dropped ? DROPPED : withId(doc, id);
    } catch (error) {
      return crashOf(error);
    }
  });
};

// ---------------------------------------------------------------------------------------------

const remapProgram = memo((ir, stream, settings) => {
  const { files, diagnostics } = vectorBackend.emit(ir, {});
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`targets/vector: ${errors.map((d) => d.message).join('; ')}`);
  const config = loadVectorConfig(
    files.find((f) => f.path === 'vector.yaml')?.content ?? '',
    deploymentEnv(ir, settingsEnv(ir, settings)),
  );
  const program = config.transforms[componentIds(ir, stream).remap]?.source;
  if (program === undefined) throw new Error(`no remap for ${ir.name}.${stream.name}`);
  return program;
});

/**
 * Vector carries the document id as the top-level event field `_id`, which the generated
 * elasticsearch sink sends as the bulk `_id` (`id_key`) and not in the body: it is taken out of
 * the event here.
 */
export const vrl: Engine = async (ir, name, messages, settings = {}) => {
  const program = remapProgram(ir, streamOf(ir, name), settings);
  let outputs: Record<string, unknown>[][];
  try {
    outputs = runRemapBatch(
      program,
      messages.map((message) => ({ message })),
    );
  } catch (error) {
    // One aborting record aborts the whole batch: rerun one by one to find which.
    if (messages.length === 1) return [crashOf(error)];
    return (await Promise.all(messages.map((m) => vrl(ir, name, [m], settings)))).flat();
  }
  return messages.map((_, i) => {
    const events = outputs[i] ?? [];
    // `abort` under `drop_on_abort: true` (a `drop when`): no event (see runRemapBatch).
    if (events.length === 0 && dropsRecords(ir, name)) return DROPPED;
    if (events.length !== 1) return { crash: `remap emitted ${events.length} events` };
    const { _id, ...doc } = events[0] as Record<string, unknown>;
    return withId(doc, _id);
  });
};

// ---------------------------------------------------------------------------------------------

const ingestPipeline = memo((ir, stream) => {
  const { pipeline, diagnostics } = buildPipeline(ir, stream);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`targets/elastic: ${errors.map((d) => d.message).join('; ')}`);
  return pipeline as unknown as PipelineDefinition;
});

/**
 * The event the Elastic Agent ships for a record: `@timestamp` (the collection time, which the
 * pipeline keeps when no rule writes it: compiler/ir.ts step 8; Beats write it as
 * `yyyy-MM-ddTHH:mm:ss.SSSZ`, like `toISOString`), `message`, plus `tags` naming the bool
 * settings that are on (how the generated CEL input passes them to the pipeline;
 * targets/elastic/devtests.ts).
 */
function agentEvent(ir: IntegrationIR, message: string, settings: Settings, collected: string): JsonMap {
  const tags = agentTags(ir, settings);
  return tags.length > 0 ? { '@timestamp': collected, message, tags } : { '@timestamp': collected, message };
}

/** The `bool` settings that are on: the defaults (`defaultTags`) with the operator's overrides. */
function agentTags(ir: IntegrationIR, settings: Settings): string[] {
  const on = new Set(defaultTags(ir));
  for (const [name, value] of Object.entries(settings)) {
    if (ir.settings.find((s) => s.name === name)?.type !== 'bool') continue;
    if (value === true || value === 'true') on.add(name);
    else on.delete(name);
  }
  return [...on];
}

/** Removes the agent's `tags` exactly when the agent added them. */
function stripTags(ir: IntegrationIR, source: Record<string, unknown>, settings: Settings): Record<string, unknown> {
  if (agentTags(ir, settings).length === 0) return source;
  const { tags: _tags, ...doc } = source;
  return doc;
}

export const ingest: Engine = async (ir, name, messages, settings = {}) => {
  const pipeline = ingestPipeline(ir, streamOf(ir, name));
  const collected = new Date().toISOString();
  return messages.map((message) => {
    try {
      const result = simulate(pipeline, agentEvent(ir, message, settings, collected));
      if (!result.ok) return { crash: `pipeline failed: ${result.error}` };
      if (result.dropped) return DROPPED;
      return withId(stripTags(ir, result.doc, settings), result._id);
    } catch (error) {
      return crashOf(error);
    }
  });
};

/** Docs per `_simulate` request: a 10k-character record is ~10 kB; keep bodies well under 1 MB. */
const SIMULATE_BATCH = 200;

/**
 * The OpenSearch adapter for one node (./agreement.test.ts starts one for the whole suite).
 * `_simulate` reports `_id` as the placeholder `"_id"` unless the pipeline set one
 * (https://opensearch.org/docs/2.19/ingest-pipelines/simulate-ingest/).
 */
export function opensearch(node: OpenSearchNode): Engine {
  return async (ir, name, messages, settings = {}) => {
    const pipeline = ingestPipeline(ir, streamOf(ir, name));
    const body = {
      processors: toOpenSearch(pipeline.processors as never),
      ...(pipeline.on_failure ? { on_failure: toOpenSearch(pipeline.on_failure as never) } : {}),
    };
    const collected = new Date().toISOString();
    const run = async (batch: readonly string[]): Promise<EngineOutput[]> => {
      const { status, json } = await node.request('POST', '/_ingest/pipeline/_simulate', {
        pipeline: body,
        docs: batch.map((m) => ({ _source: agentEvent(ir, m, settings, collected) })),
      });
      if (status !== 200) {
        // A request-level error (e.g. a value type the node cannot copy) names no document:
        // rerun one by one so that only the offending record is reported.
        if (batch.length > 1) return (await Promise.all(batch.map((m) => run([m])))).flat();
        return [{ crash: `_simulate answered ${status}: ${JSON.stringify(json).slice(0, 500)}` }];
      }
      const docs = (
        json as { docs: ({ doc?: { _id: string; _source: Record<string, unknown> }; error?: unknown } | null)[] }
      ).docs;
      return docs.map((result): EngineOutput => {
        // A document a `drop` processor dropped is `null` in the answer.
        if (result === null && dropsRecords(ir, name)) return DROPPED;
        if (result === null) return { crash: 'document dropped by a pipeline without drop when' };
        if (result.error !== undefined || !result.doc)
          return { crash: `document failed: ${JSON.stringify(result.error)}` };
        return withId(
          stripTags(ir, result.doc._source, settings),
          result.doc._id === '_id' ? undefined : result.doc._id,
        );
      });
    };
    const out: EngineOutput[] = [];
    for (let start = 0; start < messages.length; start += SIMULATE_BATCH)
      out.push(...(await run(messages.slice(start, start + SIMULATE_BATCH))));
    return out;
  };
}

// ---------------------------------------------------------------------------------------------

const logstashConf = memo((ir, stream) => {
  const { files, diagnostics } = logstashBackend.emit(ir, {});
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`targets/logstash: ${errors.map((d) => d.message).join('; ')}`);
  const conf = files.find((f) => f.path === pipelineFile(ir, stream))?.content;
  if (conf === undefined) throw new Error(`no ${pipelineFile(ir, stream)}`);
  return conf;
});

/**
 * The evaluator's `outputDocument` already drops what the elasticsearch output never sends:
 * `@metadata` (the id travels as `document_id => "%{[@metadata][_id]}"`) and an `@timestamp`
 * no filter set. Nothing else is stripped: the generated filters remove `@version` (and the exec
 * input's `host`/`command`) themselves, so a leak of those is a disagreement.
 */
export const logstash: Engine = async (ir, name, messages, settings = {}) => {
  const conf = logstashConf(ir, streamOf(ir, name));
  const env = settingsEnv(ir, settings);
  return messages.map((message) => {
    try {
      const written = runPipelineOrDrop(conf, message, env);
      if (written === undefined) return dropsRecords(ir, name) ? DROPPED : { crash: 'the pipeline emitted no event' };
      return withId(written.doc, written._id);
    } catch (error) {
      return crashOf(error);
    }
  });
};

/** The engines that need no server, by name. */
export const LOCAL_ENGINES = { interpreter, vrl, ingest, logstash } as const;

/** Every engine by name, OpenSearch on the node `node()` returns (throws when it did not start). */
export function engines(node: () => OpenSearchNode | undefined): (name: EngineName) => Engine {
  return (name) => {
    if (name !== 'opensearch') return LOCAL_ENGINES[name];
    const started = node();
    if (!started) throw new Error('the OpenSearch node did not start');
    return opensearch(started);
  };
}
