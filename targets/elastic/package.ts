/**
 * The Elastic integration package's descriptive files, as plain objects for js-yaml: the package
 * and data-stream manifests, the changelog, the field definitions and the README.
 *
 * Shapes follow the package specification (elastic/package-spec `spec/integration/manifest.spec.yml`,
 * `data_stream/manifest.spec.yml`, `changelog.spec.yml`, `data_stream/fields/fields.spec.yml`;
 * format 3.5.0, the first with the `duration` variable type), validated in the tests with the
 * package-spec v3.5.3 validator that `elastic-package lint` runs.
 *
 * @module
 */
import type {
  AgentlessIR,
  IntegrationIR,
  SchemaFieldIR,
  SecretIR,
  SettingIR,
  SettingType,
  StreamIR,
  ValueType,
} from '../../compiler/ir.ts';
import { ASN_FIELDS, GEOIP_FIELDS, USER_AGENT_FIELDS } from '../../compiler/ir.ts';
import { PRESERVE_DUPLICATES_TAG } from './conventions.ts';
import { kibanaRange, type Requirement } from './versions.ts';
import { fieldsName, fleetDefault, isFieldsName, located, markdownCode, markdownInline as md } from './quote.ts';
import { fleetVariable } from './vars.ts';

/** Package-spec format version of the generated packages. */
export const FORMAT_VERSION = '3.5.0';

/** The CEL input type name (Elastic Agent `cel` input). */
export const CEL_INPUT = 'cel';

/** Fleet variable types of the settings (package-spec `vars[].type`). */
const VAR_TYPE: Record<SettingType, string> = {
  string: 'text',
  url: 'url',
  duration: 'duration',
  timestamp: 'text',
  int: 'integer',
  bool: 'bool',
};

/** Names the spec requires an explicit `secret` flag on (package-spec `vars` allOf, format >= 3.0.2). */
const SECRET_LIKE = /(access_key|api_key|passphrase|password|secret|token)/;

export type Var = Record<string, unknown>;

/** A Fleet duration (package-spec pattern `^(\d+[smh]|\d+ms)+$`): days become hours. */
export function fleetDuration(text: string): string {
  return text.replace(/([0-9]+)d/g, (_m, n: string) => `${Number(n) * 24}h`);
}

/** The Fleet variable of setting `s`, named `name` ({@link fleetVariable}). */
export function settingVar(s: SettingIR, name: string = s.name): Var {
  const v: Var = { name, type: VAR_TYPE[s.type], title: s.title };
  if (s.description) v['description'] = s.description;
  v['required'] = s.required;
  v['show_user'] = true;
  if (typeof s.default === 'string') {
    const text = located(s.loc, () => fleetDefault(String(s.default)));
    v['default'] = s.type === 'duration' ? fleetDuration(text) : text;
  } else if (s.default !== undefined) v['default'] = s.default;
  if (SECRET_LIKE.test(s.name) && !/(_file|_url)$/.test(s.name)) v['secret'] = false;
  return v;
}

export function secretVar(s: SecretIR): Var {
  const v: Var = { name: s.name, type: 'password', title: s.title };
  if (s.description) v['description'] = s.description;
  return { ...v, required: true, show_user: true, secret: true };
}

/**
 * The HTTP client variables of the CEL input, as elastic/integrations CEL packages declare them
 * (`packages/entro/manifest.yml`, `packages/okta/manifest.yml`): read by the stream template's
 * `resource.proxy_url`, `resource.ssl` and `resource.timeout` lines (`./cel/stream-template.ts`).
 */
const CLIENT_VARS: readonly Var[] = [
  {
    name: 'proxy_url',
    type: 'text',
    title: 'Proxy URL',
    description: 'URL of the HTTP proxy the API requests go through, e.g. http://proxy.example:3128.',
    multi: false,
    required: false,
    show_user: false,
  },
  {
    name: 'ssl',
    type: 'yaml',
    title: 'SSL configuration',
    description:
      'SSL options of the HTTP client (https://www.elastic.co/guide/en/beats/filebeat/8.17/configuration-ssl.html#ssl-common-config).',
    multi: false,
    required: false,
    show_user: false,
  },
  {
    name: 'http_client_timeout',
    type: 'text',
    title: 'HTTP client timeout',
    description: 'Duration before an HTTP request times out (Go duration, e.g. 30s). The input default is 30s.',
    multi: false,
    required: false,
    show_user: false,
  },
];

