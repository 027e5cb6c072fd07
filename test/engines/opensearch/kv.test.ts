/**
 * The ingest `kv` processor as mapc writes it (`field_split`/`value_split` from
 * `targets/elastic/quote.ts` `javaLiteralRegex`, a `target_field`), on the real OpenSearch 2.19 node
 * and on the ingest evaluator's model of `KeyValueProcessor.java` (test/emulated/ingest), on texts
 * inside and outside the `kv` rule's accepted shape: both give the same document (partial writes
 * before a throw included), so the model holds where the generated pipeline's guard does not
 * stand in front of it. Then the hand-written behaviour the guard exists for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { javaLiteralRegex } from '../../../targets/elastic/quote.ts';
import { simulate } from '../../emulated/ingest/processors.ts';
import type { OpenSearchNode } from './node.ts';
import { sharedOpenSearch } from './shared.ts';
import { simulate as simulateOn, type SimulatePipeline } from './simulate.ts';

let node: OpenSearchNode;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

const TEXTS = [
  'user=alice action=login',
  'a=1 a=2 a=1',
  'a=b=c',
  'a=1 ',
  'a=1  b=2',
  ' a=1',
  'a= b=2',
  'a=',
  'a=1 b',
  '',
  'a="x y"',
  'a.b=1 a.c=2',
  'k[x]=(v)',
  'é=日本 😀=x',
  'a:1;b:2;',
  'a:1;;b:2',
  'x|y=1|z',
  'a=>1, b=>2, ',
  'a=>1,b=>2',
];
const SEPARATORS: readonly [string, string][] = [
  [' ', '='],
  [';', ':'],
  ['|', '='],
  [', ', '=>'],
];

function pipeline(fs: string, vs: string): SimulatePipeline {
  return {
    processors: [
      {
        kv: {
          field: 't',
          field_split: javaLiteralRegex(fs),
          value_split: javaLiteralRegex(vs),
          target_field: 'out',
          on_failure: [{ set: { field: 'failed', value: true } }],
        },
      },
    ],
  };
}

async function onNode(fs: string, vs: string, texts: readonly string[]): Promise<unknown[]> {
  const docs = await simulateOn(
    node,
    pipeline(fs, vs),
    texts.map((t) => ({ t })),
  );
  return docs.map((d) => d.doc?._source ?? d.error);
}

describe('the kv processor on OpenSearch 2.19 and on the ingest evaluator', () => {
  it('the node has the kv processor', async () => {
    const { json } = await node.request('GET', '/_nodes/ingest?filter_path=nodes.*.ingest.processors.type');
    expect(JSON.stringify(json)).toContain('"kv"');
  });

  it.each(SEPARATORS)('field_split %j, value_split %j: the same documents', async (fs, vs) => {
    const real = await onNode(fs, vs, TEXTS);
    const model = TEXTS.map((t) => {
      const result = simulate(pipeline(fs, vs) as never, { t });
      return 'doc' in result ? result.doc : result;
    });
    TEXTS.forEach((t, i) => expect({ text: t, doc: model[i] }).toEqual({ text: t, doc: real[i] }));
  });

  it('what the guard keeps out: empty pieces, dotted keys, quotes, partial writes', async () => {
    const [trailing, spaces, dotted, quoted, standalone] = await onNode(' ', '=', [
      'a=1 ',
      'a=1  b=2',
      'a.b=1',
      'a="x y"',
      'a=1 b',
    ]);
    // A trailing separator is dropped by String.split; an inner empty piece throws.
    expect(trailing).toEqual({ t: 'a=1 ', out: { a: '1' } });
    expect(spaces).toEqual({ t: 'a=1  b=2', out: { a: '1' }, failed: true });
    // A dotted key nests, where VRL and Logstash keep it as one key.
    expect(dotted).toEqual({ t: 'a.b=1', out: { a: { b: '1' } } });
    // Quotes are text, where VRL and Logstash unquote.
    expect(quoted).toEqual({ t: 'a="x y"', out: { a: '"x' }, failed: true });
    // A piece without the value separator throws after the earlier pieces were written.
    expect(standalone).toEqual({ t: 'a=1 b', out: { a: '1' }, failed: true });
  });
});
