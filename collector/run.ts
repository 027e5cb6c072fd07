/**
 * `mapc collect`'s engine: runs one stream's source as the map describes it and writes its
 * events as NDJSON, advancing the incremental cursor page by page.
 *
 * Order of effects for each page (the at-least-once guarantee): fetch → extract and split →
 * write every event → flush the output → replace the state file with the page's cursor. A run
 * that fails at any point leaves the state of the last completed page, so the next run repeats
 * at most one page's events (the deterministic document id makes that harmless at the sink).
 *
 * Cursor semantics (see `CursorIR` in `compiler/ir.ts`):
 * - `record_max`: the request carries the cursor the run started with; after each page the
 *   cursor becomes the largest `field` seen (compared as instants, stored as the record's own
 *   text). Advancing per page assumes the API returns records oldest first (as Endor Labs does
 *   with `list_parameters.sort.path = meta.create_time`); a newest-first API would need the
 *   cursor kept until the run ends.
 * - `window` (time-window pagination): one request per window of `stepSeconds` from the
 *   cursor up to now; a complete window (end ≤ now) moves the cursor to its end; the window
 *   holding now is fetched too but leaves the cursor at its start, so it is fetched again next
 *   run (re-delivery, never loss).
 * - First run: the initial cursor (the backfill setting, else now minus the look-back; a window
 *   start is aligned down to a multiple of the step since the epoch) is written to the state
 *   before the first request, so a run that fails early does not move "now" forward.
 * - Streams without a cursor fetch from the first page every run.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import {
  defaultSettings,
  extractRecords,
  InterpretError,
  mapRecord,
  splitRecord,
} from '../compiler/interpret/index.ts';
import { getPath } from '../compiler/interpret/paths.ts';
import type { CursorIR, IntegrationIR, SourceIR, StreamIR } from '../compiler/ir.ts';
import { createAuth, type Auth } from './auth.ts';
import { systemClock, type Clock } from './clock.ts';
import { CollectError } from './errors.ts';
import { describeUrl, HttpClient } from './http.ts';
import { formatInstant, instantNanos, parseRfc3339Ms } from './instant.ts';
import { jsonLogger, type Logger } from './log.ts';
import { EventOutput } from './output.ts';
import { createPager, type PageStep } from './pager.ts';
import { Redactor } from './redact.ts';
import { buildRequest } from './request.ts';
import { readState, writeStateAtomic, type StateFile, type StateWriteHooks } from './state.ts';
import type { RenderContext } from './template.ts';
import { resolveValues, type RunValues } from './values.ts';

export interface CollectOptions {
  /** Stream to collect; required when the map has several. */
  readonly stream?: string;
  /** State file path; without it no cursor is kept between runs. */
  readonly stateFile?: string;
  /** Print mapped ECS documents (`{"_id", ...doc}`) instead of raw records. */
  readonly mapped?: boolean;
  /** `--set name=value` settings. */
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
}

export interface CollectResult {
  /** 0: success; 1: a fatal error (logged), the state left at the last completed page. */
  readonly exitCode: 0 | 1;
  readonly events: number;
  readonly pages: number;
  readonly error?: { readonly code: string; readonly message: string };
}

interface RunContext {
  readonly ir: IntegrationIR;
  readonly values: RunValues;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly output: EventOutput;
  readonly options: CollectOptions;
  state: StateFile;
  events: number;
  pages: number;
}

/**
 * Collects one stream of `ir` (see the module doc). Never throws: fatal errors are logged to
 * stderr as `{"level":"error","code","msg"}` and returned with exit code 1.
 */
