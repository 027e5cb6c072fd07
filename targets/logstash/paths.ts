/**
 * Where the generated Logstash files and the deployed collector live on the Logstash host: one
 * place for the paths the pipelines, `pipelines.yml` and the README's install steps share.
 *
 * @module
 */
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';

/** The folder of the generated pipelines (outside `conf.d/*.conf`, the package's `main` pipeline). */
export const PIPELINE_DIR = '/etc/logstash/conf.d/mapc';

/** The deployed collector's state directory, owned by the `logstash` user. */
export const STATE_DIR = '/var/lib/mapc';

/** Pipeline file name of a stream. */
export const pipelineFile = (ir: IntegrationIR, stream: StreamIR): string => `${ir.name}-${stream.name}.conf`;

/** Where the deployed collector keeps a stream's cursor. */
export const statePath = (ir: IntegrationIR, stream: StreamIR): string =>
  `${STATE_DIR}/${ir.name}-${stream.name}.state.json`;
