/**
 * Runs generated Vector configs on real VRL runtimes ({@link RUNTIMES}):
 * - `@bpinternal/verel` 0.2.0, a WASM build of the `vrl` crate 0.25.0 (the version string
 *   `vrl-0.25.0` is in the crate paths embedded in its `dist/node/index.js` WASM module, next to
 *   chrono 0.4.37 and regex 1.11.1). Its API: `check(program)` → `{errors, warnings}` and
 *   `execute(program, event)` → `{event, result}`, throwing on a compile error or an abort; it
 *   compiles on every call.
 * - the native `vrl` CLI of the `vrl` crate 0.38.0 (`./native.ts`).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import * as verel from '@bpinternal/verel';
import yaml from 'js-yaml';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { componentIds, vectorBackend } from '../../../targets/vector/index.ts';
import { bindEnvVars, loadAsVector, type InterpolationMode } from '../../emulated/vector/interpolate.ts';
import { checkVrlNative, NATIVE_VRL_VERSION, runConditionNative, runRemapBatchNative } from './native.ts';

export interface VectorConfig {
  readonly sources: Record<string, Record<string, unknown>>;
  readonly transforms: Record<
    string,
    { type: string; inputs: string[]; source: string; route?: Record<string, string> }
  >;
  readonly sinks: Record<string, Record<string, unknown>>;
  readonly tests?: VectorUnitTest[];
}

export interface VectorUnitTest {
  readonly name: string;
  readonly inputs: { insert_at: string; type: string; log_fields: Record<string, unknown> }[];
  readonly outputs?: { extract_from: string; conditions: { type: string; source: string }[] }[];
  readonly no_outputs_from?: string[];
}

/**
 * Loads vector.yaml as Vector would (see `./interpolate.ts`) for an operator whose values are in
 * `env`: each key of a `file` secret backend is taken from `env` (the secrets file holds those
 * values), Vector's environment is `env`, and the `get_env_var` calls of every VRL program are
 * bound to it. Interpolation is off (Vector 0.57+ default) unless `interpolation` says otherwise.
 * @throws Error as Vector would refuse to start (a missing or empty secret, an unset variable).
 */
export function loadVectorConfig(
  text: string,
  env: Readonly<Record<string, string>> = {},
  interpolation: InterpolationMode = 'off',
  enrichment: Readonly<Record<string, string>> = {},
): VectorConfig {
  const parsed = yaml.load(text) as { secret?: Record<string, unknown> } | undefined;
  const secretFiles = Object.fromEntries(Object.keys(parsed?.secret ?? {}).map((name) => [name, JSON.stringify(env)]));
  const config = loadAsVector(text, { env, secretFiles, interpolation }) as VectorConfig;
  const tables = new Set(Object.keys((config as { enrichment_tables?: object }).enrichment_tables ?? {}));
  const bind = (program: string): string => withEnrichment(bindEnvVars(program, env), tables, enrichment);
  for (const t of Object.values(config.transforms ?? {})) if (typeof t.source === 'string') t.source = bind(t.source);
  for (const test of config.tests ?? []) {
    for (const output of test.outputs ?? []) for (const c of output.conditions) c.source = bind(c.source);
  }
  return config;
}

/**
 * The remap's `geoip` / `asn` lookups (targets/vector/vrl/enrich.ts) on runtimes without
 * enrichment tables: each `get_enrichment_table_record("<table>", {"ip": mapc_enrich_ip})` of a
 * table the config declares becomes `object(get!(<records>, [mapc_enrich_ip]))`, a fallible
 * lookup in a literal table, as the `mmdb` table returns a record or fails ("IP not found").
 * `records` by table (default none: MaxMind's databases hold none of the documentation addresses
 * the fixtures use); test/engines/vrl/geoip.test.ts fills them from the test databases.
 * @throws Error for a table the config does not declare (Vector would refuse the program).
 */
