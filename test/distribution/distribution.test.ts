/**
 * How mapc reaches authors and collection hosts, each installed and run the way its README
 * section says, in temporary folders:
 *
 * - the npm package: `npm pack`, then `npm install -g --prefix <tmp>` of the tarball (offline:
 *   it has no dependency to fetch; the optional VRL engine is skipped when not in the cache);
 * - the single file `dist/mapc.mjs`, copied alone into a folder, run by a bare `node`;
 * - the standalone executable (`npm run build:sea`: Node's single executable applications).
 *
 * Each builds the bundled maps and runs one collection against the mock API.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSingle } from '../../scripts/build.ts';
import { buildSea } from '../../scripts/build-sea.ts';
import { baseMap } from '../compiler/helpers.ts';
import { expectBuild, expectCollect, REPO, run, tempProject } from './support.ts';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** Every file path under `dir`, relative. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('the npm package', () => {
  it('packs the built CLI and no TypeScript; installs globally with a working mapc and no dev dependency', async () => {
    const packDir = mkdtempSync(join(tmpdir(), 'mapc-pack-'));
    const pack = run(['npm', 'pack', '--pack-destination', packDir, '--json'], REPO);
    expect(pack.status).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const packed = info!.files.map((f) => f.path);
    for (const f of [
      'bin/mapc.js',
      'dist/cli/main.js',
      'dist/mapc.mjs',
      'dist/THIRD_PARTY_LICENSES.md',
      'package.json',
    ])
      expect(packed).toContain(f);
    expect(packed.filter((f) => f.endsWith('.ts'))).toEqual([]);

    const prefix = mkdtempSync(join(tmpdir(), 'mapc-prefix-'));
    const install = run(
      [
        'npm',
        'install',
        '-g',
        '--prefix',
        prefix,
        '--offline',
        '--no-audit',
        '--no-fund',
        join(packDir, info!.filename),
      ],
      REPO,
    );
    expect(install.status).toBe(0);
    const installed = join(prefix, 'lib', 'node_modules', 'mapc');
    // Nothing but the optional VRL engine (and its one dependency) may come with it.
    const deps = existsSync(join(installed, 'node_modules')) ? readdirSync(join(installed, 'node_modules')) : [];
    expect(deps.filter((d) => !['@bpinternal', 'browser-or-node', '.package-lock.json'].includes(d))).toEqual([]);
    expect(
      files(join(prefix, 'lib', 'node_modules')).filter((f) => /(^|\/)(tsx|typescript|esbuild)\//.test(f)),
    ).toEqual([]);

    const mapc = [join(prefix, 'bin', 'mapc')];
    const project = tempProject();
    expect(run([...mapc, '--version'], project).stdout).toBe(`${VERSION}\n`);
    expectBuild(mapc, project);
    await expectCollect(mapc, project);
  }, 600_000);
});

describe('the single file dist/mapc.mjs', () => {
  it('runs from a folder of its own with a bare node: build, collect, and test naming what it skips', async () => {
    await buildSingle();
    const project = tempProject();
    cpSync(join(REPO, 'dist', 'mapc.mjs'), join(project, 'mapc.mjs'));
    // No node_modules in the folder or above it.
    expect(existsSync(join(project, 'node_modules'))).toBe(false);
    const mapc = [process.execPath, 'mapc.mjs'];
    expect(run([...mapc, '--version'], project).stdout).toBe(`${VERSION}\n`);
    expectBuild(mapc, project);
    await expectCollect(mapc, project);
    // The user-agent regexes are in the bundle (scripts/build.ts uapRegexesInline): no uap-core here.
    writeFileSync(
      join(project, 'ua.map'),
      baseMap({ rules: '    user_agent.original = ua\n    user_agent user_agent.original' }),
    );
    writeFileSync(join(project, 'ua.json'), JSON.stringify([{ created: '2024-01-01T00:00:00Z', ua: 'curl/8.4.0' }]));
    const preview = run([...mapc, 'preview', 'ua.map', '--input', 'ua.json'], project);
    expect(preview.status, preview.stderr).toBe(0);
    expect((JSON.parse(preview.stdout) as { doc: { user_agent: unknown } }[])[0]!.doc.user_agent).toEqual({
      original: 'curl/8.4.0',
      name: 'curl',
      version: '8.4.0',
      device: { name: 'Other' },
    });
    cpSync(join(REPO, 'fixtures', 'entro', 'audit'), join(project, 'fixtures', 'entro', 'audit'), { recursive: true });
    const test = run([...mapc, 'test', 'maps/entro.map', '--engine', 'vrl,ingest,logstash'], project);
    expect(test.stderr).toMatch(/^skipped:\n {2}vrl +@bpinternal\/verel is not installed/m);
    expect(test.stderr).toContain('tested 1 stream (7 records) on 3 engines: no difference');
    expect(test.status).toBe(0);
  }, 600_000);
});

describe('the standalone executable (Node single executable application)', () => {
  it('is built with postject from npm and runs with no node: version, build, collect', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mapc-sea-'));
    const executable = await buildSea(out);
    const project = tempProject();
    const env = { PATH: '/usr/bin:/bin', HOME: project };
    const version = run([executable, '--version'], project, env);
    expect(version.stdout).toBe(`${VERSION}\n`);
    expectBuild([executable], project);
    await expectCollect([executable], project, env);
  }, 600_000);
});
