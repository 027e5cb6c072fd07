/**
 * `mapc build` of several maps on several threads, the main one and worker threads
 * (`cli/build-pool.ts`), against the same build in one thread (`--jobs 1`): the same files, the
 * same stderr byte for byte, the same exit status; and the order of writes of maps that share an
 * integration name (`WriteOrder`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WriteOrder } from '../../cli/build-pool.ts';
import { baseMap } from '../compiler/helpers.ts';

const REPO = resolve(import.meta.dirname, '../..');
const MAPC = join(REPO, 'bin', 'mapc.js');
let root: string;

/** Every file under `dir`, relative path to content. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, tree(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return out;
}

/** A working directory with the same maps and fixtures as every other one of this file. */
function workspace(name: string): string {
  const cwd = join(root, name);
  mkdirSync(join(cwd, 'maps'), { recursive: true });
  const bundled = ['endor_labs', 'entro', 'enpass'];
  for (let i = 0; i < 18; i++) {
    const vendor = bundled[i % 3]!;
    const text = readFileSync(join(REPO, 'maps', `${vendor}.map`), 'utf8');
    writeFileSync(
      join(cwd, 'maps', `${String(i).padStart(2, '0')}_${vendor}.map`),
      text.replace(new RegExp(`^integration ${vendor} `, 'm'), `integration ${vendor}_${i} `),
    );
  }
  // The bundled maps under their own names, with their fixtures: engine tests are generated.
  for (const vendor of bundled) cpSync(join(REPO, 'maps', `${vendor}.map`), join(cwd, 'maps', `20_${vendor}.map`));
  cpSync(join(REPO, 'fixtures'), join(cwd, 'fixtures'), { recursive: true });
  // Two more maps of the integration `acme`: the later one's files replace the earlier one's.
  writeFileSync(join(cwd, 'maps', '10_acme.map'), baseMap());
  writeFileSync(join(cwd, 'maps', '15_acme.map'), baseMap({ rules: '    event.code = id' }));
  // A map with an error (nothing written, exit status 1).
  writeFileSync(join(cwd, 'maps', '12_bad.map'), baseMap({ rules: '    source.ipp = addr | ip' }));
  return cwd;
}

/**
 * `mapc build maps --out out --jobs <jobs>` in `cwd`; `threads`, `workers`: the building threads
 * and the worker threads among them it said it ran (MAPC_DEBUG); 0 when it built in one thread.
 */
function build(
  cwd: string,
  jobs: number,
): { status: number | null; stderr: string; threads: number; workers: number; files: Record<string, string> } {
  const run = spawnSync(process.execPath, [MAPC, 'build', 'maps', '--out', 'out', '--jobs', String(jobs)], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, MAPC_DEBUG: '1' },
  });
  const debug = /^mapc: building \d+ maps on (\d+) threads \(this one and (\d+) workers\)\n/.exec(run.stderr);
  return {
    status: run.status,
    stderr: debug ? run.stderr.slice(debug[0].length) : run.stderr,
    threads: debug ? Number(debug[1]) : 0,
    workers: debug ? Number(debug[2]) : 0,
    files: tree(join(cwd, 'out')),
  };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mapc-build-workers-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('mapc build on worker threads', () => {
  it('writes the same files and prints the same stderr as the build in one thread', () => {
    const serial = build(workspace('serial'), 1);
    const parallel = build(workspace('parallel'), 2);
    expect(serial.status).toBe(1);
    expect(serial.stderr).toContain('12_bad.map: not built (errors above)');
    // Both acme maps were written, the later one last: its rule is in the output.
    expect(serial.stderr.match(/^out\/acme\/elastic: \d+ files/gm)).toHaveLength(2);
    const acme = Object.entries(serial.files).filter(([path]) => path.startsWith('acme/'));
    expect(acme.some(([, text]) => text.includes('event.code'))).toBe(true);
    expect(Object.keys(serial.files).length).toBeGreaterThan(200);
    expect(serial.threads).toBe(0);
    expect(parallel.threads).toBe(2);
    expect(parallel.workers).toBe(1);
    expect(parallel.status).toBe(serial.status);
    expect(parallel.stderr).toBe(serial.stderr);
    expect(Object.keys(parallel.files)).toEqual(Object.keys(serial.files));
    expect(parallel.files).toEqual(serial.files);
  });

  it('rebuilds over its own output; one thread per 8 maps at most', () => {
    const cwd = workspace('again');
    const first = build(cwd, 4);
    const second = build(cwd, 4);
    // 24 maps: three threads, this one and two workers.
    expect(first.threads).toBe(3);
    expect(first.workers).toBe(2);
    expect(second.status).toBe(first.status);
    expect(second.files).toEqual(first.files);
  });

  it('refuses a --jobs that is not a whole number from 1', () => {
    const run = spawnSync(process.execPath, [MAPC, 'build', '--jobs', '0'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--jobs 0: expected a whole number from 1');
  });
});

describe('WriteOrder', () => {
  it('grants a map once every earlier map is prepared', () => {
    const order = new WriteOrder(3);
    order.prepared(1, 'b');
    order.prepared(2, 'c');
    expect(order.grantable()).toEqual([]);
    order.prepared(0, 'a');
    expect(order.grantable()).toEqual([0, 1, 2]);
    expect(order.grantable()).toEqual([]);
  });

  it('grants a map only after the earlier maps of its name are written', () => {
    const order = new WriteOrder(4);
    order.prepared(0, 'a');
    order.prepared(1, 'b');
    order.prepared(2, 'a');
    order.prepared(3, undefined);
    expect(order.grantable()).toEqual([0, 1]);
    order.written(1);
    expect(order.grantable()).toEqual([]);
    order.written(0);
    expect(order.grantable()).toEqual([2]);
  });

  it('does not wait for a map with nothing to write', () => {
    const order = new WriteOrder(2);
    order.prepared(0, undefined);
    order.prepared(1, 'a');
    expect(order.grantable()).toEqual([1]);
  });
});