export function withEnrichment(
  program: string,
  tables: ReadonlySet<string>,
  records: Readonly<Record<string, string>> = {},
): string {
  return program.replace(
    /get_enrichment_table_record\("([A-Za-z0-9_]+)", \{"ip": mapc_enrich_ip\}\)/g,
    (_m, table: string) => {
      if (!tables.has(table)) throw new Error(`enrichment table ${table} is not declared`);
      return `object(get!(${records[table] ?? '{}'}, [mapc_enrich_ip]))`;
    },
  );
}

/** Compile diagnostics, formatted by VRL. */
export function checkVrl(program: string): { errors: string[]; warnings: string[] } {
  const { errors, warnings } = verel.check(program);
  return { errors: errors.map(verel.formatDiagnostic), warnings: warnings.map(verel.formatDiagnostic) };
}

/** The events a remap emits for one input event (an array result is several events). */
export function runRemap(program: string, event: Record<string, unknown>): Record<string, unknown>[] {
  return runRemapBatch(program, [event])[0] ?? [];
}

/**
 * Runs the remap on many input events in one verel call (it compiles on every call, and a
 * generated program takes 0.3-1.2 s to compile in WASM). The program text is embedded verbatim
 * in a `map_values` closure over the inputs that resets the event root to each input in turn
 * (closures may assign `.` in VRL) and whose value is the event the program left (`map_values`
 * takes an array and keeps its order: `vrl` crate 0.25 `src/stdlib/map_values.rs`, `value:
 * object | array`). Collecting the results that way is linear in the number of inputs; pushing
 * each onto an array variable (`out = push(out, .)`, as this harness did) copies the array at
 * every input (about 4 times slower on 1,700 Bitwarden records). Returns, per input, the events
 * emitted (an array result is several events).
 */
export function runRemapBatch(
  program: string,
  events: readonly Record<string, unknown>[],
): Record<string, unknown>[][] {
  // `abort` (a `drop when`, under the remap's `drop_on_abort: true`) would end the whole batch:
  // here each `abort` line sets a flag instead, and a flagged event emits nothing. The rest of
  // the program still runs on it, with no effect outside the discarded event.
  const body = program.replace(/^(\s*)abort$/gm, '$1mapc_harness_dropped = true');
  const wrapper = [
    '. = map_values(array(.mapc_harness_events) ?? []) -> |mapc_harness_event| {',
    '. = object(mapc_harness_event) ?? {}',
    'mapc_harness_dropped = false',
    body,
    'if mapc_harness_dropped { [] } else { . }',
    '}',
  ].join('\n');
  const out = verel.execute(wrapper, { mapc_harness_events: events }).event as unknown[];
  return out.map((e) => (Array.isArray(e) ? (e as Record<string, unknown>[]) : [e as Record<string, unknown>]));
}

/** A VRL runtime the tests run every program on. */
export interface VrlRuntime {
  /** `VRL 0.25 (verel)`, `VRL 0.38 (vrl CLI)`. */
  readonly name: string;
  /** Compile diagnostics, formatted by VRL. */
  readonly check: (program: string) => { errors: string[]; warnings: string[] };
  /** The events a remap emits per input event, all inputs in one compile (see {@link runRemapBatch}). */
  readonly runBatch: (program: string, events: readonly Record<string, unknown>[]) => Record<string, unknown>[][];
  /** Whether a condition returns `true` / `false` on `event`. @throws Error when it aborts. */
  readonly condition: (source: string, event: Record<string, unknown>) => boolean | 'other';
}

/** VRL 0.25 in WASM: `@bpinternal/verel` 0.2.0. */
export const VEREL: VrlRuntime = {
  name: 'VRL 0.25 (verel)',
  check: checkVrl,
  runBatch: runRemapBatch,
  condition: (source, event) => {
    const { result } = verel.execute(source, event);
    return result === true ? true : result === false ? false : 'other';
  },
};

