/**
 * Shared helpers of the Logstash engine tests: fixtures, the generated files, the evaluator run.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import type { EmitResult, FixtureCase } from '../../../targets/contract.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { newEvent, outputDocument, runStatements, substituteStatements } from './evaluate.ts';
import { parseConfig } from './parse.ts';

export const ROOT = join(import.meta.dirname, '../../..');
export const VENDORS = ['endor_labs', 'entro'] as const;
export const MUSTACHE = join(ROOT, '.tools/bin/mustache');
/** The pin `.ci/run` installs (see the test's failure message for the command). */
export const MUSTACHE_VERSION = 'v0.5.3';

export function loadIr(vendor: string): IntegrationIR {
  return JSON.parse(readFileSync(join(ROOT, 'fixtures', vendor, 'ir.json'), 'utf8')) as IntegrationIR;
}

/** Fixture cases per stream: `records.json` (split records) paired with `expected.json`. */
export function loadFixtures(vendor: string, ir: IntegrationIR): Map<string, FixtureCase[]> {
  const out = new Map<string, FixtureCase[]>();
  for (const stream of ir.streams) {
    const dir = join(ROOT, 'fixtures', vendor, stream.name);
    if (!existsSync(join(dir, 'records.json'))) continue;
    const records = JSON.parse(readFileSync(join(dir, 'records.json'), 'utf8')) as unknown[];
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as FixtureCase['expected'][];
    out.set(stream.name, records.map((r, i) => ({ message: JSON.stringify(r), expected: expected[i] as FixtureCase['expected'] })));
  }
  return out;
}

export function emitVendor(vendor: string): { ir: IntegrationIR; fixtures: Map<string, FixtureCase[]>; result: EmitResult } {
  const ir = loadIr(vendor);
  const fixtures = loadFixtures(vendor, ir);
  return { ir, fixtures, result: logstashBackend.emit(ir, { fixtures }) };
}

/** Runs the filter section of a generated pipeline text on one message. */
export function runPipeline(conf: string, message: string, env: Readonly<Record<string, string>> = {}) {
  const filter = parseConfig(conf).sections.find((s) => s.kind === 'filter');
  if (!filter) throw new Error('no filter section');
  const event = newEvent(message);
  runStatements(event, substituteStatements(filter.body, env));
  return outputDocument(event);
}
