/**
 * The generated Elastic package of every fixture vendor equals its reviewed copy under
 * `fixtures/<vendor>/golden/elastic/`. `MAPC_UPDATE_GOLDEN=1` rewrites the copies (review the
 * diff line by line before committing).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { FIXTURES_DIR, loadFixtureCases, loadFixtureIR, REPO_ROOT } from '../../support/fixtures.ts';
import { compileFile } from '../../../compiler/compile.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';

const UPDATE = process.env['MAPC_UPDATE_GOLDEN'] === '1';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const vendors = readdirSync(FIXTURES_DIR)
  .filter((v) => existsSync(join(FIXTURES_DIR, v, 'ir.json')))
  .sort();

describe('Elastic package golden files', () => {
  for (const vendor of vendors) {
    const fixturesOf = (ir: IntegrationIR) =>
      new Map(
        ir.streams
          .filter((s) => existsSync(join(FIXTURES_DIR, vendor, s.name, 'records.json')))
          .map((s) => [s.name, loadFixtureCases(vendor, s.name)] as const),
      );
    const dir = join(FIXTURES_DIR, vendor, 'golden', 'elastic');

    it(`${vendor}: maps/${vendor}.map compiled by mapc gives the same package`, () => {
      const map = join(REPO_ROOT, 'maps', `${vendor}.map`);
      expect(existsSync(map)).toBe(true);
      const compiled = compileFile(join('maps', `${vendor}.map`));
      expect(compiled.ir).toBeDefined();
      const { files } = elasticBackend.emit(compiled.ir!, { fixtures: fixturesOf(compiled.ir!) });
      for (const f of files)
        expect({ path: f.path, content: f.content }).toEqual({
          path: f.path,
          content: readFileSync(join(dir, f.path), 'utf8'),
        });
      expect(files.map((f) => f.path).sort()).toEqual(listFiles(dir));
    });

    it(`${vendor}: generated package equals fixtures/${vendor}/golden/elastic`, () => {
      const ir = loadFixtureIR(vendor);
      const fixtures = fixturesOf(ir);
      const { files } = elasticBackend.emit(ir, { fixtures });
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        for (const f of files) {
          mkdirSync(dirname(join(dir, f.path)), { recursive: true });
          writeFileSync(join(dir, f.path), f.content);
        }
      }
      expect(files.map((f) => f.path).sort()).toEqual(listFiles(dir));
      for (const f of files)
        expect({ path: f.path, content: f.content }).toEqual({
          path: f.path,
          content: readFileSync(join(dir, f.path), 'utf8'),
        });
    });
  }
});
