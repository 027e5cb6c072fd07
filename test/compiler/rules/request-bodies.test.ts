/**
 * E0173 (`compiler/check/rules/request-bodies.ts`): a bare `setting.NAME` in a JSON body always
 * has a value (required or defaulted); W0127 for a string setting sent bare under a
 * credential-like JSON key (`credential-settings.ts`).
 */
import { describe, expect, it } from 'vitest';
import { eventsMap } from '../../support/request-bodies.ts';
import { at, brief, check, edit, one, pos, spanPos } from './support.ts';

const MAP = eventsMap();

describe('bare settings in a JSON body: checks', () => {
  it('required or defaulted settings of every type are accepted', () => {
    expect(brief(check(MAP))).toEqual([]);
  });

  it('a setting with neither a default nor required is E0173 at the reference, labelling the declaration', () => {
    const source = edit(MAP, 'setting region: string required', 'setting region: string');
    const d = one(source, 'E0173');
    expect(pos(d)).toBe(at(source, 'setting.region'));
    expect(d.primary.span.length).toBe('setting.region'.length);
    expect(d.message).toBe('setting region in a JSON body may have no value');
    expect(d.secondary.map((s) => spanPos(s.span))).toEqual([at(source, 'region: string')]);
    expect(d.notes.some((n) => n.includes('"{region}"'))).toBe(true);
  });

  it('inside an array too; never a setting in a request condition', () => {
    const source = edit(
      edit(MAP, 'setting page_size: int = 100', 'setting page_size: int'),
      '"start": "2024-01-01T00:00:00Z"',
      '"start": "2024-01-01T00:00:00Z",\n      "more": [1, setting.page_size]',
    );
    const found = check(source).filter((d) => d.code === 'E0173');
    expect(found.map(pos)).toEqual([at(source, 'setting.page_size'), at(source, 'setting.page_size', 1)]);
    const withCondition = edit(
      edit(MAP, 'setting verbose: bool = false', 'setting verbose: bool\nsetting debug: bool'),
      '"start": "2024-01-01T00:00:00Z"\n    }',
      '"start": "2024-01-01T00:00:00Z"\n    }\n    header "X-Debug" = "1" when setting.debug',
    );
    expect(
      check(withCondition)
        .filter((d) => d.code === 'E0173')
        .map(pos),
    ).toEqual([at(withCondition, 'setting.verbose')]);
  });

  it('an unknown setting is E0104 only', () => {
    const source = edit(MAP, 'setting.region', 'setting.regoin');
    expect(brief(check(source)).map((d) => d.split(' ')[0])).toEqual(['E0104']);
  });

  it('a string setting sent bare under a credential-like key is W0127 at the declaration, labelling the use', () => {
    const source = edit(MAP, '"region": setting.region', '"api_key": setting.region');
    const d = one(source, 'W0127');
    expect(pos(d)).toBe(at(source, 'region: string'));
    expect(d.message).toBe('setting region looks like a credential');
    expect(d.secondary.map((s) => spanPos(s.span))).toEqual([at(source, 'setting.region')]);
    // An int under the same key is no credential text.
    expect(
      check(edit(MAP, '"limit": setting.page_size', '"api_key": setting.page_size')).filter((x) => x.code === 'W0127'),
    ).toEqual([]);
  });
});

describe('send body PATH replace: checks', () => {
  const paging = (paginate: string) =>
    edit(MAP, MAP.slice(MAP.indexOf('  paginate cursor_has_more'), MAP.indexOf('  records items')), `  ${paginate}\n`);

  it('on the page token of page_token and cursor_has_more it is accepted', () => {
    expect(brief(check(eventsMap('send     body cursor replace')))).toEqual([]);
    expect(brief(check(paging('paginate page_token { token next send body page.token replace }')))).toEqual([]);
  });

  it('on a page number, a page size, an offset or a limit it is E0174 at the keyword', () => {
    for (const paginate of [
      'paginate page_number { send body page replace size body per_page = 10 }',
      'paginate page_number { send body page size body per_page replace = 10 }',
      'paginate offset { offset body offset replace limit body limit = 10 }',
      'paginate offset { offset body offset limit body limit replace = 10 }',
    ]) {
      const source = paging(paginate);
      const d = one(source, 'E0174');
      expect(pos(d), paginate).toBe(at(source, 'replace'));
      expect(d.primary.span.length).toBe('replace'.length);
      expect(d.message).toBe('`replace` is only for a page token');
    }
  });

  it('on a GET request the body pagination is E0119 as before', () => {
    const source = edit(
      paging('paginate page_token { token next send body page.token replace }'),
      MAP.slice(MAP.indexOf('  request POST'), MAP.indexOf('  paginate')),
      '  request GET "{base_url}/v1/events"\n',
    );
    expect(brief(check(source)).map((x) => x.split(' ')[0])).toContain('E0119');
    expect(check(source).filter((x) => x.code === 'E0174')).toEqual([]);
  });
});
