/**
 * The README's main command end to end: `mapc build` run from the repository root (every
 * `maps/*.map`, fixtures from `fixtures/`) writes exactly the reviewed golden files of
 * `fixtures/<vendor>/golden/<target>/`, no more, no fewer, plus its manifest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
let out: string;
let run: { status: number | null; stderr: string };

function files(dir: string): string[] {
  const found: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) visit(path);
      else found.push(relative(dir, path).split('\\').join('/'));
    }
  };
  visit(dir);
  return found.sort();
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'mapc-golden-'));
  const child = spawnSync(process.execPath, [join(REPO, 'bin', 'mapc.js'), 'build', '--out', out], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
  });
  run = { status: child.status, stderr: child.stderr };
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('mapc build reproduces the reviewed golden output', () => {
  it('exits 0', () => {
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.status).toBe(0);
  });

  const vendors = readdirSync(join(REPO, 'maps'))
    .filter((f) => f.endsWith('.map'))
    .map((f) => f.replace(/\.map$/, ''));
  for (const vendor of vendors) {
    for (const target of ['elastic', 'vector', 'logstash']) {
      const golden = join(REPO, 'fixtures', vendor, 'golden', target);
      if (!existsSync(golden)) continue;
      it(`${vendor}/${target}`, () => {
        const built = join(out, vendor, target);
        const builtFiles = files(built).filter((f) => f !== '.mapc-generated.json');
        expect(builtFiles).toEqual(files(golden));
        for (const file of builtFiles) {
          expect(readFileSync(join(built, file), 'utf8'), file).toBe(readFileSync(join(golden, file), 'utf8'));
        }
        expect(Object.keys(JSON.parse(readFileSync(join(built, '.mapc-generated.json'), 'utf8')).files)).toEqual(
          builtFiles,
        );
      });
    }
  }
});
