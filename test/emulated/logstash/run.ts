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
  const out = runStatements(newEvent(message), filterSection(conf, env));
  if (out.length !== 1) throw new Error(`expected one event, got ${out.length}`);
  return outputDocument(out[0]!);
}
