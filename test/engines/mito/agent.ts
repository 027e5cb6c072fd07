/**
 * An emulation of the Elastic Agent CEL input's run loop around mito evaluations, so generated
 * programs are exercised as the Agent runs them. Every rule here is transcribed from the CEL
 * input source, beats `x-pack/filebeat/input/cel/input.go` (`run`, `handleResponse`,
 * `handleRateLimit`, `evalWith`), and its docs
 * (https://www.elastic.co/guide/en/beats/filebeat/8.17/filebeat-input-cel.html):
 *
 * - the initial state is the configured `state`, plus `url` (`resource.url`) and the persisted
 *   `cursor`; between evaluations the whole returned state is kept in memory, minus `events`;
 * - an evaluation error becomes the single error event `{"error": {"message": "failed eval: ..."}}`
 *   and clears `want_more`;
 * - `header`, `rate_limit` and `status_code` are removed from the state after each evaluation;
 *   `status_code` 429 waits for `Retry-After` (delta-seconds or HTTP-date) and evaluates again
 *   with the returned state; any other non-200 status replaces `events` with an error object;
 *   a `rate_limit` with `rate` <= 0 and a `reset` waits until the reset;
 * - an empty `events` list ends the periodic run (the in-memory state keeps its `cursor`);
 *   an `events` object is one error event, and the cursor is not advanced;
 * - a single `cursor` object is attached to the last event and persisted once it is published
 *   (events dropped by processors are acknowledged too, so their cursor is persisted);
 * - the run continues while `want_more` is true, up to `max_executions` evaluations;
 * - state logging (`DEBUG`) replaces each `redact.fields` entry with `*`;
 * - the HTTP client follows at most `resource.redirect.max_redirects` redirects (`newClient`,
 *   `checkRedirect`; run by `mito-agent`) and refuses bodies over `resource.max_body_size` (mito
 *   `max_body_size` run control).
 *
 * Only the `drop_event` processor with a `has_fields` condition is implemented (the only one the
 * generated templates use); any other processor makes the emulation throw.
 *
 * @module
 */
import { evalOnce, type MitoConfig, type MitoRun } from './mito.ts';

type Json = Record<string, unknown>;

