/**
 * Bool settings tested by the mapping (`when setting.x`, `original when setting.x`) reach the
 * ingest pipeline as `ctx.tags` entries: a small map compiled end to end, its CEL stream template
 * rendered as Fleet renders it, the rendered `tags` put on the event as the Elastic Agent does,
 * and the generated pipeline run by the evaluator of test/emulated/ingest.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { emitCelInput } from '../../../targets/elastic/cel.ts';
import { pipelineTagSettings } from '../../../targets/elastic/cel/stream-template.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { renderConfig } from '../../engines/mito/fleet.ts';
import { simulate, type PipelineDefinition } from '../../emulated/ingest/processors.ts';
import type { JsonMap } from '../../emulated/ingest/document.ts';

const MAP = `
integration flagtest { title "Flag test" vendor "Acme" version "0.1.0" description "Bool settings in conditions." }

setting base_url: url required { title "API base URL" }
setting flag: bool = false { title "Mark events as alerts" }
setting other: bool { title "Unused by any condition" }
setting preserve_original_event: bool = false { title "Preserve original event" }
secret api_token { title "API token" }

stream events {
  dataset  "flagtest.events"
  interval 5m
  auth     bearer secret.api_token
  request  GET "{base_url}/v1/events"
  records  items
  map {
    namespace flagtest.events
    unmapped  keep
    original  when setting.preserve_original_event
    event.kind = "alert" when setting.flag
    event.id   = id
  }
}
`;

function compile(): IntegrationIR {
  const { ir, diagnostics } = compileSource(MAP, 'flagtest.map');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return ir!;
}

describe('when setting.x through the CEL template and the ingest pipeline', () => {
  const ir = compile();
  const stream = ir.streams[0]!;
  const { template, diagnostics } = emitCelInput(ir, stream);
  const { pipeline } = buildPipeline(ir, stream);
  const record = { id: 'e1', n: 1 };

  /** The document the pipeline makes from `record` under Fleet variables `vars`. */
  function documentWith(vars: Record<string, unknown>): JsonMap {
    const config = renderConfig(template, {
      base_url: 'https://api.example',
      api_token: 'fake-token',
      tags: ['forwarded'],
      ...vars,
    });
    const tags = (config.tags ?? []) as string[];
    const r = simulate(pipeline as unknown as PipelineDefinition, { message: JSON.stringify(record), tags });
    if (!r.ok) throw new Error(r.error);
    return r.doc;
  }

  it('emits one tag block per bool setting a condition reads, and none for the others', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(pipelineTagSettings(stream.mapping)).toEqual(['flag']);
    expect(template).toContain('{{#if flag}}\n  - flag\n{{/if}}');
    // `original when` and `unmapped keep` add the elastic/integrations convention tags.
    expect(template).toContain('{{#if preserve_original_event}}\n  - preserve_original_event\n{{/if}}');
    expect(template).toContain(
      '{{#if preserve_duplicate_custom_fields}}\n  - preserve_duplicate_custom_fields\n{{/if}}',
    );
    expect(template).not.toContain('{{#if other}}');
  });

  it('fires the rule only when the Fleet variable is true', () => {
    const base = {
      ecs: { version: ir.ecsVersion },
      event: { dataset: 'flagtest.events', id: 'e1' },
      flagtest: { events: { n: 1 } },
    };
    expect(documentWith({ flag: true })).toEqual({
      ...base,
      event: { ...base.event, kind: 'alert' },
      tags: ['flag', 'forwarded'],
    });
    expect(documentWith({ flag: false })).toEqual({ ...base, tags: ['forwarded'] });
    expect(documentWith({})).toEqual({ ...base, tags: ['forwarded'] });
  });

  it('works next to original when', () => {
    const doc = documentWith({ flag: true, preserve_original_event: true });
    expect(doc['event']).toEqual({
      dataset: 'flagtest.events',
      id: 'e1',
      kind: 'alert',
      original: JSON.stringify(record),
    });
    expect(doc['tags']).toEqual(['preserve_original_event', 'flag', 'forwarded']);
  });
});
