/**
 * The state file: the incremental cursor of each stream, and nothing else (never a secret or a
 * token). Shape: `{"version":1,"integration":"<name>","streams":{"<stream>":{"cursor":"<text>"}}}`.
 *
 * Replaced atomically: the new content goes to a temporary file in the same directory, which is
 * fsynced, renamed over the old file (rename(2) is atomic within one file system), and the
 * directory is fsynced so the rename itself survives a crash. A reader sees the old file or the
 * new one, never a partial write.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CollectError } from './errors.ts';

export const STATE_VERSION = 1;

export interface StreamState {
  readonly cursor: string;
}

export interface StateFile {
  readonly version: typeof STATE_VERSION;
  readonly integration: string;
  readonly streams: Readonly<Record<string, StreamState>>;
}

/**
 * Reads the state file; a missing file is an empty state.
 * @throws CollectError E0801 when the file is unreadable, not JSON, of another shape, or
 *   belongs to another integration
 */
export async function readState(file: string, integration: string): Promise<StateFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: STATE_VERSION, integration, streams: {} };
    throw new CollectError(
      'E0801',
      `cannot read state file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CollectError(
      'E0801',
      `state file ${file} is not JSON; fix or remove it (removing restarts from the backfill start)`,
    );
  }
  const s = json as Partial<StateFile>;
  if (
    typeof s !== 'object' ||
    s === null ||
    s.version !== STATE_VERSION ||
    typeof s.streams !== 'object' ||
    s.streams === null
  ) {
    throw new CollectError('E0801', `state file ${file} is not a mapc collect state (version ${STATE_VERSION})`);
  }
  if (s.integration !== integration) {
    throw new CollectError(
      'E0801',
      `state file ${file} belongs to integration ${String(s.integration)}, not ${integration}`,
    );
  }
  for (const [name, st] of Object.entries(s.streams)) {
    if (typeof st !== 'object' || st === null || typeof (st as StreamState).cursor !== 'string') {
      throw new CollectError('E0801', `state file ${file}: stream ${name} has no string cursor`);
    }
  }
  return s as StateFile;
}

/** Test hooks into {@link writeStateAtomic}. */
export interface StateWriteHooks {
  /** Runs after the temporary file is written and fsynced, before the rename. */
  readonly beforeRename?: (tempFile: string) => void | Promise<void>;
}

/**
 * Atomically replaces `file` with `state` (see the module doc), creating its directory when
 * missing. On failure the temporary file is removed and the old file is untouched.
 * @throws CollectError E0805
 */
export async function writeStateAtomic(file: string, state: StateFile, hooks: StateWriteHooks = {}): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // The state directory of a fresh deployment (e.g. /var/lib/mapc) may not exist yet.
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.beforeRename?.(temp);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CollectError('E0805', `cannot write state file ${file}: ${reason}`);
  }
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}
