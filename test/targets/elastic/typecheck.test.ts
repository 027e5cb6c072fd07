/**
 * Every generated pipeline (as serialised YAML, read back) type-checks as
 * `estypes.IngestProcessorContainer[]` from `@elastic/elasticsearch` 9.4.3: the test writes the
 * pipelines as typed TypeScript constants and runs `tsc` on them, next to a control constant with
 * a misspelt option that must be rejected (so the check cannot pass vacuously).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { loadFixtureIR, REPO_ROOT } from '../../support/fixtures.ts';

const vendors = readdirSync(join(REPO_ROOT, 'fixtures')).filter((v) =>
  existsSync(join(REPO_ROOT, 'fixtures', v, 'ir.json')),
);

describe('generated pipelines against the official Elasticsearch types', () => {
  it('every processor and on_failure list of every vendor is an IngestProcessorContainer[]', () => {
    // Inside the repository (git-ignored *.tmp) so that @elastic/elasticsearch resolves.
    const dir = join(REPO_ROOT, `.elastic-typecheck-${process.pid}.tmp`);
    mkdirSync(dir, { recursive: true });
    try {
      const lines = [
        "import type { estypes } from '@elastic/elasticsearch';",
        'type P = estypes.IngestProcessorContainer[];',
      ];
      let count = 0;
      for (const vendor of vendors) {
        const { files } = elasticBackend.emit(loadFixtureIR(vendor), {});
        for (const f of files.filter((x) => x.path.endsWith('ingest_pipeline/default.yml'))) {
          const p = yaml.load(f.content) as { processors: unknown; on_failure: unknown };
          lines.push(`export const p${count}: P = ${JSON.stringify(p.processors)};`);
          lines.push(`export const f${count}: P = ${JSON.stringify(p.on_failure)};`);
          count++;
        }
      }
      expect(count).toBeGreaterThanOrEqual(vendors.length);
      writeFileSync(join(dir, 'pipelines.ts'), `${lines.join('\n')}\n`);
      writeFileSync(
        join(dir, 'control.ts'),
        "import type { estypes } from '@elastic/elasticsearch';\nexport const bad: estypes.IngestProcessorContainer[] = [{ set: { feild: 'x', value: 1 } }];\n",
      );
      const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const args = [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
      ];
      let output = '';
      try {
        execFileSync(process.execPath, [tsc, ...args, join(dir, 'pipelines.ts'), join(dir, 'control.ts')], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        });
      } catch (e) {
        output = String((e as { stdout?: string }).stdout ?? e);
      }
      const errors = output.split('\n').filter((l) => /error TS/.test(l));
      expect(errors.filter((l) => !l.includes('control.ts'))).toEqual([]);
      expect(errors.some((l) => l.includes('control.ts') && l.includes('feild'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
