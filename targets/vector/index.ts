/**
 * The Vector backend: per integration one `vector.yaml` (per stream: a source, a `remap`
 * transform doing the whole mapping in VRL, an `elasticsearch` sink in data-stream mode, and unit
 * tests from the fixtures), an `.env.example` and a `README.md`.
 *
 * Output files (relative to `<out>/<integration>/vector/`): `vector.yaml`, `.env.example`, `README.md`.
 * Diagnostics: W0501 (a stream collected through `mapc collect`), W0502 (the poll interval is
 * fixed in the config), E0500 (a construct VRL generation refuses; that stream is left out).
 *
 * @module
 */
import yaml from 'js-yaml';
import type { IntegrationIR, RuleIR, StreamIR } from '../../compiler/ir.ts';
import { diagnostic, type Diagnostic } from '../../dsl/diagnostics.ts';
import type { EmitOptions, EmitResult, TargetBackend } from '../contract.ts';
import { envExample, readme, type StreamSummary } from './docs.ts';
import { renderConfigValue } from './env.ts';
import { elasticsearchSink } from './sink.ts';
import { chooseSource, statePath } from './source.ts';
import { unitTests } from './unit-tests.ts';
import { remapProgram } from './vrl/remap.ts';
import { patternRegex } from './vrl/transforms.ts';

export const DEFAULT_COLLECT_COMMAND = 'mapc collect';

/** Component ids of a stream in vector.yaml. */
export function componentIds(ir: IntegrationIR, stream: StreamIR): { source: string; route: string; remap: string; sink: string; collectorLog: string } {
  const base = `${ir.name}_${stream.name}`;
  return { source: `${base}_source`, route: `${base}_route`, remap: `${base}_remap`, sink: `${base}_elasticsearch`, collectorLog: `${base}_collector_log` };
}

/**
 * For an `exec` source: a `route` sending stdout lines (records) to the remap and stderr lines
 * (the collector's JSON log) to a `console` sink on Vector's stderr, so that a failing collector
 * (bad credentials, API errors) shows in Vector's log instead of vanishing.
 */
function collectorLogRouting(ids: ReturnType<typeof componentIds>): { route: Record<string, unknown>; sink: Record<string, unknown>; remapInput: string } {
  return {
    route: {
      type: 'route',
      inputs: [ids.source],
      route: { records: '.stream == "stdout"', collector_log: '.stream == "stderr"' },
    },
    sink: { type: 'console', inputs: [`${ids.route}.collector_log`], target: 'stderr', encoding: { codec: 'text' } },
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
    const diagnostics: Diagnostic[] = refuseEnvNames(ir);
    if (diagnostics.length > 0) return { files: [], diagnostics };
    const config = { sources: {} as Record<string, unknown>, transforms: {} as Record<string, unknown>, sinks: {} as Record<string, unknown>, tests: [] as unknown[] };
    const summaries: StreamSummary[] = [];
    for (const stream of ir.streams) {
      const refusals = refuse(ir, stream);
      diagnostics.push(...refusals);
      if (refusals.length > 0) continue;
      const ids = componentIds(ir, stream);
      const source = chooseSource(ir, stream, collect);
      diagnostics.push(...source.diagnostics);
      config.sources[ids.source] = source.config;
      const routing = source.config.type === 'exec' ? collectorLogRouting(ids) : undefined;
      if (routing) config.transforms[ids.route] = routing.route;
      const remapInput = routing?.remapInput ?? ids.source;
      config.transforms[ids.remap] = {
        type: 'remap',
        inputs: [remapInput],
        source: remapProgram(ir, stream, source.shape),
        // The program handles every error itself; should the runtime still fail, dropping the
        // event beats forwarding the raw record, which may hold secrets (Entro).
        drop_on_error: true,
        drop_on_abort: true,
      };
      config.sinks[ids.sink] = elasticsearchSink(stream, ids.remap);
      if (routing) config.sinks[ids.collectorLog] = routing.sink;
      const cases = options.fixtures?.get(stream.name) ?? [];
      config.tests.push(...unitTests(stream, source.shape, { remap: ids.remap, prefix: `${ir.name}.${stream.name}` }, cases));
      const interval = source.config.type === 'exec' ? (source.config.scheduled as { exec_interval_secs: number }).exec_interval_secs : (source.config.scrape_interval_secs as number);
      summaries.push({
        name: stream.name,
        dataset: stream.dataset,
        source: source.config.type === 'exec' ? 'exec' : 'http_client',
        reasons: source.reasons,
        ...(source.config.type === 'exec' ? { statePath: statePath(ir, stream) } : {}),
        intervalSeconds: interval,
        tests: cases.length,
      });
    }
    const document: Record<string, unknown> = { sources: config.sources, transforms: config.transforms, sinks: config.sinks };
    if (config.tests.length > 0) document.tests = config.tests;
    const header = [
      `# Vector configuration for ${ir.title} ${ir.version}, generated by mapc from ${ir.sourceFile}. Do not edit.`,
      '# Needs the variables of .env.example; Vector >= 0.57 must run with --dangerously-allow-env-var-interpolation.',
      '',
    ].join('\n');
    const body = yaml.dump(renderConfigValue(document), { lineWidth: -1, noRefs: true, sortKeys: false });
    return {
      files: [
        { path: 'vector.yaml', content: header + body },
        { path: '.env.example', content: envExample(ir) },
        { path: 'README.md', content: readme(ir, summaries) },
      ],
      diagnostics,
    };
  },
};

