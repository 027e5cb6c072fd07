/**
 * The package docs (targets/elastic/docs.ts): the `_dev/build/docs/README.md` template, its
 * rendering into `docs/README.md` with the two elastic-package helpers, and `sample_event.json`.
 */
import { describe, expect, it } from 'vitest';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { renderEvent, renderFields, renderReadme } from '../../../targets/elastic/docs.ts';
import type { FixtureCase } from '../../../targets/contract.ts';
import { listFixtureStreams, loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';

function emitEntro(): Map<string, string> {
  const ir = loadFixtureIR('entro');
  const fixtures = new Map<string, FixtureCase[]>();
  for (const { vendor, stream } of listFixtureStreams())
    if (vendor === 'entro') fixtures.set(stream, loadFixtureCases(vendor, stream));
  const { files } = elasticBackend.emit(ir, { fixtures });
  return new Map(files.map((f) => [f.path, f.content]));
}

describe('package docs', () => {
  it('the template holds the two helpers per stream; the rendered README replaces them', () => {
    const files = emitEntro();
    const template = files.get('_dev/build/docs/README.md')!;
    expect(template).toContain('{{event "audit"}}\n\n{{fields "audit"}}\n');
    const rendered = files.get('docs/README.md')!;
    expect(rendered).not.toContain('{{');
    expect(rendered).toContain('An example event for `audit` looks as following:\n\n```json\n{\n    "@timestamp"');
    expect(rendered).toContain('**Exported fields**\n\n| Field | Description | Type |\n|---|---|---|\n| @timestamp |');
    expect(rendered).toContain('| rule.name | Rule name | keyword |');
  });

  it('sample_event.json is the first expected document plus the Agent fields, keys in byte order', () => {
    const files = emitEntro();
    const sample = JSON.parse(files.get('data_stream/audit/sample_event.json')!) as Record<string, unknown>;
    const first = loadFixtureCases('entro', 'audit')[0]!.expected.doc as Record<string, unknown>;
    expect(sample['rule']).toEqual(first['rule']);
    expect(sample['entro']).toEqual(first['entro']);
    expect(sample['data_stream']).toEqual({ dataset: 'entro.audit', namespace: 'default', type: 'logs' });
    expect(sample['input']).toEqual({ type: 'cel' });
    expect(sample['tags']).toEqual(['forwarded', 'entro-audit']);
    expect(Object.keys(sample['agent'] as object)).toEqual(['ephemeral_id', 'id', 'name', 'type', 'version']);
    expect((sample['event'] as Record<string, unknown>)['agent_id_status']).toBe('verified');
    expect(Object.keys(sample)).toEqual([...Object.keys(sample)].sort());
    expect(sample['host']).toBeUndefined();
  });

  it('escapes as elastic-package does, and refuses any other template action', () => {
    expect(renderFields([{ name: 'a.*', description: 'x {y} <z>\nw', type: 'keyword' }])).toBe(
      '**Exported fields**\n\n| Field | Description | Type |\n|---|---|---|\n| a.\\* | x \\{y\\} \\<z\\> w | keyword |\n',
    );
    expect(renderFields([])).toBe('**Exported fields**\n\n(no fields available)\n');
    // Map text (a vendor field's description names the map's vendor) adds no cell, link or code.
    const hostile = renderFields([
      {
        name: 'v.x',
        description: 'Acme | [go](https://evil.example) `c` <b> field v.x.',
        type: 'keyword',
        mapText: true,
      },
    ]);
    expect(hostile).toBe(
      '**Exported fields**\n\n| Field | Description | Type |\n|---|---|---|\n' +
        '| v.x | Acme \\| \\[go\\](https://evil.example) \\`c\\` \\<b\\> field v.x. | keyword |\n',
    );
    expect(renderEvent('s', { a: 1 })).toBe(
      'An example event for `s` looks as following:\n\n```json\n{\n    "a": 1\n}\n```\n',
    );
    // A value with backticks cannot close the sample's code fence (the fence is longer).
    expect(renderEvent('s', { a: '```\n# x' })).toBe(
      'An example event for `s` looks as following:\n\n````json\n{\n    "a": "```\\n# x"\n}\n````\n',
    );
    expect(() => renderReadme('{{fields "nope"}}', new Map(), new Map())).toThrow(/no such data stream/);
    expect(() => renderReadme('{{event "s"}}', new Map([['s', []]]), new Map())).toThrow(/no sample event/);
    expect(() => renderReadme('{{ .Name }}', new Map(), new Map())).toThrow(/other than fields\/event/);
  });
});