/**
 * `manifest.yml` of the package. With `agentless { ... }` in the map, the policy template also
 * offers the agentless deployment mode, as elastic/integrations `packages/entro/manifest.yml`
 * does for the same CEL input; without it, the default (agent) mode is the only one, since
 * package-spec 3.5 requires the `organization`, `division` and `team` that own an agentless
 * deployment (validator: "field policy_templates.0.deployment_modes.agentless: organization is
 * required").
 */
export function packageManifest(ir: IntegrationIR, required: readonly Requirement[]): Record<string, unknown> {
  return {
    format_version: FORMAT_VERSION,
    name: ir.name,
    title: ir.title,
    version: ir.version,
    description: ir.description,
    type: 'integration',
    categories: ['security'],
    conditions: { kibana: { version: kibanaRange(required) }, elastic: { subscription: 'basic' } },
    policy_templates: [
      {
        name: ir.name,
        title: ir.title,
        description: `Collect logs from the ${ir.vendor} API with Elastic Agent.`,
        data_streams: ir.streams.map((s) => s.name),
        ...(ir.agentless ? { deployment_modes: deploymentModes(ir.agentless) } : {}),
        inputs: [
          {
            type: CEL_INPUT,
            title: `Collect ${ir.title} logs through the API`,
            description: `Collecting ${ir.streams.map((s) => s.title.toLowerCase()).join(', ')} from the ${ir.vendor} API with the CEL input.`,
            vars: [
              ...ir.settings.map((s) => settingVar(s, fleetVariable(ir, s.name))),
              ...ir.secrets.map(secretVar),
              ...CLIENT_VARS,
            ],
          },
        ],
      },
    ],
    owner: { github: 'mapc', type: 'community' },
  };
}

/**
 * `deployment_modes` of the policy template: the default (Elastic Agent) mode and the agentless
 * one with its owners (package-spec 3.5.3 `spec/integration/manifest.spec.yml`
 * `policy_templates[].deployment_modes`: `enabled`, `organization`, `division`, `team`).
 */
function deploymentModes(owners: AgentlessIR): Record<string, unknown> {
  return {
    default: { enabled: true },
    agentless: { enabled: true, organization: owners.organization, division: owners.division, team: owners.team },
  };
}

/**
 * `data_stream/<stream>/manifest.yml`. The stream variables are the ones the CEL stream template
 * reads besides settings and secrets (`tags`, `processors`, and `preserve_duplicate_custom_fields`
 * when the map keeps the record: see `./cel.ts` `STANDARD_VARIABLES` and `./conventions.ts`;
 * shapes as `packages/jamf_protect/data_stream/alerts/manifest.yml` declares them).
 */
export function dataStreamManifest(ir: IntegrationIR, stream: StreamIR): Record<string, unknown> {
  return {
    title: `${ir.title} ${stream.title.toLowerCase()}`,
    type: 'logs',
    dataset: stream.dataset,
    streams: [
      {
        input: CEL_INPUT,
        title: `${ir.title} ${stream.title.toLowerCase()}`,
        description:
          stream.description || `Collect ${stream.title.toLowerCase()} from the ${ir.vendor} API with Elastic Agent.`,
        template_path: 'cel.yml.hbs',
        vars: [
          {
            name: 'tags',
            type: 'text',
            title: 'Tags',
            multi: true,
            required: false,
            show_user: false,
            default: ['forwarded', `${ir.name}-${stream.name}`],
          },
          ...(stream.mapping.keepUnmapped
            ? [
                {
                  name: PRESERVE_DUPLICATES_TAG,
                  type: 'bool',
                  title: 'Preserve duplicate custom fields',
                  description: `Keep the ${ir.vendor} fields under ${stream.mapping.namespace.join('.')} that were copied to ECS fields (values a rule hashes or masks are never kept).`,
                  multi: false,
                  required: false,
                  show_user: false,
                  default: false,
                },
              ]
            : []),
          {
            name: 'processors',
            type: 'yaml',
            title: 'Processors',
            description:
              'Elastic Agent processors applied to each event before it leaves the agent (https://www.elastic.co/guide/en/fleet/current/elastic-agent-processor-configuration.html).',
            multi: false,
            required: false,
            show_user: false,
          },
        ],
      },
    ],
  };
}

