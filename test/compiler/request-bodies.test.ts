/**
 * JSON request bodies (docs/language.md, "JSON request bodies"): a bare `setting.NAME` as a JSON
 * value, syntax, lowering and `mapc fmt`. Its checks are in test/compiler/rules/request-bodies.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { parseMap } from '../../dsl/index.ts';
import { eventsMap } from '../support/request-bodies.ts';
import { format, irOf } from '../dsl/format-support.ts';
import { brief } from './helpers.ts';
import { at, edit } from './rules/support.ts';

const MAP = eventsMap();

describe('bare settings in a JSON body: syntax', () => {
  const errors = (source: string) => brief(parseMap(source, 'test.map').diagnostics);

  it('setting without a name is E0004 at the token after it', () => {
    const source = edit(MAP, '"limit": setting.page_size', '"limit": setting');
    expect(errors(source)).toEqual([
      `E0004 ${at(source, ',\n      "verbose"')} expected "." after "setting", found ","`,
    ]);
  });

  it('a misspelt setting keyword is E0004 naming the JSON values, with a did-you-mean', () => {
    const source = edit(MAP, '"limit": setting.page_size', '"limit": settings.page_size');
    const d = parseMap(source, 'test.map').diagnostics;
    expect(brief(d)).toEqual([
      `E0004 ${at(source, 'settings')} expected a JSON value (object, array, string, number, true, false, null, setting.NAME or secret.NAME), found "settings"`,
    ]);
    expect(d[0]!.notes).toContain('help: did you mean "setting"?');
  });

  it('a path after the setting name is E0004 (a setting has no fields)', () => {
    const source = edit(MAP, '"limit": setting.page_size', '"limit": setting.page_size.max');
    expect(errors(source)).toEqual([`E0004 ${at(source, '.max')} expected "," or "}", found "."`]);
  });
});

describe('bare settings in a JSON body: lowering', () => {
  it('become JsonTemplate setting, in objects and arrays; a quoted placeholder stays a string template', () => {
    const { ir, diagnostics } = compileSource(MAP, 'acme.map');
    expect(brief(diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
    const body = ir!.streams[0]!.source.request.body!;
    expect(body.kind === 'object' && body.entries.map((e) => [e.key, e.value.kind])).toEqual([
      ['limit', 'setting'],
      ['verbose', 'setting'],
      ['region', 'setting'],
      ['tags', 'array'],
      ['start', 'string'],
    ]);
    expect(body.kind === 'object' && body.entries[0]!.value).toEqual({ kind: 'setting', name: 'page_size' });
    expect(body.kind === 'object' && body.entries[3]!.value).toMatchObject({
      kind: 'array',
      items: [
        { kind: 'setting', name: 'interval' },
        { kind: 'string', template: { parts: [{ kind: 'setting', name: 'page_size' }] } },
      ],
    });
  });
});

describe('bare settings in a JSON body: mapc fmt', () => {
  it('the test map is in the canonical layout, and a one-line body is formatted with the same meaning', () => {
    expect(format(MAP)).toBe(MAP);
    const oneLine = edit(
      MAP,
      MAP.slice(MAP.indexOf('    body {'), MAP.indexOf('  }\n  paginate')),
      '    body {"limit":setting.page_size,"verbose":setting.verbose,"region":setting.region,"tags":[setting.interval,"{page_size}"],"start":"2024-01-01T00:00:00Z"}\n',
    );
    expect(format(oneLine)).toBe(MAP);
    expect(irOf(oneLine)).toEqual(irOf(MAP));
    const short = edit(
      MAP,
      MAP.slice(MAP.indexOf('    body {'), MAP.indexOf('  }\n  paginate')),
      '    body { "limit" : setting . page_size }\n',
    );
    expect(format(short)).toContain('    body { "limit": setting.page_size }\n');
  });
});

describe('send body PATH replace: syntax, lowering, mapc fmt', () => {
  const SEND = 'send     body cursor';
  const withSend = (send: string) => eventsMap(send);

  it('lowers to ParamLocation replace: true; without replace the IR has no replace key', () => {
    const replaced = compileSource(withSend('send     body "cursor" replace'), 'acme.map');
    expect(brief(replaced.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
    const p = replaced.ir!.streams[0]!.source.pagination;
    expect(p.kind === 'cursor_has_more' && p.param).toEqual({ in: 'body', path: ['cursor'], replace: true });
    const plain = compileSource(withSend(SEND), 'acme.map').ir!.streams[0]!.source.pagination;
    expect(plain.kind === 'cursor_has_more' && plain.param).toEqual({ in: 'body', path: ['cursor'] });
  });

  it('a field named replace is a path; replace after it is the keyword', () => {
    const p = compileSource(withSend('send     body replace replace'), 'acme.map').ir!.streams[0]!.source.pagination;
    expect(p.kind === 'cursor_has_more' && p.param).toEqual({ in: 'body', path: ['replace'], replace: true });
    const q = compileSource(withSend('send     body replace'), 'acme.map').ir!.streams[0]!.source.pagination;
    expect(q.kind === 'cursor_has_more' && q.param).toEqual({ in: 'body', path: ['replace'] });
  });

  it('replace after a query parameter, or a misspelt replace, is E0004 at the word (the send line is dropped: E0011)', () => {
    for (const [send, word] of [
      ['send     query "c" replace', 'replace'],
      ['send     body cursor replaced', 'replaced'],
    ] as const) {
      const source = withSend(send);
      expect(brief(parseMap(source, 'test.map').diagnostics)).toEqual([
        `E0011 ${at(source, 'cursor_has_more {')} the cursor_has_more block has no "send" item`,
        `E0004 ${at(source, `${word}\n`)} expected a cursor_has_more item (cursor, has_more, send) or "}", found "${word}"`,
      ]);
    }
  });

  it('mapc fmt keeps replace on the send line, aligned with the block', () => {
    const canonical = withSend('send     body cursor replace');
    expect(format(canonical)).toBe(canonical);
    expect(format(withSend('send body   cursor    replace'))).toBe(canonical);
    expect(irOf(withSend('send body   cursor    replace'))).toEqual(irOf(canonical));
  });
});
