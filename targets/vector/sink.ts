/**
 * The Elasticsearch sink of a stream, in data-stream mode.
 *
 * Facts from Vector's `elasticsearch` sink (https://vector.dev/docs/reference/configuration/sinks/elasticsearch/,
 * `src/sinks/elasticsearch/{config,sink}.rs`): `mode: data_stream` writes with the bulk `create`
 * action to `<type>-<dataset>-<namespace>`; `data_stream.sync_fields` (default true) adds the
 * `data_stream.*` fields to each document, as Elastic Agent does; `id_key` names the event field
 * whose value becomes `_id` and is removed from the document; `auth.strategy: basic` takes
 * `user` and `password`. Connection values come from the secrets file (`./secrets.ts`).
 *
 * @module
 */
import type { StreamIR } from '../../compiler/ir.ts';
import { yamlConst, yamlScalar, type YamlNode } from './quote.ts';
import { elasticsearchRef, type SecretBackend } from './secrets.ts';
import { ID_FIELD } from './vrl/mapping.ts';

export function elasticsearchSink(stream: StreamIR, input: string, backend: SecretBackend): Record<string, YamlNode> {
  const sink: Record<string, YamlNode> = {
    type: yamlConst('elasticsearch'),
    inputs: [yamlConst(input)],
    endpoints: [elasticsearchRef(backend, 'ELASTICSEARCH_ENDPOINT')],
    mode: yamlConst('data_stream'),
    data_stream: {
      type: yamlConst('logs'),
      dataset: yamlScalar(stream.dataset, stream.loc, 'the dataset'),
      namespace: elasticsearchRef(backend, 'ELASTICSEARCH_DATA_STREAM_NAMESPACE'),
    },
    auth: {
      strategy: yamlConst('basic'),
      user: elasticsearchRef(backend, 'ELASTICSEARCH_USERNAME'),
      password: elasticsearchRef(backend, 'ELASTICSEARCH_PASSWORD'),
    },
  };
  if (stream.mapping.documentId) sink.id_key = yamlConst(ID_FIELD);
  return sink;
}
