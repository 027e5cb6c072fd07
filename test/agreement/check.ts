/**
 * Running every engine on a batch of records and checking the outputs against the reference
 * interpreter, honouring exactly the difference classes of ./classes.ts.
 *
 * @module
 */
import { expect } from 'vitest';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { exclusionFor } from './classes.ts';
import { canonical, malformedStamp, withoutEngineStamp } from './compare.ts';
import {
  COLLECTION_TIME_SENTINEL,
  ENGINES,
  type Engine,
  type EngineName,
  type EngineOutput,
  type Settings,
} from './engines.ts';
import { DATE_TEXT } from '../engines/vrl/harness.ts';

/** When this run began (ms): no engine can have collected a record earlier. */
const RUN_START = Date.now();

/**
 * `collected_at` (compiler/ir.ts ValueIR `collection_time`): wherever the interpreter's document
 * holds {@link COLLECTION_TIME_SENTINEL}, the engine's must hold its own collection time: a date
 * in the IR's form (`DATE_TEXT`), no earlier than the run's start and not in the future. Each
 * such value is checked, then replaced by the sentinel so that the rest compares exactly.
 *
 * @returns the engine's document with its collection times replaced, and what was wrong.
 */
export function checkedCollectionTimes(
  got: unknown,
  want: unknown,
  now = Date.now(),
): { doc: unknown; problems: string[] } {
  const problems: string[] = [];
  const walk = (g: unknown, w: unknown, at: string): unknown => {
    if (w === COLLECTION_TIME_SENTINEL) {
      const t = typeof g === 'string' && DATE_TEXT.test(g) ? Date.parse(g) : Number.NaN;
      if (!(t >= Math.floor(RUN_START / 1000) * 1000 && t <= now + 1000))
        problems.push(`${at}: collection time ${JSON.stringify(g)} is not a date in the IR's form since the run began`);
      return COLLECTION_TIME_SENTINEL;
    }
    if (Array.isArray(w) && Array.isArray(g) && g.length === w.length)
      return g.map((x, i) => walk(x, w[i], `${at}[${i}]`));
    if (isMap(w) && isMap(g))
      return Object.fromEntries(Object.entries(g).map(([k, v]) => [k, k in w ? walk(v, w[k], `${at}.${k}`) : v]));
    return g;
  };
  return { doc: walk(got, want, '$'), problems };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
import type { Json } from './generate.ts';

/**
 * A deep copy of `doc` without the given absolute paths; a parent object left empty by such a
 * removal goes too (one engine may never have created it for the excluded field).
 */
export function without(doc: Record<string, unknown>, paths: readonly (readonly string[])[]): Record<string, unknown> {
  const copy = structuredClone(doc);
  const remove = (node: unknown, path: readonly string[]): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const object = node as Record<string, unknown>;
    const [head, ...rest] = path as [string, ...string[]];
    if (!(head in object)) return;
    if (rest.length === 0) {
      delete object[head];
      return;
    }
    remove(object[head], rest);
    const child = object[head];
    if (child !== null && typeof child === 'object' && !Array.isArray(child) && Object.keys(child).length === 0)
      delete object[head];
  };
  for (const path of paths) remove(copy, path);
  return copy;
}

/** Runs every engine on the messages; returns per engine its outputs and wall time. */
export async function runAll(
  engine: (name: EngineName) => Engine,
  ir: IntegrationIR,
  stream: string,
  messages: readonly string[],
  settings: Settings = {},
) {
  const outputs: Partial<Record<EngineName, EngineOutput[]>> = {};
  const ms: Partial<Record<EngineName, number>> = {};
  for (const name of ENGINES) {
    const start = performance.now();
    outputs[name] = await engine(name)(ir, stream, messages, settings);
    ms[name] = Math.round(performance.now() - start);
  }
  return { outputs: outputs as Record<EngineName, EngineOutput[]>, ms };
}

/**
 * Runs every engine on `records` (as JSON message texts) through `ir`'s first stream and expects
 * each to give the interpreter's documents and ids ({@link failures}, the first six failures in
 * the message); returns the interpreter's outputs, one per record.
 */
