/**
 * The engines `mapc test` runs fixtures through, each prepared only when asked for and only when
 * it can run here; otherwise it is skipped with the reason.
 *
 * Document engines make, from each fixture record, the document and id that must equal
 * `expected.json`; they reuse the adapters of the agreement tests (`test/agreement/engines.ts`,
 * which strip only each engine's documented plumbing, docs/target-differences.md):
 *
 * | name | what runs | kind |
 * |---|---|---|
 * | `interpreter` | the reference interpreter (`mapc preview`) | reference |
 * | `vrl` | the Vector `remap` on VRL 0.25 (`@bpinternal/verel`, WebAssembly) | engine |
 * | `vrl-cli` | the same `remap` on a native `vrl` CLI found on `PATH` | engine |
 * | `opensearch` | the Elastic ingest pipeline on a real OpenSearch 2.19 node (`.tools/opensearch`) | engine |
 * | `ingest` | the same pipeline on mapc's evaluator of the emitted processors | emulation |
 * | `logstash` | the Logstash filter section on mapc's evaluator of the emitted filters | emulation |
 *
 * Check engines look at a stream's generated config or source as a whole:
 *
 * | `mustache` | the Logstash pipeline parses with `mustache check` (breml/logstash-config) and is in its format | parser |
 * | `mito` | the stream's CEL input, run by mito as the Elastic Agent runs it against the fixture pages (`scenario.json`) on 127.0.0.1, publishes exactly `records.json` | engine |
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { findOpenSearch, findTool, type ToolPlace } from './tools.ts';
import { verelStatus } from './verel.ts';

/** One record's result: its document and id, or why the engine made none. */
export type EngineOutput =
  | { readonly _id?: string; readonly doc: Record<string, unknown>; readonly crash?: undefined }
  | { readonly crash: string };

export type EngineKind = 'reference' | 'engine' | 'emulation' | 'parser';

/** What a stream's check engines may look at. */
export interface StreamFixtures {
  /** `<fixtures>/<integration>/<stream>`. */
  readonly dir: string;
  /** The split records (`records.json`). */
  readonly records: readonly unknown[];
}

export interface PreparedEngine {
  /** Document engines: one output per message (a record's JSON text), in order. */
  documents?(ir: IntegrationIR, stream: StreamIR, messages: readonly string[]): Promise<EngineOutput[]>;
  /** Check engines: the problems found (empty: passed), or `{ skipped }` for a stream they cannot check. */
  check?(ir: IntegrationIR, stream: StreamIR, fixtures: StreamFixtures): Promise<string[] | { skipped: string }>;
  close?(): Promise<void>;
}

export interface EngineSpec {
  readonly name: string;
  readonly title: string;
  readonly kind: EngineKind;
  /** Loads and starts the engine, or says why it cannot run here (tools are looked for from `place`). */
  prepare(place: ToolPlace): Promise<PreparedEngine | { readonly skipped: string }>;
}

function run(file: string, args: readonly string[], timeoutMs = 60_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr: stderr || (error && code === null ? error.message : '') });
    });
  });
}

function crash(error: unknown): { crash: string } {
  return { crash: error instanceof Error ? error.message : String(error) };
}

