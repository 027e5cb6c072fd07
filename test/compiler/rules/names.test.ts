/** E0117 (`compiler/check/rules/names.ts`): integration, stream and setting names. */
import { describe, expect, it } from 'vitest';
import { envVarName } from '../../../compiler/check/names.ts';
import { compileSource } from '../../../compiler/compile.ts';
import { parseMap } from '../../../dsl/index.ts';
import { baseMap, check } from '../helpers.ts';
import { at, edit, mark, one, pos, span } from './support.ts';

describe('E0117 invalid names', () => {
  it('an integration name that is not snake_case', () => {
    const source = edit(baseMap(), 'integration acme {', 'integration AcmeCorp {');
    const d = one(source, 'E0117');
    expect(d.message).toBe('invalid integration name AcmeCorp');
    expect(span(d)).toEqual(mark(source, 'AcmeCorp'));
    expect(d.notes).toContain('help: did you mean acme_corp?');
  });
  it('a stream name that is not snake_case, with the fix', () => {
    const source = edit(baseMap(), 'stream audit {', 'stream AuditLogs {');
    const d = one(source, 'E0117');
    expect(d.message).toBe('invalid stream name AuditLogs');
    expect(pos(d)).toBe(at(source, 'AuditLogs'));
    expect(d.notes).toContain('help: did you mean audit_logs?');
  });
  it('a setting named like a built-in placeholder', () => {
    const source = baseMap({ decls: 'setting cursor: string' });
    const d = one(source, 'E0117');
    expect(d.message).toBe('setting name cursor is reserved');
    expect(pos(d)).toBe(at(source, 'cursor: string'));
  });
});

describe('integration names that start with a digit (elastic/integrations packages/1password)', () => {
  /** `baseMap()` renamed to `name`, its dataset and a rule under its namespace included. */
  const digitMap = (name: string): string =>
    edit(
      edit(baseMap({ rules: `    ${name}.audit.kind = kind` }), 'integration acme {', `integration ${name} {`),
      'dataset "acme.audit"',
      `dataset "${name}.audit"`,
    ).replace('  map {\n', `  map {\n    namespace ${name}.audit\n`);

  it('parse and pass the checks, with the name as the namespace root and path segment', () => {
    expect(check(digitMap('1password'))).toEqual([]);
    const { ir, diagnostics } = compileSource(digitMap('1password'), 'test.map');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ir?.name).toBe('1password');
    expect(ir?.streams[0]?.mapping.namespace).toEqual(['1password', 'audit']);
    expect(ir?.streams[0]?.mapping.rules.at(-1)?.destination).toEqual(['1password', 'audit', 'kind']);
  });
  it('settings and secrets become environment variables that start with "_" (a name may not start with a digit)', () => {
    expect(envVarName('1password', 'api_token')).toBe('_1PASSWORD_API_TOKEN');
    expect(envVarName('endor_labs', 'api_secret')).toBe('ENDOR_LABS_API_SECRET');
    const { ir } = compileSource(digitMap('1password'), 'test.map');
    expect(ir?.secrets.map((s) => s.envVar)).toEqual(['_1PASSWORD_API_TOKEN']);
  });
  it('a digit-leading stream name is still refused: data stream names start with a letter here', () => {
    const source = edit(baseMap(), 'stream audit {', 'stream 2audit {');
    const parsed = parseMap(source, 'test.map');
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['E0004']);
  });
  it('a number with a fraction and a word is no name: E0004 at it', () => {
    const source = edit(baseMap(), 'integration acme {', 'integration 1.5password {');
    const parsed = parseMap(source, 'test.map');
    expect(parsed.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['E0004', 'expected an integration name, found "1.5password"'],
    ]);
    expect(span(parsed.diagnostics[0]!)).toEqual(mark(source, '1.5password'));
  });
  it('a duration is no field path: E0004, where `5m` would otherwise read a record field', () => {
    const source = baseMap({ rules: '    event.duration = 5m' });
    const parsed = parseMap(source, 'test.map');
    expect(parsed.diagnostics.map((d) => [d.code, d.message, d.notes])).toEqual([
      [
        'E0004',
        'expected a field path segment, found the duration "5m"',
        ['help: a field named like a duration is written quoted: "5m"'],
      ],
    ]);
    expect(span(parsed.diagnostics[0]!)).toEqual(mark(source, '5m', { occurrence: 1 }));
  });
  it('the same for a path segment', () => {
    const source = baseMap({ rules: '    event.code = data.1.5x' });
    const parsed = parseMap(source, 'test.map');
    expect(parsed.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['E0004', 'expected a field path segment, found "1.5x"'],
    ]);
  });
});
