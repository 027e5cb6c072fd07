/**
 * The generated failure report (targets/elastic/lean.ts `reportSource`, straight-line Painless)
 * and the constant one it replaces where it fits ({@link REPORT_SCRIPT} with `reportParams`,
 * still used for a long report or a long path) give the same documents on OpenSearch 2.19, over
 * entries of every kind (a type test, a target test, a rename, consuming with and without the
 * preserve tag, a path step 5 consumes whose parent is not a Map) and documents with missing,
 * null, conforming and violating values, an `error.message` already a scalar or a list, and the
 * preserve tag; and the evaluator (test/emulated/ingest) gives OpenSearch's documents for both.
 * The report behind its `if` with the `remove` before it (`reportProcessors`: the script only when a
 * rule failed or a consumed source is still there) gives the always-running report's documents, on
 * OpenSearch and on the evaluator, and takes the `remove` alone on documents where every rule
 * succeeded. Map text reaches the generated report only as Painless string literals: every hostile string
 * (test/security/corpus.ts `CORE_HOSTILE`) as a path segment and inside the message is refused
 * (`Unquotable`) or carried exactly, on OpenSearch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  reportParams,
  reportProcessors,
  reportSource,
  type Reported,
  type ReportConsumed,
} from '../../../targets/elastic/lean.ts';
import { REPORT_SCRIPT } from '../../../targets/elastic/painless.ts';
import { Unquotable } from '../../../targets/elastic/quote.ts';
import { CORE_HOSTILE } from '../../security/corpus.ts';
import type { Json, JsonMap } from '../../emulated/ingest/document.ts';
import { simulate, type PipelineDefinition } from '../../emulated/ingest/processors.ts';
import type { OpenSearchNode } from './node.ts';
import { sharedOpenSearch } from './shared.ts';
import { simulate as simulateOn } from './simulate.ts';

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

/**
 * Each pipeline's documents (or `'error'`) on OpenSearch, by pipeline name, after checking that
 * the evaluator gives the same for every document.
 */
