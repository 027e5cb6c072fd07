/** W0165 (`compiler/check/rules/split-id.ts`): a split stream's document id must tell its elements apart. */
import { describe, expect, it } from 'vitest';
import { at, brief, check, lineOf } from './support.ts';
import { codes, windowed } from './windowed.ts';

describe('split document ids (W0165)', () => {
  it('is quiet when the id reads every required scalar field of the element', () => {
    expect(codes(windowed())).toEqual([]);
  });
  it('names the required fields of the element the id does not read (optional ones excepted)', () => {
    const source = windowed({ id: 'results.id, date, results.items.kind' });
    const d = check(source);
    expect(brief(d)).toContain(
      `W0165 ${at(source, 'id results.id')} the document id cannot tell apart two elements of results.items that differ only in results.items.value`,
    );
    expect(d.find((x) => x.code === 'W0165')?.secondary.map((s) => s.span.line)).toEqual([
      lineOf(source, 'results.items.value string'),
    ]);
  });
  it('warns when the id reads nothing of the split element', () => {
    const source = windowed({ id: 'results.id, date' });
    expect(codes(source)).toEqual([
      `W0165 ${at(source, 'id results.id')} the document id reads nothing of the split element results.items`,
    ]);
  });
  it('a parent of the element in the id reads all of it', () => {
    expect(codes(windowed({ id: 'results.id, date, results.items' }))).toEqual([]);
  });
  it('fires on the Entro map without exposed_value in its id', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync('maps/entro.map', 'utf8').replace(', results.secrets.exposed_value\n', '\n');
    expect(brief(check(source)).filter((x) => x.startsWith('W0165'))).toEqual([
      expect.stringMatching(/^W0165 \d+:5 .* differ only in results\.secrets\.exposed_value$/),
    ]);
  });
});
