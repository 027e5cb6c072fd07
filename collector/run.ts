/**
 * `mapc collect`'s engine: runs one stream's source as the map describes it and writes its
 * events as NDJSON, keeping the incremental state of the IR doc's section "Run-time safety and
 * incremental state" (`compiler/ir.ts`), which is normative; in short:
 *
 * Order of effects for each page (the at-least-once guarantee): fetch → extract and split →
 * write every event → flush the output → replace the state file. A run that fails at any point
 * leaves the state of the last completed page, so the next run repeats at most one page's events
 * (the deterministic document id makes that harmless at the sink).
 *
 * - The committed cursor (what `{cursor}` renders) moves only when a page sequence completes:
 *   to the largest record value of the whole sequence (`record_max`, compared as instants, never
 *   smaller than before) or to the end of a complete time window (`window`). Records may arrive
 *   in any order within a sequence.
 * - After each page, the state records the sequence in progress: the next page's position, the
 *   largest record value so far, and digests of the positions used. A later run (after the page
 *   cap, a failure or a kill) resumes there with the same committed cursor; a resumed position the
 *   API refuses with a 4xx other than 401/403/429 (an expired page token) restarts the sequence at
 *   its first page (re-delivery, never loss).
 * - Loops: a next position already used in the sequence, or a fourth page in a row without
 *   records whose pagination still claims more, ends the run with E0809 and discards the sequence
 *   (the cursor stays). `link_header`: an empty page, or a next link to the URL just fetched, ends
 *   the sequence normally (polling APIs always send one).
 * - Origins: a next link on another origin than the map's request URL is refused (E0810) before
 *   anything is sent; redirects are followed by {@link HttpClient} within the origin only.
 * - Records nested deeper than {@link MAX_RECORD_DEPTH} levels, or that the mapping cannot
 *   process (`--mapped`), become error events (E0811) with their position; the run goes on.
 *   With `--mapped`, a record a `drop when` holds for becomes no event; the run log's
 *   `collection complete` line counts them (`dropped: N`).
 * - `time_window`: one request per window of `stepSeconds` from the cursor up to now; each
 *   window is a sequence of one page: a complete window (end ≤ now) commits, the window holding
 *   now is fetched too but commits nothing, so it is fetched again next run. A request item
 *   `when window.complete` is sent for complete windows only (the window holding now is
 *   open-ended).
 * - First run: the initial cursor (the backfill setting, else now minus the look-back: a duration
 *   setting's value or a literal; a window start is aligned down to a multiple of the step since
 *   the epoch) is written to the state before the first request, so a run that fails early does
 *   not move "now" forward.
 * - `next_page` cursor: a complete sequence leaves its last page's position (a `cursor_has_more`
 *   token, a same-origin next link, else the position that page was fetched at; never one holding
 *   a credential) as a sequence of no pages, so the next run polls there instead of sending the
 *   map's own request again (`pollPosition`).
 * - Streams without a cursor keep only a sequence in progress: a run cut by the page cap (or a
 *   failure) resumes it, as with a cursor; a complete sequence leaves no state, so the next run
 *   starts again at the first page (re-delivery, which the document id de-duplicates).
 *
 * @module
 */
import * as nodeCrypto from 'node:crypto';
import type { Writable } from 'node:stream';
import {
  collectionTimeText,
  defaultSettings,
  durationMs,
  extractRecords,
  InterpretError,
  mapRecord,
  type MapOptions,
  splitRecord,
} from '../compiler/interpret/index.ts';
import type { GeoDatabase } from '../compiler/interpret/index.ts';
import type { CursorIR, IntegrationIR, SourceIR, StreamIR } from '../compiler/ir.ts';
import { requestUsesNow } from '../compiler/ir.ts';
import type { RecordValidator } from '../compiler/schema/index.ts';
import { createAuth, type Auth } from './auth.ts';
import { systemClock, type Clock } from './clock.ts';
import { CollectError } from './errors.ts';
import { deeperThan, errorEvent, MAX_RECORD_DEPTH, type RecordPosition } from './events.ts';
import { describeResponse, HttpClient, originOf, type HttpRequest, type HttpResponse } from './http.ts';
import { formatInstant, parseRfc3339Ms } from './instant.ts';
import { jsonLogger, type Logger } from './log.ts';
import { EventOutput } from './output.ts';
import {
  firstPosition,
  nextPosition,
  pollPosition,
  positionFits,
  stepAt,
  type PageStep,
  type Position,
} from './pager.ts';
import { Scrubber } from './scrub.ts';
import { buildRequest, requestUrl } from './request.ts';
import {
  MAX_SEEN,
  readState,
  STATE_VERSION,
  writeStateAtomic,
  type SequenceState,
  type StateFile,
  type StateWriteHooks,
  type StreamState,
} from './state.ts';
import { larger, recordsMax, storedMax, type Max } from './record-max.ts';
import { renderTemplate, requestTime, templateText, type RenderContext } from './template.ts';
import { resolveValues, type RunValues } from './values.ts';

