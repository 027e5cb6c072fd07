/**
 * Integration names that start with a digit (issue 9 item 7: Elastic's `1password`-style package
 * names). Each bundled map is renamed to `1<name>` (the integration, its namespace, its datasets
 * and every path under the namespace), compiled, and run on every engine with and without its
 * record schema: each gives the bundled fixture's expected document with the namespace key and
 * the dataset renamed, and the same id (ids hash vendor record paths, which the rename does not
 * touch). The rename goes through each target's own path quoting (Painless `ctx['1x']`, VRL
 * `."1x"`, Logstash `[1x]`), and settings reach Vector and Logstash through `_1X_...`
 * environment variables (`compiler/check/names.ts` `envVarName`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { loadFixtureCases, REPO_ROOT } from '../support/fixtures.ts';
import { renameIntegration } from '../support/rename-integration.ts';
import { canonical, withoutEngineStamp } from './compare.ts';
import { ENGINES, type Engine, type EngineName } from './engines.ts';
import { bundledMaps } from './maps.ts';

/** The expected document of the renamed map: the namespace key and `*.dataset` values renamed. */
function renamedDoc(doc: Record<string, unknown>, name: string, renamed: string): Record<string, unknown> {
  const text = JSON.stringify(doc).replaceAll(`"${name}":`, `"${renamed}":`).replaceAll(`"${name}.`, `"${renamed}.`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function digitNameSuite(engine: (name: EngineName) => Engine): void {
  const maps = bundledMaps();
  describe.each(maps.map((m) => [m.ir.name, m] as const))('%s renamed to start with a digit', (name, map) => {
    const renamed = `1${name}`;
    const source = renameIntegration(readFileSync(join(REPO_ROOT, map.file), 'utf8'), name, renamed);
    const compiled = compileSource(source, map.file);

    it('compiles with no error, under the new name and namespace', () => {
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(compiled.ir?.name).toBe(renamed);
      for (const stream of compiled.ir?.streams ?? []) {
        expect(stream.dataset.startsWith(`${renamed}.`)).toBe(true);
        expect(stream.mapping.namespace[0]).toBe(renamed);
      }
      for (const setting of [...(compiled.ir?.settings ?? []), ...(compiled.ir?.secrets ?? [])])
        expect(setting.envVar).toMatch(new RegExp(`^_${renamed.toUpperCase()}_[A-Z0-9_]+$`));
    });

    const forms: [string, IntegrationIR | undefined][] = [
      ['with its record schemas', compiled.ir],
      ['without record schemas', compiled.ir && stripSchemas(compiled.ir)],
    ];
    describe.each(forms.flatMap(([form, ir]) => map.fixtureStreams.map((s) => [s, form, ir] as const)))(
      'fixtures of %s, %s',
      (stream, _form, ir) => {
        const cases = loadFixtureCases(name, stream);
        it.each(ENGINES)('%s gives the renamed expected documents and the same ids', async (engineName) => {
          if (!ir) throw new Error(`${map.file} renamed does not compile`);
          const outputs = await engine(engineName)(
            ir,
            stream,
            cases.map((c) => c.message),
          );
          expect(outputs.map((o, i) => canonical(withoutEngineStamp(o, cases[i]!.expected)))).toEqual(
            cases.map((c) =>
              canonical({
                ...(c.expected._id === undefined ? {} : { _id: c.expected._id }),
                doc: renamedDoc(c.expected.doc, name, renamed),
              }),
            ),
          );
        });
      },
    );
  });
}
