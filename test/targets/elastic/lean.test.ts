/**
 * The lean lowering (targets/elastic/lean.ts) of the bundled maps: with their record schemas, no
 * rule of Entro goes through the `_mapc.v` scratch value or a `fail` guard, consumed copies are
 * one `rename`; the same maps without a schema give the guarded pipeline of before.
 */
import { describe, expect, it } from 'vitest';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { renamedRules } from '../../../targets/elastic/lean.ts';
import { loadFixtureIR, loadFixtureRecords } from '../../support/fixtures.ts';
import { simulate, type PipelineDefinition } from '../../emulated/ingest/processors.ts';

const kinds = (processors: readonly unknown[]): string[] => processors.map((p) => Object.keys(p as object)[0]!);

describe('lean ingest pipelines', () => {
  it('entro: no scratch value, no fail guard, consumed copies renamed', () => {
    const ir = loadFixtureIR('entro');
    const stream = ir.streams[0]!;
    const { pipeline, diagnostics } = buildPipeline(ir, stream);
    expect(diagnostics).toEqual([]);
    const text = JSON.stringify(pipeline.processors);
    expect(text).not.toContain('_mapc.v');
    expect(text).not.toContain('_mapc?.v');
    expect(kinds(pipeline.processors)).not.toContain('fail');
    const renames = pipeline.processors.flatMap((p) => (p && 'rename' in p && p.rename ? [p.rename.target_field] : []));
    expect(renames).toEqual(expect.arrayContaining(['event.id', 'rule.name']));
    // 19 for the mapping (one failure report instead of an `append` per rule, the collection time
    // set aside in ingest metadata), plus the `terminate` of Agent error events
    // (targets/elastic/conventions.ts).
    expect(pipeline.processors.length).toBe(20);
    expect(kinds(pipeline.processors).filter((k) => k === 'append')).toHaveLength(2);
    expect(text).not.toContain('_mapc');
  });

  it('without the schema each bundled map keeps the guarded form', () => {
    for (const vendor of ['entro', 'endor_labs', 'enpass']) {
      const ir = loadFixtureIR(vendor);
      const stream = { ...ir.streams[0]!, schema: undefined };
      const { pipeline } = buildPipeline(ir, stream);
      expect(JSON.stringify(pipeline.processors), vendor).toContain('_mapc?.v');
      expect(
        pipeline.processors.some((p) => p !== undefined && 'rename' in p && p.rename?.tag === 'rename_event_id'),
        vendor,
      ).toBe(false);
    }
  });

  it('a target two rules write is never a rename', () => {
    const ir = loadFixtureIR('enpass');
    const mapping = ir.streams[0]!.mapping;
    const renamed = [...renamedRules(mapping).keys()].map((r) => r.destination.join('.'));
    for (const target of renamed) {
      expect(
        mapping.rules.filter((r) => r.destination.join('.') === target),
        target,
      ).toHaveLength(1);
    }
    // related.user is written by two appends; user.name's source is read again by related.user.
    expect(renamed).not.toContain('related.user');
    expect(renamed).not.toContain('user.name');
  });

  it('a rename onto a field the event already holds overwrites it and consumes the source, as set does', () => {
    const ir = loadFixtureIR('entro');
    const { pipeline } = buildPipeline(ir, ir.streams[0]!);
    const record = loadFixtureRecords('entro', 'audit')[0] as { results: { request_id: string } };
    const got = simulate(pipeline as unknown as PipelineDefinition, {
      message: JSON.stringify(record),
      event: { id: 'from-the-agent' },
    });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    const doc = got.doc as { event: { id: string }; entro: { audit: { results: Record<string, unknown> } } };
    expect(doc.event.id).toBe(record.results.request_id);
    expect(doc.entro.audit.results).not.toHaveProperty('request_id');
  });
});
