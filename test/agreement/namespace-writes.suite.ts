/**
 * A rule that writes the namespace copy of a field another rule maps to ECS keeps its write
 * (compiler/ir.ts step 5: such a source path is never consumed), on all five engines. Before,
 * `endor_labs.audit.uuid = uuid` beside `event.id = uuid` passed the checks and the field
 * vanished from every engine's document (issue 9, "No silent no-ops").
 */
import { expect, it } from 'vitest';
import { bundledMapWith } from '../support/bundled-map.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { failures, runAll } from './check.ts';
import type { Engine, EngineName } from './engines.ts';

const RULE = '    event.id           = uuid';

/** `maps/endor_labs.map` (with its record schema) with `endor_labs.audit.uuid = uuid` after its `event.id = uuid`. */
function endorWithNamespaceWrite() {
  return bundledMapWith('endor_labs', RULE, ['    endor_labs.audit.uuid = uuid']);
}

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function namespaceWriteSuite(engine: (name: EngineName) => Engine): void {
  it.each([
    ['with its record schema (lean output)', false],
    ['without (fully guarded output)', true],
  ])('keeps a namespace write of a consumed field on every engine, %s', async (_label, strip) => {
    const ir = strip ? stripSchemas(endorWithNamespaceWrite()) : endorWithNamespaceWrite();
    const stream = ir.streams[0]!;
    expect(stream.mapping.consumed.map((c) => c.path.join('.'))).not.toContain('uuid');
    const records = loadFixtureRecords('endor_labs', stream.name) as Record<string, unknown>[];
    const { outputs } = await runAll(
      engine,
      ir,
      stream.name,
      records.map((r) => JSON.stringify(r)),
    );
    records.forEach((record, i) => {
      const output = outputs.interpreter[i]!;
      if (output.crash !== undefined) throw new Error(`interpreter: ${output.crash}`);
      const doc = output.doc as { endor_labs: { audit: { uuid?: unknown } }; event: { id?: unknown } };
      expect(doc.endor_labs.audit.uuid, `record ${i}`).toBe(record['uuid']);
      expect(doc.event.id, `record ${i}`).toBe(record['uuid']);
    });
    expect(failures(stream, records as never, outputs, new Map())).toEqual([]);
  });
}
