/**
 * `npm run build` (also run by `npm ci` and `npm pack` through `prepare`): compiles the CLI to
 * plain JavaScript with esbuild, so that `mapc` runs on a bare `node` with no TypeScript loader.
 *
 * Outputs (all under the git-ignored `dist/`):
 * - `dist/cli/main.js` and its chunks: what `bin/mapc.js` runs. Split at every `import()` of
 *   the CLI (one chunk per command, per backend, the collector, the language server), so that a
 *   command loads only what it runs: `mapc --help` loads commander and the command table.
 * - `dist/mapc.mjs`: the whole CLI in one file, for collection hosts: `node mapc.mjs collect ...`
 *   needs nothing else (no `node_modules`, no `npm`).
 * - `dist/THIRD_PARTY_LICENSES.md`: the licence of every package bundled into those files.
 *
 * Every dependency is bundled, so the npm package has no run-time dependency at all, except the
 * optional `@bpinternal/verel` (VRL in WebAssembly, 13 MB), which only `mapc test` loads, and
 * resolves at run time (`cli/test/verel.ts`).
 *
 * Options: `--single-only` / `--split-only` build one of the two; `--quiet`.
 *
 * Files are written through a temporary name and renamed, and files of an earlier build that the
 * new one no longer has are removed afterwards, so a CLI already running keeps working while a
 * rebuild happens (the test suite's global setup rebuilds before every run).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { build, type BuildOptions, type Metafile, type OutputFile, type Plugin } from 'esbuild';

/** The repository root (this file is `scripts/build.ts`). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');

/**
 * `@bpinternal/verel` is resolved at run time (see the module doc): every import of it is
 * redirected to `cli/test/verel.ts`, which loads it on first use.
 */
const ALIASES: Readonly<Record<string, string>> = { '@bpinternal/verel': './cli/test/verel.ts' };

/**
 * CommonJS dependencies bundled into ESM call `require` for Node built-ins; an ES module has no
 * `require`, so each output file makes one (https://esbuild.github.io/api/#platform, "CommonJS
 * dependencies in ESM output").
 */
const REQUIRE_SHIM =
  "import { createRequire as __mapcCreateRequire } from 'node:module'; const require = __mapcCreateRequire(import.meta.url);";

/** The folders whose files make up the bundles (with `package-lock.json`, the bundled dependencies). */
const SOURCE_DIRS: readonly string[] = ['cli', 'collector', 'compiler', 'dsl', 'editor', 'targets', 'test'];

/**
 * SHA-256 over the path and content of every source file and `package-lock.json`: the identity
 * of what a bundle was built from (`dsl/bundled.ts` `BUILD_ID`).
 */
export function buildId(): string {
  const hash = createHash('sha256');
  const files = [...SOURCE_DIRS.flatMap((d) => listFiles(join(ROOT, d))), join(ROOT, 'package-lock.json')]
    .filter((f) => /\.(ts|js|mjs|json)$/.test(f))
    .map((f) => relative(ROOT, f).split('\\').join('/'))
    .sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * An ECS package's field definitions and version, as it exports them (`EcsFlat`, `EcsVersion`):
 * `@elastic/ecs`, or an npm alias of an older release (`ecs-8.11.0`, compiler/ecs/releases.ts).
 */
function ecsPackage(name = '@elastic/ecs'): { EcsFlat: Record<string, Record<string, unknown>>; EcsVersion: string } {
  return createRequire(join(ROOT, 'package.json'))(name) as {
    EcsFlat: Record<string, Record<string, unknown>>;
    EcsVersion: string;
  };
}

/** `JSON.parse` of `value` as module text, after checking that `value` survives JSON unchanged. */
function jsonModule(exportName: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (!isDeepStrictEqual(JSON.parse(json), value)) throw new Error(`${exportName} does not survive JSON`);
  return `export const ${exportName} = JSON.parse(${JSON.stringify(json)});\n`;
}

/**
 * The properties of an ECS field definition that the compiler reads: `RawEcsField` in
 * `compiler/ecs/index.ts` (and of `allowed_values` entries, `name` and `expected_event_types`).
 * A property added there must be added here, or the bundled compiler will not see it
 * (`test/cli/ecs-bundle.test.ts` compares the bundled compiler with the sources).
 */
export const ECS_COMPILER_PROPERTIES: readonly string[] = [
  'type',
  'level',
  'original_fieldset',
  'short',
  'normalize',
  'allowed_values',
];

/**
 * `EcsFlat` cut to {@link ECS_COMPILER_PROPERTIES}: every field, in the same order, each with only
 * those properties (undefined ones left out), `allowed_values` entries with only their `name` and
 * `expected_event_types`. A third of the text of the whole (0.49 of 1.27 MB for ECS 9.4.0), and
 * half the heap once parsed.
 */
export function ecsCompilerProjection(
  flat: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, field] of Object.entries(flat)) {
    const kept: Record<string, unknown> = {};
    for (const key of ECS_COMPILER_PROPERTIES) {
      const value = field[key];
      if (value === undefined) continue;
      kept[key] =
        key === 'allowed_values' && Array.isArray(value)
          ? value.map((v: { name: string; expected_event_types?: string[] }) => ({
              name: v.name,
              ...(v.expected_event_types !== undefined ? { expected_event_types: v.expected_event_types } : {}),
            }))
          : value;
    }
    out[name] = kept;
  }
  return out;
}

