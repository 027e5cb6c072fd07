/**
 * `npm run bench`: measures and prints figures, asserts nothing (it is not a test; `npm test`
 * does not run it). Exits 0 unless something crashes.
 *
 * Options: `--json` (machine-readable results on stdout, progress still on stderr),
 * `--profile quick|default|full` (repetition counts; `quick` is a smoke run of a few seconds,
 * `full` adds repetitions and the `--mapped` collect runs), `--only compile,codegen,interpret,vrl,vrl-baseline,collect`.
 * What each figure means: `bench/README.md`.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { benchCodegen } from './codegen-bench.ts';
import { benchCollect, type CollectPlan } from './collect-bench.ts';
import { benchCompile, type CompileResults } from './compile-bench.ts';
import { benchIngest, type IngestPlan, type IngestRow } from './ingest-baseline.ts';
import { bundledMaps, syntheticMap } from './inputs.ts';
import { benchInterpret, type InterpretPlan } from './interpret-bench.ts';
import { benchLogstashBaseline } from './logstash-baseline.ts';
import { machineInfo, peakRssMiB } from './machine.ts';
import { report } from './report.ts';
import { benchStartup, type StartupPlan } from './startup-bench.ts';
import { benchThroughput, type ThroughputPlan } from './throughput-bench.ts';
import type { MeasureOptions } from './stats.ts';
import type { SyntheticShape } from './synthetic-map.ts';
import type { benchVrl, VrlPlan } from './vrl-bench.ts';
import type { benchVrlBaselines, VrlBaselinePlan } from './vrl-baseline-bench.ts';

export const SECTIONS = [
  'compile',
  'codegen',
  'interpret',
  'vrl',
  'vrl-baseline',
  'collect',
  'startup',
  'throughput',
  'logstash-baseline',
  'ingest',
] as const;
export type Section = (typeof SECTIONS)[number];

/** Every repetition count of a run; printed with the results so runs can be compared. */
export interface Profile {
  readonly name: string;
  readonly synthetic: SyntheticShape;
  readonly compile: { readonly small: MeasureOptions; readonly large: MeasureOptions };
  readonly codegen: { readonly small: MeasureOptions; readonly large: MeasureOptions };
  readonly interpret: { readonly fixtures: InterpretPlan; readonly synthetic: InterpretPlan };
  readonly vrl: VrlPlan;
  readonly vrlBaseline: VrlBaselinePlan;
  readonly collect: CollectPlan;
  readonly startup: StartupPlan;
  readonly throughput: ThroughputPlan;
  readonly ingest: IngestPlan;
}

const SHAPE: SyntheticShape = { streams: 20, rulesPerStream: 200 };

const PROFILES: Record<string, Profile> = {
  quick: {
    name: 'quick',
    synthetic: SHAPE,
    compile: { small: { warmup: 1, reps: 3 }, large: { warmup: 0, reps: 1 } },
    codegen: { small: { warmup: 1, reps: 3 }, large: { warmup: 0, reps: 1 } },
    interpret: {
      fixtures: { records: 10_000, reps: 2, warmupRecords: 1000, memoryRecords: 1000 },
      synthetic: { records: 200, reps: 2, warmupRecords: 20, memoryRecords: 100 },
    },
    vrl: { perCall: { warmup: 1, reps: 1 }, batched: { warmup: 0, reps: 1 }, batch: 20 },
    vrlBaseline: { records: 1000, cliRecords: 1000, instructionRecords: 0, batch: 1000, reps: 1, cliReps: 1 },
    collect: { pages: 100, perPage: 100, warmupPages: 5, rawReps: 1, mappedReps: 0, serverLifetimeMs: 60_000 },
    startup: { reps: 3, warmup: 1, manyMaps: 0 },
    throughput: { pages: 100, perPage: 100, reps: 1 },
    ingest: { events: 20_000, rounds: 1 },
  },
  default: {
    name: 'default',
    synthetic: SHAPE,
    compile: { small: { warmup: 5, reps: 20 }, large: { warmup: 1, reps: 5 } },
    codegen: { small: { warmup: 5, reps: 20 }, large: { warmup: 1, reps: 3 } },
    interpret: {
      fixtures: { records: 100_000, reps: 5, warmupRecords: 5000, memoryRecords: 10_000 },
      synthetic: { records: 2000, reps: 4, warmupRecords: 200, memoryRecords: 1000 },
    },
    vrl: { perCall: { warmup: 2, reps: 4 }, batched: { warmup: 1, reps: 4 }, batch: 100 },
    vrlBaseline: { records: 10_000, cliRecords: 30_000, instructionRecords: 2000, batch: 2000, reps: 7, cliReps: 15 },
    collect: { pages: 1000, perPage: 100, warmupPages: 50, rawReps: 3, mappedReps: 0, serverLifetimeMs: 150_000 },
    startup: { reps: 7, warmup: 1, manyMaps: 1000 },
    throughput: { pages: 10_000, perPage: 100, reps: 3 },
    ingest: { events: 20_000, rounds: 3 },
  },
  full: {
    name: 'full',
    synthetic: SHAPE,
    compile: { small: { warmup: 5, reps: 50 }, large: { warmup: 1, reps: 10 } },
    codegen: { small: { warmup: 5, reps: 50 }, large: { warmup: 1, reps: 10 } },
    interpret: {
      fixtures: { records: 100_000, reps: 10, warmupRecords: 10_000, memoryRecords: 20_000 },
      synthetic: { records: 5000, reps: 10, warmupRecords: 500, memoryRecords: 2000 },
    },
    vrl: { perCall: { warmup: 2, reps: 10 }, batched: { warmup: 1, reps: 10 }, batch: 100 },
    vrlBaseline: { records: 30_000, cliRecords: 100_000, instructionRecords: 2000, batch: 2000, reps: 11, cliReps: 21 },
    collect: { pages: 1000, perPage: 100, warmupPages: 100, rawReps: 5, mappedReps: 2, serverLifetimeMs: 400_000 },
    startup: { reps: 15, warmup: 2, manyMaps: 1000 },
    throughput: { pages: 10_000, perPage: 100, reps: 5 },
    ingest: { events: 50_000, rounds: 3 },
  },
};

