/**
 * `geoip FIELD` / `asn FIELD` (compiler/ir.ts `EnrichIR`, step 4a): the IR, the interpreter on the
 * test databases (test/support/geoip.ts, built by MaxMind's writer and read back with the
 * `maxmind` reader), `mapc preview --geoip-database` and `mapc collect --geoip-database`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Reader } from 'maxmind';
import { readFileSync } from 'node:fs';
import { compileSource } from '../../compiler/compile.ts';
import {
  InterpretError,
  loadGeoDatabases,
  mapRecord,
  openGeoDatabase,
  type GeoDatabase,
} from '../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { EXPECTED_AS, EXPECTED_GEO, testGeoDatabases } from '../support/geoip.ts';
import { mapcInProcess } from '../support/mapc.ts';
import { baseMap, brief } from './helpers.ts';

function ir(rules: string): IntegrationIR {
  const result = compileSource(baseMap({ rules }), 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  return result.ir;
}

const RULES = ['    source.ip = addr | ip', '    geoip source.ip', '    asn source.ip'].join('\n');

describe('the IR', () => {
  it('lists each enrichment with its field and target; a map without one has no enrich', () => {
    const mapping = ir(RULES).streams[0]!.mapping;
    expect(mapping.enrich?.map(({ database, field, target }) => ({ database, field, target }))).toEqual([
      { database: 'geoip', field: ['source', 'ip'], target: ['source', 'geo'] },
      { database: 'asn', field: ['source', 'ip'], target: ['source', 'as'] },
    ]);
    expect(mapping.enrich?.[0]!.loc).toMatchObject({ line: 25, column: 5 });
    expect(ir('    source.ip = addr | ip').streams[0]!.mapping).not.toHaveProperty('enrich');
  });
});

describe('the test databases', () => {
  it('are MaxMind DBs of the described types, read back by the maxmind reader', () => {
    const { city, asn } = testGeoDatabases();
    const cityReader = new Reader(readFileSync(city));
    expect(cityReader.metadata.databaseType).toBe('GeoLite2-City');
    expect(cityReader.get('203.0.113.7')).toMatchObject({ city: { names: { en: 'Berlin' } } });
    const asnReader = new Reader(readFileSync(asn));
    expect(asnReader.metadata.databaseType).toBe('GeoLite2-ASN');
    expect(asnReader.get('203.0.113.7')).toEqual({
      autonomous_system_number: 64500,
      autonomous_system_organization: 'Example Transit GmbH',
    });
    expect(asnReader.get('10.1.2.3')).toBeNull();
  });
});

describe('the interpreter', () => {
  const stream = ir(RULES).streams[0]!;
  const databases = (): GeoDatabase[] => loadGeoDatabases([testGeoDatabases().city, testGeoDatabases().asn]);
  const source = (addr: unknown, geoDatabases?: readonly GeoDatabase[]): Record<string, unknown> | undefined =>
    (
      mapRecord(stream, JSON.stringify({ addr }), {}, geoDatabases ? { geoDatabases } : {}).doc as {
        source?: Record<string, unknown>;
      }
    ).source;

  it('writes the ECS geo and as fields the databases hold, and nothing else', () => {
    const dbs = databases();
    for (const addr of Object.keys(EXPECTED_GEO)) {
      const s = source(addr, dbs)!;
      expect(s['ip'], addr).toBe(addr);
      expect(s['geo'], addr).toEqual(EXPECTED_GEO[addr]);
      expect(s['as'], addr).toEqual(EXPECTED_AS[addr]);
    }
  });

  it('reads the address as the rule wrote it: an uncompressed IPv6 address is found too', () => {
    const s = source('2001:0db8:85a3:0000:0000:8a2e:0370:7334', databases())!;
    expect(s['ip']).toBe('2001:0db8:85a3:0000:0000:8a2e:0370:7334');
    expect(s['geo']).toEqual(EXPECTED_GEO['2001:db8:85a3::8a2e:370:7334']);
  });

  it('writes nothing without databases, without the kind asked, or without an address', () => {
    expect(source('203.0.113.42')).toEqual({ ip: '203.0.113.42' });
    const cityOnly = loadGeoDatabases([testGeoDatabases().city]);
    expect(source('203.0.113.42', cityOnly)).toEqual({ ip: '203.0.113.42', geo: EXPECTED_GEO['203.0.113.42'] });
    // A value `| ip` refuses: no source.ip, no enrichment, only the rule's own error.
    const doc = mapRecord(stream, JSON.stringify({ addr: 'unknown' }), {}, { geoDatabases: databases() }).doc;
    expect(doc).not.toHaveProperty('source');
    expect((doc as { error: { message: string[] } }).error.message).toEqual(['mapc: cannot map addr to source.ip']);
    expect(source(null, databases())).toBeUndefined();
  });
});

describe('opening databases', () => {
  it('takes the kind from databaseType (-City, -ASN) and refuses other files', () => {
    const { city, asn } = testGeoDatabases();
    expect(openGeoDatabase(readFileSync(city), city).kind).toBe('geoip');
    expect(openGeoDatabase(readFileSync(asn), asn).kind).toBe('asn');
    expect(() => openGeoDatabase(Buffer.from('not a database'), 'x.mmdb')).toThrow(InterpretError);
    expect(() => openGeoDatabase(Buffer.from('not a database'), 'x.mmdb')).toThrow(
      /^E0704: x\.mmdb: not a MaxMind DB file/,
    );
    expect(() => loadGeoDatabases([city, city])).toThrow(/a second City database \(GeoLite2-City\)/);
    expect(() => loadGeoDatabases(['/nonexistent/GeoLite2-City.mmdb'])).toThrow(
      'cannot read /nonexistent/GeoLite2-City.mmdb: ENOENT',
    );
  });
});

describe('mapc preview --geoip-database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mapc-geoip-'));
  const map = join(dir, 'acme.map');
  writeFileSync(map, baseMap({ rules: RULES }));
  const input = join(dir, 'records.json');
  writeFileSync(input, JSON.stringify([{ created: '2024-01-01T00:00:00Z', addr: '198.51.100.23' }]));

  it('enriches with the databases given, and writes nothing without', async () => {
    const { city, asn } = testGeoDatabases();
    const run = await mapcInProcess([
      'preview',
      map,
      '--input',
      input,
      '--geoip-database',
      city,
      '--geoip-database',
      asn,
    ]);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout)[0].doc;
    expect(doc.source).toEqual({
      ip: '198.51.100.23',
      geo: EXPECTED_GEO['198.51.100.23'],
      as: EXPECTED_AS['198.51.100.23'],
    });
    const none = await mapcInProcess(['preview', map, '--input', input]);
    expect(JSON.parse(none.stdout)[0].doc.source).toEqual({ ip: '198.51.100.23' });
  });

  it('refuses a file that is not a City or ASN database', async () => {
    const bad = join(dir, 'bad.mmdb');
    writeFileSync(bad, 'nothing');
    const run = await mapcInProcess(['preview', map, '--input', input, '--geoip-database', bad]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`error: --geoip-database: E0704: ${bad}: not a MaxMind DB file`);
  });
});
