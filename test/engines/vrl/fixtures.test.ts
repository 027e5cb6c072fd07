/**
 * The Vector configs of every fixture vendor on both real VRL runtimes (VRL 0.25 in WASM, VRL
 * 0.38 native, `./harness.ts`): each remap compiles with no error and no warning, maps every
 * fixture record to exactly its expected document and id, and the generated Vector unit tests
 * pass in the same harness.
 */
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { listFixtureStreams, loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';
import {
  deploymentEnv,
  loadVectorConfig,
  RUNTIMES,
  runUnitTests,
  withoutCollectionTime,
  type VrlRuntime,
} from './harness.ts';

const vendors = [...new Set(listFixtureStreams().map((s) => s.vendor))];
const cases = vendors.flatMap((vendor) => RUNTIMES.map((runtime) => [vendor, runtime.name, runtime] as const));

describe.each(cases)('Vector config of %s on %s', (vendor, _name, runtime: VrlRuntime) => {
  const ir = loadFixtureIR(vendor);
  const fixtures = new Map(ir.streams.map((s) => [s.name, loadFixtureCases(vendor, s.name)]));
  const { files, diagnostics } = vectorBackend.emit(ir, { fixtures });
  const yamlText = files.find((f) => f.path === 'vector.yaml')?.content ?? '';
  const config = loadVectorConfig(yamlText, deploymentEnv(ir));

  it('emits no error diagnostic', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  describe.each(ir.streams.map((s) => [s.name, s] as const))('stream %s', (name, stream) => {
    const remap = config.transforms[`${ir.name}_${name}_remap`];
    const cases = fixtures.get(name) ?? [];

    it("the route sends stdout lines to the remap and the collector's stderr lines to its log sink", () => {
      const route = config.transforms[`${ir.name}_${name}_route`] as unknown as { route: Record<string, string> };
      for (const condition of Object.values(route.route))
        expect(runtime.check(condition)).toEqual({ errors: [], warnings: [] });
      const decide = (stream: string): boolean[] =>
        Object.values(route.route).map((c) => runtime.condition(c, { message: '{}', stream }) === true);
      expect(decide('stdout')).toEqual([true, false]);
      expect(decide('stderr')).toEqual([false, true]);
    });

    it('the remap compiles with zero errors and zero warnings', () => {
      expect(remap?.source).toContain('mapc_');
      expect(runtime.check(remap?.source ?? '')).toEqual({ errors: [], warnings: [] });
    });

    it(`maps every fixture record (${cases.length}) to its expected document and id`, () => {
      expect(cases.length).toBeGreaterThan(0);
      const outputs = runtime.runBatch(
        remap?.source ?? '',
        cases.map((c) => ({ message: c.message })),
      );
      const actual = outputs.map((events) => events.map(({ _id, ...doc }) => ({ _id, doc })));
      expect(actual).toEqual(cases.map((c) => [{ _id: c.expected._id, doc: c.expected.doc }]));
    });

    it('with the original-event setting on, adds event.original exactly as the interpreter does', () => {
      const setting = stream.mapping.original?.setting;
      const envVar = ir.settings.find((s) => s.name === setting)?.envVar;
      if (!setting || !envVar) {
        expect(remap?.source).not.toContain('event.original');
        return;
      }
      const on = loadVectorConfig(yamlText, deploymentEnv(ir, { [envVar]: 'true' })).transforms[
        `${ir.name}_${name}_remap`
      ];
      const outputs = runtime.runBatch(
        on?.source ?? '',
        cases.map((c) => ({ message: c.message })),
      );
      cases.forEach((c, i) => {
        const expected = mapRecord(stream, c.message, { [setting]: true });
        const { _id, ...doc } = outputs[i]?.[0] ?? {};
        expect(withoutCollectionTime(doc, expected.doc)).toEqual(expected.doc);
        expect((doc.event as Record<string, unknown>).original).toBe(c.message);
      });
    });

    it('passes its generated Vector unit tests: one per fixture record, and the collector log route', () => {
      const results = runUnitTests(config, runtime).filter((r) => r.name.startsWith(`${ir.name}.${name} `));
      expect(results.map((r) => r.name)).toEqual([
        `${ir.name}.${name} collector log lines bypass the mapping`,
        ...cases.map((_, i) => `${ir.name}.${name} fixture record ${i + 1}`),
      ]);
      expect(results.filter((r) => !r.passed)).toEqual([]);
    });
  });
});
