/**
 * Comparing engine outputs: documents are JSON objects, whose key order carries no meaning (VRL
 * objects are sorted maps, Elasticsearch and Logstash keep insertion order), so outputs are
 * compared by a canonical text with keys sorted at every level. Array order is kept: it is part
 * of the document.
 *
 * @module
 */
import type { EngineName, EngineOutput } from './engines.ts';

/** JSON text with object keys sorted recursively; `undefined` members are dropped as JSON does. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(object).sort().map((k) => [k, sortKeys(object[k])]));
  }
  return value;
}

/** One record on which some engine differs from the reference interpreter (or crashed). */
export interface Disagreement {
  readonly message: string;
  readonly engine: EngineName;
  readonly interpreter: EngineOutput;
  readonly got: EngineOutput;
}

/**
 * Every (record, engine) whose output differs from the interpreter's, or that crashed; the
 * interpreter's own crash counts too (it must map every JSON object record).
 */
export function disagreements(
  messages: readonly string[],
  outputs: Readonly<Partial<Record<EngineName, readonly EngineOutput[]>>>,
): Disagreement[] {
  const reference = outputs.interpreter ?? [];
  const found: Disagreement[] = [];
  messages.forEach((message, i) => {
    const want = reference[i] ?? { crash: 'no interpreter output' };
    for (const [engine, list] of Object.entries(outputs) as [EngineName, readonly EngineOutput[]][]) {
      const got = list[i] ?? { crash: 'no output' };
      if (got.crash !== undefined || (engine !== 'interpreter' && canonical(got) !== canonical(want))) {
        found.push({ message, engine, interpreter: want, got });
      }
    }
  });
  return found;
}
