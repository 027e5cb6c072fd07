/**
 * The map fuzzer's engine, shared by the CI test (`test/fuzz/maps.test.ts`) and the long runs
 * (`npm run fuzz`): compile a mutant with every target, then judge it.
 *
 * Findings, per map:
 * - `crash`: an exception escaped `compileSource` or a backend's `emit`, or a diagnostic reports
 *   an internal error (the parser's E0012, a backend's catch-all naming a JavaScript error);
 * - `slow`: compiling and emitting took more than {@link SLOW_MS} of CPU time twice in a row
 *   (the second run rules out a pause, e.g. a garbage collection);
 * - `bad-diagnostic`: a diagnostic with an unknown code, an empty message, or a span outside the
 *   file or whose line/column disagree with its offset;
 * - `invalid-output`: a map that compiled without errors produced a file its engine cannot load:
 *   YAML that js-yaml rejects, a `.hbs` stream template that Handlebars (with Fleet's helpers)
 *   cannot render into YAML, JSON that does not parse, a Logstash `.conf` that `mustache check`
 *   rejects, or a Vector `remap` program that VRL's compiler (verel `check`) rejects. The last two
 *   run in batches after the maps ({@link checkBatches}).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { createRequire } from 'node:module';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { CODES } from '../../dsl/codes.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { renderDiagnostics } from '../../dsl/index.ts';
import type { TargetBackend, TargetName } from '../../targets/contract.ts';
import { elasticBackend } from '../../targets/elastic/index.ts';
import { logstashBackend } from '../../targets/logstash/index.ts';
import { vectorBackend } from '../../targets/vector/index.ts';
import { renderConfig } from '../engines/mito/fleet.ts';
import { fleetVariable } from '../../targets/elastic/vars.ts';
import { requireTool } from '../support/tools.ts';
import { withEnrichment } from '../engines/vrl/harness.ts';

/**
 * verel (VRL 0.25 compiled to WASM), loaded afresh on demand: a WASM trap ("memory access out of
 * bounds") leaves the instance unusable, so after one the module is loaded again.
 */
type Verel = typeof import('@bpinternal/verel');
const require = createRequire(import.meta.url);
function loadVerel(): Verel {
  for (const key of Object.keys(require.cache)) if (key.includes('@bpinternal/verel')) delete require.cache[key];
  return require('@bpinternal/verel') as Verel;
}
let verel: Verel | undefined;

/**
 * Remap programs longer than this are not given to verel: its compile time grows faster than
 * the program (3,000 statements took minutes), and every map within the language's bounds
 * yields programs far shorter (the bundled maps: 12-13 KB).
 */
export const VRL_MAX_CHECKED = 64 * 1024;

/** A map may take this long to compile with every target (milliseconds). */
export const SLOW_MS = 1_000;

export type FindingKind = 'crash' | 'slow' | 'bad-diagnostic' | 'invalid-output';

export interface Finding {
  readonly kind: FindingKind;
  /** Which map: its index in the run and how it was made. */
  readonly index: number;
  readonly what: string;
  /** What went wrong, one line. */
  readonly detail: string;
  /** For output findings: the target and file. */
  readonly target?: TargetName;
  readonly file?: string;
  readonly text: string;
}

const BACKENDS: readonly TargetBackend[] = [elasticBackend, vectorBackend, logstashBackend];

/** A file the batch checks still have to judge. */
interface Pending {
  readonly index: number;
  readonly what: string;
  readonly text: string;
  readonly target: TargetName;
  readonly file: string;
  readonly content: string;
}

/** What one map did, and the files left for the batch checks. */
export interface MapResult {
  readonly compiled: boolean;
  readonly ms: number;
  readonly findings: Finding[];
}

/** Diagnostic text that only a bug produces (a catch-all quoting a JavaScript error). */
const INTERNAL =
  /internal error|Maximum call stack|Cannot read propert|is not a function|is not iterable|Invalid array length|Invalid string length|malformed environment marker|out of memory/i;

