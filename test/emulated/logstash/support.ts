/**
 * Shared helpers of the Logstash engine tests: fixtures, the generated files, the evaluator run.
 *
 * @module
 */
import { join } from 'node:path';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import type { EmitResult, FixtureCase } from '../../../targets/contract.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { POLLER_TARGET } from '../../../targets/logstash/http-poller.ts';
import { newEvent, outputDocument, parseJsonRuby, runStatements } from './evaluate.ts';
import { filterSection, mappedDocument, outputDataset } from './run.ts';
import { listFixtureStreams, loadFixtureCases, loadFixtureIR, REPO_ROOT } from '../../support/fixtures.ts';

// The exec pipeline run lives in ./run.ts (no fixture I/O there, so `mapc test` can load it).
export { runPipeline } from './run.ts';

export const ROOT = REPO_ROOT;
/** Every vendor with fixtures (`fixtures/<vendor>/ir.json` plus per-stream records). */
export const VENDORS = [...new Set(listFixtureStreams().map((s) => s.vendor))].sort();
export const MUSTACHE = join(ROOT, '.tools/bin/mustache');
/** The pin `scripts/install-tools.sh` builds (scripts/go-tools/mustache/go.mod). */
export const MUSTACHE_VERSION = 'v0.5.3';
export const MUSTACHE_MISSING =
  `mustache (github.com/breml/logstash-config ${MUSTACHE_VERSION}) is missing at ${MUSTACHE}: ` +
  'install the pinned tools with `bash scripts/install-tools.sh` (run by .ci/run)';

export function fixtureCases(vendor: string, ir: IntegrationIR): Map<string, FixtureCase[]> {
  const out = new Map<string, FixtureCase[]>();
  for (const { vendor: v, stream } of listFixtureStreams()) {
    if (v === vendor && ir.streams.some((s) => s.name === stream)) out.set(stream, loadFixtureCases(vendor, stream));
  }
  return out;
}

export function emitVendor(vendor: string): {
  ir: IntegrationIR;
  fixtures: Map<string, FixtureCase[]>;
  result: EmitResult;
} {
  const ir = loadFixtureIR(vendor);
  const fixtures = fixtureCases(vendor, ir);
  return { ir, fixtures, result: logstashBackend.emit(ir, { fixtures }) };
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
  const dataset = outputDataset(conf);
  return runStatements(event, filterSection(conf, env)).map((e) => mappedDocument(outputDocument(e), env, dataset));
}
