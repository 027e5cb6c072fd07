/**
 * `user_agent user_agent.original` (compiler/ir.ts `UserAgentIR`) as the Logstash `useragent`
 * filter and its two conditionals (targets/logstash/enrich.ts), run by the evaluator (./useragent.ts,
 * the plugin's parser and ECS fields read from its sources, over uap-core 0.18.0's regexes)
 * against the interpreter. No Logstash runs here; the evaluator refuses any option it does not
 * model.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { baseMap, brief } from '../../compiler/helpers.ts';
import { AGREED, DIFFERING, withDifferences } from '../../support/user-agents.ts';
import { useragentFields } from './useragent.ts';
import { runPipeline } from './run.ts';

describe('user_agent in the Logstash pipeline', () => {
  const result = compileSource(
    baseMap({ rules: '    user_agent.original = ua\n    user_agent user_agent.original' }),
    't.map',
  );
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  const ir = result.ir;
  const stream = ir.streams[0]!;
  const emitted = logstashBackend.emit(ir, {});
  const conf = emitted.files.find((f) => f.path === `${ir.name}-${stream.name}.conf`)!.content;
  const record = (ua: unknown): string => JSON.stringify({ created: '2024-01-01T00:00:00Z', ua });

  it('writes the useragent filter in ECS mode, then the OS and empty-string corrections', () => {
    expect(emitted.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const flat = conf.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'useragent { source => "[user_agent][original]" target => "[user_agent]" ecs_compatibility => "v8" }',
    );
    expect(flat).toContain(
      'if [user_agent][os][name] == "Other" { mutate { remove_field => [ "[user_agent][os]" ] } }',
    );
    expect(flat).toContain('if [user_agent][original] == "" { mutate { replace => {');
    expect(flat.match(/useragent \{/g)).toHaveLength(1);
  });

  it('gives the interpreter documents on the corpus, the empty string and a missing field, but where listed', () => {
    const all = [...AGREED, ...DIFFERING.map((d) => d.agent), '', undefined, null];
    for (const ua of all) {
      const message = record(ua);
      const expected = mapRecord(stream, message, {}).doc as { user_agent?: Record<string, unknown> };
      const delta = DIFFERING.find((d) => d.agent === ua)?.logstash;
      if (delta !== undefined) expected.user_agent = withDifferences(expected.user_agent!, delta);
      expect({ ua, doc: runPipeline(conf, message).doc }).toEqual({ ua, doc: expected });
    }
  });

  it('the corrections are needed: the filter alone names a missing OS Other and skips the empty string', () => {
    expect(useragentFields('curl/8.4.0')).toContainEqual([['os', 'name'], 'Other']);
    expect(useragentFields('curl/8.4.0')).toContainEqual([['os', 'full'], 'Other']);
    const withoutCorrections = conf.replace(/if \[user_agent\]\[os\]\[name\] == "Other"/, 'if [x] == "never"');
    expect(runPipeline(withoutCorrections, record('curl/8.4.0')).doc).toHaveProperty('user_agent.os.name', 'Other');
  });
});
