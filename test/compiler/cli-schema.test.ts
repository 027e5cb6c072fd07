/**
 * `mapc schema`, the schema violations `mapc preview` reports, and `mapc init`, run in process
 * through the real command line (`runMapcIn`) in a temporary working directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileFile } from '../../compiler/compile.ts';
import { recordValidator } from '../../compiler/schema/validate.ts';
import { mapcInProcess, type MapcRun } from '../support/mapc.ts';

const REPO = resolve(import.meta.dirname, '../..');
let dir: string;
/** `path` in the run's working directory. */
const at = (path: string): string => join(dir, path);

function mapc(...args: string[]): Promise<MapcRun> {
  return mapcInProcess(args, { cwd: dir });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mapc-schema-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('mapc schema', () => {
  it('prints the JSON Schema of the only stream', async () => {
    const run = await mapc('schema', join(REPO, 'maps', 'entro.map'));
    expect(run.status).toBe(0);
    const schema = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['required']).toEqual(['results', 'date']);
  });
  it('refuses a stream without a record block, and an unknown stream', async () => {
    writeFileSync(
      at('plain.map'),
      'integration a { title "A" vendor "A" version "0.1.0" description "d" }\nsetting base_url: url = "https://x.test"\nstream s { dataset "a.s" interval 5m request GET "{base_url}/x" records $ map { @timestamp = t | date(iso8601) } }\n',
    );
    const none = await mapc('schema', 'plain.map');
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('error: stream s of plain.map has no record schema: add a `record { ... }` block');
    const unknown = await mapc('schema', join(REPO, 'maps', 'entro.map'), '--stream', 'nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no stream nope');
  });
});

describe('mapc preview with a record schema', () => {
  it('reports each violation on stderr, maps the record anyway and exits 0', async () => {
    writeFileSync(
      at('entro-bad.json'),
      JSON.stringify([
        {
          results: {
            request_id: 'r1',
            secrets: [
              { secret_type: 'T', exposed_value: 'v1' },
              { secret_type: 7, exposed_value: 'v2' },
            ],
          },
          date: '12/11/2024',
        },
        { results: { request_id: 'r2', secrets: [] }, date: '2024/11/12' },
      ]),
    );
    const run = await mapc('preview', join(REPO, 'maps', 'entro.map'), '--input', 'entro-bad.json');
    const mapText = readFileSync(join(REPO, 'maps', 'entro.map'), 'utf8').split('\n');
    const lineOf = (text: string): number => mapText.findIndex((l) => l.startsWith(`    ${text}`)) + 1;
    expect(run.status).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([
      `warning: entro-bad.json: record 1, element 2: /results/secrets/secret_type is an integer; must be string (schema #/properties/results/properties/secrets/anyOf/0/properties/secret_type/type; declared at ${join(REPO, 'maps', 'entro.map')}:${lineOf('results.secrets.secret_type ')}:5)`,
      `warning: entro-bad.json: record 2: /date matches none of date pattern "dd/MM/yyyy" or format "mapc-iso8601" (schema #/properties/date/anyOf; declared at ${join(REPO, 'maps', 'entro.map')}:${lineOf('date ')}:5)`,
    ]);
    const docs = JSON.parse(run.stdout) as { doc: Record<string, unknown> }[];
    expect(docs).toHaveLength(3);
    expect(docs[1]!.doc).toMatchObject({
      error: { message: ['mapc: cannot map results.secrets.secret_type to rule.name'] },
    });
  });
});