export async function collectFromIR(ir: IntegrationIR, options: CollectOptions = {}): Promise<CollectResult> {
  const redactor = new Redactor();
  const logger = jsonLogger(redactor, options.stderr);
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  let ctx: RunContext | undefined;
  try {
    const stream = selectStream(ir, options.stream);
    const values = resolveValues(ir, [stream], env, options.sets ?? {}, redactor);
    const state = options.stateFile
      ? await readState(options.stateFile, ir.name)
      : { version: 1 as const, integration: ir.name, streams: {} };
    ctx = {
      ir,
      values,
      clock,
      logger,
      redactor,
      output: new EventOutput(options.stdout ?? process.stdout),
      options,
      state,
      events: 0,
      pages: 0,
    };
    await collectStream(ctx, stream);
    logger.log('info', 'collection complete', {
      stream: stream.name,
      pages: ctx.pages,
      events: ctx.events,
      cursor: cursorOf(ctx, stream),
    });
    return { exitCode: 0, events: ctx.events, pages: ctx.pages };
  } catch (error) {
    const e =
      error instanceof CollectError
        ? error
        : error instanceof InterpretError
          ? new CollectError('E0804', error.message)
          : new CollectError('E0800', `internal error: ${(error as Error).message}`);
    logger.log('error', e.message, { code: e.code, ...e.details, pages: ctx?.pages ?? 0, events: ctx?.events ?? 0 });
    return {
      exitCode: 1,
      events: ctx?.events ?? 0,
      pages: ctx?.pages ?? 0,
      error: { code: e.code, message: redactor.redact(e.message) },
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

function cursorOf(ctx: RunContext, stream: StreamIR): string | undefined {
  return ctx.state.streams[stream.name]?.cursor;
}

async function saveCursor(ctx: RunContext, stream: StreamIR, cursor: string): Promise<void> {
  if (cursorOf(ctx, stream) === cursor) return;
  const next: StateFile = { ...ctx.state, streams: { ...ctx.state.streams, [stream.name]: { cursor } } };
  if (ctx.options.stateFile) await writeStateAtomic(ctx.options.stateFile, next, ctx.options.stateHooks);
  ctx.state = next;
}

/** The first run's cursor text (see the module doc). */
function initialCursor(ctx: RunContext, cursor: CursorIR, source: SourceIR): string {
  const setting = cursor.initial.setting;
  const given = setting !== undefined ? ctx.values.settings[setting] : undefined;
  let ms: number;
  if (typeof given === 'string' && given !== '') {
    const parsed = parseRfc3339Ms(given);
    if (parsed === undefined) throw new CollectError('E0806', `setting ${setting} must be an RFC 3339 timestamp`);
    if (cursor.kind === 'record_max' && cursor.format.kind === 'iso8601') return given;
    ms = parsed;
  } else {
    ms = ctx.clock.now() - cursor.initial.lookbackSeconds * 1000;
  }
  if (cursor.kind === 'record_max') return formatInstant(ms, cursor.format);
  if (source.pagination.kind === 'time_window') {
    const step = source.pagination.stepSeconds * 1000;
    ms = Math.floor(ms / step) * step;
  }
  return new Date(ms).toISOString();
}

async function collectStream(ctx: RunContext, stream: StreamIR): Promise<void> {
  const { source } = stream;
  const http = new HttpClient({
    clock: ctx.clock,
    retry: source.retry,
    rateLimit: source.rateLimit,
    logger: ctx.logger,
    ...(ctx.options.timeoutMs !== undefined ? { timeoutMs: ctx.options.timeoutMs } : {}),
  });
  const auth = createAuth(source.auth, {
    settings: ctx.values.settings,
    secrets: ctx.values.secrets,
    http,
    clock: ctx.clock,
    logger: ctx.logger,
    redactor: ctx.redactor,
  });

  let cursor: string | undefined;
  if (source.cursor) {
    cursor = cursorOf(ctx, stream);
    if (cursor === undefined) {
      cursor = initialCursor(ctx, source.cursor, source);
      ctx.logger.log('info', 'first run: starting from the initial cursor', { stream: stream.name, cursor });
      await saveCursor(ctx, stream, cursor);
    }
  }
  const cursorIR = source.cursor;
  let maxNanos: bigint | undefined;
  if (cursorIR?.kind === 'record_max' && cursor !== undefined) {
    maxNanos = instantNanos(cursor, cursorIR.format);
    if (maxNanos === undefined) {
      throw new CollectError(
        'E0801',
        `the stored cursor ${JSON.stringify(cursor)} is not a ${cursorIR.format.kind} instant`,
      );
    }
  }
  const requestCursor = cursor;
  const mapSettings = { ...defaultSettings(ctx.ir), ...ctx.values.settings };

  /** Fetches one page and returns its body and headers (one retry with a fresh token on 401/403). */
  const fetchPage = async (
    step: PageStep,
    render: RenderContext,
    label: string,
  ): Promise<{ body: unknown; headers: Headers; url: string }> => {
    for (let renewed = false; ; renewed = true) {
      const req = buildRequest(source.request, render, step.assignments, step.url);
      const res = await http.send({ ...req, headers: { ...req.headers, ...(await auth.headers()) } }, label);
      if ((res.status === 401 || res.status === 403) && auth.renewable && !renewed) {
        ctx.logger.log('warn', `${label}: HTTP ${res.status}, renewing the access token`);
        auth.invalidate();
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        throw new CollectError(
          'E0803',
          `the API refused the credentials (HTTP ${res.status}); check the secrets' values`,
          {
            status: res.status,
            url: describeUrl(req.url),
          },
        );
      }
      if (res.status < 200 || res.status > 299) {
        throw new CollectError('E0800', `${label} failed: HTTP ${res.status}: ${res.text.slice(0, 200)}`, {
          url: describeUrl(req.url),
        });
      }
      let body: unknown;
      try {
        body = JSON.parse(res.text);
      } catch {
        throw new CollectError('E0804', `${label}: the response is not JSON`, { url: describeUrl(req.url) });
      }
      return { body, headers: res.headers, url: req.url };
    }
  };

  /** Writes a page's events, flushes, then moves the cursor; returns the record count. */
  const completePage = async (body: unknown, windowEnd?: { ms: number }): Promise<number> => {
    const records = extractRecords(source, body);
    let written = 0;
    for (const record of records) {
      for (const event of splitRecord(source.split, record)) {
        const message = JSON.stringify(event);
        let line = message;
        if (ctx.options.mapped) {
          try {
            const mapped = mapRecord(stream, message, mapSettings);
            line = JSON.stringify(mapped.id === undefined ? mapped.doc : { _id: mapped.id, ...mapped.doc });
          } catch (error) {
            if (!(error instanceof InterpretError)) throw error;
            ctx.logger.log('error', `record skipped: ${error.message}`, { code: error.code, stream: stream.name });
            continue;
          }
        }
        await ctx.output.write(line);
        written++;
      }
    }
    await ctx.output.flush();
    ctx.events += written;
    ctx.pages++;
    if (cursorIR?.kind === 'record_max') {
      for (const record of records) {
        const value = getPath(record, cursorIR.field);
        const n = instantNanos(value, cursorIR.format);
        if (n !== undefined && (maxNanos === undefined || n > maxNanos)) {
          maxNanos = n;
          cursor = typeof value === 'string' ? value : JSON.stringify(value);
        }
      }
    } else if (cursorIR?.kind === 'window' && windowEnd) {
      cursor = new Date(windowEnd.ms).toISOString();
    }
    ctx.logger.log('info', 'page done', {
      stream: stream.name,
      page: ctx.pages,
      records: records.length,
      events: written,
      cursor,
    });
    if (cursor !== undefined) await saveCursor(ctx, stream, cursor);
    return records.length;
  };

  const cap = source.maxPagesPerRun;
  if (source.pagination.kind === 'time_window') {
    const step = source.pagination.stepSeconds * 1000;
    const format = source.pagination.format;
    let startMs: number;
    if (cursorIR?.kind === 'window' && cursor !== undefined) {
      const ms = parseRfc3339Ms(cursor);
      if (ms === undefined)
        throw new CollectError('E0801', `the stored cursor ${JSON.stringify(cursor)} is not an RFC 3339 timestamp`);
      startMs = ms;
    } else if (maxNanos !== undefined) {
      startMs = Number(maxNanos / 1_000_000n);
    } else {
      startMs = Math.floor(ctx.clock.now() / step) * step;
    }
    while (startMs <= ctx.clock.now()) {
      if (ctx.pages >= cap) {
        ctx.logger.log('info', 'page cap reached; the next run continues', { stream: stream.name, maxPages: cap });
        return;
      }
      const endMs = startMs + step;
      const window = { start: formatInstant(startMs, format), end: formatInstant(endMs, format) };
      const page = await fetchPage(
        { assignments: [] },
        { settings: ctx.values.settings, ...(requestCursor !== undefined ? { cursor: requestCursor } : {}), window },
        `window ${window.start}`,
      );
      const complete = endMs <= ctx.clock.now();
      await completePage(page.body, complete ? { ms: endMs } : undefined);
      if (!complete) return;
      startMs = endMs;
    }
    return;
  }

  const pager = createPager(source.pagination);
  let step: PageStep | undefined = pager.first();
  const render: RenderContext = {
    settings: ctx.values.settings,
    ...(requestCursor !== undefined ? { cursor: requestCursor } : {}),
  };
  while (step) {
    if (ctx.pages >= cap) {
      ctx.logger.log('info', 'page cap reached; the next run continues from the cursor', {
        stream: stream.name,
        maxPages: cap,
      });
      return;
    }
    const page = await fetchPage(step, render, `page ${ctx.pages + 1}`);
    const recordCount = await completePage(page.body);
    step = pager.next({ body: page.body, headers: page.headers, recordCount, url: page.url });
  }
}
