/**
 * Every fixture record of every vendor through the generated ingest pipeline, run by the
 * evaluator of ./processors.ts, must give exactly the expected document and `_id`
 * (`fixtures/<vendor>/<stream>/expected.json`).
 */
import { describe, expect, it } from 'vitest';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { listFixtureStreams, loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';
import { simulate, type PipelineDefinition } from './processors.ts';
import type { JsonMap } from './document.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { testGeoDatabases } from '../../support/geoip.ts';
import { useGeoIpDatabases } from './geoip.ts';

/** Fleet passes a bool variable to the pipeline as a `tags` entry (see targets/elastic/pipeline.ts). */
function defaultTags(ir: IntegrationIR): string[] {
  return ir.settings.filter((s) => s.type === 'bool' && s.default === true).map((s) => s.name);
}

describe('generated ingest pipelines on the fixture records', () => {
  // The fixtures' addresses are documentation networks, which MaxMind's databases do not hold:
  // `geoip` and `asn` find nothing there, as the interpreter without a database (expected.json).
  const { emptyCity, emptyAsn } = testGeoDatabases();
  useGeoIpDatabases({ 'GeoLite2-City.mmdb': emptyCity, 'GeoLite2-ASN.mmdb': emptyAsn });
  for (const { vendor, stream } of listFixtureStreams()) {
    const ir = loadFixtureIR(vendor);
    const streamIR = ir.streams.find((s) => s.name === stream);
    if (!streamIR) continue;
    const cases = loadFixtureCases(vendor, stream);
    it(`${vendor}/${stream}: ${cases.length} records give the expected documents and ids`, () => {
      const { pipeline, diagnostics } = buildPipeline(ir, streamIR);
      expect(diagnostics).toEqual([]);
      const tags = defaultTags(ir);
      cases.forEach((c, i) => {
        const event: JsonMap = tags.length > 0 ? { message: c.message, tags } : { message: c.message };
        const result = simulate(pipeline as unknown as PipelineDefinition, event);
        if (!result.ok) throw new Error(`record ${i}: ${result.error}`);
        const doc = { ...result.doc };
        if (tags.length > 0) delete doc['tags'];
        expect({ i, doc, _id: result._id }).toEqual({ i, doc: c.expected.doc, _id: c.expected._id });
      });
    });
  }
});
