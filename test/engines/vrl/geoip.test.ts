/**
 * `geoip` / `asn` (compiler/ir.ts step 4a) in the Vector remap, on both real VRL runtimes.
 *
 * What is proven and what is not: verel (VRL 0.25) and the native `vrl` CLI (0.38) have no
 * enrichment tables, and refuse a program that calls `get_enrichment_table_record` on a table
 * they do not know. The harness (./harness.ts `withEnrichment`) therefore replaces exactly the
 * generated lookup expression (`targets/vector/vrl/enrich.ts` `lookupExpression`) with a fallible
 * stand-in of the same shape, `object(get!(<the records the test database holds, by address>, [ip]))`: an object for an
 * address the table holds, an error otherwise, as Vector's `mmdb` table returns the database's
 * record or fails with "IP not found" (vectordotdev/vector `src/enrichment_tables/mmdb.rs`). The
 * rest of the program runs unchanged on both runtimes and must give the interpreter's documents
 * on the same test database. Not proven here: Vector itself loading the `mmdb` table (no Vector
 * binary is available), and that table's decoding of the MaxMind file (the stand-in's records are
 * the `maxmind` npm reader's, which the interpreter uses too).
 */
import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'maxmind';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { loadGeoDatabases, mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { lookupExpression } from '../../../targets/vector/vrl/enrich.ts';
import { enrichTable } from '../../../targets/vector/enrich.ts';
import { vrlLiteral } from '../../../targets/vector/quote.ts';
import { baseMap, brief } from '../../compiler/helpers.ts';
import { EXPECTED_GEO, testGeoDatabases } from '../../support/geoip.ts';
import { remapOf, RUNTIMES, withoutCollectionTime } from './harness.ts';

const RULES = [
  '    source.ip = addr | ip',
  '    destination.ip = to | ip on_error ignore',
  '    geoip source.ip',
  '    asn source.ip',
  '    geoip destination.ip',
];
const ADDRESSES = [...Object.keys(EXPECTED_GEO), '2001:0db8:85a3:0000:0000:8a2e:0370:7334'];

function compiled(withSchema: boolean): IntegrationIR {
  const schema = withSchema
    ? '  record {\n    created string format iso8601\n    addr string optional\n    to any optional\n  }'
    : '';
  const result = compileSource(baseMap({ rules: RULES.join('\n'), streamItems: schema }), 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  return result.ir;
}

/** The records a database holds for each address, as a VRL object literal (missing: absent). */
function standIn(path: string): string {
  const reader = new Reader<Response>(readFileSync(path));
  const table: Record<string, unknown> = {};
  for (const addr of ADDRESSES) {
    const found = reader.get(addr);
    if (found !== null) table[addr] = found;
  }
  const at = { file: 'test', offset: 0, length: 0, line: 1, column: 1 };
  return vrlLiteral(table, at);
}

describe('the Vector config', () => {
  it('declares one mmdb table per database kind, its path a key of the secrets file', () => {
    const files = vectorBackend.emit(compiled(true), {}).files;
    const yaml = files.find((f) => f.path === 'vector.yaml')!.content;
    expect(yaml).toContain(
      [
        'enrichment_tables:',
        '  acme_geoip_city:',
        '    type: mmdb',
        '    path: SECRET[mapc_acme.GEOIP_CITY_DATABASE]',
        '  acme_geoip_asn:',
        '    type: mmdb',
        '    path: SECRET[mapc_acme.GEOIP_ASN_DATABASE]',
      ].join('\n'),
    );
    const secrets = JSON.parse(files.find((f) => f.path === 'secrets.example.json')!.content) as Record<string, string>;
    expect(secrets['GEOIP_CITY_DATABASE']).toBe('/var/lib/GeoIP/GeoLite2-City.mmdb');
    expect(files.find((f) => f.path === 'README.md')!.content).toContain('`GEOIP_ASN_DATABASE`');
  });
});

const cases = RUNTIMES.flatMap((runtime) =>
  [true, false].map((lean) => [runtime.name, lean ? 'lean' : 'guarded', runtime, lean] as const),
);

describe.each(cases)('geoip and asn on %s (%s remap)', (_name, _form, runtime, lean) => {
  const ir = lean ? compiled(true) : stripSchemas(compiled(true));
  const stream = ir.streams[0]!;
  const { city, asn } = testGeoDatabases();
  const yaml = vectorBackend.emit(ir, {}).files.find((f) => f.path === 'vector.yaml')!.content;
  // The harness (./harness.ts withEnrichment) replaces each lookup by the stand-in.
  const program = remapOf(
    ir,
    {},
    { [enrichTable(ir, 'geoip')]: standIn(city), [enrichTable(ir, 'asn')]: standIn(asn) },
  );

  it('calls get_enrichment_table_record once per enrichment, and compiles with the stand-in', () => {
    expect(yaml.split(lookupExpression(enrichTable(ir, 'geoip'))).length - 1).toBe(2);
    expect(yaml.split(lookupExpression(enrichTable(ir, 'asn'))).length - 1).toBe(1);
    expect(program).not.toContain('get_enrichment_table_record');
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
  });

  it('gives the interpreter documents on the test databases, address by address', () => {
    const geoDatabases = loadGeoDatabases([city, asn]);
    const records = ADDRESSES.flatMap((addr) =>
      [addr, 'not an address', null].map((to) => JSON.stringify({ created: '2024-01-01T00:00:00Z', addr, to })),
    );
    const results = runtime.runBatch(
      program,
      records.map((message) => ({ message })),
    );
    records.forEach((message, i) => {
      const expected = mapRecord(stream, message, {}, { geoDatabases }).doc;
      const [got] = results[i]!;
      expect({ message, doc: withoutCollectionTime(got, expected) }).toEqual({ message, doc: expected });
    });
    expect(
      (mapRecord(stream, records[0]!, {}, { geoDatabases }).doc as { source: { geo: unknown } }).source.geo,
    ).toEqual(EXPECTED_GEO[ADDRESSES[0]!]);
  });
});
