/**
 * Golden files: the Vector output of every fixture vendor (with its fixture unit tests) equals
 * the reviewed copy under `fixtures/<vendor>/golden/vector/`. `MAPC_UPDATE_GOLDEN=1` rewrites the
 * copies; review every changed line before committing them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { FIXTURES_DIR, listFixtureStreams, loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';

const update = process.env.MAPC_UPDATE_GOLDEN === '1';
const vendors = [...new Set(listFixtureStreams().map((s) => s.vendor))];

describe.each(vendors)('Vector golden files of %s', (vendor) => {
  const ir = loadFixtureIR(vendor);
  const fixtures = new Map(ir.streams.map((s) => [s.name, loadFixtureCases(vendor, s.name)]));
  const { files } = vectorBackend.emit(ir, { fixtures });

  it('generates vector.yaml, secrets.example.json, .env.example and README.md', () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      '.env.example',
      'README.md',
      'secrets.example.json',
      'vector.yaml',
    ]);
  });

  it.each(files.map((f) => [f.path, f.content] as const))('%s matches the reviewed copy', (path, content) => {
    const golden = join(FIXTURES_DIR, vendor, 'golden', 'vector', path);
    if (update) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, content);
    }
    expect(existsSync(golden), `${golden} missing: run with MAPC_UPDATE_GOLDEN=1 and review`).toBe(true);
    expect(content).toBe(readFileSync(golden, 'utf8'));
  });
});
