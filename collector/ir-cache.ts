/**
 * The compiled map kept next to the state file, so that a poll does not compile the map again.
 *
 * Every Vector `exec` or Logstash `exec` poll starts `mapc collect` afresh; compiling the map
 * (building the parser, loading ECS, checking, lowering) is most of what such a process does
 * before its first request. With `--state <file>`, the IR of a map that compiled is written to
 * `<file>.ir.json` and used by the next runs while it is still exactly what compiling would give:
 * its key is the SHA-256 of the map's bytes, the map's path as given, and the identity of the
 * mapc build (`dsl/bundled.ts` `BUILD_ID`: a rebuilt or upgraded mapc compiles again). Run from
 * source there is no build identity and nothing is cached.
 *
 * The file holds what the map says (no secret values: secrets are environment variable names)
 * and lives with the state file, written by the same user. It is only ever an optimisation:
 * a missing, unreadable, foreign or malformed file means the map is compiled, and a file that
 * cannot be written is skipped. Written through a temporary file renamed over it, so a reader
 * sees a whole file or the previous one.
 *
 * ```json
 * {"mapcIrCache":1,"build":"<hex>","file":"/etc/mapc/enpass.map","sha256":"<hex>","ir":{...}}
 * ```
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { IntegrationIR } from '../compiler/ir.ts';

/** The cache file's format version (`mapcIrCache`). */
const CACHE_VERSION = 1;

export interface IrCacheKey {
  /** The map's path as given on the command line (it is the IR's `sourceFile`). */
  readonly file: string;
  /** SHA-256 (hex) of the map's bytes. */
  readonly sha256: string;
  /** The mapc build (`BUILD_ID`). */
  readonly build: string;
  /** The IR version this mapc reads (`compiler/ir.ts` `IR_VERSION`, passed in so that this module loads no compiler). */
  readonly irVersion: number;
}

/** Where the IR cache of a state file lives. */
export function irCachePath(stateFile: string): string {
  return `${stateFile}.ir.json`;
}

/** The key of the map whose bytes are `source`. */
export function irCacheKey(file: string, source: Uint8Array, build: string, irVersion: number): IrCacheKey {
  return { file, sha256: createHash('sha256').update(source).digest('hex'), build, irVersion };
}

/** The cached IR for `key`, or undefined when there is none that matches it exactly. */
export function readIrCache(path: string, key: IrCacheKey): IntegrationIR | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const entry = parsed as Record<string, unknown>;
  const ir = entry['ir'] as { irVersion?: unknown } | null | undefined;
  if (
    entry['mapcIrCache'] !== CACHE_VERSION ||
    entry['build'] !== key.build ||
    entry['file'] !== key.file ||
    entry['sha256'] !== key.sha256 ||
    typeof ir !== 'object' ||
    ir === null ||
    ir.irVersion !== key.irVersion
  ) {
    return undefined;
  }
  return ir as IntegrationIR;
}

/**
 * Writes the cache (mode 0600) through a temporary file renamed over it. Returns false, having
 * written nothing, when the directory cannot be written.
 */
export function writeIrCache(path: string, key: IrCacheKey, ir: IntegrationIR): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify({ mapcIrCache: CACHE_VERSION, ...key, ir }), { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
    return true;
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    return false;
  }
}
