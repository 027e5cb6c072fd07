/**
 * The hand-written Logstash baselines (bench/baselines/logstash/<vendor>.conf) stay honest: each
 * gives exactly the fixtures' expected documents and ids (fixtures/<vendor>/<stream>/expected.json)
 * on the Logstash evaluator, and mustache (the Logstash config parser the generated pipelines are
 * checked with) accepts it. `npm run bench` compares the generated pipelines' lines with these.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixtureCases } from '../support/fixtures.ts';
import { MUSTACHE, MUSTACHE_MISSING, ROOT, runPipeline } from '../emulated/logstash/support.ts';

/** The vendors with a baseline, and the stream its fixtures are for. */
const BASELINES: readonly (readonly [string, string])[] = [
  ['endor_labs', 'audit'],
  ['enpass', 'events'],
  ['entro', 'audit'],
];

describe.each(BASELINES)('bench/baselines/logstash/%s.conf', (vendor, stream) => {
  const file = join(ROOT, 'bench/baselines/logstash', `${vendor}.conf`);
  const conf = readFileSync(file, 'utf8');

  it('gives every fixture record its expected document and _id', () => {
    const cases = loadFixtureCases(vendor, stream);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(runPipeline(conf, c.message), c.message).toEqual(c.expected);
  });

  it('is a valid Logstash config (mustache lint parses it)', () => {
    if (!existsSync(MUSTACHE)) throw new Error(MUSTACHE_MISSING);
    expect(() => execFileSync(MUSTACHE, ['format', file], { stdio: 'pipe' })).not.toThrow();
  });

  it('has no ruby filter', () => {
    expect(conf).not.toMatch(/^\s*ruby\s*\{/m);
  });
});