export interface CollectOptions {
  /** Stream to collect; required when the map has several. */
  readonly stream?: string;
  /** State file path; without it no cursor is kept between runs. */
  readonly stateFile?: string;
  /** Print mapped ECS documents (`{"_id", ...doc}`) instead of raw records. */
  readonly mapped?: boolean;
  /**
   * Validate each record (each split element) against the stream's record schema with ajv and
   * log what breaks it (W0812). Off by default: it costs about a tenth of the collector's
   * throughput (`npm run bench -- --only throughput`: 0.89-0.91 of the minimal script without,
   * 0.78-0.82 with), and the engines' pipelines report the same records in `error.message`.
   */
  readonly validate?: boolean;
  /** `--set` settings. */
  readonly sets?: Readonly<Record<string, string>>;
  /** Environment (secrets and settings); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Event output; default `process.stdout`. */
  readonly stdout?: Writable;
  /** Receives each stderr log line (with its newline); default writes to `process.stderr`. */
  readonly stderr?: (line: string) => void;
  readonly clock?: Clock;
  readonly stateHooks?: StateWriteHooks;
  /** Per-request timeout in milliseconds (default 30 s). */
  readonly timeoutMs?: number;
  /** Bound on one response body in bytes (default 64 MiB, `--max-response-bytes`). */
  readonly maxResponseBytes?: number;
  /**
   * Least time in milliseconds between two writes of the state file for the progress of a page
   * sequence in progress (default {@link CHECKPOINT_MS}; 0 writes after every page). A completed
   * sequence, the first run's cursor and the end of a run (success or error) are always written.
   */
  readonly checkpointMs?: number;
  /**
   * With `mapped`: the MaxMind databases `geoip` / `asn` read (`--geoip-database`); absent: the
   * enrichments write nothing (compiler/ir.ts step 4a).
   */
  readonly geoDatabases?: readonly GeoDatabase[];
}

/**
 * Default of {@link CollectOptions.checkpointMs}: one state write per second at most while a
 * sequence is in progress. Writing the state (temporary file, fsync, rename, directory fsync)
 * costs milliseconds, so writing it after every page made a fast API four times slower; a run
 * cut between two writes repeats the pages since the last one, which the document id
 * de-duplicates (compiler/ir.ts, "Run-time safety and incremental state", 1.2).
 */
export const CHECKPOINT_MS = 1000;

export interface CollectResult {
  /** 0: success; 1: a fatal error (logged), the state left at the last completed page. */
  readonly exitCode: 0 | 1;
  readonly events: number;
  readonly pages: number;
  /** Error events written for records that could not be passed on (E0811); included in `events`. */
  readonly errorEvents: number;
  /** With `--mapped`: records a `drop when` dropped (no event written; compiler/ir.ts `MappingIR.drop`). */
  readonly dropped?: number;
  readonly error?: { readonly code: string; readonly message: string };
}

interface RunContext {
  readonly ir: IntegrationIR;
  readonly stream: StreamIR;
  readonly values: RunValues;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scrubber: Scrubber;
  readonly output: EventOutput;
  readonly options: CollectOptions;
  state: StateFile;
  /**
   * A deferred checkpoint: the stream's state not yet in {@link RunContext.state} nor in the
   * state file, made only when applied by {@link flushState} or replaced by a later save (most
   * checkpoints are replaced before they are written, see {@link saveState}).
   */
  pending?: () => StreamState | undefined;
  /** `performance.now()` of the last state write. */
  lastWrite: number;
  events: number;
  errorEvents: number;
  /** Records a `drop when` dropped (`--mapped` only). */
  dropped: number;
  pages: number;
}

/** Pages without records in a row, still claiming more, that a sequence tolerates (the next one is a loop). */
export const MAX_EMPTY_PAGES = 3;

/**
 * Collects one stream of `ir` (see the module doc). Never throws: fatal errors are logged to
 * stderr as `{"level":"error","code","msg"}` and returned with exit code 1.
 */
export async function collectFromIR(ir: IntegrationIR, options: CollectOptions = {}): Promise<CollectResult> {
  const scrubber = new Scrubber();
  const logger = jsonLogger(scrubber, options.stderr);
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  let ctx: RunContext | undefined;
  try {
    const stream = selectStream(ir, options.stream);
    const values = resolveValues(ir, [stream], env, options.sets ?? {}, scrubber);
    const state = options.stateFile
      ? await readState(options.stateFile, ir.name)
      : { version: STATE_VERSION as typeof STATE_VERSION, integration: ir.name, streams: {} };
    ctx = {
      ir,
      stream,
      values,
      clock,
      logger,
      scrubber,
      output: new EventOutput(options.stdout ?? process.stdout, (text) => scrubber.scrubJsonLines(text)),
      options,
      state,
      lastWrite: performance.now(),
      events: 0,
      errorEvents: 0,
      dropped: 0,
      pages: 0,
    };
    await collectStream(ctx);
    await flushState(ctx);
    const dropped = options.mapped ? { dropped: ctx.dropped } : {};
    logger.log('info', 'collection complete', {
      stream: stream.name,
      pages: ctx.pages,
      events: ctx.events,
      errorEvents: ctx.errorEvents,
      ...dropped,
      cursor: streamState(ctx)?.cursor,
    });
    return { exitCode: 0, events: ctx.events, pages: ctx.pages, errorEvents: ctx.errorEvents, ...dropped };
  } catch (error) {
    const e =
      error instanceof CollectError
        ? error
        : error instanceof InterpretError
          ? new CollectError('E0804', error.message)
          : new CollectError('E0800', `internal error: ${(error as Error).name}: ${(error as Error).message}`);
    // The progress of pages already written is kept, as it would have been without deferral.
    if (ctx?.pending) {
      try {
        await flushState(ctx);
      } catch (flushError) {
        logger.log('error', `cannot write the state file: ${(flushError as Error).message}`, { code: 'E0805' });
      }
    }
    logger.log('error', e.message, { code: e.code, ...e.details, pages: ctx?.pages ?? 0, events: ctx?.events ?? 0 });
    return {
      exitCode: 1,
      events: ctx?.events ?? 0,
      pages: ctx?.pages ?? 0,
      errorEvents: ctx?.errorEvents ?? 0,
      error: { code: e.code, message: scrubber.scrub(e.message) },
    };
  }
}