export async function expectAgreement(
  engine: (name: EngineName) => Engine,
  ir: IntegrationIR,
  records: readonly Json[],
): Promise<EngineOutput[]> {
  const stream = ir.streams[0] as StreamIR;
  const { outputs } = await runAll(
    engine,
    ir,
    stream.name,
    records.map((r) => JSON.stringify(r)),
  );
  const found = failures(stream, records, outputs, new Map());
  expect(found, `${found.length} failure(s):\n${found.slice(0, 6).join('\n')}`).toEqual([]);
  return outputs.interpreter;
}

/**
 * Every failure of `outputs` against the interpreter, honouring the classes of ./classes.ts. An
 * engine's `@timestamp` counts only where the interpreter's document has one, and must otherwise
 * be a date in mapc's form (./compare.ts `withoutEngineStamp`, compiler/ir.ts step 8). `compared`:
 * the engines checked (default all; an engine left out needs no outputs).
 */
export function failures(
  stream: StreamIR,
  records: readonly Json[],
  outputs: Partial<Record<EngineName, EngineOutput[]>> & { readonly interpreter: EngineOutput[] },
  counts: Map<string, number>,
  compared: readonly EngineName[] = ENGINES,
): string[] {
  const found: string[] = [];
  records.forEach((record, i) => {
    const want = outputs.interpreter[i];
    if (!want || want.crash !== undefined) {
      found.push(`record ${i}: interpreter: ${want?.crash ?? 'no output'}\n  ${JSON.stringify(record)}`);
      return;
    }
    for (const name of compared.filter((e) => e !== 'interpreter')) {
      const got = outputs[name]?.[i];
      const { exclusion, classes } = exclusionFor(name, stream, record);
      for (const c of classes) counts.set(`${name}: ${c}`, (counts.get(`${name}: ${c}`) ?? 0) + 1);
      const label = `record ${i} on ${name}${classes.length > 0 ? ` (classes: ${classes.join('; ')})` : ''}\n  record: ${JSON.stringify(record).slice(0, 3000)}`;
      if (!got || got.crash !== undefined) {
        if (!exclusion.crashes) found.push(`${label}\n  crash: ${got?.crash ?? 'no output'}`);
        continue;
      }
      // `drop when`: every engine drops exactly the records the interpreter drops.
      if (want.dropped || got.dropped) {
        if (!want.dropped !== !got.dropped)
          found.push(
            `${label}\n  interpreter: ${want.dropped ? 'dropped' : 'a document'}; ${name}: ${got.dropped ? 'dropped' : 'a document'}`,
          );
        continue;
      }
      const stamp = malformedStamp(got, want);
      if (stamp !== undefined)
        found.push(
          `${label}\n  @timestamp ${JSON.stringify(stamp)} where no rule wrote one: not yyyy-MM-ddTHH:mm:ss.SSSZ`,
        );
      const collected = checkedCollectionTimes(got.doc, want.doc);
      for (const p of collected.problems) found.push(`${label}\n  ${p}`);
      if (exclusion.whole) continue;
      const fields = exclusion.fields ?? [];
      const a = canonical(without(want.doc, fields));
      const stamped = { ...got, doc: collected.doc as Record<string, unknown> };
      const b = canonical(without(withoutEngineStamp(stamped, want).doc, fields));
      if (a !== b) found.push(`${label}\n  interpreter: ${a.slice(0, 3000)}\n  ${name}: ${b.slice(0, 3000)}`);
      if (exclusion.idText) {
        if (
          (want._id === undefined) !== (got._id === undefined) ||
          (got._id !== undefined && !/^[0-9a-f]{64}$/.test(got._id))
        ) {
          found.push(`${label}\n  _id: interpreter ${want._id}, ${name} ${got._id}`);
        }
      } else if (want._id !== got._id) {
        found.push(`${label}\n  _id: interpreter ${want._id}, ${name} ${got._id}`);
      }
    }
  });
  return found;
}
