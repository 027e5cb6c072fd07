/**
 * `mapc fmt`'s formatter (`dsl/format/`): the canonical layout rule by rule (docs/language.md,
 * "Canonical layout"), the bundled maps, the malformed-map corpus and the hostile-string corpus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalString, formatMap } from '../../dsl/format/index.ts';
import { decodeString, parseTemplate } from '../../dsl/strings.ts';
import { parseMap } from '../../dsl/index.ts';
import { CORE_HOSTILE } from '../security/corpus.ts';
import { placeAt, POSITIONS } from '../security/positions.ts';
import { astOf, commentTexts, format, irOf } from './format-support.ts';

const MAPS = readdirSync('maps')
  .filter((f) => f.endsWith('.map'))
  .map((f) => join('maps', f));

/** A stream around `rules` (a valid map). */
function withRules(rules: string): string {
  return `stream s {\n  map {\n${rules}\n  }\n}\n`;
}

describe('canonical layout', () => {
  it('puts one item per line, indented by two spaces, and aligns item values', () => {
    expect(format('integration acme { title "Acme"  vendor "Acme" version "0.1.0" description "D" }')).toBe(
      'integration acme {\n  title       "Acme"\n  vendor      "Acme"\n  version     "0.1.0"\n  description "D"\n}\n',
    );
  });

  it('writes a selection against its array path, with spaces around == inside the brackets', () => {
    expect(format(withRules('user.id = target [ type=="User" ] . id | lowercase\nx.y += "a b"[k == 2]'))).toBe(
      withRules('    user.id  = target[type == "User"].id | lowercase\n    x.y     += "a b"[k == 2]'),
    );
    expect(format(withRules('x.y = "a" when k in ["a"]'))).toBe(withRules('    x.y = "a" when k in ["a"]'));
    expect(format(withRules('x.y = target [ ] {id,"a b"=x.y , kind= type}'))).toBe(
      withRules('    x.y = target[] { id, "a b" = x.y, kind = type }'),
    );
  });

  it('aligns "=" of rules, with "+=" right-aligned against it', () => {
    expect(format(withRules('event.kind = "event"\nrelated.ip += a | ip\nsource.ip=a|ip'))).toBe(
      withRules('    event.kind  = "event"\n    related.ip += a | ip\n    source.ip   = a | ip'),
    );
  });

  it('keeps a name wider than 32 characters out of the column', () => {
    const long = 'vendor.audit.results.secrets.exposed_value';
    expect(format(withRules(`a = b\n${long} = c\nevent.id = d`))).toBe(
      withRules(`    a        = b\n    ${long} = c\n    event.id = d`),
    );
  });

  it('breaks alignment at a blank line and between kinds of items, not at a comment', () => {
    expect(format(withRules('namespace a.b\nid x\nevent.kind = "e"\n# note\nevent.action = y\n\nab = c'))).toBe(
      withRules(
        '    namespace a.b\n    id        x\n    event.kind   = "e"\n    # note\n    event.action = y\n\n    ab = c',
      ),
    );
  });

  it('aligns the "=" of request headers and query parameters', () => {
    const text =
      'stream s { request GET "u" { header "Accept" = "a/b" query "limit" = "1" optional query "x" = "{cursor}" } }';
    expect(format(text)).toBe(
      'stream s {\n  request GET "u" {\n    header "Accept" = "a/b"\n    query  "limit"  = "1" optional\n    query  "x"      = "{cursor}"\n  }\n}\n',
    );
  });

  it('aligns "=>" of table entries but not the default', () => {
    expect(format('table t { "A" => "x" "LONG" => "y" default "z" }')).toBe(
      'table t {\n  "A"    => "x"\n  "LONG" => "y"\n  default "z"\n}\n',
    );
  });

  it('puts one blank line between declarations, keeps consecutive settings or secrets as grouped', () => {
    const text = 'setting a: int\nsetting b: int\n\n\n\nsetting c: int\nsecret x\nsecret y\ntable t { }\nstream s { }';
    expect(format(text)).toBe(
      'setting a: int\nsetting b: int\n\nsetting c: int\n\nsecret x\nsecret y\n\ntable t {}\n\nstream s {}\n',
    );
  });

  it('keeps at most one blank line inside a block and none after "{" or before "}"', () => {
    expect(format('stream s {\n\n  dataset "d"\n\n\n\n  interval 5m\n\n}\n')).toBe(
      'stream s {\n  dataset "d"\n\n  interval 5m\n}\n',
    );
  });

  it('spaces operators and punctuation one way', () => {
    expect(format(withRules('a.b=c . d|date( iso8601 ,"x" )|lookup ( t ) when e==true'))).toBe(
      withRules('    a.b = c.d | date(iso8601, "x") | lookup(t) when e == true'),
    );
    expect(format('setting a : int=3 required')).toBe('setting a: int = 3 required\n');
  });

  it('writes a short JSON body on one line and a long one an entry per line', () => {
    const short = 'stream s { request POST "u" { body {"a":[1,2],"b":{ },"c":secret.k} } }';
    expect(format(short)).toContain('    body { "a": [1, 2], "b": {}, "c": secret.k }\n');
    const long = `stream s { request POST "u" { body { "a": "${'x'.repeat(40)}", "b": ["${'y'.repeat(30)}"] } } }`;
    expect(format(long)).toContain(
      `    body {\n      "a": "${'x'.repeat(40)}",\n      "b": ["${'y'.repeat(30)}"]\n    }\n`,
    );
  });

  it('keeps trailing comments on their line, aligned within a declaration', () => {
    const text = 'stream s { # one\n  dataset "d" # two\n  interval 5m    # three\n}\nsecret k # four\n';
    expect(format(text)).toBe(
      'stream s {     # one\n  dataset  "d" # two\n  interval 5m  # three\n}\n\nsecret k # four\n',
    );
  });

  it('keeps own-line comments where they are, indented with the next line, and at the end of a block', () => {
    const text = '# head\n\n# about s\nstream s {\n# first\n  dataset "d"\n      # last\n}\n# tail\n';
    expect(format(text)).toBe('# head\n\n# about s\nstream s {\n  # first\n  dataset "d"\n  # last\n}\n# tail\n');
  });

  it('continues an item broken by a comment on a deeper line', () => {
    expect(format(withRules('a = # why\n b | ip'))).toBe(withRules('    a = # why\n        b | ip'));
    expect(format(withRules('a = b\n # own\n | ip'))).toBe(withRules('    a = b\n        # own\n        | ip'));
  });

  it('writes an empty block as {} and a comment-only block open', () => {
    expect(format('stream s {\n}\n')).toBe('stream s {}\n');
    expect(format('stream s { # c\n}\n')).toBe('stream s { # c\n}\n');
  });

  it('writes LF line ends, no trailing blanks and one final line break', () => {
    expect(format('secret a  \r\nsecret b\t\r\n\r\n')).toBe('secret a\nsecret b\n');
    expect(format('')).toBe('');
    expect(format('\n\n# only a comment   \n\n')).toBe('# only a comment\n');
  });
});

