/**
 * The lean lowering (targets/elastic/lean.ts) of the bundled maps: with their record schemas, no
 * rule of Entro goes through the `_mapc.v` scratch value or a `fail` guard, consumed copies are
 * one `rename`; the same maps without a schema give the guarded pipeline of before.
 */
import { describe, expect, it } from 'vitest';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { leanPlan, renamedRules } from '../../../targets/elastic/lean.ts';
import { recordBase } from '../../../targets/elastic/ingest-steps.ts';
import { loadFixtureIR, loadFixtureRecords } from '../../support/fixtures.ts';
import { simulate, type PipelineDefinition } from '../../emulated/ingest/processors.ts';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import { withValue } from '../../agreement/tiers.ts';
import { readFileSync } from 'node:fs';
import { compileSource } from '../../../compiler/compile.ts';

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
    // 20 for the mapping (one failure report instead of an `append` per rule, run only when a rule
    // failed, and one `remove` of the consumed sources otherwise; the collection time set aside in
    // ingest metadata), plus the `terminate` of Agent error events (targets/elastic/conventions.ts).
    expect(pipeline.processors.length).toBe(21);
    expect(kinds(pipeline.processors).filter((k) => k === 'append')).toHaveLength(2);
    expect(text).not.toContain('_mapc');
  });

  it('without the schema each bundled map keeps the guarded form', () => {
    for (const vendor of ['entro', 'endor_labs', 'enpass', 'bitwarden']) {
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
    // The lean plan: related.user copies user.name (a derived append), so user.name may consume
    // actor.name with a rename; related.user, written twice, never is one.
    const planned = [...leanPlan(mapping, recordBase(ir.streams[0]!)).renamed.keys()].map((r) =>
      r.destination.join('.'),
    );
    expect(planned).toEqual(expect.arrayContaining(['user.name', 'user.email']));
    expect(planned).not.toContain('related.user');
  });

  it('endor_labs and enpass: one report after the rules, one script per source group, appends copying the earlier target', () => {
    const expected: Record<string, number> = { endor_labs: 23, enpass: 27 };
    for (const vendor of ['endor_labs', 'enpass']) {
      const ir = loadFixtureIR(vendor);
      const { pipeline, diagnostics } = buildPipeline(ir, ir.streams[0]!);
      expect(diagnostics).toEqual([]);
      const processors = pipeline.processors as Record<string, Record<string, unknown>>[];
      const text = JSON.stringify(processors);
      expect(processors.length, vendor).toBe(expected[vendor]);
      expect(text, vendor).not.toContain('_mapc');
      expect(kinds(processors), vendor).not.toContain('fail');
      expect(kinds(processors), vendor).not.toContain('gsub');
      const tags = processors.map((p) => Object.values(p)[0]!['tag'] as string);
      expect(
        tags.filter((t) => t.startsWith('report_rule_failures')),
        vendor,
      ).toEqual(['report_rule_failures']);
      // The report runs only when a rule failed or a consumed source stays; else one `remove`.
      // Enpass: the IP rule and its derived append fail under one test, so their errors are one
      // `append` after the report and the IP text its own `remove` (no script for an invalid IP).
      expect(
        tags.filter((t) => t.startsWith('remove_consumed')),
        vendor,
      ).toEqual(
        vendor === 'enpass'
          ? ['remove_consumed_sources', 'remove_consumed_enpass_events_ip_address']
          : ['remove_consumed_sources'],
      );
      if (vendor === 'enpass') {
        const tail = processors.find((p) => p['append']?.['tag'] === 'error_source_ip')!['append']!;
        expect(tail['value']).toEqual([
          'mapc: cannot map ip_address to source.ip',
          'mapc: cannot map ip_address to related.ip',
        ]);
      }
      const report = processors.find((p) => p['script']?.['tag'] === 'report_rule_failures')!['script']!;
      const removal = processors.find((p) => p['remove']?.['tag'] === 'remove_consumed_sources')!['remove']!;
      expect(report['if'], vendor).toEqual(expect.any(String));
      expect(removal['if'], vendor).toEqual(expect.any(String));
      // Endor Labs: both lookups of spec.operation in one script, which also writes the lowercase
      // of a value holding İ or Σ (the `lowercase` processor before it writes every other value);
      // Enpass: both lookups of category in one, the lowercase of activity by the `lowercase`
      // processor (a script of its own only for a value holding İ or Σ).
      expect(
        tags.filter((t) => t.startsWith('map_')),
        vendor,
      ).toHaveLength(1);
      expect(
        kinds(processors).filter((k) => k === 'script'),
        vendor,
      ).toHaveLength(vendor === 'enpass' ? 4 : 3);
      const appends = processors.flatMap((p) => (p['append'] ? [p['append']] : []));
      expect(appends.find((a) => a['field'] === 'related.ip')?.['copy_from'], vendor).toBe('source.ip');
      expect(appends.find((a) => a['field'] === 'related.user')?.['copy_from'], vendor).toBe('user.name');
    }
  });

  it("lowercase: the processor, the script for İ and Σ, the source group script give the interpreter's simple mapping", () => {
    const texts = ['ΟΔΟΣ ΣΑΣ Σ', 'i ı İ I', 'İSTANBUL', 'straße Ǆ 𐐀', 'Login', ''];
    for (const [vendor, stream, path] of [
      ['enpass', 'events', 'activity'],
      ['endor_labs', 'audit', 'spec.operation'],
    ] as const) {
      const ir = loadFixtureIR(vendor);
      const { pipeline } = buildPipeline(ir, ir.streams[0]!);
      const base = loadFixtureRecords(vendor, stream)[0] as Record<string, unknown>;
      for (const text of texts) {
        const record = withValue(base, path.split('.'), text);
        const message = JSON.stringify(record);
        const want = mapRecord(ir.streams[0]!, message, defaultSettings(ir));
        const got = simulate(pipeline as unknown as PipelineDefinition, { message });
        expect(got.ok, `${vendor} ${text}`).toBe(true);
        if (got.ok) expect(got.doc, `${vendor} ${text}`).toEqual(want.doc);
      }
    }
  });

  it('a rename never moves the value of a reported rule before its report reads it', () => {
    // `related.user += actor.name | lowercase` fails on the integer 5 (its report entry tests for a
    // String); `user.name = actor.name` then renames the 5 away (it conforms to `integer |
    // string`): the report of the first rule must come before the rename.
    const text = readFileSync('maps/enpass.map', 'utf8')
      .replace(/\n\s*event\.action {4}=[^\n]*/, '')
      .replace(/\n\s*related\.user {3}\+= actor\.name, actor\.email[^\n]*/, '')
      .replace(/(\n\s*)user\.name {7}= actor\.name/, '$1related.user += actor.name | lowercase$1user.name = actor.name')
      .replace(/actor\.name {2}string/, 'actor.name  integer | string');
    const { ir } = compileSource(text, 'maps/enpass.map');
    expect(ir).toBeDefined();
    const stream = ir!.streams[0]!;
    expect(stream.mapping.rules.map((r) => r.destination.join('.'))).toContain('related.user');
    const { pipeline } = buildPipeline(ir!, stream);
    const base = loadFixtureRecords('enpass', 'events')[0] as Record<string, unknown>;
    for (const name of [5, 'Jane', ['x']]) {
      const message = JSON.stringify(withValue(base, ['actor', 'name'], name));
      const want = mapRecord(stream, message, defaultSettings(ir!));
      const got = simulate(pipeline as unknown as PipelineDefinition, { message });
      expect(got.ok).toBe(true);
      if (got.ok) expect(got.doc, JSON.stringify(name)).toEqual(want.doc);
    }
  });

  it('bitwarden: keyword | lookup of an integer code is a table read by its decimal text, one script per path', () => {
    const ir = loadFixtureIR('bitwarden');
    const stream = ir.streams[0]!;
    const { pipeline, diagnostics } = buildPipeline(ir, stream);
    expect(diagnostics).toEqual([]);
    const processors = pipeline.processors as Record<string, Record<string, unknown>>[];
    // Was 411: one `set` per table entry (six tables of up to 70 codes).
    expect(processors.length).toBeLessThanOrEqual(70);
    const tags = processors.map((p) => Object.values(p)[0]!['tag'] as string);
    expect(tags.filter((t) => /^lookup_.*_[0-9]+_/.test(t))).toEqual([]);
    expect(tags).toContain('map_event_categories_event_types_event_outcomes');
    // No scratch value or lookup result (`_mapc` holds only the conditional removes' marks).
    expect(JSON.stringify(processors)).not.toMatch(/_mapc\??\.[vl]\b/);
    // Every code of every table, codes no table has, and values the declaration does not allow.
    const codes = new Set<unknown>([0, 25, 26, 99, -1, 1999, 2100, 1e15]);
    for (const rule of stream.mapping.rules)
      for (const t of rule.value.kind === 'field' ? rule.value.transforms : [])
        if (t.kind === 'lookup') for (const e of t.entries) codes.add(Number(e.from));
    const violating = [1000.5, '1000', true, [1000], { code: 1000 }, null];
    const base = loadFixtureRecords('bitwarden', 'event')[0] as Record<string, unknown>;
    for (const value of [...codes, ...violating]) {
      for (const path of ['type', 'device']) {
        const message = JSON.stringify(withValue(base, [path], value));
        const want = mapRecord(stream, message, defaultSettings(ir));
        const got = simulate(pipeline as unknown as PipelineDefinition, { message });
        expect(got.ok, `${path} ${JSON.stringify(value)}`).toBe(true);
        if (got.ok) expect(got.doc, `${path} ${JSON.stringify(value)}`).toEqual(want.doc);
      }
    }
  });

  it('keyword | lookup keys a String, an Integer and a Boolean by their text; a plain lookup of an Integer misses', () => {
    const text = readFileSync('maps/bitwarden.map', 'utf8')
      .replace(/type {13}integer/, 'type             integer | string | boolean')
      .replace(/"2100" => "Secret_Retrieved"/, '"2100" => "Secret_Retrieved"\n  "true" => "T"\n  "x" => "X"')
      .replace(
        /(\n\s*)bitwarden\.event\.type\.name {8}= type \| keyword \| lookup\(event_names\)/,
        '$1bitwarden.event.type.name        = type | keyword | lookup(event_names)$1bitwarden.event.type.raw_name    = type | lookup(event_names)',
      );
    const { ir, diagnostics } = compileSource(text, 'maps/bitwarden.map');
    expect(ir, JSON.stringify(diagnostics)).toBeDefined();
    const stream = ir!.streams[0]!;
    const { pipeline } = buildPipeline(ir!, stream);
    const scripts = JSON.stringify(pipeline.processors);
    expect(scripts).toContain('v = v.toString();');
    const base = loadFixtureRecords('bitwarden', 'event')[0] as Record<string, unknown>;
    const names: Record<string, unknown> = {};
    for (const value of [1000, '1000', true, 'true', 'x', false, 2100, 1000.5, ['x']]) {
      const message = JSON.stringify(withValue(base, ['type'], value));
      const want = mapRecord(stream, message, defaultSettings(ir!));
      const got = simulate(pipeline as unknown as PipelineDefinition, { message });
      expect(got.ok, JSON.stringify(value)).toBe(true);
      if (got.ok) expect(got.doc, JSON.stringify(value)).toEqual(want.doc);
      const type = ((want.doc['bitwarden'] as Record<string, unknown>)['event'] as Record<string, unknown>)['type'];
      names[JSON.stringify(value)] = type;
    }
    // The interpreter's own answers, which the pipeline gave above.
    expect(names['1000']).toEqual({ value: '1000', name: 'User_LoggedIn' });
    expect(names['"1000"']).toEqual({ value: '1000', name: 'User_LoggedIn', raw_name: 'User_LoggedIn' });
    expect(names['true']).toEqual({ value: 'true', name: 'T' });
    expect(names['"x"']).toEqual({ value: 'x', name: 'X', raw_name: 'X' });
    expect(names['false']).toEqual({ value: 'false' });
  });

  it('tier 2 through the report: errors in rule order, violating values kept, as the interpreter gives them', () => {
    const ir = loadFixtureIR('enpass');
    const stream = ir.streams[0]!;
    const { pipeline } = buildPipeline(ir, stream);
    const record = {
      ...(loadFixtureRecords('enpass', 'events')[0] as Record<string, unknown>),
      category: 5,
      activity: ['Login'],
      actor: { name: 7, email: 'a@b.example' },
      ip_address: '300.1.1.1',
    };
    const message = JSON.stringify(record);
    const want = mapRecord(stream, message, defaultSettings(ir));
    const got = simulate(pipeline as unknown as PipelineDefinition, { message });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect((got.doc['error'] as { message: string[] }).message).toEqual([
      'mapc: cannot map category to event.category',
      'mapc: cannot map category to event.type',
      'mapc: cannot map activity to event.action',
      'mapc: cannot map activity to message',
      'mapc: cannot map actor.name to user.name',
      'mapc: cannot map actor.name to related.user',
      'mapc: cannot map ip_address to source.ip',
      'mapc: cannot map ip_address to related.ip',
    ]);
    expect(got.doc).toEqual(want.doc);
    expect(got._id).toBe(want.id);
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
