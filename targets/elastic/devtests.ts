/**
 * elastic-package test inputs generated from the fixtures, so that a user with a stack runs
 * `elastic-package test pipeline` and `elastic-package test system` on the package as is.
 *
 * - Pipeline tests (https://github.com/elastic/elastic-package/blob/main/docs/howto/pipeline_testing.md):
 *   `_dev/test/pipeline/test-<stream>.json` = `{"events": [event...]}` (each event a `message`
 *   with one fixture record) and `test-<stream>.json-expected.json` = `{"expected": [doc...]}`.
 *   elastic-package compares documents only, so the expected `_id` is not part of these files.
 * - System test config (https://github.com/elastic/elastic-package/blob/main/docs/howto/system_testing.md):
 *   `_dev/test/system/test-default-config.yml` points the CEL input at the `{{Hostname}}:{{Port}}` of
 *   the package's test service; credentials come from environment variables of the test runner
 *   (elastic-package expands `${VAR}` in test configs), never from literals.
 *
 * @module
 */
import type { FixtureCase } from '../contract.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';

/** Tags the agent adds for bool settings that default to true (how the pipeline sees them). */
export function defaultTags(ir: IntegrationIR): string[] {
  return ir.settings.filter((s) => s.type === 'bool' && s.default === true).map((s) => s.name);
}

export function pipelineTestEvents(ir: IntegrationIR, cases: readonly FixtureCase[]): Record<string, unknown> {
  const tags = defaultTags(ir);
  return { events: cases.map((c) => (tags.length > 0 ? { message: c.message, tags } : { message: c.message })) };
}

export function pipelineTestExpected(ir: IntegrationIR, cases: readonly FixtureCase[]): Record<string, unknown> {
  const tags = defaultTags(ir);
  return { expected: cases.map((c) => (tags.length > 0 ? { ...c.expected.doc, tags } : c.expected.doc)) };
}

/** The system test config of one stream. */
export function systemTestConfig(ir: IntegrationIR, stream: StreamIR): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  const urlPart = stream.source.request.url.parts[0];
  for (const s of ir.settings) {
    if (urlPart?.kind === 'setting' && urlPart.name === s.name) vars[s.name] = 'http://{{Hostname}}:{{Port}}';
    else if (s.required && s.default === undefined) vars[s.name] = `\${${s.envVar}}`;
  }
  for (const s of ir.secrets) vars[s.name] = `\${${s.envVar}}`;
  return { input: 'cel', service: `${ir.name}-mock`, vars, data_stream: { vars: {} } };
}