/**
 * The changelog `link` of a generated package: package-spec `changelog.spec.yml` asks for the
 * URL of the change (elastic/integrations links the pull request that made it). The map's
 * `changelog "URL"` when it names one; else this placeholder under `example.com` (RFC 2606,
 * reserved for documentation: it never resolves to someone's page), unique per package and
 * version, and the backend warns (W0402) so it is replaced before the package is submitted.
 */
export function changelogLink(ir: IntegrationIR): string {
  return (
    ir.changelogUrl ??
    `https://example.com/mapc-placeholder/${encodeURIComponent(ir.name)}/${encodeURIComponent(ir.version)}`
  );
}

/** `changelog.yml`: one entry for the package version, linked to {@link changelogLink}. */
export function changelog(ir: IntegrationIR): unknown[] {
  return [
    {
      version: ir.version,
      changes: [
        { description: `Generated by mapc from ${ir.sourceFile}.`, type: 'enhancement', link: changelogLink(ir) },
      ],
    },
  ];
}

/** `_dev/build/build.yml`: the ECS version `external: ecs` fields resolve against. */
export function buildConfig(ir: IntegrationIR): Record<string, unknown> {
  return { dependencies: { ecs: { reference: `git@v${ir.ecsVersion}` } } };
}

/** `fields/base-fields.yml`: data-stream fields every package declares. */
export function baseFields(stream: StreamIR): unknown[] {
  return [
    { name: 'data_stream.type', type: 'constant_keyword', description: 'Data stream type.' },
    { name: 'data_stream.dataset', type: 'constant_keyword', description: 'Data stream dataset.' },
    { name: 'data_stream.namespace', type: 'constant_keyword', description: 'Data stream namespace.' },
    { name: 'event.dataset', type: 'constant_keyword', description: 'Event dataset.', value: stream.dataset },
    { name: '@timestamp', type: 'date', description: 'Event timestamp.' },
    { name: 'input.type', type: 'keyword', description: 'Type of the Elastic Agent input that collected the event.' },
  ];
}

/** Fields declared by base-fields.yml, never repeated in ecs.yml. */
const BASE = new Set([
  'data_stream.type',
  'data_stream.dataset',
  'data_stream.namespace',
  'event.dataset',
  '@timestamp',
]);

/** `fields/ecs.yml`: every ECS field the pipeline writes, resolved from ECS at build time. */
export function ecsFields(stream: StreamIR): unknown[] {
  const names = new Set<string>(['ecs.version', 'error.message', 'event.kind', 'tags']);
  if (stream.mapping.original) names.add('event.original');
  for (const rule of stream.mapping.rules) if (!rule.destinationType.vendor) names.add(rule.destination.join('.'));
  // What `geoip` / `asn` write (compiler/ir.ts GEOIP_FIELDS, ASN_FIELDS: ECS fields).
  for (const item of stream.mapping.enrich ?? []) {
    for (const f of item.database === 'geoip' ? GEOIP_FIELDS : ASN_FIELDS) names.add([...item.target, f].join('.'));
  }
  // What the `user_agent` processor writes (compiler/ir.ts USER_AGENT_FIELDS: ECS fields).
  const ua = stream.mapping.userAgent;
  if (ua !== undefined) for (const f of USER_AGENT_FIELDS) names.add([...ua.target, f].join('.'));
  return [...names]
    .filter((n) => !BASE.has(n))
    .sort()
    .map((name) => ({ name, external: 'ecs' }));
}

/** Elasticsearch field types of vendor fields (the IR's declared vendor types). */
function vendorType(ecsType: string): string {
  return [
    'keyword',
    'long',
    'double',
    'boolean',
    'ip',
    'date',
    'match_only_text',
    'text',
    'wildcard',
    'flattened',
  ].includes(ecsType)
    ? ecsType
    : 'keyword';
}

/** One entry of `fields/fields.yml` (package-spec `data_stream/fields/fields.spec.yml`). */
export interface VendorField {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** Index the document without this field when its value does not parse as `type`. */
  readonly ignore_malformed?: true;
}