export class Fuzzer {
  readonly findings: Finding[] = [];
  readonly counts = {
    maps: 0,
    compiled: 0,
    emitted: 0,
    vrlChecked: 0,
    vrlSkipped: 0,
    vrlTooLarge: 0,
    confsChecked: 0,
  };
  #confs: Pending[] = [];
  #vrl = new Map<string, Pending>();
  #loaded = new Map<string, string | undefined>();

  /**
   * @param vrlBudget how many distinct `remap` programs verel checks at most (each costs
   *   0.25-1 s of WASM compilation); `Infinity` for long runs. Programs are told apart with
   *   comment lines removed.
   */
  constructor(readonly vrlBudget = Number.POSITIVE_INFINITY) {}

  /** Compiles one map with every target and judges what can be judged at once. */
  run(index: number, what: string, text: string): MapResult {
    this.counts.maps++;
    const found: Finding[] = [];
    const report = (kind: FindingKind, detail: string, extra: { target?: TargetName; file?: string } = {}): void => {
      found.push({ kind, index, what, detail: oneLine(detail), text, ...extra });
    };
    let attempt = timed(() => compileAll(text));
    // A second run rules out a pause; a map ten times over the bound is slow without doubt.
    if (attempt.ms > SLOW_MS && attempt.ms < 10 * SLOW_MS) attempt = timed(() => compileAll(text));
    const { value: outcome, ms } = attempt;
    if (ms > SLOW_MS) report('slow', `${Math.round(ms)} ms`);
    if (outcome.thrown !== undefined) report('crash', outcome.thrown);
    for (const d of outcome.diagnostics) {
      if (d.code === 'E0012' || INTERNAL.test(d.message)) report('crash', `${d.code} ${d.message}`);
      const problem = diagnosticProblem(d, text);
      if (problem) report('bad-diagnostic', `${d.code} ${d.message}: ${problem}`);
    }
    try {
      renderDiagnostics(outcome.diagnostics, new Map([['fuzz.map', text]]));
    } catch (error) {
      report('crash', `rendering diagnostics: ${(error as Error).message}`);
    }
    if (outcome.ir) {
      this.counts.compiled++;
      for (const out of outcome.outputs) {
        this.counts.emitted++;
        for (const file of out.files) {
          const problem = this.#fileProblem(file.path, file.content, outcome.ir);
          if (problem) report('invalid-output', problem, { target: out.target, file: file.path });
          const pending = { index, what, text, target: out.target, file: file.path, content: file.content };
          if (file.path.endsWith('.conf')) this.#confs.push(pending);
          if (file.path === 'vector.yaml' && !problem) this.#queueVrl(pending);
        }
      }
    }
    this.findings.push(...found);
    return { compiled: outcome.ir !== undefined, ms, findings: found };
  }

  /**
   * {@link fileProblem}, judged once per distinct input: loading a file is a function of its path,
   * its text and (for a stream template) the Fleet variables, and mutants often emit the same file.
   */
  #fileProblem(path: string, content: string, ir: IntegrationIR): string | undefined {
    const key = `${path}\u0000${path.endsWith('.hbs') ? JSON.stringify(fleetVars(ir)) : ''}\u0000${content}`;
    if (!this.#loaded.has(key)) this.#loaded.set(key, fileProblem(path, content, ir));
    return this.#loaded.get(key);
  }

  #queueVrl(pending: Pending): void {
    const config = yaml.load(pending.content) as {
      transforms?: Record<string, { type?: string; source?: unknown }>;
      enrichment_tables?: Record<string, unknown>;
    };
    // verel has no enrichment tables: a `geoip`/`asn` lookup of a declared table is checked as
    // the harness's literal stand-in; a lookup of an undeclared one (Vector refuses the config)
    // is a finding at once, as the batched verel findings are.
    const tables = new Set(Object.keys(config.enrichment_tables ?? {}));
    for (const [name, transform] of Object.entries(config.transforms ?? {})) {
      if (transform.type !== 'remap' || typeof transform.source !== 'string') continue;
      const file = `vector.yaml transforms.${name}`;
      let source: string;
      try {
        source = withEnrichment(transform.source, tables);
      } catch (error) {
        this.findings.push(finding({ ...pending, file }, `remap: ${String(error)}`));
        continue;
      }
      const key = createHash('sha256').update(withoutComments(source)).digest('hex');
      if (!this.#vrl.has(key)) this.#vrl.set(key, { ...pending, file, content: source });
    }
  }

