/**
 * All the rules together (`compiler/check/specified-rules.ts`): the base test map and the bundled
 * maps check clean, and the errors of several rules come out sorted by position.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMap } from '../../../dsl/index.ts';
import { checkMap } from '../../../compiler/check/index.ts';
import { baseMap } from '../helpers.ts';
import { at, atEnd, brief, check, edit } from './support.ts';

describe('the base test map', () => {
  it('checks clean', () => {
    expect(check(baseMap())).toEqual([]);
  });
});

describe('bundled maps', () => {
  for (const name of readdirSync('maps').filter((f) => f.endsWith('.map'))) {
    it(`${name} checks with no errors or warnings`, () => {
      const file = join('maps', name);
      const parsed = parseMap(readFileSync(file, 'utf8'), file);
      expect(brief(parsed.diagnostics)).toEqual([]);
      expect(brief(checkMap(parsed.ast!))).toEqual([]);
    });
  }
});

describe('several errors in one run', () => {
  it('reports every error, sorted by position', () => {
    const source = edit(
      baseMap({ rules: '    source.ipp = a | ip\n    related.ip = a | ip\n    event.kind = "evnt"' }),
      '  auth bearer secret.api_token',
      '  auth bearer secret.nope',
    );
    expect(brief(check(source))).toEqual([
      `E0105 ${at(source, 'nope')} unknown secret nope`,
      `E0100 ${at(source, 'source.ipp')} unknown ECS field source.ipp`,
      `E0112 ${atEnd(source, '    related.ip ')} related.ip is an array field: use +=`,
      `E0102 ${at(source, '"evnt"')} "evnt" is not an allowed value of event.kind`,
    ]);
  });
});
