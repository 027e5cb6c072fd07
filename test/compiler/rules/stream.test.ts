/**
 * The stream rules of `compiler/check/rules/stream.ts`: E0113 a stream's required items, E0117 its
 * dataset name, W0118 no @timestamp, W0130 no auth.
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, brief, check, edit, mark, one, pos, span, where, withCode } from './support.ts';

const AUTH = '  auth bearer secret.api_token';
/** The stream's name: the `audit` of `stream audit {`. */
const STREAM_NAME = { needle: 'audit {', length: 'audit'.length };

describe('E0113 missing required items', () => {
  it('a stream without dataset', () => {
    const source = edit(baseMap(), '  dataset "acme.audit"', '  # no dataset');
    const d = one(source, 'E0113');
    expect(d.message).toBe('stream audit has no dataset');
    expect(span(d)).toEqual(mark(source, STREAM_NAME.needle, { length: STREAM_NAME.length }));
    expect(d.notes).toEqual(['help: add `dataset "acme.audit"`']);
  });
  it('a stream without request and records', () => {
    let source = edit(baseMap(), '  request GET "{base_url}/v1/logs"', '  # no request');
    source = edit(source, '  records items', '  # no records');
    const name = at(source, STREAM_NAME.needle);
    expect(brief(withCode(source, 'E0113'))).toEqual([
      `E0113 ${name} stream audit has no request`,
      `E0113 ${name} stream audit has no records`,
    ]);
  });
});

describe('E0117 dataset name', () => {
  it('a dataset with characters Elastic does not allow', () => {
    const source = edit(baseMap(), '  dataset "acme.audit"', '  dataset "Acme-Audit"');
    const d = one(source, 'E0117');
    expect(d.message).toBe('invalid dataset name "Acme-Audit"');
    expect(pos(d)).toBe(at(source, '"Acme-Audit"'));
  });
});

describe('W0118 no @timestamp', () => {
  it('warns, and is not an error', () => {
    const source = edit(baseMap(), '    @timestamp = created | date(iso8601)', '    event.kind = "event"');
    const all = check(source);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ code: 'W0118', severity: 'warning', message: 'stream audit never sets @timestamp' });
    // At the map block.
    expect(all[0]!.primary.span).toMatchObject(where(source, 'map {'));
  });
});

describe('W0130 stream without auth', () => {
  it('warns at the stream name, and is not an error', () => {
    const source = edit(baseMap(), AUTH, '');
    expect(source).not.toContain('auth ');
    const all = check(source);
    expect(brief(all)).toEqual([`W0130 ${at(source, STREAM_NAME.needle)} stream audit has no auth`]);
    expect(all[0]).toMatchObject({ severity: 'warning' });
    expect(all[0]!.primary.span).toMatchObject({ file: 'test.map', length: 5 });
    expect(all[0]!.notes).toContain('note: secrets reach a request only through `auth`');
  });

  it('is quiet for a stream with any kind of auth', () => {
    expect(check(baseMap()).map((d) => d.code)).not.toContain('W0130');
    const basic = edit(baseMap(), AUTH, '  auth basic { username = setting.base_url password = secret.api_token }');
    expect(check(basic).map((d) => d.code)).not.toContain('W0130');
  });
});