function selectStream(ir: IntegrationIR, name: string | undefined): StreamIR {
  const names = ir.streams.map((s) => s.name);
  if (name !== undefined) {
    const s = ir.streams.find((x) => x.name === name);
    if (!s)
      throw new CollectError('E0806', `--stream ${name}: the map has no such stream (streams: ${names.join(', ')})`);
    return s;
  }
  if (ir.streams.length !== 1) {
    throw new CollectError(
      'E0806',
      `the map has ${ir.streams.length} streams; choose one with --stream (${names.join(', ')})`,
    );
  }
  return ir.streams[0] as StreamIR;
}

function streamState(ctx: RunContext): StreamState | undefined {
  return ctx.state.streams[ctx.stream.name];
}

/**
 * Replaces the stream's state (in memory, and in the state file when there is one). A
 * `checkpoint` (the progress of a sequence in progress) is written only when
 * {@link CollectOptions.checkpointMs} has passed since the last write; else it waits for the
 * next write or {@link flushState}. Without a state file nothing is written: the state is kept
 * for the run's last log line only. `next` is a function so that a checkpoint that is replaced
 * before it is written (most are: at most one a second is written) costs nothing to make.
 */
async function saveState(ctx: RunContext, next: () => StreamState | undefined, checkpoint = false): Promise<void> {
  const interval = ctx.options.checkpointMs ?? CHECKPOINT_MS;
  if (!ctx.options.stateFile || (checkpoint && performance.now() - ctx.lastWrite < interval)) {
    ctx.pending = next;
    return;
  }
  await writeState(ctx, next);
}

/**
 * Removes the state of a stream without a cursor (its sequence ended or was discarded), a deferred
 * checkpoint included, so that the run's end does not write it back; nothing when there is none.
 */
async function forgetSequence(ctx: RunContext): Promise<void> {
  if (streamState(ctx) !== undefined || ctx.pending) await saveState(ctx, () => undefined);
}

/** Writes (without a state file: applies) a deferred checkpoint, if any. */
async function flushState(ctx: RunContext): Promise<void> {
  if (ctx.pending) await writeState(ctx, ctx.pending);
}

/**
 * Makes the stream's state (undefined: the stream keeps none, its entry is removed), keeps it in
 * {@link RunContext.state} and writes it when there is a state file. A failed write leaves the
 * deferred checkpoint, if any, for the error path.
 */
async function writeState(ctx: RunContext, next: () => StreamState | undefined): Promise<void> {
  const { [ctx.stream.name]: _old, ...others } = ctx.state.streams;
  const state = next();
  ctx.state = { ...ctx.state, streams: state === undefined ? others : { ...others, [ctx.stream.name]: state } };
  if (ctx.options.stateFile) {
    await writeStateAtomic(ctx.options.stateFile, ctx.state, ctx.options.stateHooks, (text) =>
      ctx.scrubber.contains(text),
    );
    ctx.lastWrite = performance.now();
  }
  ctx.pending = undefined;
}

/** The first run's cursor text (see the module doc). */
function initialCursor(ctx: RunContext, cursor: CursorIR, source: SourceIR): string {
  const setting = cursor.initial.setting;
  const given = setting !== undefined ? ctx.values.settings[setting] : undefined;
  let ms: number;
  if (typeof given === 'string' && given !== '') {
    const parsed = parseRfc3339Ms(given);
    if (parsed === undefined) throw new CollectError('E0806', `setting ${setting} must be an RFC 3339 timestamp`);
    if ((cursor.kind === 'record_max' && cursor.format.kind === 'iso8601') || cursor.kind === 'next_page') return given;
    ms = parsed;
  } else {
    ms = ctx.clock.now() - lookbackMs(ctx, cursor);
  }
  if (cursor.kind === 'record_max') return formatInstant(ms, cursor.format);
  if (cursor.kind === 'next_page') return formatInstant(ms, { kind: 'iso8601' });
  if (source.pagination.kind === 'time_window') {
    const step = source.pagination.stepSeconds * 1000;
    ms = Math.floor(ms / step) * step;
  }
  return new Date(ms).toISOString();
}

