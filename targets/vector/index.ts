/**
 * The Vector backend: per integration one `vector.yaml` (a `file` secret backend; per stream: a
 * source, a `remap` transform doing the whole mapping in VRL, an `elasticsearch` sink in
 * data-stream mode, and unit tests from the fixtures), a `secrets.example.json`, an
 * `.env.example` and a `README.md`. Every text reaches vector.yaml through `./quote.ts`; the file
 * holds no `$` and no `SECRET[` but its own references, so it loads the same with Vector's
 * environment interpolation off (the default since 0.57) or on (`./secrets.ts`).
 *
 * Output files (relative to `<out>/<integration>/vector/`): `vector.yaml`, `secrets.example.json`,
 * `.env.example`, `README.md`.
 * Diagnostics: W0501 (a stream collected through `mapc collect`), W0502 (the poll interval is
 * fixed in the config), W0503 (`http_client` cannot retry or rate-limit as the map says), E0500 (a
 * construct the backend refuses; that stream is left out), E0504 (text the config cannot carry,
 * at the text's span; that stream is left out).
 *
 * @module
 */
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { internalError, TargetRefusal, type EmitOptions, type EmitResult, type TargetBackend } from '../contract.ts';
import { envExample, readme, secretsExample, type StreamSummary } from './docs.ts';
import { secretRef, vectorYaml, yamlComment, yamlConst, type YamlNode } from './quote.ts';
import { secretBackend, secretKeys, secretSection, type SecretBackend } from './secrets.ts';
import { elasticsearchSink } from './sink.ts';
import { chooseSource, statePath } from './source.ts';
import { unitTests } from './unit-tests.ts';
import { remapProgram } from './vrl/remap.ts';
import { enrichmentTables } from './enrich.ts';
import { refuse, refuseEnvNames } from './refuse.ts';

export const DEFAULT_COLLECT_COMMAND = 'mapc collect';

/** Component ids of a stream in vector.yaml. */
export function componentIds(
  ir: IntegrationIR,
  stream: StreamIR,
): { source: string; route: string; remap: string; sink: string; collectorLog: string } {
  const base = `${ir.name}_${stream.name}`;
  return {
    source: `${base}_source`,
    route: `${base}_route`,
    remap: `${base}_remap`,
    sink: `${base}_elasticsearch`,
    collectorLog: `${base}_collector_log`,
  };
}

/**
 * For an `exec` source: a `route` sending stdout lines (records) to the remap and stderr lines
 * (the collector's JSON log) to a `console` sink on Vector's stderr, so that a failing collector
 * (bad credentials, API errors) shows in Vector's log instead of vanishing.
 */
function collectorLogRouting(ids: ReturnType<typeof componentIds>): {
  route: Record<string, YamlNode>;
  sink: Record<string, YamlNode>;
  remapInput: string;
} {
  return {
    route: {
      type: yamlConst('route'),
      inputs: [yamlConst(ids.source)],
      route: { records: yamlConst('.stream == "stdout"'), collector_log: yamlConst('.stream == "stderr"') },
    },
    sink: {
      type: yamlConst('console'),
      inputs: [yamlConst(`${ids.route}.collector_log`)],
      target: yamlConst('stderr'),
      encoding: { codec: yamlConst('text') },
    },
    remapInput: `${ids.route}.records`,
  };
}