/** The importer that gets {@link ecsCompilerProjection} instead of the whole `EcsFlat`: the compiler's list of ECS releases. */
const ECS_COMPILER_MODULE = /[\\/]compiler[\\/]ecs[\\/]releases\.ts$/;

/** The ECS packages: `@elastic/ecs` and the npm aliases of older releases (`ecs-8.11.0`). */
const ECS_PACKAGE = /^(?:@elastic\/ecs|ecs-[0-9]+\.[0-9]+\.[0-9]+)$/;

/**
 * `@elastic/ecs` ships its 2,000 field definitions as one JavaScript object literal (1.5 MB);
 * V8 reads the same data as a JSON string in `JSON.parse` several times faster than it compiles
 * and runs the literal (https://v8.dev/blog/cost-of-javascript-2019#json). This plugin replaces
 * that module by `JSON.parse` of the package's own data, after checking that the data survives
 * JSON unchanged.
 *
 * The compiler (`compiler/ecs/index.ts`, loaded by every command that compiles a map, among them
 * the first poll of `mapc collect`) gets a module of its own with only the properties it reads
 * ({@link ecsCompilerProjection}) and `EcsVersion`: the whole `EcsFlat` (descriptions, examples,
 * dashed names, ...) cost ~5 MiB of the process's peak RSS. Every other importer (the language
 * server's hover, `editor/server/ecs.ts`) gets the whole `EcsFlat`.
 */
export const ecsAsJson: Plugin = {
  name: 'mapc-ecs-as-json',
  setup(b) {
    b.onResolve({ filter: ECS_PACKAGE }, (args) =>
      ECS_COMPILER_MODULE.test(args.importer) ? { path: args.path, namespace: 'mapc-ecs-compiler' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'mapc-ecs-compiler' }, (args) => {
      const { EcsFlat, EcsVersion } = ecsPackage(args.path);
      const contents = `${jsonModule('EcsFlat', ecsCompilerProjection(EcsFlat))}export const EcsVersion = ${JSON.stringify(EcsVersion)};\n`;
      return { contents, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]@elastic[\\/]ecs[\\/]build[\\/]esm[\\/]ecs_flat\.js$/ }, () => ({
      contents: jsonModule('EcsFlat', ecsPackage().EcsFlat),
      loader: 'js',
    }));
  },
};

const UAP_REGEXES_MODULE = /[\\/]compiler[\\/]interpret[\\/]uap-regexes\.ts$/;

/**
 * The interpreter reads ua-parser's `regexes.yaml` from the `uap-core` package at run time
 * (`compiler/interpret/uap-regexes.ts`); the bundle has no packages beside it, so this plugin
 * replaces that module by one that imports the file's text (esbuild's `text` loader): the text is
 * in the bundle, and `uap-core` is among its inputs (its licence in THIRD_PARTY_LICENSES.md).
 */
