/**
 * The package's Kibana range follows from what it emits (targets/elastic/versions.ts): 8.x is
 * offered whenever no processor option or variable type needs 9.x, and every processor option
 * the bundled packages emit is either in the requirement table or older than 8.0.
 */
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { compileSource } from '../../../compiler/compile.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { BASELINE, kibanaRange, REQUIREMENTS, usedRequirements } from '../../../targets/elastic/versions.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';
import { EIGHT_X_MAP } from '../../support/eightx-map.ts';

function compile(source: string): IntegrationIR {
  const { ir, diagnostics } = compileSource(source, 'eightx.map');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return ir!;
}

/** Processor types and options mapc emits that are older than Elasticsearch 8.0 (versions.ts). */
const OLDER_THAN_8 = new Set([
  'append',
  'convert',
  'date',
  'fail',
  // the ingest-geoip module's processor (database_file, properties, ignore_missing): Elasticsearch 6.x
  'geoip',
  'gsub',
  'json',
  // Elasticsearch 6.x
  'kv',
  'lowercase',
  'remove',
  'rename',
  'script',
  'set',
  'set.copy_from',
  'uppercase',
  // the ingest-user-agent module's processor (field, ignore_missing): Elasticsearch 6.x
  'user_agent',
]);

describe('Kibana range from the emitted features', () => {
  it('a package with neither append copy_from nor duration variables admits 8.x from terminate on', () => {
    const ir = compile(EIGHT_X_MAP);
    const { files } = elasticBackend.emit(ir, {});
    const manifest = yaml.load(files.find((f) => f.path === 'manifest.yml')!.content) as {
      conditions: { kibana: { version: string } };
    };
    expect(manifest.conditions.kibana.version).toBe('^8.16.0 || ^9.0.0');
    const readme = files.find((f) => f.path === 'docs/README.md')!.content;
    expect(readme).toContain('Kibana and Elasticsearch ^8.16.0 || ^9.0.0, for `terminate` (8.16.0).');
  });

  it('append with copy_from or a duration variable needs 9.2.0', () => {
    for (const vendor of ['endor_labs', 'enpass', 'entro', 'bitwarden']) {
      const ir = loadFixtureIR(vendor);
      const pipelines = ir.streams.map((s) => {
        const { pipeline } = buildPipeline(ir, s);
        return [...pipeline.processors, ...(pipeline.on_failure ?? [])];
      });
      const used = usedRequirements(ir, pipelines).map((r) => r.feature);
      expect(used, vendor).toContain('vars.type: duration');
      expect(kibanaRange(usedRequirements(ir, pipelines)), vendor).toBe('^9.2.0');
    }
    const append = usedRequirements(compile(EIGHT_X_MAP), [[{ append: { field: 'a', copy_from: 'b' } }]]);
    expect(append.map((r) => r.feature)).toEqual(['append.copy_from']);
    expect(kibanaRange(append)).toBe('^9.2.0');
  });

  it('an on_failure processor counts, and nothing at all gives the baseline', () => {
    const ir = compile(EIGHT_X_MAP);
    const nested = [{ set: { field: 'a', value: 1, on_failure: [{ terminate: {} }] } }];
    expect(usedRequirements(ir, [nested]).map((r) => r.feature)).toEqual(['terminate']);
    expect(kibanaRange([])).toBe(`^${BASELINE.join('.')} || ^9.0.0`);
  });

  it('every processor and option the bundled packages emit is in the table or older than 8.0', () => {
    const features = new Set(REQUIREMENTS.map((r) => r.feature));
    for (const vendor of ['endor_labs', 'enpass', 'entro', 'bitwarden']) {
      const ir = loadFixtureIR(vendor);
      for (const stream of ir.streams) {
        const { pipeline } = buildPipeline(ir, stream);
        const work: unknown[] = [...pipeline.processors, ...(pipeline.on_failure ?? [])];
        for (let p = work.pop(); p !== undefined; p = work.pop()) {
          const [type, options] = Object.entries(p as Record<string, Record<string, unknown>>)[0]!;
          if (Array.isArray(options['on_failure'])) work.push(...(options['on_failure'] as unknown[]));
          expect(OLDER_THAN_8.has(type) || features.has(type), `${vendor}: ${type}`).toBe(true);
          for (const option of ['copy_from']) {
            if (option in options)
              expect(
                OLDER_THAN_8.has(`${type}.${option}`) || features.has(`${type}.${option}`),
                `${type}.${option}`,
              ).toBe(true);
          }
        }
      }
    }
  });
});