export const vectorBackend: TargetBackend = {
  name: 'vector',
  emit(ir: IntegrationIR, options: EmitOptions): EmitResult {
    const collect = {
      collectCommand: options.collectCommand ?? DEFAULT_COLLECT_COMMAND,
      deployedMapPath: options.deployedMapPath ?? `/etc/mapc/${ir.name}.map`,
    };
    const diagnostics: Diagnostic[] = refuseEnvNames(ir).map((r) => r.toDiagnostic());
    if (diagnostics.length > 0) return { files: [], diagnostics };
    const backend = secretBackend(ir);
    const config: ConfigParts = { sources: {}, transforms: {}, sinks: {}, tests: [] };
    const summaries: StreamSummary[] = [];
    for (const stream of ir.streams) {
      const refusals = refuse(stream);
      diagnostics.push(...refusals.map((r) => r.toDiagnostic()));
      if (refusals.length > 0) continue;
      try {
        const { parts, diagnostics: notes, summary } = emitStream(ir, stream, options, collect, backend);
        Object.assign(config.sources, parts.sources);
        Object.assign(config.transforms, parts.transforms);
        Object.assign(config.sinks, parts.sinks);
        config.tests.push(...parts.tests);
        diagnostics.push(...notes);
        summaries.push(summary);
      } catch (error) {
        if (error instanceof TargetRefusal) {
          diagnostics.push(error.toDiagnostic());
          continue;
        }
        // Anything else is a bug of this backend: report it, never crash the build.
        diagnostics.push(internalError('vector', 'E0500', error, stream.loc, 'this stream'));
      }
    }
    const tables = enrichmentTables(ir, backend);
    const document: Record<string, YamlNode> = {
      secret: secretSection(backend, yamlConst(backend.path)),
      ...(tables ? { enrichment_tables: tables } : {}),
      sources: config.sources,
      transforms: config.transforms,
      sinks: config.sinks,
    };
    if (config.tests.length > 0) document.tests = config.tests;
    const header = [
      yamlComment(
        `Vector configuration for ${ir.title} ${ir.version}, generated by mapc from ${ir.sourceFile}. Do not edit.`,
      ),
      yamlComment(
        `Secrets from ${backend.path} (see README.md); settings from the environment at run time. No interpolation needed.`,
      ),
    ];
    const own = new Set(secretKeys(ir).map((key) => secretRef(backend.name, key) as string));
    let content: string;
    try {
      content = vectorYaml(header, document, own);
    } catch (error) {
      // The last guard of ./quote.ts found text that escaped quoting: a bug, never an output.
      const span = ir.streams[0]?.loc ?? ir.settings[0]?.loc ?? ir.secrets[0]?.loc;
      if (span === undefined) throw error;
      return { files: [], diagnostics: [...diagnostics, internalError('vector', 'E0500', error, span, 'here')] };
    }
    return {
      files: [
        { path: 'vector.yaml', content },
        { path: 'secrets.example.json', content: secretsExample(ir) },
        { path: '.env.example', content: envExample(ir) },
        { path: 'README.md', content: readme(ir, summaries, backend, collect) },
      ],
      diagnostics,
    };
  },
};

interface ConfigParts {
  readonly sources: Record<string, YamlNode>;
  readonly transforms: Record<string, YamlNode>;
  readonly sinks: Record<string, YamlNode>;
  readonly tests: YamlNode[];
}

/**
 * One stream's components, diagnostics and README summary; built whole before anything is added
 * to the config, so that a stream that throws leaves no half of itself behind.
 */
function emitStream(
  ir: IntegrationIR,
  stream: StreamIR,
  options: EmitOptions,
  collect: { collectCommand: string; deployedMapPath: string },
  backend: SecretBackend,
): { parts: ConfigParts; diagnostics: readonly Diagnostic[]; summary: StreamSummary } {
  const ids = componentIds(ir, stream);
  const source = chooseSource(ir, stream, collect, backend);
  const exec = source.shape === 'record';
  const routing = exec ? collectorLogRouting(ids) : undefined;
  const transforms: Record<string, YamlNode> = routing ? { [ids.route]: routing.route } : {};
  transforms[ids.remap] = {
    type: yamlConst('remap'),
    inputs: [yamlConst(routing?.remapInput ?? ids.source)],
    source: remapProgram(ir, stream, source.shape),
    // The program handles every error itself; should the runtime still fail, dropping the
    // event beats forwarding the raw record, which may hold secrets (Entro).
    drop_on_error: true,
    drop_on_abort: true,
  };
  const sinks: Record<string, YamlNode> = { [ids.sink]: elasticsearchSink(stream, ids.remap, backend) };
  if (routing) sinks[ids.collectorLog] = routing.sink;
  const cases = options.fixtures?.get(stream.name) ?? [];
  const { tests, left } = unitTests(
    stream,
    source.shape,
    { remap: ids.remap, prefix: `${ir.name}.${stream.name}`, ...(routing ? { route: ids.route } : {}) },
    cases,
  );
  const summary: StreamSummary = {
    name: stream.name,
    dataset: stream.dataset,
    source: exec ? 'exec' : 'http_client',
    reasons: source.reasons,
    ...(exec ? { statePath: statePath(ir, stream) } : {}),
    intervalSeconds: source.intervalSeconds,
    tests: cases.length - left,
    testsLeftOut: left,
  };
  return {
    parts: { sources: { [ids.source]: source.config }, transforms, sinks, tests },
    diagnostics: source.diagnostics,
    summary,
  };
}
