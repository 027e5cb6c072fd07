/**
 * The Logstash pipelines of the bundled maps with every rule `on_error ignore` (a failure branch
 * with no filter in it) parse with `mustache` (the Logstash config parser) and are already in its
 * format. Their behaviour: test/agreement/on-error.suite.ts on the Logstash evaluator.
 */
import { expect, it } from 'vitest';
import { compileFile } from '../../../compiler/compile.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { firstDifference, mustacheFormatFiles } from './tokens.ts';

it('on_error ignore pipelines parse with mustache, in its format', () => {
  const confs = ['endor_labs', 'entro', 'enpass', 'bitwarden'].flatMap((vendor) => {
    const compiled = compileFile(`maps/${vendor}.map`).ir!;
    return [compiled, stripSchemas(compiled)].map((base) => {
      const ir = {
        ...base,
        streams: base.streams.map((s) => ({
          ...s,
          mapping: { ...s.mapping, rules: s.mapping.rules.map((r) => ({ ...r, onError: 'ignore' as const })) },
        })),
      };
      const conf = logstashBackend.emit(ir, {}).files.find((f) => f.path.endsWith('.conf'))?.content ?? '';
      expect(conf).not.toContain('mapc: cannot map');
      return conf;
    });
  });
  const formatted = mustacheFormatFiles(confs);
  expect(formatted, firstDifference(confs.join(''), formatted)).toBe(confs.join(''));
});
