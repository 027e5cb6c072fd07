/**
 * The package documentation as elastic/integrations packages keep it: a template
 * `_dev/build/docs/README.md` with the helpers `{{fields "<stream>"}}` and `{{event "<stream>"}}`,
 * and `docs/README.md` rendered from it as `elastic-package build` renders it, plus each data
 * stream's `sample_event.json`.
 *
 * The two helpers follow elastic/elastic-package `internal/docs` (read at commit
 * 03f2511bfb3787933774f3a72d6e7c27f5728a63, `exported_fields.go`, and the rendered READMEs of
 * current packages):
 * - `fields`: `**Exported fields**`, a blank line, then the table `| Field | Description | Type |`
 *   / `|---|---|---|` with one row per leaf field of the data stream's `fields/*.yml`, `external:
 *   ecs` fields resolved against ECS (type and text), sorted by name (byte order), first of each name kept,
 *   newlines in descriptions turned into spaces, `*`, `{`, `}`, `<`, `>` backslash-escaped in names
 *   and descriptions (`escaper`), except that a description holding map text (a vendor field's)
 *   goes through the project's Markdown quoting instead (`markdownInline`, which escapes those and
 *   every other inline construct: table cells, links, code spans, HTML); no Unit / Metric Type columns (logs packages set neither);
 * - `event`: `An example event for `<stream>` looks as following:`, a blank line, and the data
 *   stream's `sample_event.json` in a `json` code block, indented by four spaces.
 *
 * Two differences from `elastic-package build`, both in the rows of `external: ecs` fields: the
 * description is ECS's `short` text, not its long `description`, and ECS multi-fields (e.g.
 * `error.message` has none, `user.name.text` is one) get no row of their own. The compiler's ECS
 * table (`compiler/ecs/index.ts`) holds only `short`, and the bundled CLI ships it cut to what
 * the compiler reads, at most half of `EcsFlat` (`scripts/build.ts`, `test/cli/ecs-bundle.test.ts`);
 * the long descriptions would take it over that bound. Run `elastic-package build` to get the
 * long form.
 *
 * This renderer implements those two helpers and nothing else of Go's `text/template`: any other
 * `{{` in the template is a bug (map text reaches the template only through `markdownText`,
 * which escapes `{` and `}`), so it throws.
 *
 * @module
 */
import { ecsSchema } from '../../compiler/ecs/index.ts';
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import type { FixtureCase } from '../contract.ts';
import { baseFields, ecsFields, vendorFields } from './package.ts';
import { minimumVersion, type Requirement } from './versions.ts';
import { markdownInline } from './quote.ts';

/** One row of the exported-fields table. */
export interface FieldRow {
  readonly name: string;
  readonly description: string;
  readonly type: string;
  /**
   * The description holds map text (a vendor field's, which names the map's `vendor`): it is
   * written through the project's Markdown quoting (`markdownInline`), not elastic-package's
   * narrower `escaper`, so it can add no table cell, link, code span or HTML.
   */
  readonly mapText?: true;
}

