/**
 * Properties of the interpreter on random records shaped like each vendor's (missing and null
 * fields, wrong types, unicode, long strings, odd IPs and timestamps): it never throws on a JSON
 * object, writes only ECS fields and its namespace, reports only the fixed error texts, and never
 * stores an Entro exposed secret in clear.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversionErrorMessage } from '../../../compiler/ir.ts';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';

/** A value of any JSON type, biased toward the troublesome ones. */
const oddValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 1000, maxLength: 3000 }),
  fc.constantFrom('203.0.113.42', '::1', 'fe80::1%eth0', '01.2.3.4', '2001:DB8::1', '::ffff:1.2.3.4', ''),
  fc.constantFrom(
    '2024-11-13T15:30:45.123456Z',
    '2024-11-13T15:30:45+05:30',
    '13/11/2024',
    '31/02/2024',
    '2024-11-13',
    'now',
  ),
  fc.constantFrom('USER_LOGIN', 'OPERATION_CREATE', 'Users', 'App', 'Billing'),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
);

/** An object where each known path is absent or holds an odd value. */
function shaped(paths: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(paths.map((p) => [p, fc.option(oddValue, { nil: undefined })]))).map((flat) => {
    const out: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(flat)) {
      if (value === undefined) continue;
      const parts = path.split('.');
      let node = out;
      for (const part of parts.slice(0, -1)) {
        if (typeof node[part] !== 'object' || node[part] === null || Array.isArray(node[part])) node[part] = {};
        node = node[part] as Record<string, unknown>;
      }
      node[parts[parts.length - 1]!] = value;
    }
    return out;
  });
}

const VENDORS = {
  endor_labs: [
    'uuid',
    'tenant_meta.namespace',
    'meta.create_time',
    'meta.created_by',
    'spec.operation',
    'spec.payload.success',
    'spec.remote_address',
  ],
  entro: [
    'results.request_id',
    'results.secrets.secret_type',
    'results.secrets.exposed_value',
    'results.secrets.line_number',
    'date',
  ],
  enpass: ['event_id', 'created_at', 'category', 'activity', 'actor.name', 'actor.email', 'component', 'ip_address'],
} as const;

describe.each(Object.entries(VENDORS))('%s on random records', (vendor, paths) => {
  const ir = loadFixtureIR(vendor);
  const stream = ir.streams[0]!;
  const namespaceRoot = stream.mapping.namespace[0]!;
  const ruleRoots = new Set(stream.mapping.rules.map((r) => r.destination[0]!));
  const errorTexts = new Set(stream.mapping.rules.map((r) => conversionErrorMessage(r)));

  it('never throws, writes only rule targets, its namespace and error.message, with a 64-hex id', () => {
    fc.assert(
      fc.property(shaped(paths), (record) => {
        const out = mapRecord(stream, JSON.stringify(record), defaultSettings(ir));
        for (const key of Object.keys(out.doc)) {
          expect(ruleRoots.has(key) || key === namespaceRoot || key === 'error').toBe(true);
        }
        const errors = (out.doc.error as { message?: unknown } | undefined)?.message;
        if (errors !== undefined) {
          expect(Array.isArray(errors)).toBe(true);
          for (const e of errors as unknown[]) expect(errorTexts.has(e as string)).toBe(true);
        }
        expect(out.id).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and its id ignores key order', () => {
    fc.assert(
      fc.property(shaped(paths), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        const a = mapRecord(stream, JSON.stringify(record), defaultSettings(ir));
        const b = mapRecord(stream, JSON.stringify(reversed), defaultSettings(ir));
        expect(b.id).toBe(a.id);
        expect(b.doc).toEqual(a.doc);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Entro redaction', () => {
  const ir = loadFixtureIR('entro');
  it('never stores an exposed secret longer than the kept prefix in clear', () => {
    const secret = fc.string({ unit: 'grapheme', minLength: 5, maxLength: 200 }).map((s) => `SECRET-${s}`);
    fc.assert(
      fc.property(secret, fc.option(fc.integer(), { nil: undefined }), (value, line) => {
        const record = {
          results: { request_id: 'r', secrets: { secret_type: 't', exposed_value: value, line_number: line } },
          date: '12/11/2024',
        };
        const out = mapRecord(ir.streams[0]!, JSON.stringify(record), defaultSettings(ir));
        expect(JSON.stringify(out.doc)).not.toContain(JSON.stringify(value).slice(1, -1));
        expect(out.doc).toHaveProperty(
          'entro.audit.results.secrets.exposed_value',
          `${[...value].slice(0, 4).join('')}********`,
        );
      }),
      { numRuns: 300 },
    );
  });
});
