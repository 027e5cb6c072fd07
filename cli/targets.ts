/**
 * The registry of target backends the CLI can run. Backends are loaded lazily and by name so that
 * a backend that is missing or fails to load is reported as a clear error for that target only,
 * and the other targets still build.
 *
 * @module
 */
import type { TargetBackend, TargetName } from '../targets/contract.ts';

/** Every target, in the order `mapc build` runs them by default. */
export const TARGET_NAMES: readonly TargetName[] = ['elastic', 'vector', 'logstash'];

/**
 * Where each backend lives and the name of its exported {@link TargetBackend}. The imports are
 * literal, so that bundlers and the dependency check follow them, and lazy, so that a command
 * loads only the backends it runs.
 */
const MODULES: Readonly<
  Record<TargetName, { readonly file: string; readonly exportName: string; readonly load: () => Promise<unknown> }>
> = {
  elastic: {
    file: 'targets/elastic/index.ts',
    exportName: 'elasticBackend',
    load: () => import('../targets/elastic/index.ts'),
  },
  vector: {
    file: 'targets/vector/index.ts',
    exportName: 'vectorBackend',
    load: () => import('../targets/vector/index.ts'),
  },
  logstash: {
    file: 'targets/logstash/index.ts',
    exportName: 'logstashBackend',
    load: () => import('../targets/logstash/index.ts'),
  },
};

export function isTargetName(name: string): name is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(name);
}

export type LoadedBackend =
  { readonly ok: true; readonly backend: TargetBackend } | { readonly ok: false; readonly error: string };

/**
 * Imports one backend. Never throws: a missing module, a missing export or an import-time error
 * becomes `{ ok: false, error }` naming the module.
 */
export async function loadBackend(name: TargetName): Promise<LoadedBackend> {
  const { file, exportName, load } = MODULES[name];
  let module: Record<string, unknown>;
  try {
    module = (await load()) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, error: `the ${name} target is not available: cannot load ${file} (${reason})` };
  }
  const backend = module[exportName];
  if (!isBackend(backend)) {
    return { ok: false, error: `the ${name} target is not available: ${file} does not export ${exportName}` };
  }
  return { ok: true, backend };
}

function isBackend(value: unknown): value is TargetBackend {
  return typeof value === 'object' && value !== null && typeof (value as { emit?: unknown }).emit === 'function';
}
