/**
 * The `mapc` command line (commander): build, check, test, fmt, ir, preview, schema, init, collect, lsp.
 *
 * Start-up is part of the interface (`mapc --help` runs in a few tens of milliseconds, and every
 * Vector or Logstash poll starts `mapc collect` afresh): this module declares the commands and
 * their options only. Each action loads its implementation with `import()` of a literal path, so
 * that `--help` loads no compiler, `collect` no backend, and the bundler (`scripts/build.ts`)
 * follows the graph and splits it per command.
 *
 * @module
 */
import { Command } from 'commander';
import { registerCollectCommand, type CollectCommandContext } from '../collector/cli.ts';
import { cliError, type Io } from './io.ts';
import { TARGET_NAMES } from './targets.ts';
import { mapcVersion } from './version.ts';

/** Collects a repeatable option's values. */
function repeatable(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The program; every output goes through `io`, and usage errors, `--help` and `--version` throw
 * commander's `CommanderError` (with its exit code) instead of exiting the process. `collect`
 * reports its exit status to `collect.exit` (default: `process.exitCode`).
 */
export function createProgram(io: Io, collect?: CollectCommandContext): Command {
  const program = new Command('mapc')
    .exitOverride()
    .description('Compile .map files to Elastic, Vector and Logstash log-collection configs')
    .version(mapcVersion(), '-V, --version', 'print the version of mapc')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  program
    .command('build')
    .description('compile maps (default: maps/*.map) to <out>/<integration>/<target>/')
    .argument('[paths...]', '.map files or directories of them')
    .option('--out <dir>', 'output root', 'generated')
    .option('--target <targets>', `comma-separated targets (${TARGET_NAMES.join(',')})`)
    .option('--force', 'overwrite files in the output directories that mapc did not generate', false)
    .option('--fixtures <dir>', 'fixture root for generated engine tests (<dir>/<integration>/<stream>/)', 'fixtures')
    .option('--no-fixtures', 'generate no engine tests from fixtures')
    .option('--watch', 'build, then build again whenever a map or a fixture changes (Ctrl-C stops)', false)
    .option(
      '--jobs <n>',
      'threads compiling maps at once, this one and worker threads (default: one per core, one per 8 maps at most; 1: this one alone)',
    )
    .action(
      async (
        paths: string[],
        opts: { out: string; target?: string; force: boolean; fixtures: string | false; watch: boolean; jobs?: string },
      ) => {
        const { parseJobs, parseTargets, runBuild } = await import('./commands/build.ts');
        const targets = parseTargets(io, opts.target);
        if (!targets) return;
        const jobs = parseJobs(io, opts.jobs);
        if (jobs === undefined) return;
        const options = { out: opts.out, targets, force: opts.force, fixtures: opts.fixtures, jobs };
        if (!opts.watch) {
          await runBuild(io, paths, options);
          return;
        }
        const { watchBuild } = await import('./commands/watch.ts');
        await watchBuild(io, paths, options);
      },
    );

  program
    .command('check')
    .description('check maps (default: maps/*.map) without writing anything')
    .argument('[paths...]', '.map files or directories of them')
    .option('--format <format>', 'text or json', 'text')
    .action(async (paths: string[], opts: { format: string }) => {
      if (opts.format !== 'text' && opts.format !== 'json') {
        cliError(io, `unknown --format ${opts.format}: expected text or json`);
        return;
      }
      const { runCheck } = await import('./commands/check.ts');
      runCheck(io, paths, { format: opts.format });
    });

  program
    .command('test')
    .description(
      "run each stream's fixtures (default: every maps/*.map) through the reference interpreter and every engine " +
        'available here; print a per-field diff of each differing document',
    )
    .argument('[paths...]', '.map files or directories of them')
    .option('--fixtures <dir>', 'fixture root (<dir>/<integration>/<stream>/{records,expected}.json)', 'fixtures')
    .option('--engine <names>', 'comma-separated engines to run (default: every one available)')
    .option('--update', "rewrite each differing expected.json from the interpreter's documents, after showing the diff")
    .option('--yes', 'with --update: do not ask before rewriting')
    .action(async (paths: string[], opts: { fixtures: string; engine?: string; update?: boolean; yes?: boolean }) => {
      const { runTest } = await import('./commands/test.ts');
      await runTest(io, paths, {
        fixtures: opts.fixtures,
        ...(opts.engine !== undefined ? { engines: opts.engine } : {}),
        update: opts.update === true,
        yes: opts.yes === true,
      });
    });

  program
    .command('fmt')
    .description('rewrite maps (default: maps/*.map) in the canonical layout')
    .argument('[paths...]', '.map files or directories of them')
    .option('--check', 'write nothing; list the maps that would change and exit 1 if any would')
    .option('--stdin', 'format the map on standard input to standard output')
    .option('--stdin-name <name>', 'the file name used in diagnostics with --stdin', '<stdin>')
    .action(async (paths: string[], opts: { check?: boolean; stdin?: boolean; stdinName: string }) => {
      if (opts.stdin && (paths.length > 0 || opts.check)) {
        cliError(io, '--stdin takes no paths and no --check');
        return;
      }
      const { runFmt, runFmtStdin } = await import('./commands/fmt.ts');
      if (opts.stdin) await runFmtStdin(io, opts.stdinName);
      else runFmt(io, paths, { check: opts.check ?? false });
    });

  program
    .command('ir')
    .description('print the intermediate representation of a map as JSON')
    .argument('<file>', 'a .map file')
    .action(async (file: string) => {
      const { runIr } = await import('./commands/ir.ts');
      runIr(io, file);
    });

  program
    .command('preview')
    .description('print the ECS documents a map makes from raw records (reference interpreter)')
    .argument('<file>', 'a .map file')
    .requiredOption(
      '--input <records.json>',
      'JSON array of records, a response body, one record, or NDJSON records; - for stdin',
    )
    .option('--stream <name>', 'the stream to use (required when the map has several)')
    .option('--set <name=value>', 'a setting value (repeatable)', repeatable, [] as string[])
    .option(
      '--now <time>',
      'the collection time collected_at writes and the now of now conditions: an RFC 3339 time, or "now" (default: none; now conditions read the clock)',
    )
    .option(
      '--geoip-database <path>',
      'a MaxMind City or ASN database (.mmdb) that geoip / asn read (repeatable; default: none, they write nothing)',
      repeatable,
      [] as string[],
    )
    .action(
      async (
        file: string,
        opts: { input: string; stream?: string; set: string[]; now?: string; geoipDatabase: string[] },
      ) => {
        const { runPreview } = await import('./commands/preview.ts');
        await runPreview(io, file, {
          input: opts.input,
          ...(opts.stream !== undefined ? { stream: opts.stream } : {}),
          set: opts.set,
          ...(opts.now !== undefined ? { now: opts.now } : {}),
          geoipDatabases: opts.geoipDatabase,
        });
      },
    );

  program
    .command('schema')
    .description("print the JSON Schema (draft 2020-12) of a stream's records")
    .argument('<map>', 'a .map file')
    .option('--stream <name>', 'the stream to use (required when the map has several)')
    .action(async (file: string, opts: { stream?: string }) => {
      const { runSchema } = await import('./commands/schema.ts');
      runSchema(io, file, opts.stream !== undefined ? { stream: opts.stream } : {});
    });

  program
    .command('init')
    .description('write a starting map and fixture records from sample records')
    .argument('<name>', 'the integration name (lowercase snake_case)')
    .requiredOption('--sample <records.json>', 'sample records: a JSON array, one record, or NDJSON')
    .option('--response <page.json>', 'one API response page, to find where the records are')
    .option('--out <dir>', 'directory of the map', 'maps')
    .option('--fixtures <dir>', 'directory of the fixtures (default: fixtures beside --out)')
    .option('--stream <name>', 'the stream name', 'events')
    .option('--force', 'replace existing files, keeping each as <file>.bak', false)
    .action(
      async (
        name: string,
        opts: { sample: string; response?: string; out: string; fixtures?: string; stream: string; force: boolean },
      ) => {
        const { runInit } = await import('./commands/init.ts');
        runInit(io, name, {
          sample: opts.sample,
          ...(opts.response !== undefined ? { response: opts.response } : {}),
          out: opts.out,
          ...(opts.fixtures !== undefined ? { fixtures: opts.fixtures } : {}),
          stream: opts.stream,
          force: opts.force,
        });
      },
    );

  // Declared by the collector, which owns its options; its action loads the collector lazily.
  registerCollectCommand(program, collect);

  program
    .command('lsp')
    .description('run the language server on standard input/output (for editors)')
    .option('--stdio', 'talk LSP over standard input/output (the default and only transport)')
    .action(async () => {
      const { runLsp } = await import('./commands/lsp.ts');
      runLsp();
    });

  return program;
}
