/**
 * Running the filter section of a generated Logstash pipeline on mapc's evaluator of the
 * emitted filters (./evaluate.ts). Kept apart from ./support.ts, which reads the fixtures when
 * loaded, so that `mapc test` (cli/test/engines.ts, via test/agreement/engines.ts) can load it
 * anywhere.
 *
 * @module
 */
import { POLLER_TARGET } from '../../../targets/logstash/http-poller.ts';
import { newEvent, outputDocument, parseJsonRuby, runStatements, substituteStatements } from './evaluate.ts';
import { parseConfig } from './parse.ts';

function filterSection(conf: string, env: Readonly<Record<string, string>>) {
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

/**
 * Runs the filter section of a generated http_poller pipeline on one element of a response body,
 * as the poller's json codec with `target` delivers it; returns every document that leaves.
 */
export function runPollerPipeline(
  conf: string,
  element: unknown,
  env: Readonly<Record<string, string>> = {},
  extra: Record<string, unknown> = {},
) {
  const event = newEvent('');
  delete event.data['message'];
  event.data[POLLER_TARGET] = parseJsonRuby(JSON.stringify(element));
  Object.assign(event.data, extra);
  return runStatements(event, filterSection(conf, env)).map(outputDocument);
}
