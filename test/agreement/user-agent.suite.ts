/**
 * `user_agent user_agent.original` (compiler/ir.ts `UserAgentIR`) on every engine: records whose
 * `ua` is an agent of the agreed corpus (test/support/user-agents.ts), the empty string, `null`,
 * absent, or a random word no regex knows, beside random other fields; drawn with `fc.sample`
 * and a fixed seed, with the record schema (lean output) and without (fully guarded output).
 * The agents some engine reads otherwise (`DIFFERING`) are each engine's own test's
 * (test/engines/opensearch/user-agent.test.ts, test/engines/vrl/user-agent.test.ts,
 * test/emulated/{ingest,logstash}/user*.test.ts) and docs/target-differences.md's.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { stripSchemas } from '../../compiler/schema/strip.ts';
import { baseMap, brief } from '../compiler/helpers.ts';
import { AGREED } from '../support/user-agents.ts';
import { failures, runAll } from './check.ts';
import type { Engine, EngineName } from './engines.ts';

const SEED = 9071;
const RECORDS = 80;

function compiled(): IntegrationIR {
  const schema = '  record {\n    created string format iso8601\n    ua any optional\n    note any optional\n  }';
  const rules = '    user_agent.original = ua\n    message = note | keyword\n    user_agent user_agent.original';
  const result = compileSource(baseMap({ rules, streamItems: schema }), 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  return result.ir;
}

const ABSENT = Symbol('absent');

function records(): Record<string, unknown>[] {
  const ua = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...AGREED) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('', null, ABSENT) },
    // Letters no regex of uap-core or the engines' snapshots names an agent, OS or device by.
    { weight: 1, arbitrary: fc.stringMatching(/^[qxzj]{1,6}$/) },
  );
  const drawn = fc.sample(fc.record({ ua, note: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }) }), {
    numRuns: RECORDS,
    seed: SEED,
  });
  return [
    ...AGREED.map((agent) => ({ created: '2024-01-01T00:00:00Z', ua: agent })),
    ...drawn.map(({ ua: value, note }) => ({
      created: '2024-01-01T00:00:00Z',
      ...(value === ABSENT ? {} : { ua: value }),
      ...(note === undefined ? {} : { note }),
    })),
  ];
}

/** Registers the suite; `engine` gives each engine's adapter (./agreement.test.ts). */
export function userAgentSuite(engine: (name: EngineName) => Engine): void {
  it.each([
    ['with its record schema (lean output)', false],
    ['without (fully guarded output)', true],
  ])('parses the agreed agents alike on every engine, %s', async (_label, strip) => {
    const ir = strip ? stripSchemas(compiled()) : compiled();
    const stream = ir.streams[0]!;
    expect(stream.mapping.userAgent).toBeDefined();
    const all = records();
    const { outputs } = await runAll(
      engine,
      ir,
      stream.name,
      all.map((r) => JSON.stringify(r)),
    );
    // Not vacuous: the interpreter parsed most records into a named agent.
    const named = outputs.interpreter.filter((o) => {
      const ua = o.crash === undefined ? (o.doc as { user_agent?: { name?: string } }).user_agent : undefined;
      return ua?.name !== undefined && ua.name !== 'Other';
    }).length;
    expect(named).toBeGreaterThan(all.length / 2);
    expect(failures(stream, all as never, outputs, new Map())).toEqual([]);
  });
}
