/**
 * Rewrites the few Elasticsearch-only processor options mapc emits into their OpenSearch 2.19
 * equivalents, so the generated Elasticsearch pipeline runs on the OpenSearch node
 * (./node.ts). Everything else is sent unchanged. Each rewrite keeps the documented semantics:
 *
 * - `set` with `copy_from` (Elasticsearch 7.11+,
 *   https://www.elastic.co/guide/en/elasticsearch/reference/8.17/set-processor.html) →
 *   OpenSearch `copy` (`source_field`, `target_field`, `override_target: true`, which is `set`'s
 *   default `override: true`; https://opensearch.org/docs/2.19/ingest-pipelines/processors/copy/).
 *   Both copy the value deeply, keeping its JSON type. `copy`'s fields are templates (OpenSearch
 *   `CopyProcessor.Factory` compiles both), while `copy_from` is a plain path: the path goes
 *   through mapc's own `mustacheText`, and `field` already is a template.
 * - `append` with `copy_from` (Elasticsearch 8.x) → `append` with the Mustache value
 *   `{{{path}}}`. This renders the source as a string, so it is exact only for string sources;
 *   mapc appends only to keyword array fields (related.*, event.category/type), whose values
 *   are strings. A non-string source would surface as a mismatch against expected.json. A path
 *   with a brace has no such translation (the dialect throws).
 * - `terminate` (Elasticsearch 8.16.0+,
 *   https://www.elastic.co/guide/en/elasticsearch/reference/8.17/terminate-processor.html): OpenSearch
 *   2.19 has no processor that ends a pipeline and indexes the document (its processor list:
 *   https://opensearch.org/docs/2.19/ingest-pipelines/processors/index-processors/; `drop` discards
 *   the document, `fail` runs `on_failure`). The stand-in is a `set` of {@link TERMINATE_MARKER}
 *   under the same `if`: it does nothing where the condition is false, and where it is true the
 *   marker makes the document differ from every expectation, so a fixture record that would
 *   terminate cannot pass unnoticed. The condition itself is run on the node by
 *   `pipelines.test.ts` ("terminate condition"); what `terminate` does when it holds is
 *   Elasticsearch's documented behaviour, tested with the evaluator of test/emulated/ingest.
 *
 * Anything else Elasticsearch-only makes {@link toOpenSearch} throw, naming the option, so a
 * new emitted feature cannot be silently mistranslated.
 */
import { mustacheText } from '../../../targets/elastic/quote.ts';

type Json = unknown;
type ProcessorContainer = Record<string, Record<string, Json>>;

const KNOWN_TYPES = new Set([
  'append',
  'convert',
  'date',
  // Same options (`if`, `tag`): https://opensearch.org/docs/2.19/ingest-pipelines/processors/drop/
  'drop',
  'fail',
  // Same options (`field`, `target_field`, `database_file`, `properties`, `ignore_missing`) and
  // City defaults: OpenSearch 2.19 modules/ingest-geoip GeoIpProcessor.Factory,
  // https://docs.opensearch.org/2.19/ingest-pipelines/processors/ip2geo/ is another processor.
  'geoip',
  'gsub',
  // Same options (`field`, `patterns`, `pattern_definitions`, `if`, `tag`, `on_failure`) and the
  // same library (libs/grok, Joni): https://docs.opensearch.org/docs/2.19/ingest-pipelines/processors/grok/
  'grok',
  'json',
  // Same options (`field`, `field_split` and `value_split` Java regexes, `target_field`, `if`, `tag`,
  // `on_failure`) and the same KeyValueProcessor: https://docs.opensearch.org/docs/2.19/ingest-pipelines/processors/kv/
  'kv',
  'lowercase',
  'uppercase',
  'remove',
  'rename',
  'script',
  'set',
  // Same options (`field`, `separator` a Java regex, `preserve_trailing` default false, `if`, `tag`,
  // `on_failure`): https://docs.opensearch.org/2.19/ingest-pipelines/processors/split/
  'split',
  'terminate',
  // Same options (`field`, `target_field` default `user_agent`, `ignore_missing`, `tag`) and the
  // same ECS output: OpenSearch 2.19 modules/ingest-user-agent UserAgentProcessor,
  // https://docs.opensearch.org/2.19/ingest-pipelines/processors/user-agent/
  'user_agent',
]);

/** The field the `terminate` stand-in sets (see the module doc). */
export const TERMINATE_MARKER = 'opensearch_stand_in_for_terminate';

export function toOpenSearch(processors: readonly ProcessorContainer[]): ProcessorContainer[] {
  return processors.map(convertProcessor);
}

function convertProcessor(container: ProcessorContainer): ProcessorContainer {
  const [type, options] = Object.entries(container)[0] ?? [];
  if (type === undefined || options === undefined) throw new Error('empty processor');
  if (!KNOWN_TYPES.has(type)) throw new Error(`no OpenSearch translation reviewed for processor "${type}"`);
  if (type === 'terminate') {
    const { tag, if: condition, description, ...others } = options;
    if (Object.keys(others).length > 0) throw new Error('terminate option without a reviewed translation');
    return { set: { tag, if: condition, description, field: TERMINATE_MARKER, value: true } };
  }
  const rest: Record<string, Json> = { ...options };
  if (Array.isArray(rest['on_failure'])) rest['on_failure'] = toOpenSearch(rest['on_failure'] as ProcessorContainer[]);

  if (type === 'set' && 'copy_from' in rest) {
    const { copy_from, field, override, ignore_empty_value, ...common } = rest;
    if (ignore_empty_value !== undefined)
      throw new Error('set.ignore_empty_value with copy_from has no reviewed translation');
    return {
      copy: {
        ...common,
        source_field: mustacheText(String(copy_from)),
        target_field: field,
        override_target: override ?? true,
      },
    };
  }
  if (type === 'append' && 'copy_from' in rest) {
    const { copy_from, ...common } = rest;
    if (/[{}]/.test(String(copy_from)))
      throw new Error(`no reviewed translation of append copy_from ${String(copy_from)}`);
    return { append: { ...common, value: `{{{${String(copy_from)}}}}` } };
  }
  return { [type]: rest };
}