/** The first run's look-back: the `duration` setting's value when it has one, else the literal look-back. */
function lookbackMs(ctx: RunContext, cursor: CursorIR): number {
  const setting = cursor.initial.lookbackSetting;
  const given = setting !== undefined ? ctx.values.settings[setting] : undefined;
  if (typeof given === 'string' && given !== '') {
    const ms = durationMs(given);
    if (ms === undefined) throw new CollectError('E0806', `setting ${setting} must be a duration such as 1440h`);
    return ms;
  }
  return cursor.initial.lookbackSeconds * 1000;
}

/**
 * SHA-256 of UTF-8 text as lowercase hex: the one-shot `crypto.hash` where Node has it (20.12+,
 * 21.7+: https://nodejs.org/docs/latest-v20.x/api/crypto.html#cryptohashalgorithm-data-outputencoding),
 * which skips the `Hash` object `createHash` makes (a stream), else `createHash`. Same digest.
 */
const sha256Hex: (text: string) => string =
  typeof nodeCrypto.hash === 'function'
    ? (text) => nodeCrypto.hash('sha256', text, 'hex')
    : (text) => nodeCrypto.createHash('sha256').update(text).digest('hex');

/** A position's identity for loop detection: the first 16 hex digits of SHA-256(`kind:value`). */
function positionDigest(pos: Position, requestUrlText: string | undefined): string {
  const key =
    pos.kind === 'first'
      ? requestUrlText === undefined
        ? 'first'
        : `url:${requestUrlText}`
      : `${pos.kind}:${String(pos.value)}`;
  return sha256Hex(key).slice(0, 16);
}

/** Where a record's event is: its page and index, and its element when the record was split into `count` > 1. */
function positionOf(stream: string, page: number, index: number, element: number, count: number): RecordPosition {
  return count > 1 ? { stream, page, index, element } : { stream, page, index };
}

/** Everything one stream's run shares: HTTP, auth, rendering, and writing a page's events. */
class StreamRun {
  readonly http: HttpClient;
  readonly auth: Auth;
  readonly source: SourceIR;
  readonly mapSettings: Readonly<Record<string, unknown>>;
  /** `--mapped`: the poll time, the collection time every `collected_at` rule of this run writes. */
  readonly mapOptions: MapOptions;
  /**
   * The stream's record schema as JSON Schema (ajv), loaded with the first page of records
   * ({@link StreamRun.loadValidator}); `undefined` before that and for a stream without one.
   */
  validator: RecordValidator | undefined;

  constructor(readonly ctx: RunContext) {
    this.source = ctx.stream.source;
    this.http = new HttpClient({
      clock: ctx.clock,
      retry: this.source.retry,
      rateLimit: this.source.rateLimit,
      logger: ctx.logger,
      ...(ctx.options.timeoutMs !== undefined ? { timeoutMs: ctx.options.timeoutMs } : {}),
      ...(ctx.options.maxResponseBytes !== undefined ? { maxResponseBytes: ctx.options.maxResponseBytes } : {}),
    });
    this.auth = createAuth(this.source.auth, {
      settings: ctx.values.settings,
      secrets: ctx.values.secrets,
      http: this.http,
      clock: ctx.clock,
      logger: ctx.logger,
      scrubber: ctx.scrubber,
    });
    this.mapSettings = { ...defaultSettings(ctx.ir), ...ctx.values.settings };
    // The poll time: what `collected_at` writes and the "now" of every `now` condition of the poll.
    const polled = ctx.clock.now();
    this.mapOptions = {
      collectedAt: collectionTimeText(new Date(polled)),
      now: polled,
      ...(ctx.options.geoDatabases !== undefined ? { geoDatabases: ctx.options.geoDatabases } : {}),
    };
  }

  /**
   * With `--validate`: compiles the record schema's validator before the first page is written. ajv and the
   * compile cost about 55 ms of CPU per process (each poll of an exec source is one), so they
   * are loaded only once records have arrived, never before the first request, and not at all for
   * a stream without a record schema.
   */
  async loadValidator(): Promise<void> {
    if (this.validator !== undefined || this.ctx.stream.schema === undefined || !this.ctx.options.validate) return;
    const { recordValidator } = await import('../compiler/schema/index.ts');
    this.validator = recordValidator(this.ctx.ir.name, this.ctx.stream);
  }

