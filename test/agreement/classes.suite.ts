/**
 * Every difference class of ./classes.ts is still needed and no wider than its name: its minimal
 * case (docs/target-differences.md) is in the class and really differs from the interpreter on
 * each engine the class names, and a near record is outside the class and agrees everywhere.
 * When an owner fixes an open class, this test fails until the class and its doc entry go.
 */
import { describe, expect, it } from 'vitest';
import { CLASSES } from './classes.ts';
import { canonical, withoutEngineStamp } from './compare.ts';
import { ENGINES, type Engine, type EngineName } from './engines.ts';
import { bundledMaps } from './maps.ts';

/** Registers the difference-class tests; `engine` gives each engine's adapter (./agreement.test.ts). */
export function classSuite(engine: (name: EngineName) => Engine): void {
  const irs = new Map(bundledMaps().map((m) => [m.ir.name, m.ir]));

  describe.each(CLASSES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const ir = irs.get(c.example.map);
    const stream = ir?.streams[0];

    it('its minimal case is in the class and differs from the interpreter on each engine it names', async () => {
      if (!ir || !stream) throw new Error(`no bundled map ${c.example.map}`);
      const message = JSON.stringify(c.example.record);
      const [want] = await engine('interpreter')(ir, stream.name, [message]);
      for (const name of c.engines) {
        expect(c.applies(stream, c.example.record), name).toBeDefined();
        const [got] = await engine(name)(ir, stream.name, [message]);
        // The collection time alone (compiler/ir.ts step 8) is no difference.
        expect(canonical(withoutEngineStamp(got!, want)), `${name} on ${message}`).not.toBe(canonical(want));
      }
    });

    it('a near record is outside the class and every engine agrees on it', async () => {
      if (!ir || !stream) throw new Error(`no bundled map ${c.example.map}`);
      expect(c.applies(stream, c.example.near)).toBeUndefined();
      const message = JSON.stringify(c.example.near);
      const [want] = await engine('interpreter')(ir, stream.name, [message]);
      const outputs = await Promise.all(
        ENGINES.map(
          async (name) =>
            [name, canonical(withoutEngineStamp((await engine(name)(ir, stream.name, [message]))[0]!, want))] as const,
        ),
      );
      expect(new Set(outputs.map(([, o]) => o)).size, JSON.stringify(Object.fromEntries(outputs))).toBe(1);
    });
  });
}
