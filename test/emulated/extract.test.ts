/**
 * `extract` on the interpreter and the two evaluators (test/emulated/ingest for the grok
 * processor, test/emulated/logstash for the ruby filter): every case of
 * test/support/extract-cases.ts gives its hand-written capture, or fails the rule; the Logstash
 * pipeline carries the pattern without a backslash, `${` or `%{` (as code points).
 */
import { describe, expect, it } from 'vitest';
import { logstashBackend } from '../../targets/logstash/index.ts';
import { engines, type EngineName } from '../agreement/engines.ts';
import { EXTRACT_CASES, extractCaseMap, extractOutcome } from '../support/extract-cases.ts';

describe.each<EngineName>(['interpreter', 'ingest', 'logstash'])('extract on %s', (name) => {
  const { ir, stream, records } = extractCaseMap();
  it('gives each case its capture, or fails the rule', async () => {
    const outputs = await engines(() => undefined)(name)(
      ir,
      stream.name,
      records.map((r) => JSON.stringify(r)),
    );
    const found = outputs.map((o, i) => ('doc' in o ? extractOutcome(o.doc, i) : o.crash));
    expect(found).toEqual(EXTRACT_CASES.map(([, , capture]) => capture));
  });
});

describe.each<EngineName>(['interpreter', 'ingest', 'logstash'])('extract with on_error ignore on %s', (name) => {
  it('writes the same captures, and a failing rule appends no error', async () => {
    const { ir, stream, records } = extractCaseMap();
    const ignoring = {
      ...ir,
      streams: [
        {
          ...stream,
          mapping: {
            ...stream.mapping,
            rules: stream.mapping.rules.map((r) => ({ ...r, onError: 'ignore' as const })),
          },
        },
      ],
    };
    const outputs = await engines(() => undefined)(name)(
      ignoring,
      stream.name,
      records.map((r) => JSON.stringify(r)),
    );
    outputs.forEach((o, i) => {
      if (!('doc' in o)) throw new Error(o.crash);
      expect(o.doc['error'], `case ${i}`).toBeUndefined();
      const ns = (o.doc['endor_labs'] as Record<string, Record<string, unknown>>)['audit']!;
      expect(ns[`extract_${i}`], `case ${i}`).toEqual(EXTRACT_CASES[i]![2]);
    });
  });
});

describe('extract in the Logstash pipeline', () => {
  it('builds each Regexp from code points: no backslash, ${ or %{ of a pattern reaches the config', () => {
    const { ir } = extractCaseMap();
    const { files, diagnostics } = logstashBackend.emit(ir, {});
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const conf = files
      .filter((f) => f.path.endsWith('.conf'))
      .map((f) => f.content)
      .join('\n');
    const inits = conf.match(/@mapc_re = Regexp\.new\(\[[0-9, ]+\]\.pack\('U\*'\)\)/g) ?? [];
    expect(inits).toHaveLength(EXTRACT_CASES.length);
    const source = (init: string): string =>
      String.fromCodePoint(...(/\[([0-9, ]+)\]/.exec(init)![1] as string).split(', ').map(Number));
    // Ruby syntax: `\A \z` for `^ $`, other ASCII punctuation as `\xHH`, the group the only one.
    expect(source(inits[0]!)).toBe(String.raw`from ([0-9\x2E]+) port`);
    expect(source(inits[19]!)).toBe(String.raw`\x24\x7B([0-9A-Z\x5Fa-z]+)\x7D`);
    expect(source(inits[11]!)).toBe(String.raw`\A([0-9A-Z\x5Fa-z]+)`);
    expect(source(inits[14]!)).toBe(String.raw`(b)\z`);
  });
});