  /**
   * Logs each way `event` breaks the stream's record schema (W0812: its JSON pointer and the
   * schema rule, never the value, which may be a credential or personal data). The event is
   * delivered all the same: the mapping keeps the raw value and appends `error.message` (tier 2,
   * compiler/ir.ts "Record schemas"), so nothing is dropped silently.
   */
  #reportViolations(event: unknown, position: RecordPosition): void {
    for (const v of this.validator?.violations(event) ?? []) {
      this.ctx.logger.log('warn', `record breaks the record schema at ${v.pointer || '/'}: ${v.message}`, {
        code: 'W0812',
        ...position,
        pointer: v.pointer,
        rule: v.schemaPath,
      });
    }
  }

  /**
   * Sends one data request (one retry with a fresh token on 401/403 when the auth can renew).
   * `signal` stops it (`HttpClient.send`).
   * @throws CollectError E0803 when the API refuses the credentials
   */
  async send(
    step: PageStep,
    render: RenderContext,
    label: string,
    signal?: AbortSignal,
  ): Promise<{ req: HttpRequest; res: HttpResponse }> {
    for (let renewed = false; ; renewed = true) {
      const built = buildRequest(this.source.request, render, step.assignments, step.url);
      const req = { ...built, headers: { ...built.headers, ...(await this.auth.headers()) } };
      signal?.throwIfAborted();
      const res = await this.http.send(req, label, signal);
      if ((res.status === 401 || res.status === 403) && this.auth.renewable && !renewed) {
        this.ctx.logger.log('warn', `${label}: HTTP ${res.status}, renewing the access token`, {
          url: req.urlTemplate,
        });
        this.auth.invalidate();
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        throw new CollectError(
          'E0803',
          `the API refused the credentials (HTTP ${res.status}); check the secrets' values`,
          describeResponse(req, res),
        );
      }
      return { req, res };
    }
  }

  /** A 2xx response's JSON body. @throws CollectError E0800 for another status, E0804 for a body that is not JSON */
  body(req: HttpRequest, res: HttpResponse, label: string): unknown {
    if (res.status < 200 || res.status > 299) {
      throw new CollectError(
        'E0800',
        `${label} failed: HTTP ${res.status}${res.statusText === '' ? '' : ` ${res.statusText}`}`,
        describeResponse(req, res),
      );
    }
    try {
      return JSON.parse(res.text);
    } catch {
      throw new CollectError('E0804', `${label}: the response is not JSON`, describeResponse(req, res));
    }
  }

  /**
   * Writes the events of one page's records in one write and flushes it: each record split, or mapped with
   * `--mapped`; a record nested too deep, or one that cannot be stringified or mapped, becomes an
   * error event (see `events.ts`). Returns the number of lines written.
   */
  async writePage(records: readonly unknown[], page: number): Promise<number> {
    const { ctx, source } = this;
    if (records.length > 0) await this.loadValidator();
    let written = 0;
    const fail = (position: RecordPosition, reason: string): void => {
      ctx.logger.log('error', `record cannot be processed: ${reason}`, { code: 'E0811', ...position });
      ctx.output.add(errorEvent(ctx.stream.dataset, position, reason, ctx.clock.now()));
      ctx.errorEvents++;
      written++;
    };
    for (let index = 0; index < records.length; index++) {
      const record = records[index];
      if (deeperThan(record, MAX_RECORD_DEPTH)) {
        fail({ stream: ctx.stream.name, page, index }, `is nested deeper than ${MAX_RECORD_DEPTH} levels`);
        continue;
      }
      // Without a split the record is its one event (no one-element array made per record).
      const events = source.split ? splitRecord(source.split, record) : undefined;
      const count = events === undefined ? 1 : events.length;
      for (let element = 0; element < count; element++) {
        const event = events === undefined ? record : events[element];
        // Only with --validate: the position is built for a record that is reported, not for each one.
        if (this.validator !== undefined)
          this.#reportViolations(event, positionOf(ctx.stream.name, page, index, element, count));
        let line: string;
        try {
          line = JSON.stringify(event);
          if (ctx.options.mapped) {
            const mapped = mapRecord(ctx.stream, line, this.mapSettings, this.mapOptions);
            if (mapped.dropped) {
              // `drop when`: no event; counted for the run log.
              ctx.dropped++;
              continue;
            }
            line = JSON.stringify(mapped.id === undefined ? mapped.doc : { _id: mapped.id, ...mapped.doc });
          }
        } catch (error) {
          // The interpreter's own errors, its depth limit or a stack overflow (RangeError): the
          // record's text is never quoted, only the kind of failure.
          const kind = error instanceof InterpretError ? error.code : (error as Error).name;
          fail(
            positionOf(ctx.stream.name, page, index, element, count),
            `cannot be ${ctx.options.mapped ? 'mapped' : 'serialised'} (${kind})`,
          );
          continue;
        }
        // A record echoing a credential must not carry it to the sink: the output scrubs each
        // page's text as a whole when it is flushed (EventOutput, Scrubber.scrubJsonLines).
        ctx.output.add(line);
        written++;
      }
    }
    await ctx.output.flush();
    ctx.events += written;
    ctx.pages++;
    return written;
  }
}

async function collectStream(ctx: RunContext): Promise<void> {
  const { stream } = ctx;
  const { source } = stream;
  const run = new StreamRun(ctx);
  let committed: string | undefined;
  if (source.cursor) {
    committed = streamState(ctx)?.cursor;
    if (committed === undefined) {
      committed = initialCursor(ctx, source.cursor, source);
      ctx.logger.log('info', 'first run: starting from the initial cursor', { stream: stream.name, cursor: committed });
      const cursor = committed;
      await saveState(ctx, () => ({ cursor }));
    }
    if (source.cursor.kind === 'record_max' && storedMax(source.cursor, committed) === undefined) {
      throw new CollectError(
        'E0801',
        `the stored cursor ${JSON.stringify(committed)} is not a ${source.cursor.format.kind} instant`,
      );
    }
  }
  if (source.pagination.kind === 'time_window') await collectWindows(run, committed);
  else await collectSequence(run, committed);
}

