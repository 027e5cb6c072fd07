/**
 * The real `mapc` binary (`node bin/mapc.js`), once per command's happy path, `--help`, and the
 * exit code of an internal error: the in-process tests (test/support/mapc.ts) run the same
 * `runMapcIn`, and these prove that `runMapc` gives it the process's arguments, working directory,
 * environment, standard streams and exit code. Elsewhere as a process: `--version` and
 * `build --watch` (test/cli/cli.test.ts), `mapc test` (test/cli/test-command.test.ts), `collect`
 * (test/collector/cli.test.ts, test/cli/ir-cache.test.ts), the bundles (test/cli/ecs-bundle.test.ts).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { runMapcIn } from '../../cli/run.ts';
import { MAPC_BIN, REPO, spawnMapc } from '../support/mapc.ts';

let cwd: string;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'mapc-binary-'));
  mkdirSync(join(cwd, 'maps'));
  cpSync(join(REPO, 'maps', 'entro.map'), join(cwd, 'maps', 'entro.map'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const mapc = (...args: string[]) => spawnMapc(args, { cwd });

describe('node bin/mapc.js', () => {
  it('--help lists the commands on stdout and exits 0', () => {
    const run = mapc('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: mapc /);
    expect(run.stdout).toMatch(/^ {2}collect /m);
  });

  it('check: maps/*.map of the working directory', () => {
    const run = mapc('check');
    expect(run.stderr).toContain('checked 1 map: 0 errors, 0 warnings');
    expect(run.status).toBe(0);
  });

  it('ir: the IR on stdout', () => {
    const run = mapc('ir', 'maps/entro.map');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'entro', sourceFile: 'maps/entro.map' });
  });

  it('preview --input -: records from the real standard input', () => {
    const records = readFileSync(join(REPO, 'fixtures', 'entro', 'audit', 'records.json'), 'utf8');
    const run = spawnMapc(['preview', 'maps/entro.map', '--input', '-'], { cwd, input: records });
    expect(run.status).toBe(0);
    const expected = JSON.parse(readFileSync(join(REPO, 'fixtures', 'entro', 'audit', 'expected.json'), 'utf8'));
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it('schema: the JSON Schema on stdout', () => {
    const run = mapc('schema', 'maps/entro.map');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
  });

  it('fmt --stdin: standard input to standard output', () => {
    const run = spawnMapc(['fmt', '--stdin'], { cwd, input: 'secret   api_key\n' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('secret api_key\n');
  });

  it('build: writes under --out, relative to the working directory', () => {
    const run = mapc('build', 'maps/entro.map', '--out', 'out', '--target', 'vector', '--no-fixtures');
    expect(run.status).toBe(0);
    // Nothing on stdout: V8 would report a flag of cli/tiering.ts it does not know there.
    expect(run.stdout).toBe('');
    expect(existsSync(join(cwd, 'out', 'entro', 'vector', 'vector.yaml'))).toBe(true);
  });

  it('init: writes a map and its fixture records', () => {
    writeFileSync(join(cwd, 'sample.json'), '[{"id": "a", "created": "2024-01-02T03:04:05Z"}]');
    const run = mapc('init', 'sampled', '--sample', 'sample.json', '--out', 'init-maps');
    expect(run.status).toBe(0);
    expect(existsSync(join(cwd, 'init-maps', 'sampled.map'))).toBe(true);
    expect(existsSync(join(cwd, 'fixtures', 'sampled', 'events', 'records.json'))).toBe(true);
  });

  it('exits 2 when its standard output cannot be written, with one line and no stack trace', () => {
    // Standard output is a file opened read-only: every write fails with EBADF.
    writeFileSync(join(cwd, 'read-only'), '');
    const fd = openSync(join(cwd, 'read-only'), 'r');
    try {
      const run = spawnSync(process.execPath, [MAPC_BIN, 'ir', join(REPO, 'maps', 'entro.map')], {
        cwd,
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('mapc: cannot write to standard output: EBADF: bad file descriptor, write\n');
    } finally {
      closeSync(fd);
    }
  });
});

describe('runMapcIn', () => {
  /** A run whose standard output fails: every command that prints meets an internal error. */
  async function failingOut(env: Record<string, string>): Promise<{ status: number; stderr: string }> {
    let stderr = '';
    const status = await runMapcIn(['ir', 'maps/entro.map'], {
      cwd,
      env,
      stdin: Readable.from([]),
      io: {
        out: () => {
          throw new Error('stdout is gone');
        },
        err: (text) => {
          stderr += text;
        },
      },
    });
    return { status, stderr };
  }

  it('returns 2 on an internal error and leaves process.exitCode alone; the stack only with MAPC_DEBUG', async () => {
    const before = process.exitCode;
    const plain = await failingOut({});
    expect(plain).toEqual({ status: 2, stderr: 'mapc: internal error: stdout is gone\n' });
    const debug = await failingOut({ MAPC_DEBUG: '1' });
    expect(debug.status).toBe(2);
    expect(debug.stderr).toMatch(/^mapc: internal error: stdout is gone\nError: stdout is gone\n\s+at /);
    expect(process.exitCode).toBe(before);
  });
});