export interface RunReport {
  /** Events that left the processors, in order. */
  readonly published: Json[];
  /** Events dropped by processors (control events). */
  readonly dropped: Json[];
  readonly evaluations: number;
  /** Error events published (a subset of `published`). */
  readonly errors: Json[];
}

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function getPath(v: unknown, dotted: string): unknown {
  let cur = v;
  for (const seg of dotted.split('.')) {
    if (!isMap(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** Milliseconds to wait for a `Retry-After` value (RFC 9110 §10.2.3), as `handleResponse` parses it. */
export function retryAfterMs(value: string | undefined, now: number): number {
  if (value === undefined) return 0;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? 0 : Math.max(0, t - now);
}

export class CelAgent {
  /** The in-memory state between evaluations. */
  state: Json;
  /** The cursor as the Agent's registry would hold it after a restart. */
  persistedCursor: Json | undefined;
  /** Each cursor persistence: the cursor and how many events (kept or dropped) were published by then. */
  readonly persistHistory: { readonly cursor: Json; readonly eventsPublished: number }[] = [];
  private eventsPublished = 0;
  /** Every state the Agent would log at DEBUG level, after redaction. */
  readonly loggedStates: Json[] = [];
  readonly program: string;
  private readonly mitoConfig: MitoConfig | undefined;
  private readonly mitoRun: MitoRun;
  /** beats `goodCursor`: the last cursor known to be published, kept across periodic runs. */
  private goodCursor: Json | undefined;

  constructor(
    readonly config: Json,
    persistedCursor?: Json,
  ) {
    const program = config.program;
    if (typeof program !== 'string') throw new Error('CEL input config has no program');
    this.program = program;
    this.persistedCursor = persistedCursor;
    this.state = this.initialState();
    this.goodCursor = persistedCursor;
    const oauth2 = config['auth.oauth2'];
    const maxBody = config['resource.max_body_size'];
    const mitoConfig: MitoConfig = {
      ...(isMap(oauth2) ? { auth: { oauth2 } } : {}),
      ...(typeof maxBody === 'number' && maxBody > 0 ? { max_body_size: maxBody } : {}),
    };
    this.mitoConfig = Object.keys(mitoConfig).length > 0 ? mitoConfig : undefined;
    // The input's client follows at most `resource.redirect.max_redirects` redirects (default 10).
    const maxRedirects = config['resource.redirect.max_redirects'];
    this.mitoRun = { binary: 'mito-agent', maxRedirects: typeof maxRedirects === 'number' ? maxRedirects : 10 };
  }

  private initialState(): Json {
    const configured = isMap(this.config.state) ? structuredClone(this.config.state) : {};
    const state: Json = { ...configured, url: this.config['resource.url'] };
    if (this.persistedCursor) state.cursor = structuredClone(this.persistedCursor);
    return state;
  }

  /** An Agent restart: the in-memory state is lost, the persisted cursor is kept. */
  restart(): void {
    this.state = this.initialState();
    this.goodCursor = this.persistedCursor;
  }

  private redacted(state: Json): Json {
    const copy = structuredClone(state);
    const redact = this.config.redact;
    const fields = isMap(redact) && Array.isArray(redact.fields) ? redact.fields.map(String) : [];
    for (const f of [...fields, 'secret']) {
      const parts = f.split('.');
      let cur: unknown = copy;
      for (const p of parts.slice(0, -1)) cur = isMap(cur) ? cur[p] : undefined;
      const last = parts[parts.length - 1] as string;
      if (isMap(cur) && last in cur) cur[last] = '*';
    }
    return copy;
  }

  private dropped(event: Json): boolean {
    const processors = this.config.processors;
    if (processors === undefined || processors === null) return false;
    if (!Array.isArray(processors)) throw new Error('processors is not a list');
    for (const p of processors) {
      if (!isMap(p) || !isMap(p.drop_event)) throw new Error(`processor not emulated: ${JSON.stringify(p)}`);
      const when = p.drop_event.when;
      if (!isMap(when) || !Array.isArray(when.has_fields))
        throw new Error('drop_event without has_fields is not emulated');
      if (when.has_fields.every((f) => getPath(event, String(f)) !== undefined)) return true;
    }
    return false;
  }

  /** One periodic run (what the Agent does at each `interval`). */
  async periodicRun(): Promise<RunReport> {
    const published: Json[] = [];
    const dropped: Json[] = [];
    const errors: Json[] = [];
    let evaluations = 0;
    let budget = typeof this.config.max_executions === 'number' ? this.config.max_executions : 1000;
    let waitUntil = 0;
    for (;;) {
      const wait = waitUntil - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.loggedStates.push(this.redacted(this.state));
      evaluations++;
      const result = await evalOnce(this.program, this.state, this.mitoConfig, this.mitoRun);
      let isDegraded = false;
      if (result.ok) {
        this.state = result.value;
      } else {
        isDegraded = true;
        this.state = { ...this.state, events: { error: { message: `failed eval: ${result.error}` } } };
        if ('want_more' in this.state) this.state.want_more = false;
      }
      this.loggedStates.push(this.redacted(this.state));

      // handleResponse
      const header = isMap(this.state.header) ? (this.state.header as Record<string, string[]>) : {};
      delete this.state.header;
      waitUntil = 0;
      const rl = this.state.rate_limit;
      delete this.state.rate_limit;
      if (
        isMap(rl) &&
        !('error' in rl) &&
        typeof rl.rate === 'number' &&
        rl.rate <= 0 &&
        typeof rl.reset === 'string'
      ) {
        const t = Date.parse(rl.reset);
        if (!Number.isNaN(t)) waitUntil = t;
      }
      if ('status_code' in this.state) {
        const code = Number(this.state.status_code);
        delete this.state.status_code;
        if (code === 429) {
          const ra = header['Retry-After']?.[0];
          waitUntil = Math.max(waitUntil, Date.now() + retryAfterMs(ra, Date.now()));
          continue;
        }
        if (code !== 200) this.state.events = { error: { message: `failed http request with status: ${code}` } };
      }
      if (!('url' in this.state)) this.state.url = this.config['resource.url'];

      const e = this.state.events;
      if (e === undefined) throw new Error('unexpected missing events array from evaluation');
      let events: Json[];
      if (Array.isArray(e)) {
        if (e.length === 0) return { published, dropped, evaluations, errors };
        events = e as Json[];
      } else if (isMap(e)) {
        isDegraded = true;
        events = [e];
        errors.push(e);
        delete this.state.cursor;
      } else {
        throw new Error(`unexpected type returned for evaluation events: ${typeof e}`);
      }
      delete this.state.events;

      let cursors: unknown[] | undefined;
      let single = false;
      if ('cursor' in this.state) {
        const c = this.state.cursor;
        if (Array.isArray(c)) cursors = c.length >= events.length ? c : undefined;
        else {
          cursors = [c];
          single = true;
        }
      }
      delete this.state.cursor;
      let cursor = this.goodCursor;
      events.forEach((event, i) => {
        let pubCursor: Json | undefined;
        if (cursors) {
          if (!single || i === events.length - 1) {
            const c = cursors[single ? 0 : i];
            if (!isMap(c))
              throw new Error(`unexpected type returned for evaluation cursor element: ${JSON.stringify(c)}`);
            this.goodCursor = cursor;
            cursor = c;
            pubCursor = c;
          }
        }
        if (this.dropped(event)) dropped.push(event);
        else published.push(event);
        this.eventsPublished++;
        if (pubCursor) {
          this.persistedCursor = structuredClone(pubCursor);
          this.persistHistory.push({ cursor: structuredClone(pubCursor), eventsPublished: this.eventsPublished });
        }
      });
      if (!isDegraded) this.goodCursor = cursor;
      // beats stores its (possibly nil) cursor map; a nil Go map reaches CEL as an empty map.
      this.state.cursor = this.goodCursor ?? {};
      if (this.state.want_more !== true) return { published, dropped, evaluations, errors };
      budget--;
      if (budget <= 0) return { published, dropped, evaluations, errors };
    }
  }
}