/**
 * The Elasticsearch field type of a record field the stream's schema declares, or `undefined`
 * when the declaration settles none (`any`, a field whose children are declared on their own:
 * they carry the types): such a field is left to
 * the index template's dynamic mapping.
 *
 * - one scalar type: `string` → `keyword` (`ip` when `ip` is its only format: a time format stays
 *   `keyword`, the vendor's text as sent; `@timestamp` holds the parsed time); `integer` → `long`;
 *   `number` (with or without `integer`) → `double`; `boolean` → `boolean`;
 * - mixed scalar alternatives (`integer | string`) → `keyword`, which indexes numbers and booleans
 *   as their text;
 * - an object with no declared children, or an array of objects → `flattened`;
 * - an array of one scalar type → that type (Elasticsearch arrays are any number of values).
 *
 * The numeric, `boolean` and `ip` types get `ignore_malformed: true`, so a tier-2 value (module
 * doc of `compiler/ir.ts`) that does not parse leaves the field unindexed instead of rejecting
 * the document (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/ignore-malformed.html:
 * numeric, boolean, date, ip). `keyword` has no such parameter: a JSON object or array where a
 * string is declared is rejected by the mapping (README, "Elastic").
 */
export function schemaFieldType(
  field: SchemaFieldIR,
  hasChildren: boolean,
): Omit<VendorField, 'name' | 'description'> | undefined {
  const scalar = (types: readonly ValueType[]): Omit<VendorField, 'name' | 'description'> | undefined => {
    if (types.includes('any') || types.includes('object') || types.includes('array')) return undefined;
    if (types.length === 1 && types[0] === 'string') {
      const ipOnly = field.formats.length > 0 && field.formats.every((f) => f.kind === 'ip');
      return ipOnly ? { type: 'ip', ignore_malformed: true } : { type: 'keyword' };
    }
    if (types.length === 1 && types[0] === 'integer') return { type: 'long', ignore_malformed: true };
    if (types.length === 1 && types[0] === 'boolean') return { type: 'boolean', ignore_malformed: true };
    if (types.every((t) => t === 'number' || t === 'integer')) return { type: 'double', ignore_malformed: true };
    return { type: 'keyword' };
  };
  const { types } = field;
  if (hasChildren) return undefined;
  if (types.length === 1 && types[0] === 'object') return { type: 'flattened' };
  if (types.length === 1 && types[0] === 'array') {
    const items = field.items?.types ?? ['any'];
    if (items.length === 1 && items[0] === 'object') return { type: 'flattened' };
    return field.items?.items === undefined ? scalar(items) : undefined;
  }
  return scalar(types);
}

/**
 * `fields/fields.yml`: the vendor fields.
 *
 * The kept record (`unmapped keep`) lies under the namespace. Without a record schema its fields
 * are whatever the vendor sends, so the namespace is one `flattened` field (every leaf searchable
 * as a keyword, no mapping explosion). With a schema, each declared field is declared under the
 * namespace with the type its declaration settles ({@link schemaFieldType}), as elastic/integrations
 * packages declare theirs (e.g. `packages/entro/data_stream/audit/fields/fields.yml`); fields the
 * schema does not declare, and declared paths with a segment the package specification cannot
 * carry ({@link isFieldsName}), are left to the index template's dynamic mapping. Order: rule
 * targets in rule order, then the schema's fields in declaration order.
 *
 * Vendor targets of rules get their declared types (a rule's written value outranks the schema's
 * declaration of the same path), under names the package specification accepts (else refused at
 * the rule: `fieldsName` in `./quote.ts`).
 */