export interface BenchResults {
  readonly machine: ReturnType<typeof machineInfo>;
  readonly profile: Profile;
  readonly sections: readonly Section[];
  readonly compile?: CompileResults;
  readonly codegen?: ReturnType<typeof benchCodegen>;
  readonly interpret?: ReturnType<typeof benchInterpret>;
  readonly vrl?: ReturnType<typeof benchVrl>;
  readonly vrlBaseline?: ReturnType<typeof benchVrlBaselines>;
  readonly collect?: Awaited<ReturnType<typeof benchCollect>>;
  readonly startup?: Awaited<ReturnType<typeof benchStartup>>;
  readonly throughput?: Awaited<ReturnType<typeof benchThroughput>>;
  readonly logstashBaseline?: ReturnType<typeof benchLogstashBaseline>;
  readonly ingest?: IngestRow[];
  /** Peak RSS (MiB) once the inputs were loaded and compiled, before any section: the baseline. */
  readonly startRssMiB: number;
  /** Peak RSS of the process (MiB) after each section that ran: cumulative, never decreasing. */
  readonly peakRssMiB: Partial<Record<Section, number>>;
  /** Wall time of each section, ms. */
  readonly sectionMs: Partial<Record<Section, number>>;
  readonly wallMs: number;
}

function options(): { json: boolean; profile: Profile; sections: Section[] } {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      profile: { type: 'string', default: 'default' },
      only: { type: 'string' },
    },
  });
  const profile = PROFILES[values.profile ?? 'default'];
  if (!profile) throw new Error(`unknown --profile ${values.profile}; one of ${Object.keys(PROFILES).join(', ')}`);
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s)) ?? [];
  if (unknown.length > 0)
    throw new Error(`unknown --only section ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  return { json: values.json ?? false, profile, sections: SECTIONS.filter((s) => !only || only.includes(s)) };
}

const progress = (text: string): void => {
  process.stderr.write(`[bench] ${text}\n`);
};

async function main(): Promise<void> {
  const { json, profile, sections } = options();
  const machine = machineInfo();
  const started = performance.now();
  progress(`profile ${profile.name}; sections ${sections.join(', ')}`);
  const bundled = bundledMaps();
  const synthetic = syntheticMap(profile.synthetic);
  const maps = [...bundled, synthetic];
  const results: { -readonly [K in keyof BenchResults]?: BenchResults[K] } = {
    machine,
    profile,
    sections,
    startRssMiB: peakRssMiB(),
  };
  const peaks: Partial<Record<Section, number>> = {};
  const times: Partial<Record<Section, number>> = {};

  for (const section of sections) {
    progress(`${section}...`);
    const t = performance.now();
    switch (section) {
      case 'compile':
        results.compile = benchCompile(maps, profile.compile.small, profile.compile.large);
        break;
      case 'codegen':
        results.codegen = benchCodegen(maps, profile.codegen.small, profile.codegen.large);
        break;
      case 'interpret':
        results.interpret = benchInterpret(maps, profile.interpret.fixtures, profile.interpret.synthetic);
        break;
      case 'vrl': {
        // Loaded here: the VRL WASM module alone adds ~120 MiB RSS, which would blur the compile figures.
        const { benchVrl: run } = await import('./vrl-bench.ts');
        results.vrl = run(bundled, profile.vrl);
        break;
      }
      case 'vrl-baseline': {
        const { benchVrlBaselines: run } = await import('./vrl-baseline-bench.ts');
        results.vrlBaseline = run(bundled, profile.vrlBaseline);
        break;
      }
      case 'ingest':
        results.ingest = await benchIngest(bundled, profile.ingest);
        break;
      case 'collect': {
        const enpass = bundled.find((m) => m.name === 'enpass');
        if (!enpass) throw new Error('collect bench needs maps/enpass.map');
        results.collect = await benchCollect(enpass.ir, profile.collect);
        break;
      }
      case 'startup':
        results.startup = await benchStartup(profile.startup);
        break;
      case 'throughput': {
        const enpass = bundled.find((m) => m.name === 'enpass');
        if (!enpass) throw new Error('throughput bench needs maps/enpass.map');
        results.throughput = await benchThroughput(enpass.ir, profile.throughput);
        break;
      }
      case 'logstash-baseline':
        results.logstashBaseline = benchLogstashBaseline(bundled);
        break;
    }
    times[section] = performance.now() - t;
    peaks[section] = peakRssMiB();
    progress(`${section} done in ${(times[section] / 1000).toFixed(1)} s`);
  }
  const final = {
    ...results,
    peakRssMiB: peaks,
    sectionMs: times,
    wallMs: performance.now() - started,
  } as BenchResults;
  process.stdout.write(json ? `${JSON.stringify(final, null, 2)}\n` : report(final));
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
