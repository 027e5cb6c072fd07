/**
 * `mapc fmt`: which files it writes and how (in-process through `runFmt`, and twice as users run
 * it, `node bin/mapc.js fmt ...`), in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  lstatSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceFileAtomic, runFmt } from '../../cli/commands/fmt.ts';
import type { Io } from '../../cli/io.ts';
import { parseMap } from '../../dsl/index.ts';

const REPO = resolve(import.meta.dirname, '../..');
const MALFORMED = join(REPO, 'test', 'golden-diagnostics');
const UGLY = 'secret   api_key\n\n\n\nsecret b   # note\n';
const PRETTY = 'secret api_key\n\nsecret b # note\n';

let dir: string;

function io(): Io & { readonly stdout: string[]; readonly stderr: string[]; failed: boolean } {
  const captured = {
    stdout: [] as string[],
    stderr: [] as string[],
    failed: false,
    cwd: REPO,
    env: {},
    stdin: Readable.from([]),
    out: (t: string) => void captured.stdout.push(t),
    err: (t: string) => void captured.stderr.push(t),
    fail: () => {
      captured.failed = true;
    },
  };
  return captured;
}

/** Bytes and modification time of every file in `dir`, to prove nothing was written. */
function snapshot(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root).map((f) => {
      const p = join(root, f);
      return [f, `${lstatSync(p).mtimeMs}:${lstatSync(p).isSymbolicLink() ? 'link' : readFileSync(p, 'base64')}`];
    }),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mapc-fmt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('mapc fmt', () => {
  it('rewrites the maps that change, lists them, and leaves canonical ones alone', () => {
    writeFileSync(join(dir, 'a.map'), UGLY);
    cpSync(join(REPO, 'maps', 'entro.map'), join(dir, 'b.map'));
    const before = statSync(join(dir, 'b.map')).mtimeMs;
    const run = io();
    runFmt(run, [dir], { check: false });
    expect(run.failed).toBe(false);
    expect(readFileSync(join(dir, 'a.map'), 'utf8')).toBe(PRETTY);
    expect(statSync(join(dir, 'b.map')).mtimeMs).toBe(before);
    expect(run.stdout).toEqual([join(dir, 'a.map')]);
    expect(run.stderr).toEqual(['1 of 2 maps reformatted']);
    expect(readdirSync(dir).sort()).toEqual(['a.map', 'b.map']);
  });

  it('with --check writes nothing, lists what would change and fails', () => {
    writeFileSync(join(dir, 'a.map'), UGLY);
    writeFileSync(join(dir, 'b.map'), PRETTY);
    const files = snapshot(dir);
    const run = io();
    runFmt(run, [dir], { check: true });
    expect(run.failed).toBe(true);
    expect(run.stdout).toEqual([join(dir, 'a.map')]);
    expect(run.stderr).toEqual(['1 of 2 maps would be reformatted']);
    expect(snapshot(dir)).toEqual(files);
    const clean = io();
    runFmt(clean, [join(dir, 'b.map')], { check: true });
    expect(clean.failed).toBe(false);
  });

  it('refuses every map of the malformed corpus, printing its diagnostics, and touches none', () => {
    // The syntax cases of the golden-diagnostics corpus (the others parse).
    const syntax = (src: string): boolean => parseMap(readFileSync(src, 'utf8'), src).ast === undefined;
    cpSync(MALFORMED, dir, {
      recursive: true,
      filter: (src) => src === MALFORMED || (src.endsWith('.map') && syntax(src)),
    });
    const files = snapshot(dir);
    const run = io();
    runFmt(run, [dir], { check: false });
    expect(run.failed).toBe(true);
    const maps = Object.keys(files).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThanOrEqual(10);
    for (const f of maps) expect(run.stderr).toContain(`${join(dir, f)}: not formatted (syntax errors)`);
    expect(run.stderr.join('\n')).toMatch(/error\[E0\d\d\d\]/);
    expect(run.stdout).toEqual([]);
    expect(snapshot(dir)).toEqual(files);
  });

  it('keeps the permissions of the map and replaces the target of a symbolic link, keeping the link', () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'a.map'), UGLY);
    chmodSync(join(dir, 'real', 'a.map'), 0o640);
    mkdirSync(join(dir, 'links'));
    symlinkSync(join(dir, 'real', 'a.map'), join(dir, 'links', 'a.map'));
    const run = io();
    runFmt(run, [join(dir, 'links', 'a.map')], { check: false });
    expect(run.failed).toBe(false);
    expect(lstatSync(join(dir, 'links', 'a.map')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'a.map'), 'utf8')).toBe(PRETTY);
    expect(statSync(join(dir, 'real', 'a.map')).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, 'real'))).toEqual(['a.map']);
  });

  it('does not touch a file that is not UTF-8', () => {
    writeFileSync(join(dir, 'a.map'), Buffer.from([0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x20, 0x20, 0xff, 0x0a]));
    const files = snapshot(dir);
    const run = io();
    runFmt(run, [dir], { check: false });
    expect(run.failed).toBe(true);
    expect(run.stderr[0]).toBe(`error: ${join(dir, 'a.map')} is not valid UTF-8: not formatted`);
    expect(snapshot(dir)).toEqual(files);
  });

  it('writes nothing when the map changed since it was read', () => {
    const file = join(dir, 'a.map');
    writeFileSync(file, 'secret b\n');
    expect(() => replaceFileAtomic(file, Buffer.from('secret   a\n'), 'secret a\n')).toThrow(/changed while/);
    expect(readFileSync(file, 'utf8')).toBe('secret b\n');
    expect(readdirSync(dir)).toEqual(['a.map']);
  });
});

describe('mapc fmt as a command', () => {
  const mapc = (args: string[], input = ''): { status: number | null; stdout: string; stderr: string } => {
    const run = spawnSync(process.execPath, [join(REPO, 'bin', 'mapc.js'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      input,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it('checks maps/*.map by default', () => {
    mkdirSync(join(dir, 'maps'));
    writeFileSync(join(dir, 'maps', 'a.map'), UGLY);
    const run = mapc(['fmt', '--check']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('maps/a.map\n');
    expect(run.stderr).toBe('1 of 1 map would be reformatted\n');
    expect(readFileSync(join(dir, 'maps', 'a.map'), 'utf8')).toBe(UGLY);
  });

  it('formats standard input to standard output, and refuses a broken map there', () => {
    expect(mapc(['fmt', '--stdin'], UGLY)).toEqual({ status: 0, stdout: PRETTY, stderr: '' });
    const broken = mapc(['fmt', '--stdin', '--stdin-name', 'x.map'], 'secret a\nsetting x: strng\n');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('--> x.map:2:12');
  });
});
