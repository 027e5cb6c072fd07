/**
 * Where a generated Vector config takes its values from, without environment interpolation:
 *
 * - **The secrets file** (Vector's `file` secret backend): every map secret and the Elasticsearch
 *   connection (endpoint, user, password, data stream namespace), read by Vector when it loads
 *   the config and placed with `SECRET[<backend>.<KEY>]` references: in the `elasticsearch`
 *   sink, in an `http_client` source's auth, and in the `environment` of an `exec` source, which
 *   is how `mapc collect` receives the secrets its stream needs.
 * - **The environment of the Vector service**: the map's settings, read at run time, by the
 *   remap's VRL with `get_env_var` (bool settings of `when setting.x` and `original when`) and by
 *   `mapc collect`, which inherits Vector's environment (`clear_environment` defaults to false).
 *   Settings are not secrets; an empty value counts as unset, as in `mapc collect`.
 *
 * Why the `file` backend: one JSON object of key → value (`src/secrets/file.rs`: the file is read
 * as `HashMap<String, String>`), so any value (quotes, newlines) is carried exactly by JSON
 * escapes and one file with one owner and mode 0600 holds a whole integration; a key that is
 * missing or empty stops Vector at start-up ("secret for key ... was not retrieved/was empty"),
 * so a forgotten credential fails closed. The `directory` backend (one file per key) would need
 * `remove_trailing_whitespace` and several files; `exec` would need a helper program. The
 * backends of current Vector are `file`, `directory`, `exec` and `aws_secrets_manager`
 * (`src/secrets/mod.rs`, https://vector.dev/docs/reference/configuration/secrets/); the 0.57
 * upgrade guide recommends them over interpolation for secrets
 * (`website/content/en/highlights/2026-07-14-0-57-0-upgrade-guide.md`). The `exec` source's
 * `environment` ("custom environment variables to set or update when running the command") and
 * `clear_environment` are in `src/sources/exec/mod.rs`
 * (`website/cue/reference/components/sources/generated/exec.cue`).
 *
 * Settings cannot use a secret backend: an optional setting may be empty, which every backend
 * refuses. An `http_client` request that needs a setting is therefore collected by `mapc collect`
 * (see `./source.ts`).
 *
 * @module
 */
import {
  oauth2ClientSecretName,
  type AuthIR,
  type IntegrationIR,
  type StreamIR,
  type Template,
} from '../../compiler/ir.ts';
import { secretRef, yamlConst, type YamlNode, type YamlScalar } from './quote.ts';
import { enrichKinds, GEOIP_KEYS } from './enrich.ts';

/** The Elasticsearch values every generated config reads from the secrets file. */
export const ELASTICSEARCH_KEYS = [
  { key: 'ELASTICSEARCH_ENDPOINT', description: 'Elasticsearch URL (scheme, host, port), e.g. https://localhost:9200' },
  { key: 'ELASTICSEARCH_USERNAME', description: 'user allowed to create documents in logs-* data streams' },
  { key: 'ELASTICSEARCH_PASSWORD', description: "that user's password" },
  {
    key: 'ELASTICSEARCH_DATA_STREAM_NAMESPACE',
    description: 'data stream namespace (the NAMESPACE of logs-DATASET-NAMESPACE), usually default',
    example: 'default',
  },
] as const;

export type ElasticsearchKey = (typeof ELASTICSEARCH_KEYS)[number]['key'];

/** The secret backend of an integration: its name in `secret:` and the file it reads. */
export interface SecretBackend {
  readonly name: string;
  readonly path: string;
}

/** Default directory of the secrets files (Vector's packages keep their config in /etc/vector). */
export const SECRETS_DIR = '/etc/vector/mapc';

export function secretBackend(ir: IntegrationIR): SecretBackend {
  return { name: `mapc_${ir.name}`, path: `${SECRETS_DIR}/${ir.name}.secrets.json` };
}

/** The `secret:` section of vector.yaml. */
export function secretSection(backend: SecretBackend, pathScalar: YamlScalar): Record<string, YamlNode> {
  return { [backend.name]: { type: yamlConst('file'), path: pathScalar } };
}

/** Every key of the secrets file, in the order the example file lists them. */
export function secretKeys(ir: IntegrationIR): string[] {
  return [
    ...ELASTICSEARCH_KEYS.map((k) => k.key),
    ...enrichKinds(ir).map((kind) => GEOIP_KEYS[kind].key),
    ...ir.secrets.map((s) => s.envVar),
  ];
}

/** `SECRET[...]` of an Elasticsearch value. */
export function elasticsearchRef(backend: SecretBackend, key: ElasticsearchKey): YamlScalar {
  return secretRef(backend.name, key);
}

/** `SECRET[...]` of a map secret, by the secret's name. @throws Error for an undeclared secret. */
export function mapSecretRef(ir: IntegrationIR, backend: SecretBackend, name: string): YamlScalar {
  const secret = ir.secrets.find((s) => s.name === name);
  if (!secret) throw new Error(`unknown secret ${name}`);
  return secretRef(backend.name, secret.envVar);
}

/** Names of the map secrets a stream's auth uses, in declaration order (what `mapc collect` needs). */
export function streamSecrets(ir: IntegrationIR, stream: StreamIR): string[] {
  const used = new Set<string>();
  const template = (t: Template | undefined): void => {
    for (const p of t?.parts ?? []) if (p.kind === 'secret') used.add(p.name);
  };
  const auth: AuthIR = stream.source.auth;
  switch (auth.kind) {
    case 'header':
    case 'bearer':
      used.add(auth.secret);
      break;
    case 'basic':
      used.add(auth.password);
      if (auth.username.kind === 'secret') used.add(auth.username.name);
      break;
    case 'token_exchange': {
      template(auth.request.url);
      for (const nv of [...auth.request.headers, ...auth.request.query, auth.header]) template(nv.value);
      const walk = (j: NonNullable<typeof auth.request.body>): void => {
        if (j.kind === 'string') template(j.template);
        else if (j.kind === 'object') j.entries.forEach((e) => walk(e.value));
        else if (j.kind === 'array') j.items.forEach(walk);
      };
      if (auth.request.body) walk(auth.request.body);
      break;
    }
    case 'oauth2_client_credentials':
      // The client secret, or the private key of private_key_jwt (collected by mapc collect).
      used.add(oauth2ClientSecretName(auth));
      if (auth.clientId.kind === 'secret') used.add(auth.clientId.name);
      break;
    case 'none':
      break;
  }
  template(stream.source.request.url);
  for (const nv of [...stream.source.request.headers, ...stream.source.request.query]) template(nv.value);
  return ir.secrets.filter((s) => used.has(s.name)).map((s) => s.name);
}
