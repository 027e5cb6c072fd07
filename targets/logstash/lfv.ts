/**
 * logstash-filter-verifier (LFV) v2 test case files generated from the fixtures, so that a user
 * with Logstash runs the mapping on its real engine:
 * `logstash-filter-verifier daemon run --pipeline test/lfv/pipelines.yml --pipeline-base . --testcase-dir test/lfv/testcases --add-missing-id`
 * (the filters carry no `id`; `--add-missing-id` gives them one for the run, README "Plugin ID (Daemon mode)").
 *
 * Format (LFV README, "Test case file reference", daemon mode; github.com/magnusbaeck/logstash-filter-verifier):
 * one JSON object with `input_plugin` (id of the input the lines enter through), `export_metadata`
 * (compare `[@metadata]` too: it carries the document id), `ignore` (fields removed before the
 * comparison; `@version` is ignored by default) and `testcases`, each with `description`, `input`
 * (lines, decoded by the input's own codec, here `line`) and `expected` (events).
 *
 * @module
 */
import type { FixtureCase } from '../contract.ts';

export interface LfvTestCase {
  readonly description: string;
  readonly input: readonly string[];
  readonly expected: readonly Record<string, unknown>[];
}

export interface LfvFile {
  readonly input_plugin: string;
  readonly export_metadata: boolean;
  readonly ignore: readonly string[];
  readonly testcases: readonly LfvTestCase[];
}

/**
 * Each expected event is the fixture's document plus `dataStream`, the fields the pipeline's last
 * filter adds (`dataStreamFields` in ./io.ts, with the namespace variable unset).
 *
 * Splits the cases in two files: documents with `@timestamp` compare it; documents without one get
 * `ignore: ["@timestamp"]`, since a Logstash event always carries one (its ingestion time when the
 * mapping sets none), and LFV's `ignore` applies to a whole file. `collected`: the fields
 * `collected_at` rules fill with the event's creation time (field references such as
 * `[event][created]`), which no expected event can hold, ignored in both files.
 */
export function lfvFiles(
  inputPlugin: string,
  cases: readonly FixtureCase[],
  label: string,
  dataStream: Readonly<Record<string, string>>,
  collected: readonly string[] = [],
): { suffix: string; file: LfvFile }[] {
  const withTs: LfvTestCase[] = [];
  const withoutTs: LfvTestCase[] = [];
  cases.forEach((c, i) => {
    const expected: Record<string, unknown> = { ...c.expected.doc, data_stream: dataStream };
    if (c.expected._id !== undefined) expected['@metadata'] = { _id: c.expected._id };
    const testcase = { description: `${label} fixture record ${i + 1}`, input: [c.message], expected: [expected] };
    ('@timestamp' in c.expected.doc ? withTs : withoutTs).push(testcase);
  });
  // Without a document id the pipeline leaves @metadata empty: nothing there to compare.
  const exportMetadata = cases.some((c) => c.expected._id !== undefined);
  const files: { suffix: string; file: LfvFile }[] = [];
  if (withTs.length > 0)
    files.push({
      suffix: '',
      file: { input_plugin: inputPlugin, export_metadata: exportMetadata, ignore: [...collected], testcases: withTs },
    });
  if (withoutTs.length > 0) {
    files.push({
      suffix: '-no-timestamp',
      file: {
        input_plugin: inputPlugin,
        export_metadata: exportMetadata,
        ignore: ['@timestamp', ...collected],
        testcases: withoutTs,
      },
    });
  }
  return files;
}
