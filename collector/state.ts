/**
 * The state file: per stream, the committed cursor and the page sequence in progress (IR doc,
 * "Run-time safety and incremental state", §1), and nothing else (never a secret or a token:
 * {@link writeStateAtomic} refuses to write a state holding one). Version 2:
 *
 * ```json
 * {"version":2,"integration":"endor_labs","streams":{"audit":{
 *   "cursor":"2024-11-13T17:45:00.000001Z",
 *   "sequence":{"next":{"kind":"token","value":"tok-3"},"max":"2024-11-14T08:00:00Z","pages":2,
 *               "emptyPages":0,"seen":["…16 hex digits…"]}}}}
 * ```
 *
 * - `cursor`: what `{cursor}` renders; it moves only when a page sequence completes. Absent for
 *   a stream without a cursor, whose state is only its sequence in progress (a run cut by the
 *   page cap resumes it; a complete sequence leaves no state, and the next run starts at page 1).
 * - `sequence` (absent between sequences): `next` the position of the next page
 *   ({@link Position}); `now` the `{now}` its requests send (only when the request uses it);
 *   `max` the largest record value seen so far in the sequence (the record's
 *   own text; absent before the first); `pages` the pages done in the sequence; `emptyPages` the
 *   pages without records in a row whose pagination still claimed more; `seen` digests of the
 *   positions already used in the sequence (the first 16 hex digits of the SHA-256 of
 *   `kind:value`, at most {@link MAX_SEEN}, oldest dropped), for loop detection across runs.
 *
 * Version 1 files (`{"version":1,…,"streams":{"s":{"cursor":"…"}}}`) are read as version 2
 * without a sequence in progress and written back as version 2.
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
import type { Position } from './pager.ts';

export const STATE_VERSION = 2;
/** Most position digests a sequence remembers across runs (a cycle longer than this is not seen). */
export const MAX_SEEN = 1000;

export interface SequenceState {
  readonly next: Position;
  /** `{now}` of the sequence (RFC 3339), kept so that a resumed sequence sends the same; only for a request that uses it. */
  readonly now?: string;
  readonly max?: string;
  readonly pages: number;
  readonly emptyPages: number;
  readonly seen: readonly string[];
}

export interface StreamState {
  /** Absent for a stream without a cursor (which then always has a `sequence`). */
  readonly cursor?: string;
  readonly sequence?: SequenceState;
}

export interface StateFile {
  readonly version: typeof STATE_VERSION;
  readonly integration: string;
  readonly streams: Readonly<Record<string, StreamState>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function validPosition(p: unknown): p is Position {
  if (!isRecord(p)) return false;
  switch (p.kind) {
    case 'first':
      return true;
    case 'token':
    case 'url':
      return typeof p.value === 'string' && p.value !== '';
    case 'page':
    case 'offset':
      return typeof p.value === 'number' && Number.isSafeInteger(p.value);
    default:
      return false;
  }
}

function validSequence(s: unknown): s is SequenceState {
  return (
    isRecord(s) &&
    validPosition(s.next) &&
    (s.now === undefined || typeof s.now === 'string') &&
    (s.max === undefined || typeof s.max === 'string') &&
    isCount(s.pages) &&
    isCount(s.emptyPages) &&
    Array.isArray(s.seen) &&
    s.seen.every((d) => typeof d === 'string')
  );
}

/**
 * Reads the state file; a missing file is an empty state; a version 1 file is migrated (see the
 * module doc).
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
  if (!isRecord(json) || (json.version !== 1 && json.version !== STATE_VERSION) || !isRecord(json.streams)) {
    throw new CollectError('E0801', `state file ${file} is not a mapc collect state (version 1 or ${STATE_VERSION})`);
  }
  if (json.integration !== integration) {
    throw new CollectError(
      'E0801',
      `state file ${file} belongs to integration ${String(json.integration)}, not ${integration}`,
    );
  }
  const streams: Record<string, StreamState> = {};
  for (const [name, st] of Object.entries(json.streams)) {
    if (!isRecord(st) || (st.cursor !== undefined && typeof st.cursor !== 'string')) {
      throw new CollectError('E0801', `state file ${file}: stream ${name} has a cursor that is not a string`);
    }
    if (st.cursor === undefined && (json.version !== STATE_VERSION || st.sequence === undefined)) {
      throw new CollectError(
        'E0801',
        `state file ${file}: stream ${name} has neither a cursor nor a sequence in progress`,
      );
    }
    if (json.version === STATE_VERSION && st.sequence !== undefined && !validSequence(st.sequence)) {
      throw new CollectError('E0801', `state file ${file}: stream ${name} has a malformed sequence in progress`);
    }
    // Version 1 had no sequence in progress: its cursor was saved after every page.
    const cursor = st.cursor === undefined ? {} : { cursor: st.cursor as string };
    streams[name] =
      json.version === STATE_VERSION && st.sequence !== undefined
        ? { ...cursor, sequence: st.sequence as SequenceState }
        : cursor;
  }
  return { version: STATE_VERSION, integration, streams };
}

/** Test hooks into {@link writeStateAtomic}. */
export interface StateWriteHooks {
  /** Runs after the temporary file is written and fsynced, before the rename. */
  readonly beforeRename?: (tempFile: string) => void | Promise<void>;
}

/**
 * Atomically replaces `file` with `state` (see the module doc), creating its directory when
 * missing. On failure the temporary file is removed and the old file is untouched.
 * @param holdsSecret true when the text would hold a secret (the run's scrubber); such a state
 *   is never written
 * @throws CollectError E0805
 */
export async function writeStateAtomic(
  file: string,
  state: StateFile,
  hooks: StateWriteHooks = {},
  holdsSecret: (text: string) => boolean = () => false,
): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  if (holdsSecret(text)) {
    throw new CollectError(
      'E0805',
      `not writing state file ${file}: the page position or cursor the API sent holds a credential`,
    );
  }
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // The state directory of a fresh deployment (e.g. /var/lib/mapc) may not exist yet.
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
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
