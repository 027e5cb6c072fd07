import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { pathText } from '../../dsl/ast.ts';
import { parseMap } from '../../dsl/index.ts';
import { CORE_HOSTILE, HOSTILE_STRINGS } from './corpus.ts';
import { mapStringBody, POSITIONS, placeAt } from './positions.ts';

describe('the injection suites’ map of string positions', () => {
  it('compiles cleanly with benign text in every position', () => {
    const result = compileSource(placeAt('integration.title', 'Hostile Vendor').map, 'hostile.map');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ir?.streams.map((s) => s.name)).toEqual(['audit', 'logins', 'windows']);
  });

  it('places plain text in every unconstrained position without an error', () => {
    // Header names are RFC 9110 tokens (E0124) and URLs hold no unencoded space (E0125).
    const noSpace = new Set([
      'auth.header.name',
      'request.header.name',
      'exchange.header.name',
      'rate_limit.remaining',
      'rate_limit.reset',
      'request.url',
      'exchange.url',
      'oauth2.token_url',
    ]);
    for (const p of POSITIONS.filter((x) => x.kind !== 'constrained' && x.kind !== 'pattern')) {
      const text = noSpace.has(p.name) ? 'plain-text-42' : 'plain text 42';
      const placed = placeAt(p.name, text);
      const errors = compileSource(placed.map, 'hostile.map').diagnostics.filter((d) => d.severity === 'error');
      expect(errors, p.name).toEqual([]);
      const line = placed.map.split('\n')[placed.line - 1] ?? '';
      expect(line[placed.column - 1], p.name).toBe('"');
      expect(line).toContain(text);
    }
  });

  it('spells every hostile string so that the map decodes it back exactly', () => {
    // Read back from the syntax tree: the checks refuse some of these texts (E0123), the parser none.
    for (const text of CORE_HOSTILE) {
      const { ast } = parseMap(placeAt('rule.constant', text).map, 'hostile.map');
      const stream = ast?.declarations.find((d) => d.kind === 'Stream');
      const rule =
        stream?.kind === 'Stream'
          ? stream.map?.rules.find((r) => pathText(r.destination) === 'labels.origin')
          : undefined;
      expect(rule?.value.kind === 'String' && rule.value.value, JSON.stringify(text)).toBe(text);
    }
    expect(mapStringBody('a"b\\c\n{d}\u0000')).toBe('a\\"b\\\\c\\n\\u{7B}d\\u{7D}\\u{0}');
    expect(HOSTILE_STRINGS.length).toBeGreaterThan(1200);
  });
});
