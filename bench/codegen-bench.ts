/**
 * Figure 2: code generation. Each backend's `emit` on each map's IR, with default options and no
 * fixtures (so no engine test files are generated: the figure is the configuration itself).
 *
 * @module
 */
import type { TargetBackend } from '../targets/contract.ts';
import { elasticBackend } from '../targets/elastic/index.ts';
import { logstashBackend } from '../targets/logstash/index.ts';
import { vectorBackend } from '../targets/vector/index.ts';
import type { MapInput } from './inputs.ts';
import { sample, summarize, type MeasureOptions, type TimingSummary } from './stats.ts';

export const BACKENDS: readonly TargetBackend[] = [elasticBackend, vectorBackend, logstashBackend];

export interface CodegenRow {
  readonly map: string;
  readonly target: string;
  readonly files: number;
  /** UTF-8 bytes of all generated files. */
  readonly bytes: number;
  /** Error diagnostics of the emit (a construct the target refused); warnings are not counted. */
  readonly errors: number;
  readonly time: TimingSummary;
}

export function benchCodegen(maps: readonly MapInput[], small: MeasureOptions, large: MeasureOptions): CodegenRow[] {
  const rows: CodegenRow[] = [];
  for (const map of maps) {
    for (const backend of BACKENDS) {
      const once = backend.emit(map.ir, {});
      const samples = sample(() => void backend.emit(map.ir, {}), map.synthetic ? large : small);
      rows.push({
        map: map.name,
        target: backend.name,
        files: once.files.length,
        bytes: once.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0),
        errors: once.diagnostics.filter((d) => d.severity === 'error').length,
        time: summarize(samples),
      });
    }
  }
  return rows;
}
