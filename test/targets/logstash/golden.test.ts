/**
 * Golden files: the generated Logstash files of every vendor equal the reviewed copies under
 * `fixtures/<vendor>/golden/logstash/`. `MAPC_UPDATE_GOLDEN=1` rewrites them (review every line).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitVendor, ROOT, VENDORS } from '../../emulated/logstash/support.ts';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

describe.each(VENDORS)('golden Logstash files of %s', (vendor) => {
  const dir = join(ROOT, 'fixtures', vendor, 'golden', 'logstash');
  const { result } = emitVendor(vendor);

  if (process.env['MAPC_UPDATE_GOLDEN'] === '1') {
    rmSync(dir, { recursive: true, force: true });
    for (const f of result.files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
  }

  it('has exactly the generated file set', () => {
    expect(
      listFiles(dir)
        .map((f) => relative(dir, f))
        .sort(),
    ).toEqual(result.files.map((f) => f.path).sort());
  });

  for (const f of result.files) {
    it(`${f.path} matches its reviewed copy`, () => {
      expect(f.content).toBe(readFileSync(join(dir, f.path), 'utf8'));
    });
  }
});
