/**
 * `mapc collect <map> [--stream s] [--state file] [--mapped] [--validate] [--max-response-bytes n] [--set name=value ...]`: the
 * commander registration and the glue from a `.map` file (or an IR JSON file, as `mapc ir`
 * prints it) to {@link collectFromIR}.
 *
 * Exit status: 0 on success, 1 on any fatal error (logged as a JSON line on stderr), 2 when the
 * map does not compile (its diagnostics are logged, one JSON line each).
 *
 * Every Vector or Logstash poll starts `mapc collect` afresh, so this module loads nothing heavy
 * at import: the compiler only when the map is a `.map` file, the collector when the command runs.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { IntegrationIR } from '../compiler/ir.ts';
import { BUILD_ID } from '../dsl/bundled.ts';
import { CollectError } from './errors.ts';
import { irCacheKey, irCachePath, readIrCache, writeIrCache } from './ir-cache.ts';
import type { CollectOptions } from './run.ts';

export interface CollectCliOptions {
  readonly stream?: string;
  readonly state?: string;
  readonly mapped?: boolean;
  readonly validate?: boolean;
  readonly maxResponseBytes?: string;
  readonly checkpointMs?: string;
  readonly set: readonly string[];
  /** `--geoip-database PATH` (repeatable): MaxMind City / ASN databases for `geoip` / `asn`. */
  readonly geoipDatabase?: readonly string[];
}

