/**
 * The `mapc` CLI in process (`runMapcIn`, test/support/mapc.ts) in a temporary working directory
 * holding copies of the bundled maps; test/cli/binary.test.ts runs the real binary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseMap } from './helpers.ts';
import { mapcInProcess, REPO, type MapcRun } from '../support/mapc.ts';

let cwd: string;

function mapcWithInput(input: string, ...args: string[]): Promise<MapcRun> {
  return mapcInProcess(args, { cwd, input });
}

function mapc(...args: string[]): Promise<MapcRun> {
  return mapcInProcess(args, { cwd });
}

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'mapc-cli-'));
  mkdirSync(join(cwd, 'maps'));
  for (const name of ['endor_labs.map', 'entro.map']) cpSync(join(REPO, 'maps', name), join(cwd, 'maps', name));
  cpSync(join(REPO, 'fixtures', 'entro', 'audit', 'records.json'), join(cwd, 'entro-records.json'));
  writeFileSync(join(cwd, 'bad.map'), baseMap({ rules: '    source.ipp = addr | ip' }));
  writeFileSync(join(cwd, 'acme.map'), baseMap());
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('mapc --help', () => {
  it('lists every command, collect included', async () => {
    const run = await mapc('--help');
    expect(run.status).toBe(0);
    for (const command of ['build', 'check', 'ir', 'preview', 'schema', 'init', 'collect'])
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).not.toContain('unavailable');
  });
  it('exits 1 on an unknown command', async () => {
    expect((await mapc('frobnicate')).status).toBe(1);
  });
});

describe('mapc check', () => {
  it('checks maps/*.map by default and exits 0 when clean', async () => {
    const run = await mapc('check');
    expect(run.stderr).toContain('checked 2 maps: 0 errors, 0 warnings');
    expect(run.status).toBe(0);
  });

  it('renders errors with file:line:col and the source line, and exits 1', async () => {
    const run = await mapc('check', 'bad.map');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error[E0100]: unknown ECS field source.ipp');
    expect(run.stderr).toContain('--> bad.map:24:5');
    expect(run.stderr).toContain('24 |     source.ipp = addr | ip');
    expect(run.stderr).toContain('= help: did you mean source.ip?');
  });

  it('prints diagnostics as JSON with --format json', async () => {
    const run = await mapc('check', '--format', 'json', 'bad.map');
    expect(run.status).toBe(1);
    const diagnostics = JSON.parse(run.stdout);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'E0100',
      severity: 'error',
      primary: { file: 'bad.map', line: 24, column: 5, length: 10 },
    });
    expect(JSON.parse((await mapc('check', '--format', 'json', 'maps')).stdout)).toEqual([]);
  });

  it('shows paths inside the working directory relative to it, others as given', async () => {
    expect((await mapc('check', join(cwd, 'bad.map'))).stderr).toContain('--> bad.map:24:5');
    const outside = mkdtempSync(join(tmpdir(), 'mapc-outside-'));
    try {
      cpSync(join(cwd, 'bad.map'), join(outside, 'x.map'));
      expect((await mapc('check', join(outside, 'x.map'))).stderr).toContain(`--> ${join(outside, 'x.map')}:24:5`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports a missing path and an unknown format', async () => {
    const missing = await mapc('check', 'nope.map');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('error: nope.map: no such file or directory');
    expect((await mapc('check', '--format', 'xml')).status).toBe(1);
  });
});

describe('mapc ir', () => {
  it('prints the IR as JSON', async () => {
    const run = await mapc('ir', 'maps/entro.map');
    expect(run.status).toBe(0);
    const ir = JSON.parse(run.stdout);
    expect(ir).toMatchObject({ irVersion: 5, name: 'entro', ecsVersion: '9.4.0', sourceFile: 'maps/entro.map' });
  });
  it('prints nothing on stdout for a map with errors', async () => {
    const run = await mapc('ir', 'bad.map');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error[E0100]');
  });
});

describe('mapc preview', () => {
  it('maps records through the reference interpreter', async () => {
    const run = await mapc('preview', 'maps/entro.map', '--input', 'entro-records.json');
    expect(run.status).toBe(0);
    const docs = JSON.parse(run.stdout);
    const expected = JSON.parse(readFileSync(join(REPO, 'fixtures', 'entro', 'audit', 'expected.json'), 'utf8'));
    expect(docs).toEqual(expected);
  });

  it('takes a response body and applies --set', async () => {
    const body = { list: { objects: [{ uuid: 'u1', meta: { create_time: '2024-01-02T03:04:05Z' } }] } };
    writeFileSync(join(cwd, 'endor-body.json'), JSON.stringify(body));
    const run = await mapc(
      'preview',
      'maps/endor_labs.map',
      '--input',
      'endor-body.json',
      '--set',
      'preserve_original_event=true',
    );
    expect(run.status).toBe(0);
    const [doc] = JSON.parse(run.stdout);
    expect(doc.doc['@timestamp']).toBe('2024-01-02T03:04:05.000Z');
    expect(doc.doc.event.original).toBe(JSON.stringify(body.list.objects[0]));
    expect(doc._id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports malformed input JSON with its file, line and column (E0701), no stack trace', async () => {
    writeFileSync(join(cwd, 'broken.json'), '[\n  {"a": 1},\n  {"b": }\n]\n');
    const run = await mapc('preview', 'maps/entro.map', '--input', 'broken.json');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error[E0701]: broken.json is not valid JSON');
    expect(run.stderr).toContain('--> broken.json:3:9');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reads NDJSON records (as mapc collect prints them) from standard input', async () => {
    const records = JSON.parse(readFileSync(join(cwd, 'entro-records.json'), 'utf8')) as unknown[];
    const run = await mapcWithInput(
      records.map((r) => JSON.stringify(r)).join('\n') + '\n',
      'preview',
      'maps/entro.map',
      '--input',
      '-',
    );
    expect(run.status).toBe(0);
    const expected = JSON.parse(readFileSync(join(REPO, 'fixtures', 'entro', 'audit', 'expected.json'), 'utf8'));
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it('locates a malformed NDJSON line', async () => {
    const run = await mapcWithInput('{"a": 1}\n\n{"b": }\n', 'preview', 'maps/entro.map', '--input', '-');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--> <stdin>:3:7');
  });

  it('turns a record nested 10,000 levels deep into its error document; the others are mapped', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    writeFileSync(join(cwd, 'deep.json'), `[{"date": "12/11/2024", "deep": ${deep}}, {"date": "12/11/2024"}]`);
    const run = await mapc('preview', 'maps/entro.map', '--input', 'deep.json');
    // Only the second (shallow) record is checked against the schema, which it breaks: warnings only.
    expect(run.stderr).not.toMatch(/record 1\b|^error/m);
    expect(run.stderr).toMatch(/^warning: deep\.json: record 2: /m);
    expect(run.status).toBe(0);
    const docs = JSON.parse(run.stdout) as { doc: Record<string, unknown> }[];
    expect(docs[0]).toEqual({
      doc: { event: { kind: 'pipeline_error' }, error: { message: ['mapc: record nested deeper than 64 levels'] } },
    });
    expect(docs[1]?.doc['@timestamp']).toBe('2024-11-12T00:00:00.000Z');
  });

  it('locates the error in malformed input nested 100,000 levels deep', async () => {
    writeFileSync(join(cwd, 'deep-broken.json'), `${'['.repeat(100_000)}x`);
    const run = await mapc('preview', 'maps/entro.map', '--input', 'deep-broken.json');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error[E0701]: deep-broken.json is not valid JSON');
    expect(run.stderr).toContain('--> deep-broken.json:1:100001');
  });

  it('names the record that is not an object', async () => {
    writeFileSync(join(cwd, 'numbers.json'), '[{"date": "12/11/2024"}, 42]');
    const run = await mapc('preview', 'maps/entro.map', '--input', 'numbers.json');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: numbers\.json: record 2: E0701: /m);
    expect(run.stdout).toBe('');
  });

  it('rejects an unknown setting and an unknown stream', async () => {
    const setting = await mapc('preview', 'maps/entro.map', '--input', 'entro-records.json', '--set', 'intervl=5m');
    expect(setting.status).toBe(1);
    expect(setting.stderr).toContain('--set intervl: no such setting (did you mean interval?)');
    const badValue = await mapc(
      'preview',
      'maps/entro.map',
      '--input',
      'entro-records.json',
      '--set',
      'initial_interval=yesterday',
    );
    expect(badValue.status).toBe(1);
    expect(badValue.stderr).toContain(
      '--set initial_interval: setting initial_interval must be a duration such as 30s, 5m or 4h',
    );
    const malformed = await mapc('preview', 'maps/entro.map', '--input', 'entro-records.json', '--set', '=5m');
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain('--set =5m: expected name=value');
    const stream = await mapc('preview', 'maps/entro.map', '--input', 'entro-records.json', '--stream', 'nope');
    expect(stream.status).toBe(1);
    expect(stream.stderr).toContain('no stream nope in maps/entro.map (streams: audit)');
  });
});

describe('mapc preview --set reads setting text as mapc collect does', () => {
  const preview = (...set: string[]): Promise<MapcRun> =>
    mapcWithInput('[{"created": "2024-01-01T00:00:00Z"}]', 'preview', 'acme.map', '--input', '-', ...set);

  it('a bool is exactly true or false', async () => {
    expect((await preview('--set', 'keep_original=true')).status).toBe(0);
    expect((await preview('--set', 'keep_original=false')).status).toBe(0);
    for (const text of ['TRUE', 'True', 'yes']) {
      const run = await preview('--set', `keep_original=${text}`);
      expect(run.status, text).toBe(1);
      expect(run.stderr).toContain('--set keep_original: setting keep_original must be true or false');
    }
  });

  it('an empty value means unset (the default), and a later pair wins', async () => {
    expect((await preview('--set', 'every=')).status).toBe(0);
    expect((await preview('--set', 'every=soon', '--set', 'every=10m')).status).toBe(0);
    expect((await preview('--set', 'every=10m', '--set', 'every=soon')).status).toBe(1);
    expect((await preview('--set', 'every=10m')).status).toBe(0);
  });
});

describe('mapc build', () => {
  it('rejects an unknown target', async () => {
    const run = await mapc('build', '--target', 'splunk');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown target splunk: expected elastic, vector, logstash');
  });

  it('reports malformed fixtures with file:line:col (E0700) and writes nothing', async () => {
    const dir = join(cwd, 'badfix', 'entro', 'audit');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'records.json'), '[\n  {"a": 1}\n');
    writeFileSync(join(dir, 'expected.json'), '[]');
    const run = await mapc('build', 'maps/entro.map', '--out', 'out-fix', '--fixtures', 'badfix');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `maps/entro.map: E0700: ${join('badfix', 'entro', 'audit', 'records.json')}:3:1: malformed JSON`,
    );
    expect(existsSync(join(cwd, 'out-fix'))).toBe(false);
  });

  it('reports an output directory it cannot write to', async () => {
    writeFileSync(join(cwd, 'not-a-dir'), '');
    const run = await mapc('build', 'maps/entro.map', '--out', 'not-a-dir', '--target', 'logstash');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error: cannot write ${join('not-a-dir', 'entro', 'logstash')}: ENOTDIR`);
    expect(run.stderr).not.toContain('internal error');
  });

  it('writes nothing for a map with errors and exits 1', async () => {
    const run = await mapc('build', 'bad.map', '--out', 'out-bad', '--target', 'elastic');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('bad.map: not built (errors above)');
    expect(existsSync(join(cwd, 'out-bad'))).toBe(false);
  });

  it('writes <out>/<integration>/<target>/ with a manifest, and refuses to clobber foreign files', async () => {
    // Backends evolve on their own; this test needs one that builds entro cleanly, whichever.
    let target: string | undefined;
    for (const t of ['logstash', 'elastic', 'vector']) {
      if ((await mapc('build', 'maps/entro.map', '--out', `probe-${t}`, '--target', t)).status === 0) {
        target = t;
        break;
      }
    }
    expect(target, 'no backend builds maps/entro.map').toBeDefined();
    const build = (...extra: string[]): Promise<MapcRun> =>
      mapc('build', 'maps/entro.map', '--out', 'out', '--target', target!, ...extra);
    const first = await build();
    expect(first.status).toBe(0);
    const dir = join(cwd, 'out', 'entro', target!);
    const manifest = JSON.parse(readFileSync(join(dir, '.mapc-generated.json'), 'utf8'));
    expect(manifest.generatedBy).toBe('mapc');
    const files = Object.keys(manifest.files);
    expect(files.length).toBeGreaterThan(0);
    expect(first.stderr).toContain(`${join('out', 'entro', target!)}: ${files.length} file`);
    for (const file of files) expect(existsSync(join(dir, file)), file).toBe(true);

    // Rebuilding over mapc's own files is fine.
    expect((await build()).status).toBe(0);

    // A file the user wrote where mapc would write: refused, untouched, exit 1.
    const victim = files[0]!;
    rmSync(join(dir, '.mapc-generated.json'));
    writeFileSync(join(dir, victim), 'user content');
    const refused = await build();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `refusing to write ${join('out', 'entro', target!, victim)}: not generated by mapc`,
    );
    expect(readFileSync(join(dir, victim), 'utf8')).toBe('user content');

    const forced = await build('--force');
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, victim), 'utf8')).not.toBe('user content');

    // Without --out, output goes to generated/.
    expect((await mapc('build', 'maps/entro.map', '--target', target!)).status).toBe(0);
    expect(existsSync(join(cwd, 'generated', 'entro', target!, '.mapc-generated.json'))).toBe(true);
  });
});
