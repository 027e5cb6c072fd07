/**
 * The input and output sections of a stream's pipeline.
 *
 * Input: Logstash's `http_poller` polls fixed URLs and keeps no state between polls
 * (logstash-plugins/logstash-input-http_poller#51; pagination support was proposed in #139 and
 * closed unmerged), so a stream that needs more (see `httpPollerGaps`) is collected by
 * `mapc collect` through the `exec` input
 * (https://www.elastic.co/guide/en/logstash/8.17/plugins-inputs-exec.html: `command`, `interval`
 * in seconds, the command's stdout as `message`). With the `line` codec each NDJSON line that
 * `mapc collect` prints (one split record) becomes one event whose `message` is the record's text.
 *
 * Output: `elasticsearch` into the stream's data stream by name (see {@link outputSection};
 * https://www.elastic.co/guide/en/logstash/8.17/plugins-outputs-elasticsearch.html), the document
 * id from `[@metadata][_id]`. Credentials only as `${VAR}` (environment or keystore).
 *
 * @module
 */
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { DOCUMENT_ID_FIELD } from './filters.ts';
import { bare, field, ifThen, num, plugin, str, strHash, strs, type Statement } from './model.ts';
import {
  comment,
  envRef,
  envTemplate,
  OWN,
  optionText,
  own,
  shellWord,
  sprintfTemplate,
  sprintfText,
  type Site,
} from './quote.ts';
import { ref } from './scratch.ts';

/** Environment variables of the Elasticsearch output, shared by every generated pipeline. */
export const OUTPUT_ENV = {
  hosts: 'ELASTICSEARCH_HOSTS',
  apiKey: 'ELASTICSEARCH_API_KEY',
  namespace: 'ELASTICSEARCH_DATA_STREAM_NAMESPACE',
} as const;

export interface InputOptions {
  readonly collectCommand: string;
  readonly deployedMapPath: string;
  readonly statePath: string;
}

/** The input's plugin id, also the LFV test cases' `input_plugin`. */
export const inputId = (ir: IntegrationIR, stream: StreamIR): string => `${ir.name}-${stream.name}-collect`;

/** Environment variable carrying the poll interval in seconds (exec's `interval` is a number). */
export function intervalEnvVar(ir: IntegrationIR, stream: StreamIR): string | undefined {
  if (stream.interval.kind !== 'setting') return undefined;
  const { name } = stream.interval;
  const setting = ir.settings.find((s) => s.name === name);
  return `${setting?.envVar ?? name.toUpperCase()}_SECONDS`;
}

/** Go-style duration (`5m`, `1h30m`, `45s`, `1d`) to seconds; undefined when unreadable. */
export function durationSeconds(text: string): number | undefined {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] as string] ?? 0), 0);
}

/**
 * The exec input. Its `command` holds the operator's collect command and map path (EmitOptions),
 * refused (E0602, E0603 at the stream) if Logstash would not read them back as written.
 */
export function inputSection(ir: IntegrationIR, stream: StreamIR, options: InputOptions): Statement[] {
  const streamSite: Site = { span: stream.loc, what: 'collect command' };
  const command = [
    options.collectCommand,
    shellWord(options.deployedMapPath),
    '--stream',
    shellWord(stream.name),
    '--state',
    shellWord(options.statePath),
  ].join(' ');
  let interval;
  if (stream.interval.kind === 'seconds') {
    interval = num(stream.interval.seconds);
  } else {
    const { name } = stream.interval;
    const setting = ir.settings.find((s) => s.name === name);
    const fallback = typeof setting?.default === 'string' ? durationSeconds(setting.default) : undefined;
    const settingSite: Site = { span: setting?.loc ?? stream.loc, what: 'interval setting' };
    interval = str(
      envTemplate(
        [
          envRef(
            intervalEnvVar(ir, stream) as string,
            fallback === undefined ? undefined : String(fallback),
            settingSite,
          ),
        ],
        settingSite,
      ),
    );
  }
  return [
    plugin(
      'exec',
      [
        ['id', str(optionText(inputId(ir, stream), streamSite))],
        ['command', str(optionText(command, streamSite))],
        ['interval', interval],
        ['codec', bare('line')],
        ['ecs_compatibility', bare('disabled')],
      ],
      [comment`mapc collect prints one JSON record per line and keeps the cursor in the state file.`],
    ),
  ];
}

/** The data stream type every generated pipeline writes to (`logs-<dataset>-<namespace>`). */
const DATA_STREAM_TYPE = 'logs';

/**
 * The last filter of every pipeline: `data_stream.type`, `data_stream.dataset` and
 * `data_stream.namespace` on the event, the fields Elasticsearch's data streams expect on their
 * documents (the `data_stream` field set of ECS; the `logs-*-*` templates map them as
 * `constant_keyword`, so a document must carry its own stream's values). The output writes by
 * name, not in `data_stream => true` mode, which would add them itself
 * (`data_stream_sync_fields`) but refuses `document_id` ({@link outputSection}). The namespace
 * comes from the same `${VAR:default}` as the output's `index`, so the two cannot disagree.
 */