/** The rows of a data stream's fields, as `elastic-package` collects them (module doc). */
export function exportedFieldRows(ir: IntegrationIR, stream: StreamIR): FieldRow[] {
  const schema = ecsSchema(ir.ecsVersion);
  if (!schema) throw new Error(`the IR names ECS ${ir.ecsVersion}, which mapc does not ship`);
  const rows: FieldRow[] = [];
  for (const f of baseFields(stream) as { name: string; type: string; description: string }[]) rows.push(f);
  for (const { name } of ecsFields(stream) as { name: string }[]) {
    // Keys under ECS object fields (`labels.env`) resolve to their parent's text and type.
    const ecs = schema.resolve(name);
    if (!ecs) throw new Error(`ecs.yml names ${name}, which is not an ECS field`);
    rows.push({ name, description: ecs.short, type: ecs.type });
  }
  for (const f of vendorFields(ir, stream))
    rows.push({ name: f.name, description: f.description, type: f.type, mapText: true });
  const byName = new Map<string, FieldRow>();
  for (const r of [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    if (!byName.has(r.name)) byName.set(r.name, r);
  return [...byName.values()];
}

/** elastic-package's `escaper`: `*`, `{`, `}`, `<`, `>` get a backslash. */
const escape = (text: string): string => text.replace(/[*{}<>]/g, (c) => `\\${c}`);

/** The `{{fields "<stream>"}}` text. */
export function renderFields(rows: readonly FieldRow[]): string {
  const lines = ['**Exported fields**', ''];
  if (rows.length === 0) return `${lines.join('\n')}\n(no fields available)\n`;
  lines.push('| Field | Description | Type |', '|---|---|---|');
  for (const r of rows)
    lines.push(
      `| ${escape(r.name)} | ${r.mapText ? markdownInline(r.description) : escape(r.description.replace(/\n/g, ' ').trim())} | ${r.type} |`,
    );
  return `${lines.join('\n')}\n`;
}

/**
 * The `{{event "<stream>"}}` text. The sample holds vendor data (fixture records): its code fence
 * is longer than any run of backticks in it (CommonMark 0.31.2 §4.5), so no value can close the
 * fence and add Markdown; without backticks it is elastic-package's three.
 */
export function renderEvent(stream: string, sample: unknown): string {
  const json = JSON.stringify(sample, null, 4);
  const longest = Math.max(0, ...(json.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `An example event for \`${stream}\` looks as following:\n\n${fence}json\n${json}\n${fence}\n`;
}

/**
 * Renders the README template: each `{{fields "s"}}` / `{{event "s"}}` replaced by its text.
 *
 * @throws Error for a helper naming an unknown stream, an `event` of a stream without a sample
 *   event, or any other `{{`.
 */
export function renderReadme(
  template: string,
  fields: ReadonlyMap<string, readonly FieldRow[]>,
  samples: ReadonlyMap<string, unknown>,
): string {
  const out = template.replace(/\{\{(fields|event) "([a-z0-9_]+)"\}\}/g, (_m, helper: string, name: string) => {
    if (helper === 'fields') {
      const rows = fields.get(name);
      if (!rows) throw new Error(`{{fields "${name}"}}: no such data stream`);
      return renderFields(rows);
    }
    if (!samples.has(name)) throw new Error(`{{event "${name}"}}: no sample event`);
    return renderEvent(name, samples.get(name));
  });
  if (out.includes('{{')) throw new Error('the README template holds a Go template action other than fields/event');
  return out;
}

/**
 * `data_stream/<stream>/sample_event.json`: the first fixture's expected document with the
 * fields the Elastic Agent and Fleet add to every document, as current packages show them
 * (elastic/integrations `packages/entro/data_stream/audit/sample_event.json`): `agent.*`
 * (`ephemeral_id`, `id`, `name`, `type: filebeat`, `version`), `data_stream.*` (`type`,
 * `dataset`, `namespace`), `elastic_agent.*` (`id`, `snapshot`, `version`),
 * `event.agent_id_status` and `event.ingested` (Fleet's final pipeline), `input.type: cel`, and
 * the stream's default `tags`. No `host.*`: the stream template sets
 * `publisher_pipeline.disable_host` for the default `forwarded` tag. Ids and times are fixed
 * example values; the agent version is the first stack version the package installs on.
 */
export function sampleEvent(
  ir: IntegrationIR,
  stream: StreamIR,
  first: FixtureCase,
  required: readonly Requirement[],
): Record<string, unknown> {
  const version = minimumVersion(required).join('.');
  const agentId = '6b1a4a6e-0000-4000-8000-000000000001';
  const doc = first.expected.doc as Record<string, unknown>;
  const event = (typeof doc['event'] === 'object' && doc['event'] !== null ? doc['event'] : {}) as Record<
    string,
    unknown
  >;
  const merged: Record<string, unknown> = {
    ...doc,
    agent: {
      ephemeral_id: '6b1a4a6e-0000-4000-8000-000000000002',
      id: agentId,
      name: 'elastic-agent-mapc',
      type: 'filebeat',
      version,
    },
    data_stream: { dataset: stream.dataset, namespace: 'default', type: 'logs' },
    elastic_agent: { id: agentId, snapshot: false, version },
    event: { ...event, agent_id_status: 'verified', ingested: '2026-01-01T00:00:00Z' },
    input: { type: 'cel' },
    tags: ['forwarded', `${ir.name}-${stream.name}`],
  };
  return sortedKeys(merged) as Record<string, unknown>;
}

/** `value` with every object's keys in byte order, as Go's `encoding/json` writes a map (arrays keep their order). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortedKeys(v)]),
  );
}
