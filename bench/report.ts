/**
 * The human-readable report of a run: one table per figure, then memory and wall time.
 *
 * @module
 */
import type { BenchResults, Section } from './run.ts';
import type { MedianInterval } from './stats.ts';
import { mib, ms, rate, table } from './table.ts';

const medP95 = (label: string): string[] => [`${label} med`, `${label} p95`];

/** `[low-high]` of a ratio's confidence interval, with its coverage when it is under 95 %. */
function interval(i: MedianInterval): string {
  if (!Number.isFinite(i.low)) return '';
  const under = i.coverage < 0.95 ? ` ${(i.coverage * 100).toFixed(0)}%` : '';
  return `[${i.low.toFixed(2)}-${i.high.toFixed(2)}${under}]`;
}

export function report(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [
    `mapc benchmarks (${r.profile.name} profile), ${m.startedAt}`,
    `machine: node ${m.node} (V8 ${m.v8}), ${m.cpuModel}, ${m.cores} cores, ${m.memoryMiB} MiB, ${m.platform}; load average ${m.loadAverage1m} at start`,
    'times in ms; med = median, p95 = 95th percentile (nearest rank: the maximum below 20 repetitions); rates per second from those times',
    '',
  ];

  if (r.compile) {
    const p = r.profile.compile;
    out.push(
      `1. Front end: parse, check, lower (ms per compile; bundled maps ${p.small.warmup} warm-up + ${p.small.reps} reps, synthetic ${p.large.warmup} + ${p.large.reps})`,
      table(
        [
          'map',
          'KiB',
          'streams',
          'rules',
          ...medP95('parse'),
          ...medP95('check'),
          ...medP95('lower'),
          ...medP95('total'),
        ],
        r.compile.rows.map((row) => [
          row.map,
          (row.bytes / 1024).toFixed(1),
          String(row.streams),
          String(row.rules),
          ms(row.parse.median),
          ms(row.parse.p95),
          ms(row.check.median),
          ms(row.check.p95),
          ms(row.lower.median),
          ms(row.lower.p95),
          ms(row.total.median),
          ms(row.total.p95),
        ]),
      ),
      `memory, one compile of ${r.compile.memory.map}: result (AST + IR) retained ${mib(r.compile.memory.retainedMiB)} MiB; heap growth during the compile (garbage included) ${mib(r.compile.memory.heapGrowthMiB)} MiB; process peak RSS so far ${mib(r.compile.memory.peakRssMiB)} MiB`,
      '',
    );
  }

  if (r.codegen) {
    const p = r.profile.codegen;
    out.push(
      `2. Code generation (ms per emit, no fixtures; bundled ${p.small.warmup} + ${p.small.reps} reps, synthetic ${p.large.warmup} + ${p.large.reps})`,
      table(
        ['map', 'target', 'files', 'KiB out', 'errors', ...medP95('emit')],
        r.codegen.map((row) => [
          row.map,
          row.target,
          String(row.files),
          (row.bytes / 1024).toFixed(1),
          String(row.errors),
          ms(row.time.median),
          ms(row.time.p95),
        ]),
      ),
      '',
    );
  }

  if (r.interpret) {
    const p = r.profile.interpret;
    out.push(
      `3. Reference interpreter mapRecord (fixture records replicated to ${rate(p.fixtures.records)}, ${p.fixtures.reps} reps of ${rate(p.fixtures.records / p.fixtures.reps)}; synthetic ${rate(p.synthetic.records)} in ${p.synthetic.reps} reps)`,
      table(
        ['map', 'stream', 'rules', 'distinct', 'chars/rec', ...medP95('ms/rep'), 'rec/s med', 'rec/s p95', 'bytes/doc'],
        r.interpret.map((row) => [
          row.map,
          row.stream,
          String(row.rules),
          String(row.distinct),
          String(row.messageChars),
          ms(row.time.median),
          ms(row.time.p95),
          rate(row.recordsPerSecond.median),
          rate(row.recordsPerSecond.p95),
          rate(row.bytesPerDocument),
        ]),
      ),
      'rec/s p95 is the rate of the p95 (slow) repetition; bytes/doc: live heap per kept document and id after a full GC',
      '',
    );
  }

  if (r.vrl) {
    const p = r.profile.vrl;
    out.push(
      `4. Generated Vector remap on real VRL (@bpinternal/verel 0.2.0, WASM; it COMPILES THE PROGRAM ON EVERY CALL)`,
      `   per call = 1 record per execute (compile + run; ${p.perCall.warmup} warm-up + ${p.perCall.reps} reps); batched = ${p.batch} records per execute (one compile; ${p.batched.warmup} + ${p.batched.reps} reps);`,
      '   compile = check() only; exec-only = estimated cost of a record once compiled, (batch - compile) / batch: nearest to Vector, which compiles once; "-" when noise made it negative',
      table(
        [
          'map',
          'stream',
          'shape',
          'VRL chars',
          ...medP95('per call'),
          'rec/s per call',
          ...medP95('compile'),
          ...medP95(`batch ${p.batch}`),
          'rec/s batched',
          'rec/s exec-only',
          'events out',
        ],
        r.vrl.map((row) => [
          row.map,
          row.stream,
          row.shape,
          String(row.programChars),
          ms(row.perCall.median),
          ms(row.perCall.p95),
          rate(row.recordsPerSecond.perCall),
          ms(row.compileOnly.median),
          ms(row.compileOnly.p95),
          ms(row.batched.median),
          ms(row.batched.p95),
          rate(row.recordsPerSecond.batched),
          rate(row.recordsPerSecond.executionOnlyEstimate),
          String(row.eventsOut),
        ]),
      ),
      '',
    );
  }

  if (r.vrlBaseline) {
    const p = r.profile.vrlBaseline;
    const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-');
    out.push(
      `6. Generated Vector remap vs the hand-written baseline (bench/baselines/vector), ${p.records} varied records (vrl CLI: ${p.cliRecords}), ${p.reps} paired repetitions (vrl CLI: ${p.cliReps})`,
      '   lines: all / code (not blank, not a comment), ratio generated/baseline (issue 8: <= 1.5x);',
      `   us/rec: steady state per record (verel: ${p.batch} records per call minus an empty call; vrl CLI 0.38: all records minus one record, identity program "." for scale);`,
      `   CLI instr: callgrind instructions per record on the vrl CLI (${p.instructionRecords} records minus one), generated/baseline (k) and the throughput ratio they give (deterministic; blind to memory stalls);`,
      '   guarded = the same map without its record schema (the form before issue 8);\n   us/rec from the fastest repetition; thr ratio: generated throughput / baseline throughput (issue 8: >= 0.9x), median over the pairs, then of the fastest repetitions; [95% CI]: the distribution-free confidence interval of that median over the pairs (bench/stats.ts medianInterval; the range of the pairs when they are too few, its coverage given); agree: records with the same document and id',
      table(
        [
          'map',
          'lines gen/base',
          'code gen/base',
          'lines ratio',
          'verel us/rec gen/base',
          'verel thr ratio: pairs [95% CI], fastest',
          'CLI us/rec gen/base',
          'CLI identity us/rec',
          'CLI thr ratio: pairs [95% CI], fastest',
          'CLI instr k gen/base, ratio',
          'agree',
          'guarded: lines, thr verel/CLI',
        ],
        r.vrlBaseline.map((row) => [
          `${row.map}.${row.stream}`,
          `${row.generatedLines.lines}/${row.baselineLines.lines}`,
          `${row.generatedLines.code}/${row.baselineLines.code}`,
          `${ratio(row.generatedLines.lines / row.baselineLines.lines)} (code ${ratio(row.generatedLines.code / row.baselineLines.code)})`,
          `${(row.verel.generatedMsPerRecord * 1000).toFixed(1)}/${(row.verel.baselineMsPerRecord * 1000).toFixed(1)}`,
          `${ratio(row.verel.throughputRatio)} ${interval(row.verel.ratioInterval)}, ${ratio(row.verel.fastestRatio)}`,
          `${(row.native.generatedMsPerRecord * 1000).toFixed(1)}/${(row.native.baselineMsPerRecord * 1000).toFixed(1)}`,
          (row.native.identityMsPerRecord * 1000).toFixed(1),
          `${ratio(row.native.throughputRatio)} ${interval(row.native.ratioInterval)}, ${ratio(row.native.fastestRatio)}`,
          row.instructions
            ? `${(row.instructions.generated / 1000).toFixed(1)}/${(row.instructions.baseline / 1000).toFixed(1)}, ${ratio(row.instructions.ratio)}`
            : '-',
          `${row.agreeing}/${row.records}`,
          `${row.guardedLines.lines}, ${ratio(row.guardedThroughputRatio.verel)}/${ratio(row.guardedThroughputRatio.native)}`,
        ]),
      ),
      '',
    );
  }

  if (r.ingest) {
    const ratio = (a: number, b: number | undefined): string => (b ? `${(a / b).toFixed(2)}x` : '-');
    out.push(
      `9. Ingest pipelines against the hand-written baselines (bench/baselines/elastic): processors (top-level / with on_failure handlers) and OpenSearch ingest time (the pipeline's time_in_millis of _nodes/stats/ingest as reported: OpenSearch 2.19 runs each _bulk of 2000 as one batch and charges every document the whole batch's ms (OperationMetrics.afterN), so the figure is the batches' wall time x 2000; only the ratios are compared; _bulk into an index with the pipeline as default; per chunk: the time ratio of each _bulk of 2000 events against the baseline's _bulk of the same events, their median, its 95% confidence interval and the number of chunks); lean = with the map's record schema, guarded = the same map without it`,
      table(
        [
          'stream',
          'baseline',
          'lean',
          'guarded',
          'lean/baseline',
          'events',
          'ingest ms baseline',
          'lean',
          'guarded',
          'lean/baseline',
          'guarded/baseline',
          'per chunk lean/baseline: median [95% CI]',
        ],
        r.ingest.map((row) => [
          `${row.vendor}.${row.stream}`,
          row.processors.baseline === undefined ? '-' : `${row.processors.baseline} / ${row.nested.baseline}`,
          `${row.processors.lean} / ${row.nested.lean}`,
          `${row.processors.guarded} / ${row.nested.guarded}`,
          ratio(row.processors.lean, row.processors.baseline),
          row.events === undefined ? '-' : String(row.events),
          row.ingestMs ? String(row.ingestMs.baseline) : '-',
          row.ingestMs ? String(row.ingestMs.lean) : '-',
          row.ingestMs ? String(row.ingestMs.guarded) : '-',
          row.ingestMs ? ratio(row.ingestMs.lean, row.ingestMs.baseline) : '-',
          row.ingestMs ? ratio(row.ingestMs.guarded, row.ingestMs.baseline) : '-',
          row.chunkRatios
            ? `${row.chunkRatios.lean.median.toFixed(2)}x ${interval(row.chunkRatios.lean)} (${row.chunkRatios.lean.samples})`
            : '-',
        ]),
      ),
      '',
    );
  }

  if (r.collect) {
    const p = r.profile.collect;
    out.push(
      `5. mapc collect (${r.collect.map} map) against the mock API on 127.0.0.1 (server in a child process), ${rate(p.pages)} pages x ${p.perPage} records per run; warm-up run of ${p.warmupPages} pages`,
      table(
        [
          'mode',
          'reps',
          'pages',
          'records',
          'MiB out',
          ...medP95('ms/run'),
          'pages/s med',
          'pages/s p95',
          'rec/s med',
          'rec/s p95',
        ],
        r.collect.rows.map((row) => [
          row.mode,
          String(row.time.reps),
          rate(row.pages),
          rate(row.records),
          mib(row.outputBytes / 2 ** 20),
          ms(row.time.median),
          ms(row.time.p95),
          rate(row.pagesPerSecond.median),
          rate(row.pagesPerSecond.p95),
          rate(row.recordsPerSecond.median),
          rate(row.recordsPerSecond.p95),
        ]),
      ),
      'raw = records as JSON lines (what the Vector/Logstash exec sources read); mapped = --mapped, each record also through mapRecord',
      '',
    );
  }

  if (r.startup) {
    const p = r.profile.startup;
    const x = (v: number): string => `${v.toFixed(1)}x`;
    const rows = [
      r.startup.node,
      ...r.startup.rows,
      ...(r.startup.manyMaps ? [r.startup.manyMaps] : []),
      ...(r.startup.manyMapsSerial ? [r.startup.manyMapsSerial] : []),
    ];
    out.push(
      `6. The CLI as a process (node bin/mapc.js, the dist/ bundles): median of ${p.reps} runs after ${p.warmup} warm-up; ratio = wall / wall of node -e 0 in this run`,
      table(
        ['command', 'runs', 'wall ms', 'ratio', 'CPU ms', 'peak RSS MiB'],
        rows.map((row) => [
          row.label,
          String(row.reps),
          ms(row.wallMs),
          x(row.wallRatio),
          ms(row.cpuMs),
          mib(row.maxRssMiB),
        ]),
      ),
      'collect rows: wall, CPU and RSS when its first request reaches the server (CPU in 10 ms ticks); "map cached": the compiled map kept next to the state file by an earlier run, as on every poll after the first' +
        (r.startup.manyMaps
          ? `; ${r.startup.manyMaps.maps} maps: ${r.startup.manyMaps.msPerMap.toFixed(1)} ms wall per map` +
            (r.startup.manyMapsSerial
              ? ` on several threads, ${r.startup.manyMapsSerial.msPerMap.toFixed(1)} in one thread (${(r.startup.manyMapsSerial.wallMs / r.startup.manyMaps.wallMs).toFixed(2)}x)`
              : '') +
            `; CPU user + system ms: ${[r.startup.manyMaps, r.startup.manyMapsSerial]
              .filter((row) => row?.userMs !== undefined && row.systemMs !== undefined)
              .map((row) => `${ms(row!.userMs!)} + ${ms(row!.systemMs!)} (${row!.label})`)
              .join(', ')}`
          : ''),
      '',
    );
  }

  if (r.throughput) {
    const t = r.throughput;
    out.push(
      `7. Collector throughput: ${rate(t.records)} records (${rate(r.profile.throughput.pages)} pages of ${r.profile.throughput.perPage}) from the same API on 127.0.0.1, stdout to a pipe; median of ${t.reps} alternating runs`,
      table(
        ['collector', 'wall ms', 'rec/s', 'CPU ms', 'peak RSS MiB', 'MiB out'],
        [t.minimal, t.mapc, t.stateless].map((row) => [
          row.label,
          ms(row.wallMs),
          rate(row.recordsPerSecond),
          ms(row.cpuMs),
          mib(row.maxRssMiB),
          mib(row.outputMiB),
        ]),
      ),
      `mapc collect throughput / the minimal script's: ${t.ratio.toFixed(2)} with its state file (progress written at most once a second), ${t.statelessRatio.toFixed(2)} without a state file`,
      `the script's CPU time / mapc's (the steadier figure on a loaded machine): ${t.cpuRatio.toFixed(2)} with its state file, ${t.statelessCpuRatio.toFixed(2)} without`,
      '',
    );
  }

  if (r.logstashBaseline) {
    const ratio = (a: number, b: number | undefined): string => (b ? `${(a / b).toFixed(2)}x` : '-');
    out.push(
      '8. Logstash pipelines against the hand-written baselines (bench/baselines/logstash): filter-section config lines (mustache format layout, no blank or comment lines) and ruby filters',
      table(
        [
          'map',
          'stream',
          'lines',
          'ruby',
          'lines without schema',
          'ruby without schema',
          'baseline lines',
          'baseline ruby',
          'lines / baseline',
        ],
        r.logstashBaseline.map((row) => [
          row.map,
          row.stream,
          String(row.lines),
          String(row.ruby),
          String(row.guardedLines),
          String(row.guardedRuby),
          row.baselineLines === undefined
            ? '-'
            : `${row.baselineLines}${row.baselineFormatted ? '' : ' (unformatted)'}`,
          row.baselineRuby === undefined ? '-' : String(row.baselineRuby),
          ratio(row.lines, row.baselineLines),
        ]),
      ),
      'lines = the generated pipeline (lean: the map has a record schema); without schema = the guarded form (before record schemas); target: lines / baseline <= 2',
      '',
    );
  }

  const sections = r.sections as readonly Section[];
  out.push(
    `peak RSS (MiB, cumulative): ${mib(r.startRssMiB)} after loading the inputs; after ${sections.map((s) => `${s} ${mib(r.peakRssMiB[s] ?? Number.NaN)}`).join(', ')}`,
    `wall time: ${sections.map((s) => `${s} ${((r.sectionMs[s] ?? 0) / 1000).toFixed(1)} s`).join(', ')}; total ${(r.wallMs / 1000).toFixed(1)} s`,
    '',
  );
  return out.join('\n');
}
