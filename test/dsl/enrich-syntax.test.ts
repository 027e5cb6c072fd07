/**
 * The syntax of `geoip PATH` / `asn PATH` / `user_agent PATH` in `map { }` (dsl/parser.ts mapItem, dsl/ast.ts
 * EnrichOption): items in source order with their spans, the words still usable as field names,
 * a missing path a syntax error, and the formatter keeping them.
 */
import { describe, expect, it } from 'vitest';
import { parseMap } from '../../dsl/index.ts';
import type { MapBlock, MapFile, StreamDecl } from '../../dsl/ast.ts';
import { formatMap } from '../../dsl/format/index.ts';

/** The map block of the file's one stream. */
function mapBlock(ast: MapFile | undefined): MapBlock {
  const stream = ast?.declarations.find((d): d is StreamDecl => d.kind === 'Stream');
  if (!stream?.map) throw new Error('no map block');
  return stream.map;
}

const map = (items: string): string =>
  `integration acme {\n  title "A"\n}\nstream s {\n  map {\n    source.ip = a | ip\n${items}\n  }\n}\n`;

describe('geoip and asn items', () => {
  it('parse into Enrich items in source order, with the field and keyword spans', () => {
    const { ast, diagnostics } = parseMap(map('    geoip source.ip\n    asn   destination.ip'), 't.map');
    expect(diagnostics).toEqual([]);
    const m = mapBlock(ast);
    expect(m.enrich.map((e) => [e.database, e.field.segments.map((s) => s.name).join('.')])).toEqual([
      ['geoip', 'source.ip'],
      ['asn', 'destination.ip'],
    ]);
    expect(m.enrich[0]!.keywordLoc).toMatchObject({ line: 7, column: 5, length: 5 });
    expect(m.enrich[1]!.field.loc).toMatchObject({ line: 8, column: 11 });
    expect(m.rules).toHaveLength(1);
  });

  it('leave fields called geoip and asn to rules', () => {
    const { ast, diagnostics } = parseMap(map('    geoip = x\n    asn.number = y | long\n    s.t = geoip'), 't.map');
    expect(diagnostics).toEqual([]);
    expect(mapBlock(ast).enrich).toEqual([]);
    expect(mapBlock(ast).rules.map((r) => r.destination.segments.map((s) => s.name).join('.'))).toEqual([
      'source.ip',
      'geoip',
      'asn.number',
      's.t',
    ]);
  });

  it('without a path is a syntax error at the word, naming the map items', () => {
    const { diagnostics } = parseMap(map('    geoip\n'), 't.map');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]!.code).toBe('E0004');
    expect(diagnostics[0]!.primary.span).toMatchObject({ line: 7, column: 5, length: 5 });
    expect(diagnostics[0]!.message).toContain('drop when, drop empty, geoip, asn, user_agent) or a rule');
  });

  it('are kept and aligned by the formatter', () => {
    const out = formatMap(map('    geoip   source.ip\n    asn source.ip'), 't.map');
    expect(out.ok && out.text).toContain('    geoip source.ip\n    asn   source.ip\n');
  });
});

describe('the user_agent item', () => {
  const uaMap = (items: string): string =>
    `integration acme {\n  title "A"\n}\nstream s {\n  map {\n    user_agent.original = ua\n${items}\n  }\n}\n`;

  it('parses into an Enrich item after the rule writing user_agent.original', () => {
    const { ast, diagnostics } = parseMap(uaMap('    user_agent user_agent.original'), 't.map');
    expect(diagnostics).toEqual([]);
    const m = mapBlock(ast);
    expect(m.enrich.map((e) => [e.database, e.field.segments.map((s) => s.name).join('.')])).toEqual([
      ['user_agent', 'user_agent.original'],
    ]);
    expect(m.enrich[0]!.keywordLoc).toMatchObject({ line: 7, column: 5, length: 10 });
    expect(m.rules.map((r) => r.destination.segments.map((s) => s.name).join('.'))).toEqual(['user_agent.original']);
  });

  it('leaves fields called user_agent to rules, as destination and as source', () => {
    const { ast, diagnostics } = parseMap(uaMap('    user_agent = x\n    s.t = user_agent.raw'), 't.map');
    expect(diagnostics).toEqual([]);
    expect(mapBlock(ast).enrich).toEqual([]);
    expect(mapBlock(ast).rules).toHaveLength(3);
  });

  it('is kept and aligned with geoip by the formatter', () => {
    const out = formatMap(uaMap('    user_agent   user_agent.original\n    geoip source.ip'), 't.map');
    expect(out.ok && out.text).toContain('    user_agent user_agent.original\n    geoip      source.ip\n');
  });
});
