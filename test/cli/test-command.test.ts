/**
 * `mapc test` in a temporary project holding a copy of the Entro map and its fixtures, and
 * `mapc build` refusing fixtures the interpreter disagrees with; in process (test/support/mapc.ts),
 * but for the first test, which runs the real binary (`node bin/mapc.js test ...`) as users do.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { mapcInProcess, REPO, spawnMapc, type MapcRun } from '../support/mapc.ts';

/** The engines that need no installed tool; the interpreter always runs. */
const LOCAL = 'vrl,ingest,logstash';

let cwd: string;
let expectedFile: string;
let original: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'mapc-test-cmd-'));
  mkdirSync(join(cwd, 'maps'));
  cpSync(join(REPO, 'maps', 'entro.map'), join(cwd, 'maps', 'entro.map'));
  mkdirSync(join(cwd, 'fixtures', 'entro', 'audit'), { recursive: true });
  for (const f of ['records.json', 'expected.json'])
    cpSync(join(REPO, 'fixtures', 'entro', 'audit', f), join(cwd, 'fixtures', 'entro', 'audit', f));
  expectedFile = join(cwd, 'fixtures', 'entro', 'audit', 'expected.json');
  original = readFileSync(expectedFile, 'utf8');
});

function mapc(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<MapcRun> {
  return mapcInProcess(args, { cwd, env: { ...env } });
}

/** Changes `event.kind` of the third expected document. */
function tamper(): void {
  const entries = JSON.parse(original) as { doc: { event: { kind: string } } }[];
  entries[2]!.doc.event.kind = 'alert';
  writeFileSync(expectedFile, `${JSON.stringify(entries, null, 2)}\n`);
}

describe('mapc test', () => {
  it('passes the bundled fixtures on the interpreter and the local engines, naming each engine', async () => {
    // The real binary: the engines load as the installed CLI loads them.
    const run = spawnMapc(['test', '--engine', LOCAL], { cwd });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^engines:\n {2}interpreter +the reference interpreter/m);
    expect(run.stderr).toContain('VRL 0.25 (@bpinternal/verel, WebAssembly)');
    for (const engine of ['interpreter', 'vrl', 'ingest', 'logstash'])
      expect(run.stderr).toMatch(new RegExp(`^ {2}ok {4}${engine} +7 documents as expected$`, 'm'));
    expect(run.stderr).toContain('tested 1 stream (7 records) on 4 engines: no difference');
  });

  it('leaves out the fields each engine fills with its collection time (collected_at), checked for their form', async () => {
    const file = join(cwd, 'maps', 'entro.map');
    const rule = '    event.id              = results.request_id';
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(rule);
    writeFileSync(file, text.replace(rule, `${rule}\n    event.created = collected_at`));
    const run = await mapc(['test', 'maps/entro.map', '--engine', LOCAL]);
    expect(run.stderr).toContain('tested 1 stream (7 records) on 4 engines: no difference');
    expect(run.status).toBe(0);
  });

  it('prints a per-field diff for each engine that differs from expected.json, and exits 1', async () => {
    tamper();
    const run = await mapc(['test', 'maps/entro.map', '--engine', LOCAL]);
    expect(run.status).toBe(1);
    for (const engine of ['interpreter', 'vrl', 'ingest', 'logstash'])
      expect(run.stderr).toMatch(new RegExp(`^ {2}FAIL {2}${engine} +1 of 7 documents differ$`, 'm'));
    expect(run.stderr).toContain('record 3 (fixtures/entro/audit/records.json entry 3):');
    expect(run.stderr).toMatch(/^ {8}event\.kind {2}expected "alert" {2}actual "event"$/m);
    expect(run.stderr).toContain('tested 1 stream (7 records) on 4 engines: 4 differing documents, 0 failed checks');
  });

  it('--update refuses to rewrite without --yes when standard input is not a terminal', async () => {
    tamper();
    const tampered = readFileSync(expectedFile, 'utf8');
    const run = await mapc(['test', '--engine', LOCAL, '--update']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'error: not rewriting fixtures/entro/audit/expected.json: standard input is not a terminal; pass --yes',
    );
    expect(readFileSync(expectedFile, 'utf8')).toBe(tampered);
  });

  it('--update --yes rewrites only the differing entry from the interpreter, after which the test passes', async () => {
    tamper();
    const run = await mapc(['test', '--engine', 'logstash', '--update', '--yes']);
    expect(run.stderr).toContain('event.kind');
    expect(run.stderr).toContain('fixtures/entro/audit/expected.json: rewrote 1 entry');
    expect(JSON.parse(readFileSync(expectedFile, 'utf8'))).toEqual(JSON.parse(original));
    expect((await mapc(['test', '--engine', LOCAL])).status).toBe(0);
  });

  it('names an engine it skips and why, and rejects an unknown engine', async () => {
    const noVrl = { ...process.env, PATH: '/usr/bin:/bin' };
    const run = await mapc(['test', '--engine', 'vrl-cli'], noVrl);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^skipped:\n {2}vrl-cli +no vrl on PATH/m);
    expect(run.stderr).toContain('on 1 engine: no difference');
    const unknown = await mapc(['test', '--engine', 'vrl,nope']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('error: unknown --engine nope: expected interpreter, vrl, vrl-cli,');
  });

  it('runs a native vrl CLI found on PATH, one record per run as its contract says', async () => {
    // A stand-in that implements the vrl CLI's contract (vrl src/cli/cmd.rs: --program file,
    // --input NDJSON file, --print-object prints each resulting event) on verel.
    const bin = mkdtempSync(join(tmpdir(), 'mapc-fake-vrl-'));
    const verel = join(REPO, 'node_modules', '@bpinternal', 'verel');
    writeFileSync(
      join(bin, 'vrl'),
      [
        '#!/usr/bin/env node',
        "const fs = require('node:fs');",
        `const verel = require(${JSON.stringify(verel)});`,
        'const arg = (name) => process.argv[process.argv.indexOf(name) + 1];',
        "if (!process.argv.includes('--print-object') || !process.argv.includes('--quiet')) process.exit(64);",
        "const program = fs.readFileSync(arg('--program'), 'utf8');",
        "for (const line of fs.readFileSync(arg('--input'), 'utf8').split('\\n').filter(Boolean)) {",
        '  const { event } = verel.execute(program, JSON.parse(line));',
        "  process.stdout.write(JSON.stringify(event) + '\\n');",
        '}',
      ].join('\n'),
    );
    chmodSync(join(bin, 'vrl'), 0o755);
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` };
    // One run (each record loads the 13 MB WebAssembly module): four records agree, the
    // tampered one is reported with its field.
    tamper();
    const run = await mapc(['test', '--engine', 'vrl-cli'], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^ {2}vrl-cli +the native vrl CLI$/m);
    expect(run.stderr).toMatch(/^ {2}FAIL {2}vrl-cli +1 of 7 documents differ$/m);
    expect(run.stderr.match(/event\.kind {2}expected "alert" {2}actual "event"/g)).toHaveLength(2);
  });

  it('reports a stream without fixtures, and fails when no stream has any', async () => {
    const run = await mapc(['test', '--fixtures', 'nowhere']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('entro.audit: no fixtures (nowhere/entro/audit/records.json and expected.json)');
    expect(run.stderr).toContain('error: no stream to test: no fixtures under nowhere/<integration>/<stream>/');
  });
});

describe('mapc build with fixtures the interpreter disagrees with', () => {
  it('refuses them (E0702) naming the entry, and writes nothing for that map', async () => {
    tamper();
    const run = await mapc(['build', '--out', 'generated']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'error: maps/entro.map: E0702: a fixture not what the map makes of the record ' +
        '(fixtures/entro/audit/expected.json entry 3); nothing written: run `mapc test maps/entro.map`',
    );
    expect(existsSync(join(cwd, 'generated', 'entro'))).toBe(false);
    const without = await mapc(['build', '--out', 'generated', '--no-fixtures']);
    expect(without.status).toBe(0);
    expect(existsSync(join(cwd, 'generated', 'entro', 'vector', 'vector.yaml'))).toBe(true);
  });

  it('builds engine tests from fixtures that pass', async () => {
    const run = await mapc(['build', '--out', 'generated']);
    expect(run.status).toBe(0);
    expect(readFileSync(join(cwd, 'generated', 'entro', 'vector', 'vector.yaml'), 'utf8')).toContain(
      'entro.audit fixture record 3',
    );
  });
});
