/**
 * The two tiers of record-schema semantics (module doc of `compiler/ir.ts`, "Record schemas") on
 * the reference interpreter, with the bundled maps' schemas:
 * - tier 1: a random record that conforms maps to exactly the document and id the same map gives
 *   without its schema;
 * - tier 2: a rule whose source value breaks its declaration writes nothing, the value stays in
 *   the vendor namespace (unless the rule redacts: then it is deleted), error.message says which
 *   rule, and the rest of the document is what it would have been.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../../compiler/compile.ts';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR, StreamIR } from '../../../compiler/ir.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { recordValidator } from '../../../compiler/schema/validate.ts';
import { conformingRecord } from './arbitraries.ts';

const SEED = 8_2025;

function bundled(vendor: string): { ir: IntegrationIR; stream: StreamIR; plain: StreamIR } {
  const { ir } = compileFile(`maps/${vendor}.map`);
  if (!ir) throw new Error(`maps/${vendor}.map does not compile`);
  return { ir, stream: ir.streams[0]!, plain: stripSchemas(ir).streams[0]! };
}

describe.each(['endor_labs', 'entro', 'enpass', 'bitwarden'])('tier 1 on maps/%s.map', (vendor) => {
  const { ir, stream, plain } = bundled(vendor);
  const settings = defaultSettings(ir);

  it('has a schema, which stripSchemas removes everywhere', () => {
    expect(stream.schema).toBeDefined();
    expect(JSON.stringify(plain)).not.toMatch(
      /"(schema|fieldType|fieldTypes|elementType|removeTypes)"|"source":\{"origin"/,
    );
    expect(JSON.stringify(ir)).toMatch(/"source":\{"origin"/);
  });

  it(`a conforming record maps as without the schema (seed ${SEED})`, () => {
    const validator = recordValidator(ir.name, stream)!;
    fc.assert(
      fc.property(conformingRecord(stream.schema!, stream.source.split?.path), (record) => {
        expect(validator.violations(record)).toEqual([]);
        const message = JSON.stringify(record);
        expect(mapRecord(stream, message, settings)).toStrictEqual(mapRecord(plain, message, settings));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('tier 2 on maps/endor_labs.map', () => {
  const { ir, stream, plain } = bundled('endor_labs');
  const settings = defaultSettings(ir);
  const record = {
    uuid: 'u-1',
    tenant_meta: { namespace: 'acme' },
    meta: { create_time: '2024-11-13T15:30:45Z', created_by: 42 },
    spec: { operation: 'USER_LOGIN', remote_address: '203.0.113.7', payload: { success: true } },
  };

  it('the rules reading the violating value write nothing, it stays in the namespace, error.message names them', () => {
    const { doc, id } = mapRecord(stream, JSON.stringify(record), settings);
    const without = mapRecord(plain, JSON.stringify(record), settings);
    // Without the schema, 42 is copied as is to user.name and related.user.
    expect(without.doc).toMatchObject({ user: { name: 42 }, related: { user: [42] } });
    expect(doc).not.toHaveProperty('user');
    expect(doc).not.toHaveProperty('related.user');
    expect(doc).toHaveProperty(['endor_labs', 'audit', 'meta', 'created_by'], 42);
    expect(doc).toHaveProperty(
      ['error', 'message'],
      ['mapc: cannot map meta.created_by to user.name', 'mapc: cannot map meta.created_by to related.user'],
    );
    // Everything else as without the schema.
    const rest = (d: Record<string, unknown>): unknown => {
      const copy = structuredClone(d) as Record<string, Record<string, unknown>>;
      delete copy['user'];
      delete copy['error'];
      delete copy['related']!['user'];
      delete (copy['endor_labs']!['audit'] as Record<string, Record<string, unknown>>)['meta']!['created_by'];
      return copy;
    };
    expect(rest(doc)).toStrictEqual(rest(without.doc));
    expect(id).toBe(without.id);
  });

  it('a format violation fails the rules that read it; a condition reading a violating value is only false', () => {
    const bad = {
      ...record,
      meta: { create_time: '13/11/2024', created_by: 'jane' },
      spec: { ...record.spec, payload: { success: 'yes' } },
    };
    const { doc } = mapRecord(stream, JSON.stringify(bad), settings);
    expect(doc).not.toHaveProperty('@timestamp');
    expect(doc).toHaveProperty(['endor_labs', 'audit', 'meta', 'create_time'], '13/11/2024');
    expect(doc).not.toHaveProperty('event.outcome');
    expect(doc).toHaveProperty(['error', 'message'], ['mapc: cannot map meta.create_time to @timestamp']);
  });

  it('a missing or null value the schema forbids makes the rule do nothing, without an error', () => {
    const missing = { ...record, meta: { created_by: 'jane' }, tenant_meta: { namespace: null } };
    const { doc } = mapRecord(stream, JSON.stringify(missing), settings);
    expect(doc).not.toHaveProperty('@timestamp');
    expect(doc).not.toHaveProperty('organization');
    expect(doc).not.toHaveProperty('error');
  });
});

describe('tier 2 on maps/entro.map: redaction still fails closed', () => {
  const { ir, stream } = bundled('entro');
  const settings = defaultSettings(ir);

  it.each([[42], [true], [{ token: 'clear-text-secret' }], [['clear-text-secret']]])(
    'an exposed_value of %j is stored nowhere',
    (exposed: unknown) => {
      const record = {
        results: { request_id: 'r', secrets: { secret_type: 'T', exposed_value: exposed, line_number: 3 } },
        date: '12/11/2024',
      };
      const { doc } = mapRecord(stream, JSON.stringify(record), settings);
      expect(JSON.stringify(doc)).not.toContain('clear-text-secret');
      expect(doc).not.toHaveProperty(['entro', 'audit', 'results', 'secrets', 'exposed_value']);
      expect(doc).not.toHaveProperty('related.hash');
      // The hash rule fails and deletes the value (step 4), so the mask rule then finds nothing.
      expect(doc).toHaveProperty(
        ['error', 'message'],
        ['mapc: cannot map results.secrets.exposed_value to related.hash'],
      );
      expect(doc).toHaveProperty(['log', 'origin', 'file', 'line'], 3);
    },
  );

  it('a line_number of the wrong type fails its rule; the empty split array conforms', () => {
    const record = {
      results: { request_id: 'r', secrets: { secret_type: 'T', exposed_value: 'v', line_number: true } },
      date: '12/11/2024',
    };
    const { doc } = mapRecord(stream, JSON.stringify(record), settings);
    expect(doc).not.toHaveProperty('log');
    expect(doc).toHaveProperty(['entro', 'audit', 'results', 'secrets', 'line_number'], true);
    expect(
      recordValidator(ir.name, stream)!.violations({ results: { request_id: 'r', secrets: [] }, date: '12/11/2024' }),
    ).toEqual([]);
  });
});
