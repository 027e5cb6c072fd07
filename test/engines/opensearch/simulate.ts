/**
 * One `POST _ingest/pipeline/_simulate` on the test node
 * (https://opensearch.org/docs/2.19/ingest-pipelines/simulate-ingest/), the way the engine tests
 * send pipelines and read back documents.
 *
 * @module
 */
import { toOpenSearch } from './dialect.ts';
import type { OpenSearchNode } from './node.ts';

/** One document's outcome: the document as the pipeline left it, or the error that stopped it. */
export interface SimulateDoc {
  readonly doc?: { readonly _id: string; readonly _source: Record<string, unknown> };
  readonly error?: unknown;
}

/** A pipeline as `_simulate` takes it. */
export interface SimulatePipeline {
  readonly description?: string;
  readonly processors: readonly unknown[];
  readonly on_failure?: readonly unknown[];
}

/**
 * A generated pipeline (Elasticsearch's processors) in the node's dialect (`./dialect.ts`), with
 * its `on_failure` (empty when it has none).
 */
export function openSearchPipeline(pipeline: {
  readonly processors: readonly unknown[];
  readonly on_failure?: readonly unknown[];
}): SimulatePipeline {
  return {
    processors: toOpenSearch(pipeline.processors as never),
    on_failure: toOpenSearch((pipeline.on_failure ?? []) as never),
  };
}

/**
 * Runs `pipeline` over documents with these sources: one outcome per source, in order.
 * @throws Error with the node's answer when the status is not 200 or the outcomes are not one a source.
 */
export async function simulate(
  node: OpenSearchNode,
  pipeline: SimulatePipeline,
  sources: readonly Record<string, unknown>[],
): Promise<SimulateDoc[]> {
  const { status, json } = await node.request('POST', '/_ingest/pipeline/_simulate', {
    pipeline,
    docs: sources.map((source) => ({ _source: source })),
  });
  const docs = (json as { docs?: SimulateDoc[] }).docs;
  if (status !== 200 || docs?.length !== sources.length)
    throw new Error(`_simulate answered ${status}: ${JSON.stringify(json).slice(0, 1000)}`);
  return docs;
}