export function dataStreamFields(stream: StreamIR): Statement {
  const datasetRule = stream.mapping.rules.find((r) => r.destination.join('.') === 'event.dataset');
  const datasetSite: Site = { span: datasetRule?.loc ?? stream.loc, what: 'dataset' };
  return plugin(
    'mutate',
    [
      [
        'add_field',
        strHash([
          [ref(['data_stream', 'type']), own(DATA_STREAM_TYPE)],
          [ref(['data_stream', 'dataset']), sprintfText(stream.dataset, datasetSite)],
          [ref(['data_stream', 'namespace']), envTemplate([envRef(OUTPUT_ENV.namespace, NAMESPACE_DEFAULT, OWN)], OWN)],
        ]),
      ],
    ],
    [
      comment`The data stream fields of the documents the output writes to ${DATA_STREAM_TYPE}-${stream.dataset}-<namespace>.`,
    ],
  );
}

/** The error type of a `create` whose id exists (Elasticsearch `VersionConflictEngineException`). */
const VERSION_CONFLICT = 'version_conflict_engine_exception';

/** The values {@link dataStreamFields} gives the documents when the namespace variable is unset. */
export function dataStreamValues(stream: StreamIR): Readonly<Record<string, string>> {
  return { type: DATA_STREAM_TYPE, dataset: stream.dataset, namespace: NAMESPACE_DEFAULT };
}

/** The data stream namespace when ${OUTPUT_ENV.namespace} is unset. */
const NAMESPACE_DEFAULT = 'default';

/**
 * Writes to the data stream `logs-<dataset>-<namespace>` by name with `action => create`, the only
 * op type data streams accept. Not `data_stream => true`: that mode refuses every option outside
 * its list, `document_id` included (logstash-output-elasticsearch `DataStreamSupport#
 * invalid_data_stream_params`), and the id is what makes re-polled records harmless: a second
 * create of the same id is answered 409 `version_conflict_engine_exception`, which the output
 * neither retries nor sends to the dead letter queue: it counts it as a non-retryable failure and
 * logs it at WARN unless its type is in `silence_errors_in_log`
 * (logstash-output-elasticsearch v12.0.1 `lib/logstash/plugin_mixins/elasticsearch/common.rb`,
 * `submit`: "For 409, we log and drop"; option documented at
 * https://www.elastic.co/guide/en/logstash-versioned-plugins/current/v12.0.1-plugins-outputs-elasticsearch.html#v12.0.1-plugins-outputs-elasticsearch-silence_errors_in_log).
 * A re-polled record is expected at-least-once delivery, not an error, so that type is silenced:
 * the stored document is the first one, as at the Elastic Agent's and Vector's sinks. Only a
 * `create` of an existing id can raise it here (no `version` or update action is sent). The index template comes from
 * Elasticsearch (built-in `logs-*-*` or the integration's), hence `manage_template => false`.
 * `index` and `document_id` are sprintf-formatted by the output.
 */
export function outputSection(stream: StreamIR): Statement[] {
  const id = stream.mapping.documentId;
  if (id?.kind !== 'raw') return [elasticsearchOutput(stream, id !== undefined)];
  // `id raw`: a record without a usable vendor id has no id field, and a `document_id` naming a
  // missing field would be sent as its literal text; such a record goes without one (Elasticsearch
  // assigns it, compiler/ir.ts RawDocumentIdIR).
  return [
    ifThen(
      { kind: 'truthy', field: field(ref(DOCUMENT_ID_FIELD)) },
      [elasticsearchOutput(stream, true)],
      [elasticsearchOutput(stream, false)],
    ),
  ];
}

function elasticsearchOutput(stream: StreamIR, withId: boolean): Statement {
  // The dataset is written at the stream's event.dataset rule (lowering puts it there).
  const datasetRule = stream.mapping.rules.find((r) => r.destination.join('.') === 'event.dataset');
  const datasetSite: Site = { span: datasetRule?.loc ?? stream.loc, what: 'dataset' };
  return plugin('elasticsearch', [
    ['hosts', strs(envTemplate([envRef(OUTPUT_ENV.hosts, undefined, OWN)], OWN))],
    ['api_key', str(envTemplate([envRef(OUTPUT_ENV.apiKey, undefined, OWN)], OWN))],
    [
      'index',
      str(
        envTemplate(
          [`${DATA_STREAM_TYPE}-${stream.dataset}-`, envRef(OUTPUT_ENV.namespace, NAMESPACE_DEFAULT, OWN)],
          datasetSite,
        ),
      ),
    ],
    ['action', str(optionText('create', OWN))],
    ['silence_errors_in_log', strs(optionText(VERSION_CONFLICT, OWN))],
    ['data_stream', str(optionText('false', OWN))],
    ['manage_template', bare('false')],
    ['ilm_enabled', str(optionText('false', OWN))],
    ...(withId ? [['document_id', str(sprintfTemplate([{ ref: ref(DOCUMENT_ID_FIELD) }], OWN))] as const] : []),
  ]);
}