export const uapRegexesInline: Plugin = {
  name: 'mapc-uap-regexes-inline',
  setup(b) {
    b.onLoad({ filter: UAP_REGEXES_MODULE }, (args) => ({
      contents: "import text from 'uap-core/regexes.yaml';\nexport function uapRegexesText() {\n  return text;\n}\n",
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
    b.onLoad({ filter: /[\\/]node_modules[\\/]uap-core[\\/]regexes\.yaml$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

/** esbuild options shared by every output. */
export function commonOptions(): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: { main: 'cli/main.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // ES module entries first, so that unused modules are tree-shaken (`@elastic/ecs`'s CommonJS index loads
    // every field set; mapc reads only `EcsFlat` and `EcsVersion`).
    mainFields: ['module', 'main'],
    alias: { ...ALIASES },
    define: {
      __MAPC_VERSION__: JSON.stringify(version()),
      __MAPC_BUILD_ID__: JSON.stringify(buildId()),
      __MAPC_BUNDLED__: 'true',
    },
    // Less text for V8 to scan at start-up. Identifiers are not minified, so functions keep
    // their names without esbuild's `keepNames`, whose helper runs on every closure created (it
    // was 8% of building 1,000 maps).
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    plugins: [ecsAsJson, uapRegexesInline],
    metafile: true,
    write: false,
    logLevel: 'warning',
  };
}

export interface BuildResult {
  /** Files written, relative to the repository root. */
  readonly files: readonly string[];
  readonly metafile: Metafile;
}

/** The split build: `dist/cli/main.js` plus chunks. */
export async function buildSplit(): Promise<BuildResult> {
  const result = await build({
    ...commonOptions(),
    splitting: true,
    outdir: join(DIST, 'cli'),
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: REQUIRE_SHIM },
  });
  const files = writeOutputs(result.outputFiles ?? [], join(DIST, 'cli'));
  return { files, metafile: result.metafile ?? { inputs: {}, outputs: {} } };
}

/** The single-file build: `dist/mapc.mjs`, executable (`#!/usr/bin/env node`). */
export async function buildSingle(): Promise<BuildResult> {
  const result = await build({
    ...commonOptions(),
    entryPoints: { mapc: 'cli/main.ts' },
    outExtension: { '.js': '.mjs' },
    outdir: DIST,
    banner: { js: `#!/usr/bin/env node\n${REQUIRE_SHIM}` },
  });
  const outputs = result.outputFiles ?? [];
  const files = writeOutputs(outputs, undefined, 0o755);
  return { files, metafile: result.metafile ?? { inputs: {}, outputs: {} } };
}

/**
 * Writes each output through a temporary file renamed into place; with `owned`, removes the
 * files under that directory that this build did not produce (an earlier build's chunks).
 */
function writeOutputs(outputs: readonly OutputFile[], owned: string | undefined, mode = 0o644): string[] {
  const written = new Set<string>();
  for (const file of outputs) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, file.contents, { mode });
    renameSync(temp, file.path);
    written.add(file.path);
  }
  if (owned !== undefined) {
    for (const path of listFiles(owned)) if (!written.has(path) && !path.endsWith('.tmp')) rmSync(path);
  }
  return [...written].map((p) => relative(ROOT, p)).sort();
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * The npm package (its folder under node_modules) a bundled input belongs to: a file
 * `node_modules/<name>/...`, or an ECS package the compiler gets projected (`ecsAsJson`'s
 * `mapc-ecs-compiler:<name>`); else `undefined`.
 */
function packageOf(input: string): string | undefined {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input) ?? /^mapc-ecs-compiler:(.+)$/.exec(input);
  return m?.[1];
}

/**
 * `dist/THIRD_PARTY_LICENSES.md`: for every package with code in the bundles, its name, version,
 * licence and licence text (from its `LICENSE*`/`LICENCE*`/`NOTICE*` files), as their licences
 * ask of redistributed copies.
 */
export function writeLicenses(metafiles: readonly Metafile[]): string {
  const names = new Set<string>();
  for (const m of metafiles)
    for (const input of Object.keys(m.inputs)) if (packageOf(input)) names.add(packageOf(input)!);
  const sections = [...names].sort().map((name) => {
    const dir = join(ROOT, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const texts = readdirSync(dir)
      .filter((f) => /^(licen[cs]e|notice)/i.test(f))
      .sort()
      .map((f) => readFileSync(join(dir, f), 'utf8').trim());
    const body = texts.length > 0 ? texts.map((t) => `\`\`\`\n${t}\n\`\`\``).join('\n\n') : '(no licence file shipped)';
    // An npm alias (`ecs-8.11.0` for `@elastic/ecs` 8.11.5) is named as published.
    const title = pkg.name === name ? `${name} ${pkg.version}` : `${pkg.name} ${pkg.version} (installed as ${name})`;
    return `## ${title} (${pkg.license ?? 'see text'})\n\n${body}\n`;
  });
  const text = `# Third-party software bundled into mapc\n\n${sections.join('\n')}`;
  const path = join(DIST, 'THIRD_PARTY_LICENSES.md');
  mkdirSync(DIST, { recursive: true });
  writeFileSync(path, text);
  return relative(ROOT, path);
}

/** Builds what `args` asks for (see the module doc); returns the files written. */
export async function main(args: readonly string[]): Promise<string[]> {
  const quiet = args.includes('--quiet');
  const started = performance.now();
  // Loading the parser from source runs chevrotain's grammar validations, which the bundles skip
  // (dsl/bundled.ts): a grammar mistake fails the build here instead of shipping.
  await import('../dsl/parser.ts');
  const results: BuildResult[] = [];
  if (!args.includes('--single-only')) results.push(await buildSplit());
  if (!args.includes('--split-only')) results.push(await buildSingle());
  const files = [...results.flatMap((r) => r.files), writeLicenses(results.map((r) => r.metafile))];
  if (!quiet) {
    const ms = Math.round(performance.now() - started);
    process.stderr.write(`build: ${files.length} files in dist/ (${ms} ms)\n`);
  }
  return files;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
