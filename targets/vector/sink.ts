/**
 * The Elasticsearch sink of a stream, in data-stream mode.
 *
 * Facts from Vector's `elasticsearch` sink (https://vector.dev/docs/reference/configuration/sinks/elasticsearch/,
 * `src/sinks/elasticsearch/{config,sink}.rs`): `mode: data_stream` writes with the bulk `create`
 * action to `<type>-<dataset>-<namespace>`; `data_stream.sync_fields` (default true) adds the
 * `data_stream.*` fields to each document, as Elastic Agent does; `id_key` names the event field
 * whose value becomes `_id` and is removed from the document; `auth.strategy: basic` takes
 * `user` and `password`.
 *
 * @module
 */
import type { StreamIR } from '../../compiler/ir.ts';
import { envRef } from './env.ts';
import { ID_FIELD } from './vrl/mapping.ts';

/** The Elasticsearch environment variables every generated config reads. */
export const ELASTICSEARCH_ENV = [
  {
    name: 'ELASTICSEARCH_ENDPOINT',
    secret: false,
    example: 'https://localhost:9200',
    description: 'Elasticsearch URL (scheme, host, port)',
  },
  {
    name: 'ELASTICSEARCH_USERNAME',
    secret: false,
    example: '',
    description: 'user allowed to create documents in logs-* data streams',
  },
  { name: 'ELASTICSEARCH_PASSWORD', secret: true, example: '', description: "that user's password" },
  {
    name: 'ELASTICSEARCH_DATA_STREAM_NAMESPACE',
    secret: false,
    example: 'default',
    description: 'data stream namespace (logs-<dataset>-<namespace>)',
  },
] as const;

export function elasticsearchSink(stream: StreamIR, input: string): Record<string, unknown> {
  const sink: Record<string, unknown> = {
    type: 'elasticsearch',
    inputs: [input],
    endpoints: [envRef('ELASTICSEARCH_ENDPOINT')],
    mode: 'data_stream',
    data_stream: {
      type: 'logs',
      dataset: stream.dataset,
      namespace: envRef('ELASTICSEARCH_DATA_STREAM_NAMESPACE', { kind: 'default', text: 'default' }),
    },
    auth: { strategy: 'basic', user: envRef('ELASTICSEARCH_USERNAME'), password: envRef('ELASTICSEARCH_PASSWORD') },
  };
  if (stream.mapping.documentId) sink.id_key = ID_FIELD;
  return sink;
}
