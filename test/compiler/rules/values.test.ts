/**
 * The source value rules of `compiler/check/rules/values.ts`: a cursor and time_window pagination
 * need each other (E0113); a `next_page` cursor needs a pagination that ends at a position
 * (E0195) and no `max` (E0196); no body on GET, a backoff maximum not below its base (E0119).
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, atEnd, brief, check, one, pos } from './support.ts';

describe('source structure (E0113, E0119)', () => {
  it('a cursor without max needs time_window pagination', () => {
    const source = baseMap({ streamItems: '  cursor { start setting.backfill }' });
    const d = one(source, 'E0113');
    expect(d.message).toBe('cursor has no `max` and the stream has no time_window pagination');
    expect(pos(d)).toBe(at(source, 'cursor {'));
  });
  it('time_window pagination needs a cursor', () => {
    const source = baseMap({ streamItems: '  paginate time_window { step 1d format "dd/MM/yyyy" }' });
    const d = one(source, 'E0113');
    expect(d.message).toBe('time_window pagination needs a cursor');
    expect(pos(d)).toBe(at(source, 'paginate'));
  });
  it('a reversed backoff and a body on GET (max_pages 0 is a bound, E0128)', () => {
    const source = baseMap({ streamItems: '  max_pages 0\n  retry { backoff 10s to 1s }' }).replace(
      'request GET "{base_url}/v1/logs"',
      'request GET "{base_url}/v1/logs" { body { "a": 1 } }',
    );
    expect(brief(check(source).filter((d) => d.code === 'E0119' || d.code === 'E0128'))).toEqual([
      `E0119 ${at(source, '{ "a": 1 }')} JSON body on a GET request`,
      `E0128 ${atEnd(source, 'max_pages ')} max_pages must be between 1 and 10,000`,
      `E0119 ${atEnd(source, 'backoff 10s to ')} backoff maximum is below its base`,
    ]);
  });
});

describe('the next_page cursor (E0195, E0196)', () => {
  it('compiles with cursor_has_more and with link_header pagination, without E0113', () => {
    for (const paging of [
      'paginate cursor_has_more { cursor meta.cursor has_more meta.has_more send query "cursor" }',
      'paginate link_header',
    ]) {
      const source = baseMap({ streamItems: `  ${paging}\n  cursor { next_page start setting.backfill }` });
      expect(check(source).filter((d) => d.severity === 'error')).toEqual([]);
    }
  });
  it('is refused with another pagination, or none, at `next_page`', () => {
    for (const paging of [
      'paginate page_token { token next send query "page" }',
      'paginate page_number { send query "page" size query "per_page" = 100 }',
      'paginate offset { offset query "offset" limit query "limit" = 100 }',
      'paginate time_window { step 1d format "dd/MM/yyyy" }',
      '',
    ]) {
      const source = baseMap({ streamItems: `  ${paging}\n  cursor { next_page }` });
      const d = one(source, 'E0195');
      expect(pos(d)).toBe(at(source, 'next_page'));
      expect(d.message).toBe(
        `next_page needs cursor_has_more or link_header pagination${paging === '' ? '; this stream has none' : ''}`,
      );
    }
  });
  it('is refused beside `max`', () => {
    const source = baseMap({
      streamItems: '  paginate link_header\n  cursor { max created format iso8601 next_page }',
    });
    const d = one(source, 'E0196');
    expect(pos(d)).toBe(at(source, 'next_page'));
    expect(d.message).toBe('the cursor keeps both the newest record value and the next page');
  });
});