/** VRL 0.38 natively: the `vrl` CLI built by `scripts/install-tools.sh`. */
export const NATIVE: VrlRuntime = {
  name: `VRL ${NATIVE_VRL_VERSION.replace(/\.0$/, '')} (vrl CLI)`,
  check: checkVrlNative,
  runBatch: runRemapBatchNative,
  condition: (source, event) => {
    const printed = runConditionNative(source, event);
    return printed === 'true' ? true : printed === 'false' ? false : 'other';
  },
};

/** Every VRL runtime the tests run programs on, oldest VRL first. */
export const RUNTIMES: readonly VrlRuntime[] = [VEREL, NATIVE];

export interface UnitTestResult {
  readonly name: string;
  readonly passed: boolean;
  readonly failures: readonly string[];
}

/**
 * Executes a config's unit tests the way `vector test` does for a lone remap: each input event
 * goes through the remap named by `insert_at`; every condition of each output runs on every
 * event that remap emitted, and fails when it aborts (a failed `assert_eq!`) or returns false.
 */
export function runUnitTests(config: VectorConfig, runtime: VrlRuntime = VEREL): UnitTestResult[] {
  const tests = config.tests ?? [];
  const emitted = tests.map(() => new Map<string, Record<string, unknown>[]>());
  const failures = tests.map((): string[] => []);
  // Events flow from each `insert_at` down the topology, every transform's inputs of all tests in
  // one batch: `remap` through verel, `route` by evaluating each route's VRL condition.
  let queue = new Map<string, Tagged[]>();
  tests.forEach((test, i) => {
    for (const input of test.inputs) {
      if (!config.transforms[input.insert_at]) failures[i]?.push(`no transform ${input.insert_at}`);
      else
        queue.set(input.insert_at, [
          ...(queue.get(input.insert_at) ?? []),
          { test: i, event: { ...input.log_fields } },
        ]);
    }
  });
  while (queue.size > 0) {
    const next = new Map<string, Tagged[]>();
    for (const [id, items] of queue) {
      for (const [output, events] of runTransform(runtime, id, config.transforms[id], items, failures)) {
        for (const e of events) emitted[e.test]?.set(output, [...(emitted[e.test]?.get(output) ?? []), e.event]);
        for (const [downstream, t] of Object.entries(config.transforms)) {
          if (t.inputs.includes(output)) next.set(downstream, [...(next.get(downstream) ?? []), ...events]);
        }
      }
    }
    queue = next;
  }
  return tests.map((test, i) => {
    const fails = failures[i] ?? [];
    for (const output of test.outputs ?? []) {
      const events = emitted[i]?.get(output.extract_from) ?? [];
      if (events.length === 0) fails.push(`${output.extract_from} emitted no event`);
      for (const event of events) {
        for (const condition of output.conditions) fails.push(...conditionFailures(runtime, condition.source, event));
      }
    }
    for (const silent of test.no_outputs_from ?? []) {
      const events = emitted[i]?.get(silent) ?? [];
      if (events.length > 0) fails.push(`${silent} emitted ${events.length} event(s)`);
    }
    return { name: test.name, passed: fails.length === 0, failures: fails };
  });
}

interface Tagged {
  readonly test: number;
  readonly event: Record<string, unknown>;
}

/** The events of each output (`id` for a remap, `id.name` for a route) of one transform. */
function runTransform(
  runtime: VrlRuntime,
  id: string,
  transform: VectorConfig['transforms'][string] | undefined,
  items: readonly Tagged[],
  failures: string[][],
): Map<string, Tagged[]> {
  const out = new Map<string, Tagged[]>();
  if (transform?.type === 'remap') {
    const results = runtime.runBatch(
      transform.source,
      items.map((t) => t.event),
    );
    out.set(
      id,
      items.flatMap((t, k) => (results[k] ?? []).map((event) => ({ test: t.test, event }))),
    );
  } else if (transform?.type === 'route') {
    for (const [name, condition] of Object.entries(transform.route ?? {})) {
      out.set(
        `${id}.${name}`,
        items.filter((t) => runtime.condition(condition, t.event) === true),
      );
    }
  } else {
    for (const t of items) failures[t.test]?.push(`the harness cannot run transform ${id} of type ${transform?.type}`);
  }
  return out;
}