async function runBoth(
  pipelines: Record<string, PipelineDefinition>,
  docs: readonly JsonMap[],
): Promise<Record<string, Json[]>> {
  const outputs: Record<string, Json[]> = {};
  for (const [name, pipeline] of Object.entries(pipelines)) {
    const got = await simulateOn(node, pipeline, docs);
    outputs[name] = got.map((d) => (d.error ? 'error' : (d.doc!._source as JsonMap)));
    docs.forEach((doc, i) => {
      const mine = simulate(pipeline, structuredClone(doc));
      expect(mine.ok ? mine.doc : 'error', `${name} ${JSON.stringify(doc)}`).toEqual(outputs[name]![i]);
    });
  }
  return outputs;
}

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
    const outputs = await runBoth(pipelines, DOCS);
    expect(outputs['generated']).toEqual(outputs['constant']);
    // The documents really exercise failures, removals and the tag.
    expect(JSON.stringify(outputs['generated'])).toContain('cannot map op to event.action');
    expect(outputs['generated']![1]).toEqual({
      v: { id: 'a', ts: '2024', op: 'Login', n: {}, ip: '10.0.0.1' },
      error: expect.anything(),
    });
  });

  it('runs only when needed: the script behind its `if` and the `remove` before it give the always-running report’s documents', async () => {
    // Documents on which every rule succeeded and every consumed source is there, beside DOCS.
    const succeeded: JsonMap = {
      v: { ts: 't', op: 'Login', n: { k: 5 }, ip: 'x', x: { y: 1, z: 2 } },
      '@timestamp': 'now',
      source: { ip: '10.0.0.1' },
      event: { action: 'login' },
    };
    const docs: JsonMap[] = [
      ...DOCS,
      succeeded,
      { ...succeeded, error: { message: 'earlier' } },
      { ...succeeded, tags: ['preserve_duplicate_custom_fields'] },
      { ...succeeded, v: { ...(succeeded['v'] as JsonMap), id: 'left' } },
      { ...succeeded, v: { ...(succeeded['v'] as JsonMap), op: null } },
      { ...succeeded, event: {} },
    ];
    // A production-shaped report too: consuming entries with targets, a derived append, a type test.
    const derived: Reported[] = [
      ENTRIES[1]!,
      ENTRIES[4]!,
      { source: ['v', 'ip'], target: ['source', 'ip'], message: 'related.ip', consume: false, keepable: true },
      ENTRIES[2]!,
    ];
    // The IP rule and its derived append last: they fail under one test, so one `append` of both
    // messages and the IP's own `remove` follow the report of the others.
    const tail: Reported[] = [ENTRIES[1]!, ENTRIES[2]!, ENTRIES[4]!, derived[2]!];
    const tag = { tag: (base: string) => base };
    for (const [entries, consumed, kinds] of [
      [ENTRIES, CONSUMED, ['remove', 'script']],
      [derived, [CONSUMED[0]!], ['remove', 'script']],
      [tail, [CONSUMED[0]!], ['remove', 'script', 'append', 'remove']],
    ] as const) {
      const lean = reportProcessors(tag, entries, 1, consumed) as unknown as PipelineDefinition['processors'];
      expect(lean.map((p) => Object.keys(p)[0])).toEqual(kinds);
      const pipelines: Record<string, PipelineDefinition> = {
        lean: { processors: lean },
        always: { processors: [{ script: { lang: 'painless', source: reportSource(entries, 1, consumed)! } }] },
        // Everything but the script: alone, it does the whole work where every rule succeeded.
        remove: { processors: lean.filter((p) => !('script' in p)) },
      };
      const outputs = await runBoth(pipelines, docs);
      expect(outputs['lean']).toEqual(outputs['always']);
      // Without the script the rest does the whole work where every rule succeeded (its `if` is false).
      const shortcut = docs.indexOf(succeeded);
      expect(outputs['remove']![shortcut]).toEqual(outputs['always']![shortcut]);
      expect(outputs['remove']![shortcut]).not.toEqual(succeeded);
      // ...and there the script's `if` is false; where a rule failed or a source stays it is true.
      // (The script under its own `if` replaced by a mark, on OpenSearch: the evaluator runs reviewed scripts only.)
      const probe: PipelineDefinition = {
        processors: lean.map((p) =>
          'script' in p ? { script: { lang: 'painless', source: 'ctx.report_ran = true', if: p['script']!['if'] } } : p,
        ),
      };
      const ran = (await simulateOn(node, probe, docs)).map((d) => d.doc?._source['report_ran'] === true);
      expect(ran[shortcut]).toBe(false);
      expect(ran[docs.indexOf(succeeded) + 5], 'a target missing keeps its source').toBe(true);
      expect(ran[docs.indexOf(succeeded) + 2], 'the preserve tag keeps the sources').toBe(true);
    }
  });

  it('falls back to the constant script for a path longer than the long-path limit', () => {
    const long = Array.from({ length: 13 }, (_, i) => `s${i}`);
    expect(reportSource([{ source: long, message: 'm', consume: false, keepable: true }], 1)).toBeUndefined();
  });

  it('carries every hostile string exactly as a path segment and in the message, or refuses it, on OpenSearch', async () => {
    let carried = 0;
    const pending: Promise<void>[] = [];
    for (const h of CORE_HOSTILE) {
      const entries: Reported[] = [
        { source: ['v', h], types: ['String'], message: `failed ${h}`, consume: true, keepable: false },
      ];
      let source: string | undefined;
      try {
        source = reportSource(entries, 1);
      } catch (error) {
        expect(error, JSON.stringify(h)).toBeInstanceOf(Unquotable);
        continue;
      }
      if (source === undefined) {
        // Over the generated report's size bound: the constant script with params carries it.
        expect(h.length * 2, 'only a very long text falls back').toBeGreaterThan(16_384 - 1_000);
        continue;
      }
      carried++;
      pending.push(
        (async () => {
          const docs = await simulateOn(node, { processors: [{ script: { lang: 'painless', source: source! } }] }, [
            { v: { [h]: 5, other: 1 } },
            { v: { [h]: 'text', other: 1 } },
          ]);
          expect(
            docs.map((d) => d.doc?._source),
            JSON.stringify(h),
          ).toEqual([{ v: { [h]: 5, other: 1 }, error: { message: [`failed ${h}`] } }, { v: { other: 1 } }]);
        })(),
      );
      if (pending.length >= 8) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    expect(carried).toBeGreaterThan(CORE_HOSTILE.length / 2);
  });
});