function collectSets(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A command-line option whose value is a whole number of some unit within a range. */
export interface WholeNumberOption {
  /** The flag as typed, for messages: `--checkpoint-ms`. */
  readonly flag: string;
  /** The unit, plural: `bytes`. */
  readonly unit: string;
  readonly min: number;
  /** Inclusive; absent: up to `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
}

/** `--max-response-bytes`: at least 1 byte. */
export const MAX_RESPONSE_BYTES: WholeNumberOption = { flag: '--max-response-bytes', unit: 'bytes', min: 1 };
/** `--checkpoint-ms`: 0 (a state write after every page) to one hour. */
export const CHECKPOINT_MS: WholeNumberOption = {
  flag: '--checkpoint-ms',
  unit: 'milliseconds',
  min: 0,
  max: 3_600_000,
};

/**
 * Parses the value of a whole-number option: decimal digits only (no sign, exponent or
 * fraction), from `option.min` to `option.max`.
 * @throws CollectError E0806 naming the flag, the unit and the range
 */
export function parseWholeNumber(option: WholeNumberOption, text: string): number {
  const n = Number(text);
  const max = option.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < option.min || n > max) {
    const range = option.max === undefined ? `(at least ${option.min})` : `from ${option.min} to ${option.max}`;
    throw new CollectError('E0806', `${option.flag} ${text}: expected a whole number of ${option.unit} ${range}`);
  }
  return n;
}

const line = (fields: Record<string, unknown>): void => {
  process.stderr.write(`${JSON.stringify(fields)}\n`);
};

/**
 * Loads the IR of `path`: JSON files are read as IR, anything else is compiled, or, with
 * `stateFile`, taken from the IR cache next to it when that still matches the map
 * (`ir-cache.ts`). Resolves to undefined (after logging every diagnostic) when the map has
 * errors.
 */
export async function loadIR(path: string, stateFile?: string): Promise<IntegrationIR | undefined> {
  if (path.endsWith('.json')) {
    const { IR_VERSION } = await import('../compiler/ir.ts');
    let ir: unknown;
    try {
      ir = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new CollectError('E0807', `cannot read IR file ${path}: ${(error as Error).message}`);
    }
    if (typeof ir !== 'object' || ir === null || (ir as { irVersion?: unknown }).irVersion !== IR_VERSION) {
      throw new CollectError('E0807', `${path} is not mapc IR (irVersion ${IR_VERSION})`);
    }
    return ir as IntegrationIR;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CollectError(
      'E0807',
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const cache =
    stateFile !== undefined && BUILD_ID !== undefined
      ? {
          path: irCachePath(stateFile),
          key: irCacheKey(path, bytes, BUILD_ID, (await import('../compiler/ir.ts')).IR_VERSION),
        }
      : undefined;
  const cached = cache && readIrCache(cache.path, cache.key);
  if (cached) return cached;

  const { compileSource } = await import('../compiler/compile.ts');
  const result = compileSource(bytes.toString('utf8'), path);
  for (const d of result.diagnostics) {
    const { file, line: l, column } = d.primary.span;
    line({
      level: d.severity === 'error' ? 'error' : 'warn',
      msg: d.message,
      code: d.code,
      location: `${file}:${l}:${column}`,
    });
  }
  if (cache && result.ir && !writeIrCache(cache.path, cache.key, result.ir)) {
    line({ level: 'info', msg: `cannot write the compiled map to ${cache.path}; the next run compiles it again` });
  }
  return result.ir;
}

/** Runs the command; resolves to the exit status. */
export async function runCollect(
  map: string,
  cli: CollectCliOptions,
  base: Partial<CollectOptions> = {},
): Promise<number> {
  let ir: IntegrationIR | undefined;
  let sets: Record<string, string>;
  let maxResponseBytes: number | undefined;
  let checkpointMs: number | undefined;
  let geoDatabases: CollectOptions['geoDatabases'];
  try {
    // `--set` pairs by the rule `mapc preview` uses; the values are typed later, per setting.
    const { splitSetPairs } = await import('../compiler/interpret/settings.ts');
    const split = splitSetPairs(cli.set);
    if (!split.ok) throw new CollectError('E0806', `--set ${split.malformed}: expected name=value`);
    sets = split.values;
    if (cli.maxResponseBytes !== undefined)
      maxResponseBytes = parseWholeNumber(MAX_RESPONSE_BYTES, cli.maxResponseBytes);
    if (cli.checkpointMs !== undefined) checkpointMs = parseWholeNumber(CHECKPOINT_MS, cli.checkpointMs);
    if (cli.geoipDatabase !== undefined && cli.geoipDatabase.length > 0) {
      const { loadGeoDatabases, InterpretError } = await import('../compiler/interpret/index.ts');
      try {
        geoDatabases = loadGeoDatabases(cli.geoipDatabase);
      } catch (error) {
        if (error instanceof InterpretError) throw new CollectError('E0806', `--geoip-database: ${error.message}`);
        throw error;
      }
    }
    ir = await loadIR(map, cli.state);
  } catch (error) {
    const e = error instanceof CollectError ? error : new CollectError('E0807', (error as Error).message);
    line({ level: 'error', msg: e.message, code: e.code });
    return e.code === 'E0807' ? 2 : 1;
  }
  if (!ir) {
    line({ level: 'error', msg: `${map} does not compile; nothing collected`, code: 'E0807' });
    return 2;
  }
  const { collectFromIR } = await import('./run.ts');
  const result = await collectFromIR(ir, {
    ...base,
    ...(cli.stream !== undefined ? { stream: cli.stream } : {}),
    ...(cli.state !== undefined ? { stateFile: cli.state } : {}),
    mapped: cli.mapped === true,
    validate: cli.validate === true,
    ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
    ...(checkpointMs !== undefined ? { checkpointMs } : {}),
    ...(geoDatabases !== undefined ? { geoDatabases } : {}),
    sets,
  });
  return result.exitCode;
}

/**
 * Where the `collect` command reports its exit status and what it passes to {@link runCollect}
 * (`cli/run.ts`: the run's environment and output streams); default: `process.exitCode`.
 */
export interface CollectCommandContext {
  readonly exit: (code: number) => void;
  readonly base?: Partial<CollectOptions>;
}

/** Adds `collect` to the `mapc` program (commander 14). */
export function registerCollectCommand(
  program: Command,
  context: CollectCommandContext = {
    exit: (code) => {
      process.exitCode = code;
    },
  },
): Command {
  return program
    .command('collect')
    .description(
      'collect a stream from the vendor API as the map describes it: NDJSON events on stdout, ' +
        'JSON log lines on stderr; secrets from environment variables only',
    )
    .argument('<map>', 'the .map file (or an IR JSON file from `mapc ir`)')
    .option('--stream <name>', 'stream to collect (required when the map has several)')
    .option('--state <file>', 'state file keeping the incremental cursor between runs (replaced atomically)')
    .option('--mapped', 'print the mapped ECS documents ({"_id", ...doc}) instead of raw records')
    .option(
      '--validate',
      "log each record that breaks the stream's record schema (W0812: JSON pointer and rule; the record is still written)",
    )
    .option(
      '--max-response-bytes <n>',
      'abort a response body larger than n bytes and end the run with E0808 (default 67108864, 64 MiB)',
    )
    .option(
      '--checkpoint-ms <n>',
      'least milliseconds between two state writes while a page sequence is in progress (default 1000; 0: after every page)',
    )
    .option('--set <name=value>', 'a setting value (repeatable); overrides its environment variable', collectSets, [])
    .option(
      '--geoip-database <path>',
      'a MaxMind City or ASN database (.mmdb) that geoip / asn read with --mapped (repeatable; default: none, they write nothing)',
      collectSets,
      [],
    )
    .action(async (map: string, opts: CollectCliOptions) => {
      context.exit(await runCollect(map, opts, context.base));
    });
}