export function vendorFields(ir: IntegrationIR, stream: StreamIR): VendorField[] {
  const ns = stream.mapping.namespace;
  const nsName = ns.join('.');
  const schema = stream.schema;
  const out = new Map<string, VendorField>();
  const ruleDestinations = new Set<string>();
  for (const rule of stream.mapping.rules) {
    const name = rule.destination.join('.');
    if (!rule.destinationType.vendor || ruleDestinations.has(name)) continue;
    if (stream.mapping.keepUnmapped && !schema && (name === nsName || name.startsWith(`${nsName}.`))) continue;
    located(rule.loc, () => fieldsName(rule.destination));
    ruleDestinations.add(name);
    out.set(name, { name, type: vendorType(rule.destinationType.ecsType), description: `${ir.vendor} field ${name}.` });
  }
  if (stream.mapping.keepUnmapped && !schema) {
    return [
      { name: nsName, type: 'flattened', description: `The ${ir.vendor} record, without the fields mapped to ECS.` },
      ...out.values(),
    ];
  }
  if (stream.mapping.keepUnmapped && schema) {
    const declared = schema.fields.map((f) => f.path.join('\u0000'));
    for (const field of schema.fields) {
      const key = field.path.join('\u0000');
      const hasChildren = declared.some((d) => d.startsWith(`${key}\u0000`));
      const type = schemaFieldType(field, hasChildren);
      const path = [...ns, ...field.path];
      const name = path.join('.');
      if (type === undefined || out.has(name) || !isFieldsName(path)) continue;
      out.set(name, {
        name,
        type: type.type,
        description: `${ir.vendor} record field ${field.path.join('.')}.`,
        ...(type.ignore_malformed ? { ignore_malformed: true } : {}),
      });
    }
  }
  return [...out.values()];
}

/**
 * `_dev/build/docs/README.md`, the template `docs/README.md` is rendered from (`./docs.ts`): map
 * text only through `markdownCode` and `markdownInline` (`./quote.ts`), which escape `{` and `}`,
 * so the only template actions are each stream's `{{event "<stream>"}}` (with a sample event)
 * and `{{fields "<stream>"}}`.
 */
export function readme(
  ir: IntegrationIR,
  required: readonly Requirement[],
  samples: ReadonlySet<string>,
  built: ReadonlySet<string>,
): string {
  const lines = [
    `# ${md(ir.title)}`,
    '',
    md(ir.description),
    '',
    `This package was generated by mapc from ${markdownCode(ir.sourceFile)}. It collects data with the Elastic Agent`,
    "CEL input and maps each record to ECS in the data stream's ingest pipeline.",
    '',
    '## Requirements',
    '',
    // The features are mapc's own constants (./versions.ts), not map text.
    `Kibana and Elasticsearch ${kibanaRange(required)}${required.length > 0 ? `, for ${required.map((r) => `\`${r.feature}\` (${r.since.join('.')})`).join(', ')}` : ''}.`,
    '',
    '## Setup',
    '',
    '| Setting | Type | Required | Default | Description |',
    '|---|---|---|---|---|',
    ...ir.settings.map(
      (s) =>
        `| ${md(s.title)} (${markdownCode(fleetVariable(ir, s.name))}) | ${s.type} | ${s.required ? 'yes' : 'no'} | ${s.default === undefined ? '' : markdownCode(String(s.default))} | ${md(s.description)} |`,
    ),
    ...ir.secrets.map(
      (s) =>
        `| ${md(s.title)} (${markdownCode(s.name)}) | secret | yes |  | ${[md(s.description), 'Stored as a Fleet secret.'].filter(Boolean).join(' ')} |`,
    ),
    '',
    '## Data streams',
    '',
  ];
  for (const s of ir.streams) {
    lines.push(`### ${md(s.name)}`, '', `${md(s.title)}: dataset ${markdownCode(s.dataset)}.`, '');
    if (s.mapping.keepUnmapped)
      lines.push(
        `Fields of the record that are not mapped to ECS stay under ${markdownCode(s.mapping.namespace.join('.'))}.`,
        '',
      );
    const id = s.mapping.documentId;
    if (id?.kind === 'raw') {
      lines.push(
        `The document id is the vendor's ${markdownCode(id.field.join('.'))} as is, so a record fetched twice is stored once (a record without a usable one gets an id from Elasticsearch).`,
        '',
      );
    } else if (id) {
      lines.push(
        `The document id is a SHA-256 of ${id.fields.map((f) => markdownCode(f.join('.'))).join(', ')}, so a record fetched twice is stored once.`,
        '',
      );
    }
    if (!/^[a-z0-9_]+$/.test(s.name)) throw new Error(`stream name ${s.name} is not a template argument`);
    if (samples.has(s.name)) lines.push(`{{event "${s.name}"}}`, '');
    if (built.has(s.name)) lines.push(`{{fields "${s.name}"}}`, '');
  }
  return `${lines.join('\n')}\n`;
}
