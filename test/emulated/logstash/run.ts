/**
 * Running the filter section of a generated Logstash pipeline on mapc's evaluator of the
 * emitted filters (./evaluate.ts). Kept apart from ./support.ts, which reads the fixtures when
 * loaded, so that `mapc test` (cli/test/engines.ts, via test/agreement/engines.ts) can load it
 * anywhere.
 *
 * @module
 */
import { newEvent, outputDocument, runStatements, substituteStatements } from './evaluate.ts';
import { parseConfig } from './parse.ts';

/** The filter section of `conf`, with `${VAR}` references substituted from `env`. */
export function filterSection(conf: string, env: Readonly<Record<string, string>>) {
  const filter = parseConfig(conf).sections.find((s) => s.kind === 'filter');
  if (!filter) throw new Error('no filter section');
  return substituteStatements(filter.body, env);
}

/** Runs the filter section of a generated exec pipeline on one message; exactly one document must leave. */
export function runPipeline(conf: string, message: string, env: Readonly<Record<string, string>> = {}) {
  const written = runPipelineOrDrop(conf, message, env);
  if (written === undefined) throw new Error('expected one event, got 0');
  return written;
}

/** As {@link runPipeline}, but `undefined` when the filters dropped the event (`drop {}`). */
export function runPipelineOrDrop(conf: string, message: string, env: Readonly<Record<string, string>> = {}) {
  const out = runStatements(newEvent(message), filterSection(conf, env));
  if (out.length === 0) return undefined;
  if (out.length !== 1) throw new Error(`expected one event, got ${out.length}`);
  return mappedDocument(outputDocument(out[0]!), env, outputDataset(conf));
}

/** The dataset of the data stream the pipeline's output writes to (`index => "logs-<dataset>-${...}"`). */
export function outputDataset(conf: string): string {
  const index = /^\s*index => "logs-(.+?)-\$\{/m.exec(conf);
  if (!index) throw new Error('no data stream index in the output');
  return index[1]!;
}

/** The environment variable of the data stream namespace (targets/logstash/io.ts `OUTPUT_ENV`). */
const NAMESPACE_ENV = 'ELASTICSEARCH_DATA_STREAM_NAMESPACE';

/**
 * The document the mapping made, from one the output writes: the pipeline's last filter adds
 * the data stream fields Elasticsearch expects (`logs`, the dataset of the output's data stream,
 * the namespace from the environment or `default`), which the interpreter's documents do not
 * carry (at the Elastic Agent and Vector sinks they are added outside the mapping). Throws when
 * they are missing or wrong; returns the document without them.
 */
export function mappedDocument<T extends { readonly doc: Record<string, unknown> }>(
  written: T,
  env: Readonly<Record<string, string>>,
  dataset: string,
): T {
  const { data_stream: dataStream, ...doc } = written.doc;
  const expected = { type: 'logs', dataset, namespace: env[NAMESPACE_ENV] ?? 'default' };
  if (JSON.stringify(dataStream) !== JSON.stringify(expected)) {
    throw new Error(`data_stream is ${JSON.stringify(dataStream)}, expected ${JSON.stringify(expected)}`);
  }
  return { ...written, doc };
}