/** E0500 for what the VRL generation cannot express; such a stream is left out of the config. */
function refuse(ir: IntegrationIR, stream: StreamIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  const boolSetting = (name: string): boolean => ir.settings.some((s) => s.name === name && s.type === 'bool');
  const problem = (rule: Pick<RuleIR, 'loc'>, message: string, label: string): void => {
    out.push(diagnostic('E0500', 'error', message, { span: rule.loc, message: label }));
  };
  for (const rule of stream.mapping.rules) {
    if (rule.target.join('.') === 'error.message' || (rule.target.length === 1 && rule.target[0] === 'error')) {
      problem(rule, `Vector target cannot write ${rule.target.join('.')}: the remap owns it for conversion errors`, 'reserved for conversion errors');
    }
    if (rule.target.length === 1 && rule.target[0] === '_id') problem(rule, 'Vector target cannot write _id: it carries the document id to the sink', 'reserved field');
    if (rule.value.kind === 'field') {
      for (const t of rule.value.transforms) {
        if (t.kind !== 'date') continue;
        for (const f of t.formats) {
          if (f.kind !== 'pattern') continue;
          try {
            patternRegex(f.pattern);
          } catch (error) {
            problem(rule, `Vector target cannot parse the date pattern ${JSON.stringify(f.pattern)}`, (error as Error).message);
          }
        }
      }
    }
    if (rule.when) {
      for (const name of settingNames(rule.when)) {
        if (!boolSetting(name)) problem(rule, `Vector target needs a bool setting ${name}`, 'not a bool setting');
      }
    }
  }
  const original = stream.mapping.original;
  if (original && !boolSetting(original.setting)) {
    out.push(diagnostic('E0500', 'error', `Vector target needs a bool setting ${original.setting}`, { span: stream.loc, message: 'original when' }));
  }
  return out;
}

/** E0500 for environment variable names Vector's interpolation cannot reference. */
function refuseEnvNames(ir: IntegrationIR): Diagnostic[] {
  return [...ir.settings, ...ir.secrets]
    .filter((s) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.envVar))
    .map((s) => diagnostic('E0500', 'error', `Vector target cannot reference the environment variable ${JSON.stringify(s.envVar)}`, { span: s.loc, message: 'invalid variable name' }));
}

function settingNames(c: NonNullable<RuleIR['when']>): string[] {
  if (c.kind === 'setting') return [c.name];
  if (c.kind === 'not') return settingNames(c.condition);
  return [];
}
