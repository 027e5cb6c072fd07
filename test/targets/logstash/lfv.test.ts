/**
 * The generated logstash-filter-verifier cases are well-formed per LFV's "Test case file
 * reference" (daemon mode): known keys only, `input_plugin` naming the pipeline's input id,
 * one input line and one expected event per case, and they carry every fixture exactly once.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { emitVendor, VENDORS } from '../../emulated/logstash/support.ts';

const FILE_KEYS = new Set([
  'input_plugin',
  'export_metadata',
  'ignore',
  'testcases',
  'fields',
  'codec',
  'export_outputs',
]);
const CASE_KEYS = new Set(['description', 'input', 'expected', 'fields']);

describe.each(VENDORS)('LFV test cases of %s', (vendor) => {
  const { ir, fixtures, result } = emitVendor(vendor);
  const lfv = result.files.filter((f) => f.path.startsWith('test/lfv/testcases/'));

  it('use only documented keys and reference the exec input id', () => {
    expect(lfv.length).toBeGreaterThan(0);
    for (const f of lfv) {
      const file = JSON.parse(f.content) as Record<string, unknown>;
      for (const k of Object.keys(file)) expect(FILE_KEYS.has(k)).toBe(true);
      const stream = ir.streams.find((s) => f.path.includes(`${ir.name}-${s.name}`));
      const conf = result.files.find((c) => c.path === `${ir.name}-${stream!.name}.conf`)!.content;
      expect(conf).toContain(`id => "${file['input_plugin'] as string}"`);
      expect(file['export_metadata']).toBe(stream!.mapping.documentId !== undefined);
      for (const c of file['testcases'] as Record<string, unknown>[]) {
        for (const k of Object.keys(c)) expect(CASE_KEYS.has(k)).toBe(true);
        expect(c['input']).toHaveLength(1);
        expect(c['expected']).toHaveLength(1);
        // The `line` codec splits input on newlines: a record must be one line.
        expect((c['input'] as string[])[0]).not.toContain('\n');
      }
    }
  });

  it('carry every fixture once, with the id under @metadata, the data stream fields, and @timestamp ignored only where unset', () => {
    for (const stream of ir.streams) {
      const cases = fixtures.get(stream.name) ?? [];
      const got = lfv
        .filter((f) => f.path.includes(`/${ir.name}-${stream.name}`))
        .flatMap((f) => {
          const file = JSON.parse(f.content) as {
            ignore: string[];
            testcases: { input: string[]; expected: Record<string, unknown>[] }[];
          };
          return file.testcases.map((c) => ({ ignore: file.ignore, message: c.input[0], expected: c.expected[0]! }));
        });
      expect(got.map((g) => g.message).sort()).toEqual(cases.map((c) => c.message).sort());
      for (const g of got) {
        const c = cases.find((x) => x.message === g.message)!;
        const { '@metadata': meta, data_stream: dataStream, ...doc } = g.expected;
        expect(doc).toEqual(c.expected.doc);
        expect(dataStream).toEqual({ type: 'logs', dataset: stream.dataset, namespace: 'default' });
        expect(meta).toEqual(c.expected._id === undefined ? undefined : { _id: c.expected._id });
        expect(g.ignore).toEqual('@timestamp' in c.expected.doc ? [] : ['@timestamp']);
      }
    }
  });

  it('ship an LFV pipelines.yml pointing at the generated pipelines', () => {
    const p = result.files.find((f) => f.path === 'test/lfv/pipelines.yml');
    const list = yaml.load(p!.content) as { 'pipeline.id': string; 'path.config': string }[];
    expect(list.map((x) => x['path.config']).sort()).toEqual(ir.streams.map((s) => `${ir.name}-${s.name}.conf`).sort());
  });
});
