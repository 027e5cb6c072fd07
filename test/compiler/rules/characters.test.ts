/** E0123: characters no target can carry, in every string of a map, written raw or escaped. */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { forbiddenClass, hasForbidden } from '../../../compiler/check/text.ts';
import { POSITIONS, placeAt } from '../../security/positions.ts';
import { baseMap } from '../helpers.ts';
import { at, one, pos, withCode } from './support.ts';

const title = (text: string): string => baseMap().replace('title "Acme"', () => `title "${text}"`);

describe('E0123 characters no target can carry', () => {
  it('points at an escaped NUL inside the integration title', () => {
    const source = title('Ac\\u{0}me');
    const d = one(source, 'E0123');
    expect(d.message).toBe('string holds a control character, U+0000 (NUL), that no target can carry');
    expect(pos(d)).toBe(at(source, '\\u{0}'));
    expect(d.primary.span.length).toBe('\\u{0}'.length);
    expect(d.primary.message).toBe('U+0000 (NUL), written \\u{0}');
  });

  it('points at a control character written directly in the file', () => {
    const source = title('Ac\u001bme');
    const d = one(source, 'E0123');
    expect(d.message).toBe('string holds a control character, U+001B (ESC), that no target can carry');
    expect(pos(d)).toBe(at(source, '\u001b'));
    expect(d.primary.span.length).toBe(1);
    expect(d.primary.message).toBe('U+001B (ESC), written directly in the file');
  });

  it('refuses \\n and \\t escapes, and a raw tab, with a help', () => {
    const lf = baseMap({ rules: '    labels.note = "one\\ntwo"' });
    const d = one(lf, 'E0123');
    expect(d.message).toBe('string holds a line break, U+000A (LF), that no target can carry');
    expect(pos(d)).toBe(at(lf, '\\n'));
    expect(d.notes).toContain('help: keep the text on one line (a space or "; " instead of the break)');
    const tab = baseMap({ decls: 'setting region: string { description "a\\tb" }' });
    expect(pos(one(tab, 'E0123'))).toBe(at(tab, '\\t'));
    const raw = baseMap({ decls: 'setting region: string { description "a\tb" }' });
    const r = one(raw, 'E0123');
    expect(r.message).toBe('string holds a control character, U+0009 (TAB), that no target can carry');
    expect(pos(r)).toBe(at(raw, '\t'));
    expect(r.notes).toContain('help: use spaces instead of the tab');
  });

  it.each([
    ['DEL', '\\u{7F}', 'a control character, U+007F (DEL)'],
    ['C1 NEL', '\\u{85}', 'a C1 control character, U+0085'],
    ['C1 CSI', '\u009b', 'a C1 control character, U+009B'],
    ['LINE SEPARATOR', '\u2028', 'a line break, U+2028 (LINE SEPARATOR)'],
    ['PARAGRAPH SEPARATOR', '\\u{2029}', 'a line break, U+2029 (PARAGRAPH SEPARATOR)'],
    ['noncharacter U+FFFE', '\\u{FFFE}', 'a noncharacter, U+FFFE'],
    ['noncharacter U+FDD0', '\ufdd0', 'a noncharacter, U+FDD0'],
    ['noncharacter U+10FFFF', '\\u{10FFFF}', 'a noncharacter, U+10FFFF'],
    ['noncharacter U+1FFFE', '\u{1fffe}', 'a noncharacter, U+1FFFE'],
    ['lone surrogate', '\ud800', 'a lone surrogate, U+D800'],
  ])('%s in a table value', (_, written, what) => {
    const source = baseMap().replace('"A" => "event"', () => `"A" => "ev${written}ent"`);
    const d = one(source, 'E0123');
    expect(d.message).toBe(`string holds ${what}, that no target can carry`);
    expect(pos(d)).toBe(at(source, written));
  });

  it('checks quoted path segments, date patterns, constants, conditions and request text', () => {
    const cases: [string, string][] = [
      [baseMap({ rules: '    labels.a = "x\\u{1}y" | keyword' }), '\\u{1}'],
      [
        baseMap({ rules: '    @timestamp = t | date("dd/MM\\u{0}yyyy")' }).replace(
          '    @timestamp = created | date(iso8601)\n',
          '',
        ),
        '\\u{0}',
      ],
      [baseMap({ rules: '    labels.a = "b\\u{7}c"' }), '\\u{7}'],
      [baseMap({ rules: '    labels.a = "b" when c == "\\u{1F}"' }), '\\u{1F}'],
      [baseMap().replace('"{base_url}/v1/logs"', '"{base_url}/v1/logs" { query "q" = "a\\u{0}" }'), '\\u{0}'],
      [baseMap().replace('"{base_url}/v1/logs"', '"{base_url}/v1/logs" { header "X-A" = "a\\u{0}" }'), '\\u{0}'],
    ];
    for (const [source, written] of cases) expect(pos(one(source, 'E0123')), written).toBe(at(source, written));
  });

  it('reports one error per literal, at its first such character', () => {
    const source = title('\\u{0}\\u{1}\\u{2}');
    expect(pos(one(source, 'E0123'))).toBe(at(source, '\\u{0}'));
  });

  it('accepts text every target carries: emoji, non-Latin letters, BOM, zero-width space, braces, quotes', () => {
    for (const text of ['😀 İ ß 日本', '\\u{FEFF}\\u{200B}', 'a\\"b\\\\c', '{{x}}', '$%{}', '\\u{10FFFD}']) {
      expect(withCode(title(text), 'E0123'), text).toEqual([]);
    }
  });

  it('refuses them in every string position of the grammar, on that literal’s line', () => {
    for (const position of POSITIONS) {
      for (const text of ['\u0000', '\u001b', '\u007f', '\u0085', '\u2028', '\ufffe', '\t', '\n', '\r']) {
        const placed = placeAt(position.name, `a${text}b`);
        const errors = compileSource(placed.map, 'p.map').diagnostics.filter(
          (d) => (d.code === 'E0123' || d.code === 'E0125') && d.primary.span.line === placed.line,
        );
        expect(errors.length, `${position.name} ${JSON.stringify(text)}`).toBe(1);
      }
    }
  });

  it('its fast test and its per-character classes agree on every code point', () => {
    const disagree: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if ((forbiddenClass(cp) !== undefined) !== hasForbidden(String.fromCodePoint(cp))) disagree.push(cp);
    }
    expect(disagree).toEqual([]);
    expect(hasForbidden('a\ud800b')).toBe(true);
    expect(hasForbidden('\ud83d\ude00')).toBe(false);
  });
});
