/**
 * E0166 (`compiler/check/rules/request-conditions.ts`): a request item's `when` names
 * `window.complete`, a bool setting or `not` of one, and `window.complete` only where it has a
 * value (a time-window stream's data request).
 */
import { describe, expect, it } from 'vitest';
import { at, brief, check } from './support.ts';
import { codes, windowed } from './windowed.ts';

describe('request conditions: checks', () => {
  it('window.complete on a time-window stream, a bool setting and not are accepted', () => {
    expect(codes(windowed())).toEqual([]);
    expect(codes(windowed({ header: 'header "X-Open" = "yes" when not setting.open_ended' }))).toEqual([]);
    expect(codes(windowed({ query: 'query "to" = "{window.end}" when not not window.complete' }))).toEqual([]);
  });

  it('an unknown condition is E0166 with a did-you-mean', () => {
    const source = windowed({ query: 'query "to" = "{window.end}" when window.completed' });
    const d = check(source);
    expect(brief(d).filter((x) => x.startsWith('E0166'))).toEqual([
      `E0166 ${at(source, 'window.completed')} unknown request condition window.completed`,
    ]);
    expect(d.find((x) => x.code === 'E0166')?.notes).toContain('help: did you mean window.complete?');
  });

  it('window.complete without time_window pagination is E0166', () => {
    const source = windowed({
      paginate: '',
      query: 'query "to" = "x" when window.complete',
      start: 'max date format iso8601',
    });
    expect(brief(check(source)).filter((x) => x.startsWith('E0166'))).toEqual([
      `E0166 ${at(source, 'window.complete')} window.complete needs time_window pagination`,
    ]);
  });

  it('window.complete in an auth request is E0166', () => {
    const auth = `auth token_exchange { request POST "{base_url}/login" { header "X-W" = "1" when window.complete body { "k": secret.api_token } } token t lifetime 1h header "Authorization" = "Bearer {token}" }`;
    const source = windowed({ auth });
    // The auth comes before the data request, whose query has its own window.complete.
    expect(brief(check(source)).filter((x) => x.startsWith('E0166'))).toEqual([
      `E0166 ${at(source, 'window.complete')} window.complete has no value in an auth request`,
    ]);
  });
});