/** The boolean a VRL condition (route, filter, unit-test condition) returns on `event`. */
export function runCondition(source: string, event: Record<string, unknown>): boolean {
  return verel.execute(source, event).result === true;
}

/** A condition fails when it aborts (a failed `assert_eq!`) or returns false. */
function conditionFailures(runtime: VrlRuntime, source: string, event: Record<string, unknown>): string[] {
  try {
    const result = runtime.condition(source, event);
    return result === false ? [`condition returned false on ${JSON.stringify(event)}`] : [];
  } catch (error) {
    return [String(error)];
  }
}

/**
 * The values with which Vector would start with `ir`'s config (secrets file and environment in
 * one record, see {@link loadVectorConfig}): every secret a random value (never a literal),
 * required settings without default a placeholder, the Elasticsearch connection.
 */
export function deploymentEnv(
  ir: IntegrationIR,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    ELASTICSEARCH_ENDPOINT: 'https://127.0.0.1:9200',
    ELASTICSEARCH_USERNAME: 'mapc-writer',
    ELASTICSEARCH_PASSWORD: randomUUID(),
    ELASTICSEARCH_DATA_STREAM_NAMESPACE: 'default',
    // The database paths of `geoip` / `asn` (targets/vector/enrich.ts), extra keys elsewhere.
    GEOIP_CITY_DATABASE: '/var/lib/GeoIP/GeoLite2-City.mmdb',
    GEOIP_ASN_DATABASE: '/var/lib/GeoIP/GeoLite2-ASN.mmdb',
  };
  for (const secret of ir.secrets) env[secret.envVar] = randomUUID();
  for (const setting of ir.settings) {
    if (setting.required && setting.default === undefined)
      env[setting.envVar] = setting.type === 'url' ? 'https://vendor.example.test' : 'placeholder';
  }
  return { ...env, ...overrides };
}

/**
 * The VRL program of the `remap` transform of `ir`'s first stream, as Vector loads vector.yaml
 * with {@link deploymentEnv}(`ir`, `env`).
 * @throws Error when the config has no remap.
 */
export function remapOf(
  ir: IntegrationIR,
  env: Readonly<Record<string, string>> = {},
  enrichment: Readonly<Record<string, string>> = {},
): string {
  const stream = ir.streams[0];
  const { files } = vectorBackend.emit(ir, {});
  const config = loadVectorConfig(
    files.find((f) => f.path === 'vector.yaml')?.content ?? '',
    deploymentEnv(ir, env),
    'off',
    enrichment,
  );
  const program = stream && config.transforms[componentIds(ir, stream).remap]?.source;
  if (program === undefined) throw new Error('no remap');
  return program;
}

/** A date as mapc writes every date (compiler/ir.ts module doc): `yyyy-MM-ddTHH:mm:ss.SSSZ`. */
export const DATE_TEXT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

/**
 * Step 8 of compiler/ir.ts: where the interpreter's document has no `@timestamp`, the remap adds
 * the collection time (here the time the harness ran, inputs carry no source `timestamp`). That
 * value is dropped before comparing when it is a date in mapc's form; any other value is kept so
 * that the comparison shows it. Non-documents pass through unchanged.
 */
export function withoutCollectionTime(actual: unknown, expected: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(actual) || !isMap(expected) || '@timestamp' in expected) return actual;
  const stamp = actual['@timestamp'];
  if (typeof stamp !== 'string' || !DATE_TEXT.test(stamp)) return actual;
  const { '@timestamp': _collected, ...rest } = actual;
  return rest;
}
