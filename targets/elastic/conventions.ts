/**
 * The conventions of elastic/integrations packages that reach the ingest pipeline through
 * `ctx.tags` and the Agent's own events: `preserve_original_event`,
 * `preserve_duplicate_custom_fields`, and the `terminate` of the Agent's error events.
 *
 * How current packages wire them (elastic/integrations, read with the search tool):
 * - stream variables `preserve_original_event` and `preserve_duplicate_custom_fields` (bool,
 *   default false; `packages/jamf_protect/data_stream/alerts/manifest.yml`,
 *   `packages/entro/data_stream/audit/manifest.yml`) whose stream template adds a tag of the
 *   same name while the variable is true;
 * - the pipeline keeps the record text in `event.original` and removes it at its end unless the
 *   tag is present (`remove event.original`, `if: ctx.tags == null ||
 *   !(ctx.tags.contains('preserve_original_event'))`:
 *   `packages/sentinel_one/data_stream/alert/elasticsearch/ingest_pipeline/default.yml`), and
 *   removes the vendor copies of fields it mapped to ECS unless `preserve_duplicate_custom_fields`
 *   is present (the same `remove ... if: !ctx.tags.contains(...)` form);
 * - the first processor is a `terminate` for the events the CEL input publishes on its own
 *   errors, which carry `error.message` and no `message` (tag `data_collection_error`, condition
 *   `ctx.error?.message != null && ctx.message == null && ctx.event?.original == null`:
 *   `packages/github/data_stream/security_advisories/elasticsearch/ingest_pipeline/default.yml`).
 *
 * One deliberate difference: packages copy the text to `event.original` on every document and
 * remove it at the end unless the tag is present, so a document that fails their pipeline keeps
 * it (the removal is the last processor, which a failure skips). mapc copies it only while the
 * tag is present, so nothing removes it and a failed document holds it only then: the raw record
 * holds the values rules redact (`hash`, `mask`; W0129), and the operator who did not ask for it
 * must not find it in a failed document; the copy nobody asked for is not made either.
 *
 * The `terminate` processor exists from Elasticsearch 8.16.0 (`./versions.ts`).
 *
 * @module
 */
import type { Cond } from './painless.ts';
import type { Processor } from './ingest-steps.ts';

/** The tag that keeps `event.original` (elastic/integrations convention). */
export const PRESERVE_ORIGINAL_TAG = 'preserve_original_event';

/** The tag that keeps the vendor copies of fields mapped to ECS (elastic/integrations convention). */
export const PRESERVE_DUPLICATES_TAG = 'preserve_duplicate_custom_fields';

/** "The tag is absent": what the end-of-pipeline removals test. */
export const tagAbsent = (tag: string): Cond => ({ kind: 'not', cond: { kind: 'tag', name: tag } });

/**
 * The condition of an event the CEL input published on its own error: `error.message` set and
 * neither a record (`message`) nor an `event.original`. Written as the packages write it
 * (Painless null-safe `?.`); the program's error events carry `error` as an object
 * (`./cel/failure.ts`).
 */
export const DATA_COLLECTION_ERROR = 'ctx.error?.message != null && ctx.message == null && ctx.event?.original == null';

/**
 * The first processor of every generated pipeline: an Agent error event is indexed as the Agent
 * sent it (its `error.message`, `@timestamp`, `data_stream.*`) instead of failing the `json`
 * processor and gaining a second, pipeline error.
 */
export function dataCollectionTerminate(): Processor {
  return {
    terminate: {
      tag: 'data_collection_error',
      if: DATA_COLLECTION_ERROR,
      description: 'error message set and no data to process.',
    },
  };
}
