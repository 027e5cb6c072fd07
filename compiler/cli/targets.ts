/**
 * The registry of target backends the CLI can run. Backends are loaded lazily and by name so that
 * a backend that is missing or fails to load is reported as a clear error for that target only,
 * and the other targets still build.
 *
 * @module
 */
import type { TargetBackend, TargetName } from '../../targets/contract.ts';

/** Every target, in the order `mapc build` runs them by default. */
export const TARGET_NAMES: readonly TargetName[] = ['elastic', 'vector', 'logstash'];

/** Where each backend lives and the name of its exported {@link TargetBackend}. */
const MODULES: Readonly<Record<TargetName, { readonly file: string; readonly exportName: string }>> = {
  elastic: { file: '../../targets/elastic/index.ts', exportName: 'elasticBackend' },
  vector: { file: '../../targets/vector/index.ts', exportName: 'vectorBackend' },
  logstash: { file: '../../targets/logstash/index.ts', exportName: 'logstashBackend' },
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
  const { file, exportName } = MODULES[name];
  const url = new URL(file, import.meta.url);
  let module: Record<string, unknown>;
  try {
    module = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, error: `the ${name} target is not available: cannot load ${relative(url)} (${reason})` };
  }
  const backend = module[exportName];
  if (!isBackend(backend)) {
    return { ok: false, error: `the ${name} target is not available: ${relative(url)} does not export ${exportName}` };
  }
  return { ok: true, backend };
}

function isBackend(value: unknown): value is TargetBackend {
  return typeof value === 'object' && value !== null && typeof (value as { emit?: unknown }).emit === 'function';
}

function relative(url: URL): string {
  const root = new URL('../../', import.meta.url).pathname;
  return url.pathname.startsWith(root) ? url.pathname.slice(root.length) : url.pathname;
}