describe('canonical strings', () => {
  it('re-spells escapes from what they mean', () => {
    expect(canonicalString('"\\u{41}\\u{22}\\u{5C}\\u{a}\\u{9}"')).toBe('"A\\"\\\\\\n\\t"');
    expect(canonicalString('"a\tb"')).toBe('"a\\tb"');
  });

  it('escapes invisible characters', () => {
    expect(canonicalString('"a\u00a0b\u202ec\u200bd\u0007e\u2028"')).toBe(
      '"a\\u{A0}b\\u{202E}c\\u{200B}d\\u{7}e\\u{2028}"',
    );
    expect(canonicalString('"é 😀 中"')).toBe('"é 😀 中"');
  });

  it('keeps braces in the form they were written, so templates keep their parts', () => {
    for (const image of ['"{a}"', '"{{a}}"', '"\\u{7B}a\\u{7d}"', '"x{{\\u{7B}y}}"']) {
      const out = canonicalString(image);
      expect(parseTemplate(out)).toEqual(parseTemplate(image));
      expect(decodeString(out).value).toBe(decodeString(image).value);
    }
    expect(canonicalString('"\\u{7b}"')).toBe('"\\u{7B}"');
  });
});

describe('bundled maps', () => {
  for (const file of MAPS) {
    it(`${file} is already in the canonical layout, and formatting it keeps its IR and comments`, () => {
      const text = readFileSync(file, 'utf8');
      const formatted = format(text);
      expect(formatted).toBe(text);
      expect(irOf(formatted)).toEqual(irOf(text));
      expect(irOf(text)).toBeDefined();
      expect(commentTexts(formatted)).toEqual(commentTexts(text));
    });

    it(`${file} without indentation formats as with it`, () => {
      const text = readFileSync(file, 'utf8');
      const squashed = text.replace(/ +/g, ' ').replace(/^ /gm, '');
      expect(format(squashed)).toBe(format(text.replace(/ +/g, ' ')));
      expect(format(format(squashed))).toBe(format(squashed));
      expect(irOf(format(squashed))).toEqual(irOf(text));
    });
  }
});

describe('maps with syntax errors', () => {
  const dir = fileURLToPath(new URL('../golden-diagnostics/', import.meta.url));
  const cases = readdirSync(dir).filter(
    (f) => f.endsWith('.map') && parseMap(readFileSync(join(dir, f), 'utf8'), f).ast === undefined,
  );

  it('covers the whole malformed corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of cases) {
    it(`refuses ${name} with the parser's diagnostics`, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const result = formatMap(text, name);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.diagnostics).toEqual(parseMap(text, name).diagnostics);
      expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    });
  }
});

describe('hostile strings', () => {
  // Each string of the core corpus once, the positions taken in turn (all of them several times):
  // the whole product would take minutes.
  it('keep their meaning at every string position', () => {
    let formatted = 0;
    for (const [p, position] of POSITIONS.entries()) {
      for (const text of CORE_HOSTILE.filter((_, i) => i % POSITIONS.length === p)) {
        const { map } = placeAt(position.name, text);
        const result = formatMap(map, 'f.map');
        if (!result.ok) continue; // refused by the parser: nothing to format
        formatted += 1;
        expect(astOf(result.text), `${position.name}: ${JSON.stringify(text)}`).toEqual(astOf(map));
        expect(result.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      }
    }
    expect(formatted).toBeGreaterThan(CORE_HOSTILE.length / 2);
  });
});