/** Time-window pagination (see the module doc). */
async function collectWindows(run: StreamRun, committed: string | undefined): Promise<void> {
  const { ctx, source } = run;
  const { stream } = ctx;
  if (source.pagination.kind !== 'time_window') return;
  const step = source.pagination.stepSeconds * 1000;
  const format = source.pagination.format;
  const cursorIR = source.cursor;
  let startMs: number;
  let max = storedMax(cursorIR, committed);
  if (cursorIR?.kind === 'window' && committed !== undefined) {
    const ms = parseRfc3339Ms(committed);
    if (ms === undefined)
      throw new CollectError('E0801', `the stored cursor ${JSON.stringify(committed)} is not an RFC 3339 timestamp`);
    startMs = ms;
  } else if (max !== undefined) {
    startMs = Number(max.nanos / 1_000_000n);
  } else {
    startMs = Math.floor(ctx.clock.now() / step) * step;
  }
  while (startMs <= ctx.clock.now()) {
    if (ctx.pages >= source.maxPagesPerRun) {
      ctx.logger.log('info', 'page cap reached; the next run continues', {
        stream: stream.name,
        maxPages: source.maxPagesPerRun,
      });
      return;
    }
    const endMs = startMs + step;
    // A window is a sequence of one page; only a complete one (end ≤ now) commits.
    const complete = endMs <= ctx.clock.now();
    const window = { start: formatInstant(startMs, format), end: formatInstant(endMs, format), complete };
    const render: RenderContext = {
      settings: ctx.values.settings,
      ...(committed !== undefined ? { cursor: committed } : {}),
      window,
      now: requestTime(ctx.clock.now()),
    };
    const label = `window ${window.start}`;
    const { req, res } = await run.send({ assignments: [] }, render, label);
    const records = extractRecords(source, run.body(req, res, label));
    const written = await run.writePage(records, 1);
    if (complete && cursorIR) {
      if (cursorIR.kind === 'window') committed = new Date(endMs).toISOString();
      else {
        max = larger(max, recordsMax(cursorIR, records));
        if (max !== undefined) committed = max.text;
      }
      if (committed !== undefined) {
        const cursor = committed;
        await saveState(ctx, () => ({ cursor }), true);
      }
    }
    ctx.logger.log('info', 'page done', {
      stream: stream.name,
      page: ctx.pages,
      records: records.length,
      events: written,
      complete,
      cursor: committed,
    });
    if (!complete) return;
    startMs = endMs;
  }
}

/** The sequence in progress a run starts with, when it still fits the map (else it is discarded, logged). */
function resumable(run: StreamRun, stored: SequenceState | undefined, origin: string): SequenceState | undefined {
  const { ctx, source } = run;
  if (stored === undefined) return undefined;
  let reason: string | undefined;
  if (!positionFits(source.pagination, stored.next)) reason = `does not fit ${source.pagination.kind} pagination`;
  else if (stored.next.kind === 'url' && originOf(stored.next.value) !== origin)
    reason = 'is on another origin than the request URL (the base URL changed)';
  else if (stored.max !== undefined && storedMax(source.cursor, stored.max) === undefined)
    reason = 'has a maximum that is not an instant';
  if (reason === undefined) return stored;
  ctx.logger.log('warn', `the stored page sequence ${reason}; it restarts at its first page`, {
    stream: ctx.stream.name,
  });
  return undefined;
}

/** A page sequence's progress within a run (what {@link SequenceState} stores between runs). */
interface Progress {
  /** Position of the next request. */
  pos: Position;
  max: Max | undefined;
  /** Pages done in the sequence. */
  pages: number;
  emptyPages: number;
  /** Digests of the positions used (see {@link positionDigest}), in order of use. */
  seen: string[];
  /** The same digests as a set: membership in constant time (a sequence may run to thousands of pages). */
  seenSet: Set<string>;
}

function progressFrom(
  cursor: CursorIR | undefined,
  p: SourceIR['pagination'],
  from: SequenceState | undefined,
): Progress {
  return {
    pos: from?.next ?? firstPosition(p),
    max: storedMax(cursor, from?.max),
    pages: from?.pages ?? 0,
    emptyPages: from?.emptyPages ?? 0,
    seen: [...(from?.seen ?? [])],
    seenSet: new Set(from?.seen ?? []),
  };
}

