/**
 * A map that chooses an older ECS release (`ecs "8.11.0"`, issue 9 item 14): each bundled map
 * with that line added compiles with no error, and on every engine gives its fixtures' expected
 * documents with `ecs.version` 8.11.0 instead of 9.4.0, and the same ids. The bundled maps use
 * no field that the two releases define differently, so nothing else changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { withEcsRelease } from '../support/ecs-release.ts';
import { loadFixtureCases, REPO_ROOT } from '../support/fixtures.ts';
import { canonical, withoutEngineStamp } from './compare.ts';
import { ENGINES, type Engine, type EngineName } from './engines.ts';
import { bundledMaps } from './maps.ts';

const RELEASE = '8.11.0';

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function ecsReleaseSuite(engine: (name: EngineName) => Engine): void {
  describe.each(bundledMaps().map((m) => [m.ir.name, m] as const))(`%s on ECS ${RELEASE}`, (name, map) => {
    const compiled = compileSource(withEcsRelease(readFileSync(join(REPO_ROOT, map.file), 'utf8'), RELEASE), map.file);

    it('compiles with no error, on that release', () => {
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(compiled.ir?.ecsVersion).toBe(RELEASE);
    });

    describe.each(map.fixtureStreams)('fixtures of %s', (stream) => {
      const cases = loadFixtureCases(name, stream);
      it.each(ENGINES)(`%s gives the expected documents with ecs.version ${RELEASE}, and the same ids`, async (e) => {
        const ir = compiled.ir;
        if (!ir) throw new Error(`${map.file} on ECS ${RELEASE} does not compile`);
        const outputs = await engine(e)(
          ir,
          stream,
          cases.map((c) => c.message),
        );
        expect(outputs.map((o, i) => canonical(withoutEngineStamp(o, cases[i]!.expected)))).toEqual(
          cases.map((c) => {
            const doc = structuredClone(c.expected.doc) as { ecs?: { version?: string } };
            expect(doc.ecs?.version).toBe('9.4.0');
            doc.ecs!.version = RELEASE;
            return canonical({ ...(c.expected._id === undefined ? {} : { _id: c.expected._id }), doc });
          }),
        );
      });
    });
  });
}
