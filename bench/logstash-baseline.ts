/**
 * Logstash figures against the hand-written baselines (`bench/baselines/logstash/<vendor>.conf`,
 * proven against the fixtures by `test/bench-baselines/logstash.test.ts`), issue 8: per bundled
 * map, the generated pipeline's filter section (the lean form: the map has a record schema) and
 * the same map without its schema (the guarded form every pipeline had before record schemas), as
 * config lines and `ruby` filters, and the ratio generated / baseline.
 *
 * Lines are counted alike on both sides: the filter section in `mustache format` layout
 * (github.com/breml/logstash-config v0.5.3, the layout the generated files already have: one
 * attribute, array element and hash entry per line), without blank and comment lines. The baseline
 * is formatted with `.tools/bin/mustache format` first; without the tool its own layout is counted
 * and the row says so.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripSchemas } from '../compiler/schema/strip.ts';
import type { IntegrationIR } from '../compiler/ir.ts';
import { logstashBackend, pipelineFile } from '../targets/logstash/index.ts';
import { REPO_ROOT, type MapInput } from './inputs.ts';

export interface LogstashBaselineRow {
  readonly map: string;
  readonly stream: string;
  /** Filter-section config lines and ruby filters of the generated pipeline (lean when the map has a schema). */
  readonly lines: number;
  readonly ruby: number;
  /** The same for the map without its record schema (the guarded form). */
  readonly guardedLines: number;
  readonly guardedRuby: number;
  /** The baseline's, when `bench/baselines/logstash/<map>.conf` exists. */
  readonly baselineLines?: number;
  readonly baselineRuby?: number;
  /** Whether the baseline was counted in mustache's layout (false: the tool is missing). */
  readonly baselineFormatted?: boolean;
}

/** Config lines of the `filter { }` section: neither blank nor a comment. */
export function filterLines(conf: string): number {
  const lines = conf.split('\n');
  const start = lines.findIndex((l) => /^filter\s*\{/.test(l));
  if (start < 0) throw new Error('no filter section');
  let end = start + 1;
  while (end < lines.length && lines[end] !== '}') end++;
  return lines.slice(start, end + 1).filter((l) => !/^\s*(#|$)/.test(l)).length;
}

/** `ruby` filters in a config. */
export const rubyFilters = (conf: string): number => conf.match(/^\s*ruby\s*\{/gm)?.length ?? 0;

function pipelines(ir: IntegrationIR): Map<string, string> {
  const { files, diagnostics } = logstashBackend.emit(ir, {});
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`targets/logstash: ${errors.map((d) => d.message).join('; ')}`);
  const out = new Map<string, string>();
  for (const stream of ir.streams) {
    const file = files.find((f) => f.path === pipelineFile(ir, stream));
    if (file) out.set(stream.name, file.content);
  }
  return out;
}

function baseline(map: string): { lines: number; ruby: number; formatted: boolean } | undefined {
  const file = join(REPO_ROOT, 'bench/baselines/logstash', `${map}.conf`);
  if (!existsSync(file)) return undefined;
  const mustache = join(REPO_ROOT, '.tools/bin/mustache');
  const formatted = existsSync(mustache);
  const text = formatted ? execFileSync(mustache, ['format', file], { encoding: 'utf8' }) : readFileSync(file, 'utf8');
  return { lines: filterLines(text), ruby: rubyFilters(text), formatted };
}

/** The rows, one per stream of each bundled map. */
export function benchLogstashBaseline(maps: readonly MapInput[]): LogstashBaselineRow[] {
  return maps
    .filter((m) => !m.synthetic)
    .flatMap((m) => {
      const lean = pipelines(m.ir);
      const guarded = pipelines(stripSchemas(m.ir));
      const base = baseline(m.name);
      return [...lean].map(([stream, conf]): LogstashBaselineRow => {
        const before = guarded.get(stream) ?? '';
        return {
          map: m.name,
          stream,
          lines: filterLines(conf),
          ruby: rubyFilters(conf),
          guardedLines: filterLines(before),
          guardedRuby: rubyFilters(before),
          ...(base ? { baselineLines: base.lines, baselineRuby: base.ruby, baselineFormatted: base.formatted } : {}),
        };
      });
    });
}
