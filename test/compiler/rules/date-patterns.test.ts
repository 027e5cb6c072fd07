/**
 * E0111: date patterns (`date("...")`, a record field's `format "..."`, a time window's `format`)
 * use only `yyyy MM dd HH mm ss SSS` and the separators every engine reads literally. The rule is
 * the checks' alone: no backend reparses or refuses a pattern (they read its tokens, DatePatternIR).
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, check, edit, one, pos, span, withCode } from './support.ts';

const rule = (pattern: string): string => baseMap({ rules: `    event.created = stamp | date("${pattern}")` });

/** `line:column` of the `index`-th character of the pattern written in `source`. */
function inPattern(source: string, pattern: string, index: number): string {
  const [line, column] = at(source, `"${pattern}"`).split(':').map(Number);
  return `${line}:${column! + 1 + index}`;
}

describe('E0111 invalid date pattern', () => {
  it('accepts every supported field and separator', () => {
    for (const pattern of ['yyyy-MM-dd HH:mm:ss.SSS', 'dd/MM/yyyy', 'yyyyMMdd', 'yyyy_MM_dd;HH,mm']) {
      expect(withCode(rule(pattern), 'E0111'), pattern).toEqual([]);
    }
  });

  it('points at a field outside the set, whatever its letter count (the case Vector used to refuse)', () => {
    for (const [pattern, field] of [
      ['dd MMM yyyy', 'MMM'],
      ['dd/MM/yyyy hh:mm', 'hh'],
      ['dd/MM/yy', 'yy'],
    ] as const) {
      const source = rule(pattern);
      const d = one(source, 'E0111');
      expect(d.message).toBe(`invalid date pattern "${pattern}"`);
      expect(d.primary.message).toContain(`\`${field}\` is not a supported pattern field`);
      expect(pos(d)).toBe(inPattern(source, pattern, pattern.indexOf(field)));
      expect(d.primary.span.length).toBe(field.length);
    }
  });

  it("refuses quoted text at the quote: Java and Joda read 'MM' as literal text", () => {
    const pattern = "dd'MM'yyyy";
    const source = rule(pattern);
    const d = one(source, 'E0111');
    expect(d.primary.message).toBe("`'` is not a separator every engine reads literally (use space or - / . : , _ ;)");
    expect(pos(d)).toBe(inPattern(source, pattern, 2));
  });

  it('refuses what some engine reads otherwise: sections, reserved characters, strftime, digits', () => {
    for (const ch of ['[', ']', '#', '{', '}', '%', 'é', '0']) {
      const pattern = `dd${ch}MM/yyyy`;
      const source = rule(pattern);
      const d = one(source, 'E0111');
      expect(d.primary.message, ch).toContain(`\`${ch}\` is not a separator`);
      expect(pos(d), ch).toBe(inPattern(source, pattern, 2));
    }
  });

  it('refuses a repeated field, a missing date field and a time field without the coarser one', () => {
    expect(one(rule('yyyy-MM-dd-dd'), 'E0111').primary.message).toBe('`dd` appears twice');
    expect(one(rule('MM/dd'), 'E0111').primary.message).toBe('a date pattern needs `yyyy`');
    expect(one(rule('yyyy-MM-dd mm'), 'E0111').primary.message).toBe('`mm` needs `HH`');
  });

  it('checks a record field format and a time window format alike', () => {
    const record = baseMap({ streamItems: '  record {\n    stamp string format "dd\'MM\'yyyy"\n  }' });
    expect(pos(one(record, 'E0111'))).toBe(inPattern(record, "dd'MM'yyyy", 2));
    const window = baseMap({
      streamItems: '  paginate time_window {\n    step   1d\n    format "dd[MM]yyyy"\n  }',
    });
    expect(pos(one(window, 'E0111'))).toBe(inPattern(window, 'dd[MM]yyyy', 2));
  });
});

describe('E0111 in the @timestamp rule of the base map', () => {
  const TIMESTAMP = '    @timestamp = created | date(iso8601)';
  const timestamp = (args: string): string => edit(baseMap(), TIMESTAMP, `    @timestamp = created | date(${args})`);

  it('points at the unsupported field inside the pattern', () => {
    const source = timestamp('"dd/MM/yyyy hh:mm"');
    const d = one(source, 'E0111');
    expect(d.message).toBe('invalid date pattern "dd/MM/yyyy hh:mm"');
    expect(span(d)).toEqual({ pos: at(source, 'hh:mm'), length: 2 });
    expect(d.primary.message).toContain('`hh` is not a supported pattern field');
  });
  it('accepts the supported fields', () => {
    expect(check(timestamp('"yyyy-MM-dd HH:mm:ss.SSS", "dd/MM/yyyy"'))).toEqual([]);
  });
  it("refuses quoted text at the quote, since Java and Joda read 'MM' as literal text", () => {
    const source = timestamp(`"dd'MM'yyyy"`);
    const d = one(source, 'E0111');
    expect(d.message).toBe(`invalid date pattern "dd'MM'yyyy"`);
    expect(span(d)).toEqual({ pos: at(source, "'MM'"), length: 1 });
    expect(d.primary.message).toBe("`'` is not a separator every engine reads literally (use space or - / . : , _ ;)");
  });
  it('refuses the separators an engine reserves (optional sections, reserved characters, strftime)', () => {
    for (const ch of ['[', ']', '#', '{', '}', '%', 'é']) {
      const d = one(timestamp(`"dd${ch}MM/yyyy"`), 'E0111');
      expect(d.primary.message, ch).toContain(`\`${ch}\` is not a separator`);
    }
  });
});