/** Every pagination kind but `time_window`: one page sequence, resumed or from its first page. */
async function collectSequence(run: StreamRun, committed: string | undefined): Promise<void> {
  const { ctx, source } = run;
  const { stream } = ctx;
  const p = source.pagination;
  const cursorIR = source.cursor;
  /** `{now}` is the instant the sequence started: kept in the state so that a resumed sequence sends the same. */
  const keepsNow = requestUsesNow(source.request);
  let render: RenderContext = {
    settings: ctx.values.settings,
    ...(committed !== undefined ? { cursor: committed } : {}),
    now: requestTime(ctx.clock.now()),
  };
  // Credentials go only to this origin: that of the map's request URL as rendered.
  const origin = requestUrl(renderTemplate(source.request.url, render), source.request.url, false).origin;
  const urlTemplate = templateText(source.request.url);

  const stored = resumable(run, streamState(ctx)?.sequence, origin);
  if (stored?.now !== undefined) render = { ...render, now: stored.now };
  let seq = progressFrom(cursorIR, p, stored);
  /** True while the run's first request resumes a stored position. */
  let resuming = stored !== undefined;
  if (resuming && cursorIR?.kind === 'next_page' && seq.pages === 0) {
    ctx.logger.log('info', 'polling from where the last page sequence ended', { stream: stream.name });
  } else if (resuming) {
    ctx.logger.log('info', 'resuming the page sequence in progress', {
      stream: stream.name,
      page: seq.pages + 1,
      cursor: committed,
    });
  }

  /** Ends the sequence in progress without moving the cursor (the next run starts it again). */
  const discard = async (): Promise<void> => {
    const cursor = committed;
    if (cursor !== undefined) await saveState(ctx, () => ({ cursor }));
    else await forgetSequence(ctx);
  };

  // One page of lookahead: the request for page N+1 is sent while page N's records are written
  // (see {@link Lookahead}); stopped if the run ends before it is used.
  const lookahead = new Lookahead();
  /** The digest of the last next position checked (a `token`, `page`, `offset` or `url` position, never `first`). */
  let nextDigest: { readonly pos: Position; readonly digest: string } | undefined;
  try {
    for (;;) {
      if (ctx.pages >= source.maxPagesPerRun) {
        ctx.logger.log('info', 'page cap reached; the next run resumes the page sequence', {
          stream: stream.name,
          maxPages: source.maxPagesPerRun,
        });
        return;
      }
      const here = seq.pos;
      const label = `page ${seq.pages + 1}`;
      const { req, res } = await (lookahead.take(here) ?? run.send(stepAt(p, here), render, label));
      // A next position's digest was made when it was checked for a loop (below); only a `first`
      // position's depends on the URL requested.
      const digest =
        nextDigest?.pos === here
          ? nextDigest.digest
          : positionDigest(here, p.kind === 'link_header' ? req.url : undefined);
      if (!seq.seenSet.has(digest)) {
        seq.seenSet.add(digest);
        seq.seen.push(digest);
      }

      if (resuming && res.status >= 400 && res.status < 500 && res.status !== 429) {
        // An expired page token (or another refused stored position): the sequence starts again.
        ctx.logger.log(
          'warn',
          `${label}: the resumed page position was refused; the page sequence restarts at its first page`,
          { stream: stream.name, ...describeResponse(req, res) },
        );
        await discard();
        seq = progressFrom(cursorIR, p, undefined);
        render = { ...render, now: requestTime(ctx.clock.now()) };
        resuming = false;
        continue;
      }
      resuming = false;
      const body = run.body(req, res, label);
      const records = extractRecords(source, body);
      let next = nextPosition(p, here, { body, headers: res.headers, recordCount: records.length, url: res.url });

      let loop: string | undefined;
      let foreign = false;
      if (next?.kind === 'url') {
        // Polling APIs always send a next link: an empty page, or a link to this page, ends the sequence.
        if (records.length === 0 || next.value === req.url || next.value === res.url) next = undefined;
        else if (originOf(next.value) !== origin) foreign = true;
      }
      if (next !== undefined && !foreign) {
        nextDigest = { pos: next, digest: positionDigest(next, undefined) };
        if (seq.seenSet.has(nextDigest.digest)) {
          loop = `the next ${next.kind === 'url' ? 'link' : 'position'} repeats one already used in this page sequence`;
        }
        seq.emptyPages = records.length === 0 ? seq.emptyPages + 1 : 0;
        if (seq.emptyPages > MAX_EMPTY_PAGES)
          loop = `${seq.emptyPages} pages in a row without records still claim more`;
      }

      seq.pages++;
      // The next page is requested now, before this one is written, only when the run goes on to
      // it: a next position that is neither refused (another origin) nor a loop, within the page
      // cap (this page is the run's `ctx.pages + 1`th). Its errors surface when it is taken, after
      // this page's records and state.
      if (next !== undefined && !foreign && loop === undefined && ctx.pages + 1 < source.maxPagesPerRun) {
        const ahead = next;
        lookahead.start(ahead, (signal) => run.send(stepAt(p, ahead), render, `page ${seq.pages + 1}`, signal));
      }
      const written = await run.writePage(records, seq.pages);
      seq.max = larger(seq.max, recordsMax(cursorIR, records));
      ctx.logger.log('info', 'page done', {
        stream: stream.name,
        page: seq.pages,
        records: records.length,
        events: written,
        more: next !== undefined,
        cursor: committed,
      });

      if (foreign) {
        // The state keeps the previous page's progress: nothing was sent to the other origin.
        throw new CollectError(
          'E0810',
          `${label}: the next link points to another origin; refused (credentials go only to ${origin}, and its answer could inject records)`,
          { url: urlTemplate },
        );
      }
      if (loop !== undefined) {
        await discard();
        throw new CollectError(
          'E0809',
          `pagination does not advance: ${loop}; the page sequence is discarded and the cursor stays`,
          { url: urlTemplate, page: seq.pages },
        );
      }
      if (next === undefined) {
        // The sequence is complete: commit its largest record value (never below the cursor).
        if (cursorIR?.kind === 'record_max' && committed !== undefined) {
          committed = larger(storedMax(cursorIR, committed), seq.max)?.text ?? committed;
        }
        // `cursor { next_page }`: the next run polls where this sequence ended.
        const poll = cursorIR?.kind === 'next_page' ? keptPosition(run, p, here, body, res, origin) : undefined;
        if (committed !== undefined) {
          const cursor = committed;
          const sequence: SequenceState | undefined = poll && { next: poll, pages: 0, emptyPages: 0, seen: [] };
          await saveState(ctx, () => (sequence ? { cursor, sequence } : { cursor }));
        } else {
          // Without a cursor a complete sequence leaves no state: the next run starts at page 1.
          await forgetSequence(ctx);
        }
        ctx.logger.log('info', 'page sequence complete', {
          stream: stream.name,
          pages: seq.pages,
          cursor: committed,
          ...(poll ? { nextRunPolls: poll.kind } : {}),
        });
        return;
      }
      {
        // Made only if written: the digests so far are the first `seenCount` of `seen`, which
        // only grows (a restarted sequence gets a new array). A stream without a cursor keeps
        // its sequence in progress too (the page cap must not send the next run back to page 1).
        const checkpoint: Omit<SequenceState, 'seen'> = {
          next,
          ...(keepsNow && render.now !== undefined ? { now: render.now } : {}),
          ...(seq.max !== undefined ? { max: seq.max.text } : {}),
          pages: seq.pages,
          emptyPages: seq.emptyPages,
        };
        const { seen } = seq;
        const seenCount = seen.length;
        const cursor = committed === undefined ? {} : { cursor: committed };
        await saveState(
          ctx,
          () => ({
            ...cursor,
            sequence: { ...checkpoint, seen: seen.slice(Math.max(0, seenCount - MAX_SEEN), seenCount) },
          }),
          true,
        );
      }
      seq.pos = next;
    }
  } finally {
    lookahead.stop();
  }
}