describe('mapc init', () => {
  const shapes: Record<string, unknown[]> = {
    nested: [
      {
        id: 'a1',
        created_at: '2024-11-13T09:15:02.417Z',
        actor: { name: 'Jane', email: 'jane@acme.example' },
        client: { ip: '203.0.113.7' },
      },
      {
        id: 'a2',
        created_at: '2024-11-13T09:20:44Z',
        actor: { name: 'Sam', email: 'sam@acme.example' },
        client: { ip: '2001:db8::1' },
      },
    ],
    arrays_and_nulls: [
      { uuid: 'u1', ts: 1_731_489_302_417, tags: ['a', 'b'], owner: null, items: [{ k: 1 }], note: 'x' },
      { uuid: 'u2', ts: 1_731_489_302_999, tags: [], owner: 'ops', items: [], note: null },
    ],
    mixed_types: [
      { event_id: 1, value: 'x', count: 1, level: 1.5, flag: true, extra: { a: 1 }, who: 'svc' },
      { event_id: '2', value: 3, count: 2.5, level: 2, flag: 'yes', extra: 'none' },
      { event_id: 3, value: null, count: 3, level: 3, flag: false },
    ],
    odd_keys: [
      {
        'Event ID': 'e1',
        'ip-address': '198.51.100.1',
        format: 'json',
        optional: 1,
        'a.b': 'dot',
        'say "hi"': 'q',
        'user name': 'lee',
        '\ud800lone': 1,
        'tab\there': 't',
      },
      {
        'Event ID': 'e2',
        'ip-address': '198.51.100.2',
        format: 'csv',
        optional: 2,
        'a.b': 'dot',
        'say "hi"': 'q',
        'user name': 'kim',
      },
    ],
    nothing_evident: [{ a: 1 }, { a: 2, b: { c: [] } }],
  };

  it.each(Object.keys(shapes))(
    '%s: writes a map that checks with only warnings, whose schema the samples meet',
    async (shape) => {
      writeFileSync(at(`${shape}.json`), JSON.stringify(shapes[shape]));
      const run = await mapc('init', shape, '--sample', `${shape}.json`, '--out', 'maps');
      expect(run.stderr).not.toMatch(/error/);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`wrote ${join('maps', `${shape}.map`)}`);
      const mapFile = join('maps', `${shape}.map`);
      const compiled = compileFile(at(mapFile));
      expect(compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
      const records = JSON.parse(
        readFileSync(join(dir, 'fixtures', shape, 'events', 'records.json'), 'utf8'),
      ) as unknown[];
      expect(records).toEqual(shapes[shape]);
      const validator = recordValidator(compiled.ir!.name, compiled.ir!.streams[0]!)!;
      for (const record of records) expect(validator.violations(record)).toEqual([]);
      const check = await mapc('check', mapFile);
      expect(check.status).toBe(0);
    },
  );

  it('suggests ECS mappings for evident fields, each marked', () => {
    const text = readFileSync(join(dir, 'maps', 'nested.map'), 'utf8');
    for (const line of [
      'id id # suggested:',
      '@timestamp    = created_at | date(iso8601) # suggested: a time (iso8601) in every sample',
      'source.ip     = client.ip | ip',
      'related.ip   += client.ip | ip',
      'user.name     = actor.name',
      'related.user += actor.name',
      'user.email    = actor.email',
      'event.id      = id',
    ])
      expect(text).toContain(line);
    expect(text).toContain('    created_at  string format iso8601');
    expect(text).toContain('    client.ip   string format ip');
    expect(text).toContain('  records $ # assumed:');
    expect(text).toContain('#   cursor { max created_at format iso8601  start setting.backfill_start }');
    const arrays = readFileSync(join(dir, 'maps', 'arrays_and_nulls.map'), 'utf8');
    expect(arrays).toContain('@timestamp    = ts | date(unix_ms)');
    expect(arrays).toContain('    ts    integer format unix_ms');
    expect(arrays).toContain('    # tags  array of string');
    expect(arrays).toContain('    owner string nullable');
    expect(arrays).toContain('    # note  string nullable');
    expect(arrays).toContain('    # items array of object');
    const mixed = readFileSync(join(dir, 'maps', 'mixed_types.map'), 'utf8');
    expect(mixed).toContain('event.id  = event_id | keyword');
    expect(mixed).toContain('    event_id string | integer');
    expect(mixed).toContain('    # value    string | integer nullable');
    expect(mixed).toContain('    # flag     string | boolean');
    expect(mixed).toContain('    # count    number');
    expect(mixed).toContain('    # extra    string | object optional');
    expect(mixed).toContain('    # extra.a  integer');
    const odd = readFileSync(join(dir, 'maps', 'odd_keys.map'), 'utf8');
    expect(odd).toContain('id "Event ID" # suggested:');
    expect(odd).toContain('event.id      = "Event ID" | keyword');
    expect(odd).toContain('source.ip     = "ip-address" | ip');
    expect(odd).toContain('user.name     = "user name" | keyword');
    expect(odd).toContain('    # "format"     string');
    expect(odd).toContain('    # "say \\"hi\\"" string');
    expect(odd).toContain('    # "tab\\there"  string optional');
    // A name with a lone surrogate cannot be written in a map: it stays undeclared.
    expect(odd).not.toContain('lone');
  });

  it('finds the records path in a response page', async () => {
    writeFileSync(at('page.json'), JSON.stringify({ meta: { next: 'x' }, data: { items: [{ id: 'a' }], other: [1] } }));
    const run = await mapc('init', 'paged', '--sample', 'nested.json', '--response', 'page.json', '--out', 'maps');
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, 'maps', 'paged.map'), 'utf8')).toContain(
      '  records data.items # suggested: the first array of objects in page.json',
    );
    writeFileSync(at('empty-page.json'), JSON.stringify({ data: [] }));
    const none = await mapc(
      'init',
      'nopage',
      '--sample',
      'nested.json',
      '--response',
      'empty-page.json',
      '--out',
      'maps',
    );
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('empty-page.json holds no array of objects');
    expect(existsSync(join(dir, 'maps', 'nopage.map'))).toBe(false);
  });

  it('reports a folder it cannot create as an error of the run, not an internal one', async () => {
    writeFileSync(at('a-file'), '');
    const run = await mapc('init', 'blocked', '--sample', 'nested.json', '--out', join('a-file', 'maps'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot write a-file\/maps\/blocked\.map: ENOTDIR/m);
    expect(run.stderr).not.toContain('internal error');
  });

  it('refuses to replace anything without --force; with it keeps .bak copies', async () => {
    mkdirSync(at('keep'), { recursive: true });
    writeFileSync(join(dir, 'keep', 'mine.map'), '# my own work\n');
    const refused = await mapc('init', 'mine', '--sample', 'nested.json', '--out', 'keep');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${join('keep', 'mine.map')} already exists: nothing written`);
    expect(readFileSync(join(dir, 'keep', 'mine.map'), 'utf8')).toBe('# my own work\n');
    expect(existsSync(join(dir, 'fixtures', 'mine'))).toBe(false);
    const forced = await mapc('init', 'mine', '--sample', 'nested.json', '--out', 'keep', '--force');
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'keep', 'mine.map.bak'), 'utf8')).toBe('# my own work\n');
    await mapc('init', 'mine', '--sample', 'nested.json', '--out', 'keep', '--force');
    expect(existsSync(join(dir, 'keep', 'mine.map.bak.2'))).toBe(true);
    expect(readFileSync(join(dir, 'keep', 'mine.map.bak'), 'utf8')).toBe('# my own work\n');
  });

  it('refuses bad names and unusable samples, writing nothing', async () => {
    const bad = await mapc('init', 'My-Vendor', '--sample', 'nested.json');
    expect(bad.stderr).toContain('invalid integration name "My-Vendor"');
    writeFileSync(at('scalars.json'), '[1, 2]');
    const scalars = await mapc('init', 'scalars', '--sample', 'scalars.json');
    expect(scalars.stderr).toContain('scalars.json: record 1 is not a JSON object');
    writeFileSync(at('broken.json'), '[{"a": 1,]');
    const broken = await mapc('init', 'broken', '--sample', 'broken.json');
    expect(broken.stderr).toContain('error[E0701]: broken.json is not valid JSON');
    expect(existsSync(join(dir, 'maps', 'scalars.map'))).toBe(false);
    expect(existsSync(join(dir, 'maps', 'broken.map'))).toBe(false);
  });
});
