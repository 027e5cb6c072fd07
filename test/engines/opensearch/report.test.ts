/**
 * The generated failure report (targets/elastic/lean.ts `reportSource`, straight-line Painless)
 * and the constant one it replaces where it fits ({@link REPORT_SCRIPT} with `reportParams`,
 * still used for a long report or a long path) give the same documents on OpenSearch 2.19, over
 * entries of every kind (a type test, a target test, a rename, consuming with and without the
 * preserve tag, a path step 5 consumes whose parent is not a Map) and documents with missing,
 * null, conforming and violating values, an `error.message` already a scalar or a list, and the
 * preserve tag; and the evaluator (test/emulated/ingest) gives OpenSearch's documents for both.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { reportParams, reportSource, type Reported, type ReportConsumed } from '../../../targets/elastic/lean.ts';
import { REPORT_SCRIPT } from '../../../targets/elastic/painless.ts';
import type { Json, JsonMap } from '../../emulated/ingest/document.ts';
import { simulate, type PipelineDefinition } from '../../emulated/ingest/processors.ts';
import type { OpenSearchNode } from './node.ts';
import { sharedOpenSearch } from './shared.ts';

let node: OpenSearchNode;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

const ENTRIES: Reported[] = [
  {
    source: ['v', 'id'],
    message: "mapc: cannot map id to event.id (a rename's value left)",
    consume: false,
    keepable: true,
  },
  {
    source: ['v', 'ts'],
    target: ['@timestamp'],
    message: 'mapc: cannot map ts to @timestamp',
    consume: true,
    keepable: true,
  },
  {
    source: ['v', 'op'],
    types: ['String'],
    message: 'mapc: cannot map op to event.action',
    consume: false,
    keepable: true,
  },
  { source: ['v', 'n', 'k'], types: ['Integer', 'Long'], message: "it's \\ quoted", consume: true, keepable: false },
  {
    source: ['v', 'ip'],
    target: ['source', 'ip'],
    message: 'mapc: cannot map ip to source.ip',
    consume: true,
    keepable: true,
  },
];
const CONSUMED: ReportConsumed[] = [
  { path: ['v', 'op'], when: ['event', 'action'], keepable: true },
  { path: ['v', 'x', 'y'], when: ['event', 'action'], keepable: false },
];

const DOCS: JsonMap[] = [
  { v: {} },
  { v: { id: 'a', ts: '2024', op: 'Login', n: { k: 5 }, ip: '10.0.0.1' } },
  { v: { id: null, ts: 't', op: 5, n: { k: 'five' }, ip: 'x' }, '@timestamp': 'now', source: { ip: '10.0.0.1' } },
  { v: { op: 'Login', x: 'text' }, event: { action: 'login' } },
  { v: { op: ['Login'], x: { y: 1, z: 2 } }, event: { action: 'login' }, tags: ['preserve_duplicate_custom_fields'] },
  { v: { ts: 't', n: { k: 9 } }, '@timestamp': 'now', tags: ['preserve_duplicate_custom_fields'] },
  { v: { id: 1, op: true }, error: { message: 'earlier' } },
  { v: { id: 1, ts: 2 }, error: { message: ['a', 'b'] } },
  { v: { n: 'not a map', op: {} } },
];

describe('the generated failure report', () => {
  it('gives the constant report script’s documents on OpenSearch, and the evaluator gives both', async () => {
    const generated = reportSource(ENTRIES, 1, CONSUMED);
    expect(generated).toBeDefined();
    const pipelines: Record<string, PipelineDefinition> = {
      generated: { processors: [{ script: { lang: 'painless', source: generated! } }] },
      constant: {
        processors: [{ script: { lang: 'painless', source: REPORT_SCRIPT, params: reportParams(ENTRIES, CONSUMED) } }],
      },
    };
    const outputs: Record<string, Json[]> = {};
    for (const [name, pipeline] of Object.entries(pipelines)) {
      const { status, json } = await node.request('POST', '/_ingest/pipeline/_simulate', {
        pipeline,
        docs: DOCS.map((d) => ({ _source: d })),
      });
      expect(status, JSON.stringify(json)).toBe(200);
      const docs = (json as { docs: { doc?: { _source: JsonMap }; error?: unknown }[] }).docs;
      outputs[name] = docs.map((d) => (d.error ? 'error' : d.doc!._source));
      DOCS.forEach((doc, i) => {
        const mine = simulate(pipeline, structuredClone(doc));
        expect(mine.ok ? mine.doc : 'error', `${name} ${JSON.stringify(doc)}`).toEqual(outputs[name]![i]);
      });
    }
    expect(outputs['generated']).toEqual(outputs['constant']);
    // The documents really exercise failures, removals and the tag.
    expect(JSON.stringify(outputs['generated'])).toContain('cannot map op to event.action');
    expect(outputs['generated']![1]).toEqual({
      v: { id: 'a', ts: '2024', op: 'Login', n: {}, ip: '10.0.0.1' },
      error: expect.anything(),
    });
  });

  it('falls back to the constant script for a path longer than the long-path limit', () => {
    const long = Array.from({ length: 13 }, (_, i) => `s${i}`);
    expect(reportSource([{ source: long, message: 'm', consume: false, keepable: true }], 1)).toBeUndefined();
  });
});