  /**
   * Runs the batched engine checks over everything queued since the last call: `mustache check`
   * on every Logstash config in one process, verel `check` on each distinct remap program (up to
   * the budget, spread evenly over the queue). Returns the new findings.
   */
  checkBatches(): Finding[] {
    const found = [...this.#checkConfs(this.#confs), ...this.#checkVrl([...this.#vrl.values()])];
    this.#confs = [];
    this.#vrl.clear();
    this.findings.push(...found);
    return found;
  }

  #checkConfs(pending: readonly Pending[]): Finding[] {
    if (pending.length === 0) return [];
    this.counts.confsChecked += pending.length;
    const dir = mkdtempSync(join(tmpdir(), 'mapc-fuzz-'));
    try {
      // mustache parses a file the same way every time: each distinct config is checked once, and
      // its verdict given to every map that produced it.
      const pathOf = new Map<string, string>();
      for (const p of pending) {
        if (pathOf.has(p.content)) continue;
        const path = join(dir, `${pathOf.size}.conf`);
        writeFileSync(path, p.content);
        pathOf.set(p.content, path);
      }
      const paths = [...pathOf.values()];
      const failed = new Map<string, string>();
      // Bounded argument lists: one process per 500 files.
      for (let start = 0; start < paths.length; start += 500) {
        const batch = paths.slice(start, start + 500);
        const run = spawnSync(requireTool('mustache'), ['check', ...batch], { encoding: 'utf8', timeout: 300_000 });
        if (run.error) throw run.error;
        for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
          const m = /^\s*\* (\S+\.conf): (.*)$/.exec(line);
          if (m) failed.set(m[1]!, m[2]!);
        }
        if (run.status !== 0 && failed.size === 0) throw new Error(`mustache check failed: ${run.stderr}`);
      }
      return pending.flatMap((p) => {
        const error = failed.get(pathOf.get(p.content)!);
        return error === undefined ? [] : [finding(p, `mustache check: ${error}`)];
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  #checkVrl(pending: readonly Pending[]): Finding[] {
    const small = pending.filter((p) => p.content.length <= VRL_MAX_CHECKED);
    this.counts.vrlTooLarge += pending.length - small.length;
    const chosen = spread(small, this.vrlBudget);
    this.counts.vrlChecked += chosen.length;
    this.counts.vrlSkipped += small.length - chosen.length;
    return chosen.flatMap((p) => {
      const errors = vrlErrors(p.content);
      return errors.length === 0 ? [] : [finding(p, `verel check: ${errors[0]}`)];
    });
  }
}

/** VRL's compile errors for `program`; a trap is retried once in a fresh instance before it counts. */
function vrlErrors(program: string): string[] {
  for (let attempt = 0; ; attempt++) {
    verel ??= loadVerel();
    try {
      return verel.check(program).errors.map(verel.formatDiagnostic);
    } catch (error) {
      verel = undefined;
      if (attempt > 0) return [`verel trapped: ${(error as Error).message}`];
    }
  }
}

function finding(p: Pending, detail: string): Finding {
  return {
    kind: 'invalid-output',
    index: p.index,
    what: p.what,
    detail: oneLine(detail),
    target: p.target,
    file: p.file,
    text: p.text,
  };
}

/** At most `n` items, evenly spaced over the list (all of them when `n` is not smaller). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.floor((i * items.length) / n)]!);
  return out;
}

function withoutComments(program: string): string {
  return program
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

interface Compiled {
  readonly thrown?: string;
  readonly ir?: IntegrationIR;
  readonly diagnostics: readonly Diagnostic[];
  readonly outputs: readonly { target: TargetName; files: readonly { path: string; content: string }[] }[];
}

function compileAll(text: string): Compiled {
  const diagnostics: Diagnostic[] = [];
  let ir: IntegrationIR | undefined;
  try {
    const result = compileSource(text, 'fuzz.map');
    diagnostics.push(...result.diagnostics);
    ir = result.ir;
  } catch (error) {
    return { thrown: `compileSource threw: ${describe(error)}`, diagnostics, outputs: [] };
  }
  if (!ir) return { diagnostics, outputs: [] };
  const outputs: { target: TargetName; files: readonly { path: string; content: string }[] }[] = [];
  for (const backend of BACKENDS) {
    try {
      const emitted = backend.emit(ir, {});
      diagnostics.push(...emitted.diagnostics);
      if (!emitted.diagnostics.some((d) => d.severity === 'error'))
        outputs.push({ target: backend.name, files: emitted.files });
    } catch (error) {
      return { thrown: `${backend.name} backend threw: ${describe(error)}`, ir, diagnostics, outputs };
    }
  }
  return { ir, diagnostics, outputs };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs `f` and measures the CPU time this process spent (user + system, milliseconds): unlike
 * wall-clock time it does not grow when other processes load the machine.
 */
function timed<T>(f: () => T): { value: T; ms: number } {
  const start = process.cpuUsage();
  const value = f();
  const used = process.cpuUsage(start);
  return { value, ms: (used.user + used.system) / 1000 };
}

/** Why a diagnostic is malformed for `text`, or undefined. */
export function diagnosticProblem(d: Diagnostic, text: string): string | undefined {
  if (!Object.hasOwn(CODES, d.code)) return `unknown code ${d.code}`;
  if (d.message.trim() === '') return 'empty message';
  for (const label of [d.primary, ...d.secondary]) {
    const { span } = label;
    if (span.file !== 'fuzz.map') return `span in another file ${span.file}`;
    if (!(span.offset >= 0 && span.length >= 0 && span.offset + span.length <= text.length)) {
      return `span ${span.offset}+${span.length} outside the file (${text.length} characters)`;
    }
    const [line, column] = lineColumn(text, span.offset);
    if (span.line !== line || span.column !== column) {
      return `span at ${span.line}:${span.column}, but its offset ${span.offset} is at ${line}:${column}`;
    }
  }
  return undefined;
}

/** The offsets at which the lines of the last text asked about start (a map's diagnostics share one). */
let lineStarts: { text: string; starts: number[] } | undefined;

/**
 * 1-based line and column of an offset, counted independently of the compiler (CR, LF, CRLF end
 * lines). The line starts of a text are found once, then each offset is looked up in them.
 */
function lineColumn(text: string, offset: number): [number, number] {
  if (lineStarts?.text !== text) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    lineStarts = { text, starts };
  }
  const { starts } = lineStarts;
  // The last line start at or before the offset (a line ending at `offset - 1` starts a line at it).
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return [low + 1, offset - starts[low]! + 1];
}

/** Why a generated file does not load, for the checks that run per file; undefined when it does. */
function fileProblem(path: string, content: string, ir: IntegrationIR): string | undefined {
  try {
    if (path.endsWith('.hbs')) {
      renderConfig(content, fleetVars(ir));
    } else if (path.endsWith('.yml') || path.endsWith('.yaml')) {
      yaml.load(content);
    } else if (path.endsWith('.json')) {
      JSON.parse(content);
    }
    return undefined;
  } catch (error) {
    return `${path}: ${describe(error)}`;
  }
}

/** Values for every Fleet variable of the package, so the stream template renders as Fleet would. */
function fleetVars(ir: IntegrationIR): Record<string, unknown> {
  const benign = {
    string: 'fuzz',
    url: 'https://api.example.com',
    duration: '5m',
    timestamp: '2024-01-01T00:00:00Z',
    int: 1,
    bool: true,
  } as const;
  const vars: Record<string, unknown> = {};
  for (const s of ir.settings) vars[fleetVariable(ir, s.name)] = s.default ?? benign[s.type];
  for (const s of ir.secrets) vars[s.name] = 'fuzz-secret';
  return vars;
}
