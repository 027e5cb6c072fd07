/**
 * `npm run build:sea`: a standalone `mapc` executable through Node's single executable
 * applications (https://nodejs.org/docs/latest-v20.x/api/single-executable-applications.html):
 * the CLI bundled into one CommonJS script (SEA runs CommonJS only), turned into a preparation
 * blob by `node --experimental-sea-config`, injected into a copy of the running `node` binary
 * with `postject` (npm, pinned) under the fuse Node checks at start-up.
 *
 * Output: `dist/sea/mapc` (about the size of `node` itself, ~100 MB; same platform and
 * architecture as the `node` that built it; needs no Node, npm or `node_modules` to run).
 * Not part of `prepare`: it copies the whole Node binary.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { commonOptions, DIST } from './build.ts';

/** The fuse string Node's SEA support looks for (Node docs, "Injecting the preparation blob"). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * `import.meta.url` has no meaning in CommonJS: each use reads this variable instead, the URL of
 * the running file (in a SEA, the executable).
 */
const IMPORT_META_URL_SHIM = "const __mapcImportMetaUrl = require('node:url').pathToFileURL(__filename).href;";

/** Builds `dist/sea/mapc`; returns its path. */
export async function buildSea(out: string = join(DIST, 'sea')): Promise<string> {
  mkdirSync(out, { recursive: true });
  const script = join(out, 'mapc.cjs');
  const common = commonOptions();
  await build({
    ...common,
    entryPoints: ['cli/sea.ts'],
    format: 'cjs',
    outfile: script,
    write: true,
    metafile: false,
    define: { ...common.define, 'import.meta.url': '__mapcImportMetaUrl' },
    banner: { js: IMPORT_META_URL_SHIM },
  });
  const config = join(out, 'sea-config.json');
  const blob = join(out, 'sea-prep.blob');
  writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'pipe' });

  const executable = join(out, 'mapc');
  rmSync(executable, { force: true });
  copyFileSync(process.execPath, executable);
  chmodSync(executable, 0o755);
  // postject ships no type declarations: its API (dist/api.js) is typed here by what it is given.
  const { inject } = createRequire(import.meta.url)('postject') as {
    inject: (file: string, name: string, data: Buffer, options: { sentinelFuse: string }) => Promise<void>;
  };
  await inject(executable, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  rmSync(blob);
  rmSync(config);
  return executable;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  buildSea().then(
    (path) => process.stderr.write(`build:sea: ${path} (${Math.round(performance.now() - started)} ms)\n`),
    (error: unknown) => {
      process.stderr.write(`build:sea failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