/** The Vector `remap` program of `stream` with every setting at its default. */
async function remapProgram(ir: IntegrationIR, stream: StreamIR): Promise<string> {
  const { vectorBackend, componentIds } = await import('../../targets/vector/index.ts');
  const { deploymentEnv, loadVectorConfig } = await import('../../test/engines/vrl/harness.ts');
  const { files, diagnostics } = vectorBackend.emit(ir, {});
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the Vector target refuses this map: ${errors[0]!.message}`);
  const config = loadVectorConfig(files.find((f) => f.path === 'vector.yaml')?.content ?? '', deploymentEnv(ir));
  const program = config.transforms[componentIds(ir, stream).remap]?.source;
  if (program === undefined) throw new Error(`no remap for ${ir.name}.${stream.name}`);
  return program;
}

/** Vector carries the document id as the event field `_id` (the sink's `id_key`), not in the body. */
function fromVectorEvent(event: Record<string, unknown>): EngineOutput {
  const { _id, ...doc } = event;
  return typeof _id === 'string' ? { _id, doc } : { doc };
}

const interpreter: EngineSpec = {
  name: 'interpreter',
  title: 'the reference interpreter (mapc preview)',
  kind: 'reference',
  async prepare() {
    const { interpreter: engine } = await import('../../test/agreement/engines.ts');
    return { documents: (ir, stream, messages) => engine(ir, stream.name, messages) };
  },
};

const vrl: EngineSpec = {
  name: 'vrl',
  title: 'VRL 0.25 (@bpinternal/verel, WebAssembly)',
  kind: 'engine',
  async prepare() {
    const status = verelStatus();
    if ('error' in status) return { skipped: status.error };
    const { vrl: engine } = await import('../../test/agreement/engines.ts');
    return { documents: (ir, stream, messages) => engine(ir, stream.name, messages) };
  },
};

const vrlCli: EngineSpec = {
  name: 'vrl-cli',
  title: 'the native vrl CLI',
  kind: 'engine',
  async prepare(place) {
    const vrlPath = findTool(place, 'vrl', { pathOnly: true });
    if (!vrlPath) return { skipped: 'no vrl on PATH (the CLI of the vrl crate, cargo install vrl --features cli)' };
    // One process per record: the CLI prints an aborted record's error on stderr and nothing on
    // stdout, so several records in one run could not be told apart.
    const one = async (program: string, message: string): Promise<EngineOutput> => {
      const dir = mkdtempSync(join(tmpdir(), 'mapc-test-vrl-'));
      try {
        writeFileSync(join(dir, 'program.vrl'), program);
        writeFileSync(join(dir, 'input.json'), `${JSON.stringify({ message })}\n`);
        const args = ['--quiet', '--print-object', '--program', join(dir, 'program.vrl')];
        const r = await run(vrlPath, [...args, '--input', join(dir, 'input.json')]);
        const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
        if (r.code !== 0 || lines.length !== 1) return { crash: `vrl: ${(r.stderr || r.stdout).trim().slice(0, 500)}` };
        const event = JSON.parse(lines[0]!) as unknown;
        if (typeof event !== 'object' || event === null || Array.isArray(event))
          return { crash: `vrl printed ${lines[0]!.slice(0, 200)}` };
        return fromVectorEvent(event as Record<string, unknown>);
      } catch (error) {
        return crash(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    return {
      async documents(ir, stream, messages) {
        const program = await remapProgram(ir, stream);
        const out: EngineOutput[] = [];
        for (const message of messages) out.push(await one(program, message));
        return out;
      },
    };
  },
};

const opensearch: EngineSpec = {
  name: 'opensearch',
  title: 'OpenSearch 2.19 ingest node (Elastic ingest pipeline, _simulate)',
  kind: 'engine',
  async prepare(place) {
    const installed = findOpenSearch(place);
    if (!installed)
      return { skipped: 'not installed (bash scripts/install-opensearch.sh in a mapc checkout, with a JDK 17-21)' };
    const { startOpenSearch } = await import('../../test/engines/opensearch/node.ts');
    const { opensearch: adapter } = await import('../../test/agreement/engines.ts');
    let node;
    try {
      node = await startOpenSearch(180_000, installed.home);
    } catch (error) {
      return { skipped: `installed but did not start: ${(error as Error).message.split('\n')[0]}` };
    }
    const engine = adapter(node);
    return {
      documents: (ir, stream, messages) => engine(ir, stream.name, messages),
      close: () => node.stop(),
    };
  },
};

const ingest: EngineSpec = {
  name: 'ingest',
  title: "mapc's evaluator of the emitted ingest processors (an emulation)",
  kind: 'emulation',
  async prepare() {
    const { ingest: engine } = await import('../../test/agreement/engines.ts');
    return { documents: (ir, stream, messages) => engine(ir, stream.name, messages) };
  },
};

const logstash: EngineSpec = {
  name: 'logstash',
  title: "mapc's evaluator of the emitted Logstash filters (an emulation)",
  kind: 'emulation',
  async prepare() {
    const { logstash: engine } = await import('../../test/agreement/engines.ts');
    return { documents: (ir, stream, messages) => engine(ir, stream.name, messages) };
  },
};

const mustache: EngineSpec = {
  name: 'mustache',
  title: 'mustache (breml/logstash-config): the Logstash pipeline parses and is in its format',
  kind: 'parser',
  async prepare(place) {
    const tool = findTool(place, 'mustache');
    if (!tool) return { skipped: 'not installed (bash scripts/install-tools.sh in a mapc checkout)' };
    const { logstashBackend, pipelineFile } = await import('../../targets/logstash/index.ts');
    return {
      async check(ir, stream) {
        const { files, diagnostics } = logstashBackend.emit(ir, {});
        const errors = diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) return [`the Logstash target refuses this map: ${errors[0]!.message}`];
        const conf = files.find((f) => f.path === pipelineFile(ir, stream))?.content;
        if (conf === undefined) return [`no ${pipelineFile(ir, stream)} generated`];
        const dir = mkdtempSync(join(tmpdir(), 'mapc-test-mustache-'));
        try {
          const file = join(dir, 'pipeline.conf');
          writeFileSync(file, conf);
          const check = await run(tool, ['check', file]);
          if (check.code !== 0 || check.stderr !== '')
            return [`mustache check: ${(check.stderr || check.stdout).trim().slice(0, 500)}`];
          const format = await run(tool, ['format', file]);
          return format.stdout === conf ? [] : ['the pipeline is not in mustache format (mustache format changes it)'];
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  },
};

const mito: EngineSpec = {
  name: 'mito',
  title: "mito (Elastic's CEL runtime): the CEL input collects records.json from the fixture pages",
  kind: 'engine',
  async prepare(place) {
    const tool = findTool(place, 'mito');
    if (!tool) return { skipped: 'not installed (bash scripts/install-tools.sh in a mapc checkout)' };
    // The harness reads the binary's path from MITO (test/engines/mito/mito.ts).
    process.env['MITO'] = tool;
    const harness = await import('../../test/engines/mito/harness.ts');
    const { loadScenario } = await import('../../test/mock-api/scenario.ts');
    const { startMockApi } = await import('../../test/mock-api/server.ts');
    const { existsSync } = await import('node:fs');
    return {
      async check(ir, stream, fixtures) {
        if (!existsSync(join(fixtures.dir, 'scenario.json'))) return { skipped: 'no scenario.json' };
        const root = dirname(dirname(dirname(fixtures.dir)));
        if (basename(dirname(dirname(fixtures.dir))) !== 'fixtures')
          return { skipped: 'scenario.json is read from a fixture root named fixtures' };
        if (stream.source.cursor?.kind === 'window')
          return { skipped: 'a time-window stream: its fixture windows are dated, the run would need a fixed clock' };
        const scenario = loadScenario(ir.name, stream.name, root);
        const api = await startMockApi(scenario);
        try {
          // Fixture settings, the mock's random credentials by secret name, and a cursor start
          // before every record (the mock filters by it like the API).
          const start = stream.source.cursor?.initial.setting;
          const vars = harness.fleetVars(ir, {
            ...scenario.settings,
            ...scenario.credentials,
            base_url: api.url,
            ...(start !== undefined ? { [start]: '1970-01-01T00:00:00Z' } : {}),
          });
          const { agent } = harness.compileStream(ir, stream, vars);
          const report = await agent.periodicRun();
          const problems = report.errors.map((e) => `the CEL program reported ${JSON.stringify(e).slice(0, 300)}`);
          const got = harness.messages(report.published);
          const { jsonEqual } = await import('./diff.ts');
          if (!jsonEqual(got, fixtures.records)) {
            const at = got.findIndex((r, i) => !jsonEqual(r, fixtures.records[i]));
            problems.push(
              `published ${got.length} records, records.json has ${fixtures.records.length}` +
                (at >= 0 ? `; record ${at + 1} differs` : ''),
            );
          }
          return problems;
        } finally {
          await api.close();
        }
      },
    };
  },
};

/** Every engine, in the order `mapc test` runs and reports them. */
export const ENGINES: readonly EngineSpec[] = [interpreter, vrl, vrlCli, opensearch, ingest, logstash, mustache, mito];
