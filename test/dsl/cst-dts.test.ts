import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cstDtsText } from '../../dsl/cst-dts.ts';

describe('dsl/cst.d.ts', () => {
  it('equals the CST types generated from the current grammar (run `npx tsx dsl/gen-cst.ts`)', () => {
    const committed = readFileSync(new URL('../../dsl/cst.d.ts', import.meta.url), 'utf8');
    expect(committed).toBe(cstDtsText());
  });

  it('declares a children type for every grammar rule', () => {
    const text = cstDtsText();
    for (const rule of [
      'File',
      'Setting',
      'Stream',
      'AuthTokenExchange',
      'PageTokenPaging',
      'Rule',
      'Condition',
      'Path',
    ]) {
      expect(text).toContain(`export type ${rule}CstChildren = {`);
    }
  });
});
