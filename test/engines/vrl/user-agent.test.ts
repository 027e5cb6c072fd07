/**
 * `user_agent user_agent.original` (compiler/ir.ts `UserAgentIR`) in the Vector remap, on both
 * real VRL runtimes (verel, VRL 0.25 WASM; the native `vrl` CLI 0.38): `parse_user_agent` in
 * `enriched` mode and the generated ECS lines give the interpreter's documents (uap-ref-impl over
 * uap-core 0.18.0) on the corpus (test/support/user-agents.ts), guarded and lean, but for the agents
 * whose differences it lists for Vector (an agent no uap-core regex matches: Woothee's name), where
 * it differs exactly there.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { baseMap, brief } from '../../compiler/helpers.ts';
import { AGREED, DIFFERING, withDifferences } from '../../support/user-agents.ts';
import { remapOf, RUNTIMES, withoutCollectionTime } from './harness.ts';

function compiled(): IntegrationIR {
  const schema = '  record {\n    created string format iso8601\n    ua any optional\n  }';
  const rules = '    user_agent.original = ua\n    user_agent user_agent.original';
  const result = compileSource(baseMap({ rules, streamItems: schema }), 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  return result.ir;
}

const cases = RUNTIMES.flatMap((runtime) =>
  [true, false].map((lean) => [runtime.name, lean ? 'lean' : 'guarded', runtime, lean] as const),
);

describe.each(cases)('user_agent on %s (%s remap)', (_name, _form, runtime, lean) => {
  const ir = lean ? compiled() : stripSchemas(compiled());
  const stream = ir.streams[0]!;
  const program = remapOf(ir);

  it('calls parse_user_agent once, in enriched mode, and compiles', () => {
    expect(program.split('parse_user_agent(').length - 1).toBe(1);
    expect(program).toContain('mode: "enriched"');
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
  });

  it('gives the interpreter documents on the corpus, the empty string and a missing field', () => {
    const values: unknown[] = [...AGREED, ...DIFFERING.map((d) => d.agent), '', undefined, null];
    const records = values.map((ua) => JSON.stringify({ created: '2024-01-01T00:00:00Z', ua }));
    const results = runtime.runBatch(
      program,
      records.map((message) => ({ message })),
    );
    records.forEach((message, i) => {
      const expected = mapRecord(stream, message, {}).doc as { user_agent?: Record<string, unknown> };
      const delta = DIFFERING.find((d) => d.agent === values[i])?.vector;
      if (delta !== undefined) expected.user_agent = withDifferences(expected.user_agent!, delta);
      const [got] = results[i]!;
      expect({ message, doc: withoutCollectionTime(got, expected) }).toEqual({ message, doc: expected });
    });
    expect((mapRecord(stream, records[0]!, {}).doc as { user_agent: unknown }).user_agent).toEqual({
      original: AGREED[0],
      name: 'Safari',
      version: '17.2',
      os: { name: 'Mac OS X', version: '10.15.7', full: 'Mac OS X 10.15.7' },
      device: { name: 'Mac' },
    });
  });
});
