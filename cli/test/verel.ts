/**
 * `@bpinternal/verel` (the `vrl` crate 0.25 compiled to WebAssembly, 13 MB) resolved when first
 * used, not bundled: `mapc test` runs VRL through it when it is installed (a mapc checkout, or an
 * npm install of mapc with its optional dependencies), and says it skipped VRL otherwise.
 *
 * In the bundles (`scripts/build.ts`) every `import ... from '@bpinternal/verel'` is redirected
 * here, so that the test harness's VRL calls go through {@link loadVerel}: loading a chunk never
 * fails for want of the package, only a VRL call does, and `mapc test` asks {@link verelStatus}
 * first. Resolved from mapc's own location first, then from the current directory.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The part of verel's API mapc uses (its `dist/types/index.d.ts`). */
export interface Verel {
  check(program: string): { warnings: VerelDiagnostic[]; errors: VerelDiagnostic[] };
  execute(program: string, event: unknown): { event: unknown; result: unknown };
  formatDiagnostic(diagnostic: VerelDiagnostic): string;
}

export interface VerelDiagnostic {
  readonly message: string;
  readonly code: number;
  readonly severity: string;
  readonly labels: readonly { message: string; primary: boolean; span: [number, number] }[];
  readonly notes: readonly { message: string; note_type: string }[];
}

const PACKAGE = '@bpinternal/verel';

let loaded: { readonly verel: Verel } | { readonly error: string } | undefined;

/** Loads verel once; returns why not when it cannot be loaded. */
export function verelStatus(): { readonly verel: Verel } | { readonly error: string } {
  if (loaded) return loaded;
  const errors: string[] = [];
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      loaded = { verel: createRequire(from)(PACKAGE) as Verel };
      return loaded;
    } catch (error) {
      errors.push((error as Error).message.split('\n')[0] ?? '');
    }
  }
  loaded = { error: `${PACKAGE} is not installed (npm install ${PACKAGE}@0.2.0): ${errors[0] ?? ''}` };
  return loaded;
}

/** verel itself. @throws Error when it is not installed */
export function loadVerel(): Verel {
  const status = verelStatus();
  if ('error' in status) throw new Error(status.error);
  return status.verel;
}

export const check: Verel['check'] = (program) => loadVerel().check(program);
export const execute: Verel['execute'] = (program, event) => loadVerel().execute(program, event);
export const formatDiagnostic: Verel['formatDiagnostic'] = (diagnostic) => loadVerel().formatDiagnostic(diagnostic);
