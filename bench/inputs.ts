/**
 * What the benchmarks run on: the bundled maps (`maps/*.map`), their fixture records
 * (`fixtures/<vendor>/<stream>/records.json`) and the synthetic large map.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../compiler/compile.ts';
import type { IntegrationIR } from '../compiler/ir.ts';
import { syntheticMapText, type SyntheticShape } from './synthetic-map.ts';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** One map to measure: its text, its file name as spans show it, and its IR. */
export interface MapInput {
  /** `endor_labs`, ..., or `synthetic` */
  readonly name: string;
  /** `maps/endor_labs.map`, or `<synthetic 20x200>` for the generated one. */
  readonly file: string;
  readonly text: string;
  readonly ir: IntegrationIR;
  readonly synthetic: boolean;
}

/** Compiles `text` once; a map that does not compile is a broken benchmark input, so it throws. */
function compiled(name: string, file: string, text: string, synthetic: boolean): MapInput {
  const result = compileSource(text, file);
  if (!result.ir) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
    throw new Error(`bench input ${file} does not compile: ${errors.slice(0, 5).join('; ')}`);
  }
  return { name, file, text, ir: result.ir, synthetic };
}

/** Every `maps/*.map`, in file-name order. */
export function bundledMaps(): MapInput[] {
  const dir = join(REPO_ROOT, 'maps');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.map'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      return compiled(f.replace(/\.map$/, ''), relative(REPO_ROOT, path), readFileSync(path, 'utf8'), false);
    });
}

export function syntheticMap(shape: SyntheticShape): MapInput {
  return compiled('synthetic', `<synthetic ${shape.streams}x${shape.rulesPerStream}>`, syntheticMapText(shape), true);
}

/**
 * The fixture records (JSON texts, one per event) of `map`'s stream `stream`; empty when the
 * map has no fixtures for it.
 */
export function fixtureMessages(map: string, stream: string): string[] {
  const file = join(REPO_ROOT, 'fixtures', map, stream, 'records.json');
  if (!existsSync(file)) return [];
  const records = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  return records.map((r) => JSON.stringify(r));
}

/** `items` repeated in order up to `count` entries. */
export function replicate<T>(items: readonly T[], count: number): T[] {
  if (items.length === 0) return [];
  return Array.from({ length: count }, (_, i) => items[i % items.length] as T);
}
