/**
 * The bundled maps (`maps/*.map`) compiled once, with the vendor fixtures that go with them.
 *
 * The maps declare record schemas (`record { }`). Here every engine runs the schema-less form
 * (for Vector: the fully guarded remap; its lean, schema-typed remap is checked on both tiers by
 * ./vrl-tiers.test.ts), which tier 1 (module doc of
 * `compiler/ir.ts`, "Record schemas") makes identical to the schema's on conforming records.
 * The random and curated records here are mostly *violating* ones (wrong JSON types at every
 * path), where tier 2 applies. So the suites compare the engines with the IR without its
 * schemas (`stripSchemas`); `test/compiler/schema/tiers.test.ts` proves the two semantics agree
 * on conforming records. When the targets lower with the schema, drop the stripping here and
 * check tier 2 on the violating records.
 *
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileFile } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { listFixtureStreams, REPO_ROOT } from '../support/fixtures.ts';

export interface BundledMap {
  readonly file: string;
  readonly ir: IntegrationIR;
  /** Streams of this map that have fixture records (`fixtures/<name>/<stream>/records.json`). */
  readonly fixtureStreams: readonly string[];
}

/** @throws Error when a bundled map does not compile (that is another suite's failure, loudly). */
export function bundledMaps(): BundledMap[] {
  const dir = join(REPO_ROOT, 'maps');
  const withFixtures = listFixtureStreams();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.map'))
    .sort()
    .map((f) => {
      const { ir, diagnostics } = compileFile(join(dir, f));
      if (!ir) throw new Error(`maps/${f} does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
      const fixtureStreams = withFixtures
        .filter((s) => s.vendor === ir.name && ir.streams.some((x) => x.name === s.stream))
        .map((s) => s.stream);
      return { file: `maps/${f}`, ir: stripSchemas(ir), fixtureStreams };
    });
}
