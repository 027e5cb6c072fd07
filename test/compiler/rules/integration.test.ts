/**
 * The integration rules of `compiler/check/rules/integration.ts`: E0113 a missing integration,
 * stream or metadata item, E0114 a second integration, E0119 a version that is not semantic or
 * a changelog that is not a web URL, E0193 an ECS version mapc does not ship; the agentless
 * owners (E0113 missing, E0119 not a lowercase name).
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { baseMap, check } from '../helpers.ts';
import { at, edit, lineOf, mark, one, pos, span } from './support.ts';

describe('E0113 missing integration items', () => {
  it('integration metadata', () => {
    const source = edit(baseMap(), '  vendor "Acme"', '  # no vendor');
    const d = one(source, 'E0113');
    expect(d.message).toBe('integration acme has no vendor');
    expect(span(d)).toEqual(mark(source, 'acme'));
  });
  it('a file without integration', () => {
    const source = baseMap().replace(/^integration acme \{[^}]*\}/, '# none');
    const d = one(source, 'E0113');
    expect(d.message).toBe('missing integration declaration');
    // At the start of the file, empty.
    expect(span(d)).toEqual({ pos: at(source, '# none'), length: 0 });
    expect(at(source, '# none')).toBe('1:1');
  });
  it('a file with no stream', () => {
    const source = 'integration acme {\n  title "A"\n  vendor "A"\n  version "0.1.0"\n  description "A"\n}\n';
    const d = one(source, 'E0113');
    expect(d.message).toBe('missing stream declaration');
    expect(pos(d)).toBe(at(source, 'acme'));
  });
});

describe('E0114 a second integration', () => {
  it('a second integration', () => {
    const source = baseMap({
      decls: 'integration other {\n  title "O"\n  vendor "O"\n  version "1.0.0"\n  description "O"\n}',
    });
    const d = one(source, 'E0114');
    expect(d.message).toBe('integration declared twice');
    expect(pos(d)).toBe(at(source, 'other'));
    expect(d.secondary[0]?.span.line).toBe(lineOf(source, 'integration acme'));
  });
});

describe('E0119 invalid values', () => {
  it('a version that is not semantic', () => {
    const source = edit(baseMap(), '  version "0.1.0"', '  version "1.0"');
    const d = one(source, 'E0119');
    expect(d.message).toBe('integration version "1.0" is not a semantic version');
    expect(span(d)).toEqual(mark(source, '"1.0"'));
  });
});

describe('E0119 a changelog that is not an absolute http(s) URL', () => {
  const withChangelog = (url: string): string =>
    edit(baseMap(), '  description "Acme audit logs."', `  description "Acme audit logs."\n  changelog "${url}"`);

  it.each(['javascript:alert(1)', '/pull/1', 'https://', 'https://user:pw@example.org/x', 'https://example.org/a b'])(
    '%s',
    (url) => {
      const source = withChangelog(url);
      const d = one(source, 'E0119');
      expect(d.message).toBe(`changelog ${JSON.stringify(url)} is not an absolute http(s) URL`);
      expect(span(d)).toEqual(mark(source, `"${url}"`));
    },
  );
  it('an https URL passes', () => {
    expect(check(withChangelog('https://github.com/elastic/integrations/pull/1'))).toEqual([]);
  });
});

describe('E0193 an ECS version mapc does not ship', () => {
  const withEcs = (version: string): string =>
    edit(baseMap(), '  description "Acme audit logs."', `  description "Acme audit logs."\n  ecs "${version}"`);

  it.each([
    ['8.11', 'help: did you mean "8.11.0"?'],
    ['9.4.1', 'help: did you mean "9.4.0"?'],
    ['8.17.0', 'help: did you mean "8.11.0"?'],
    ['latest', undefined],
  ])('%s', (version, help) => {
    const source = withEcs(version);
    const d = one(source, 'E0193');
    expect(d.message).toBe(`mapc does not ship ECS ${JSON.stringify(version)}`);
    expect(span(d)).toEqual(mark(source, `"${version}"`));
    expect(d.notes[0]).toBe('note: mapc ships ECS 9.4.0, 8.11.0; without `ecs` a map gets 9.4.0');
    expect(d.notes[1]).toBe(help);
  });
  it.each(['9.4.0', '8.11.0'])('%s passes, and the IR and every document carry it', (version) => {
    const source = withEcs(version);
    expect(check(source)).toEqual([]);
    const ir = compileSource(source, 'acme.map').ir!;
    expect(ir.ecsVersion).toBe(version);
    for (const stream of ir.streams) {
      const rule = stream.mapping.rules.find((r) => r.destination.join('.') === 'ecs.version');
      expect(rule?.value).toEqual({ kind: 'const', value: version });
    }
  });
  it('without ecs, the IR is on 9.4.0', () => {
    expect(compileSource(baseMap(), 'acme.map').ir!.ecsVersion).toBe('9.4.0');
  });
});

describe('agentless owners (E0113, E0119)', () => {
  const withAgentless = (body: string): string =>
    edit(
      baseMap(),
      '  description "Acme audit logs."',
      `  description "Acme audit logs."\n  agentless {\n${body}\n  }`,
    );
  it('three lowercase names compile into the IR', () => {
    const source = withAgentless('    organization "security"\n    division "engineering"\n    team "sec_int-2"');
    const result = compileSource(source, 'acme.map');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ir?.agentless).toEqual({ organization: 'security', division: 'engineering', team: 'sec_int-2' });
    expect(compileSource(baseMap(), 'acme.map').ir).not.toHaveProperty('agentless');
  });
  it('a missing owner is E0113 at the block', () => {
    const source = withAgentless('    organization "security"\n    team "x"');
    const d = one(source, 'E0113');
    expect(d.message).toBe('the agentless block has no division');
    expect(pos(d)).toBe(at(source, 'agentless {'));
  });
  it('an owner that is not a lowercase name is E0119 at its literal', () => {
    for (const bad of ['Security', 'a b', '', '-x', 'x'.repeat(64), 'sécurité', '${HOME}']) {
      const source = withAgentless(`    organization "${bad.replace(/[$]/g, '$$$$')}"\n    division "d"\n    team "t"`);
      const d = one(source, 'E0119');
      expect(d.message).toBe(`agentless organization ${JSON.stringify(bad)} is not a lowercase name`);
      expect(pos(d)).toBe(at(source, `"${bad}"`));
    }
  });
});