/**
 * The position a complete sequence leaves for the next run (`cursor { next_page }`, see
 * `pollPosition`), or undefined when none can be kept: a position holding a secret or an access
 * token in any of the scrubber's forms is never stored (logged; the next run sends the map's own
 * request again, re-delivering what the document id de-duplicates).
 */
function keptPosition(
  run: StreamRun,
  p: SourceIR['pagination'],
  here: Position,
  body: unknown,
  res: HttpResponse,
  origin: string,
): Position | undefined {
  const { ctx } = run;
  const poll = pollPosition(p, here, { body, headers: res.headers, recordCount: 0, url: res.url }, origin);
  if (poll === undefined || !ctx.scrubber.contains(JSON.stringify(poll))) return poll;
  ctx.logger.log('warn', 'the last page position holds a credential; it is not kept', { stream: ctx.stream.name });
  return undefined;
}

/**
 * The one request sent ahead of its turn in a page sequence: started for a position, taken by
 * the iteration that reaches that position (its result or its error, then, in page order), or
 * stopped (its transfer and retry waits aborted) when the run ends without taking it. A rejection
 * is never left unhandled: it is held until taken.
 */
class Lookahead {
  #pending: { readonly pos: Position; readonly result: Promise<{ req: HttpRequest; res: HttpResponse }> } | undefined;
  #controller: AbortController | undefined;

  /**
   * Sends the request for `pos` now (`send` gets the signal that {@link stop} aborts). One
   * controller serves every request until it is aborted: only one request is ever pending (the
   * one before was taken), and making an `AbortController` costs microseconds on every page.
   */
  start(pos: Position, send: (signal: AbortSignal) => Promise<{ req: HttpRequest; res: HttpResponse }>): void {
    if (this.#controller === undefined || this.#controller.signal.aborted) this.#controller = new AbortController();
    const result = send(this.#controller.signal);
    result.catch(() => undefined);
    this.#pending = { pos, result };
  }

  /** The request sent ahead for `pos`, if that is the position it was sent for (it is then no longer pending). */
  take(pos: Position): Promise<{ req: HttpRequest; res: HttpResponse }> | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending === undefined) return undefined;
    if (pending.pos === pos) return pending.result;
    this.#controller?.abort(new Error('page request no longer needed'));
    return undefined;
  }

  /** Aborts a request still pending: the run ends without it. */
  stop(): void {
    if (this.#pending === undefined) return;
    this.#pending = undefined;
    this.#controller?.abort(new Error('the run ended'));
  }
}
