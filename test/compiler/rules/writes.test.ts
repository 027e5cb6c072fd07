/** E0170-E0172 (`compiler/check/rules/writes.ts`), the parse errors of the write constructs, and their interpreter semantics. */
import { describe, expect, it } from 'vitest';
import { parseMap } from '../../../dsl/index.ts';
import { compileSource } from '../../../compiler/compile.ts';
import { mapRecord } from '../../../compiler/interpret/map-record.ts';
import { rawDocumentIdText } from '../../../compiler/ir.ts';
import { baseMap } from '../helpers.ts';
import { at, brief, check } from './support.ts';

/** `line:column` just after `needle` in `source`. */
function posAfter(source: string, needle: string): string {
  const [line, column] = at(source, needle).split(':').map(Number);
  return `${line}:${column! + needle.length}`;
}

describe('copy(FIELD) (E0170, E0171)', () => {
  it('accepts a copy of a field an earlier rule writes', () => {
    expect(check(baseMap({ rules: '    user.name = login\n    related.user += copy(user.name)' }))).toEqual([]);
  });
  it('refuses a copy of a field no earlier rule writes, at the field, naming the later rule', () => {
    const source = baseMap({ rules: '    related.user += copy(user.name)\n    user.name = login' });
    expect(brief(check(source))).toEqual([
      `E0170 ${at(source, 'user.name)')} copy(user.name): no earlier rule writes user.name`,
    ]);
  });
  it('refuses a copy of a field that is not ECS', () => {
    const source = baseMap({ rules: '    related.user += copy(login)' });
    expect(brief(check(source))).toEqual([`E0170 ${at(source, 'login)')} copy(login): not an ECS field`]);
  });
  it('refuses an ECS array field copied into a single-valued field', () => {
    const source = baseMap({ rules: '    related.user += login\n    user.name = copy(related.user)' });
    expect(brief(check(source))).toEqual([
      `E0171 ${at(source, 'related.user)')} copy(related.user): related.user is an array field; user.name holds one value`,
    ]);
  });
  it('type-checks the copy against the destination (E0101)', () => {
    const source = baseMap({ rules: '    user.name = login\n    related.ip += copy(user.name)' });
    expect(check(source).map((d) => d.code)).toEqual(['E0101']);
  });
});

describe('remove ... when (E0172)', () => {
  it('accepts a condition over its own paths', () => {
    expect(check(baseMap({ rules: '    remove secret, token when exists secret and kind == "x"' }))).toEqual([]);
  });
  it('refuses a condition reading a path another remove deletes', () => {
    const source = baseMap({ rules: '    remove token\n    remove secret when exists token' });
    expect(brief(check(source))).toEqual([
      `E0172 ${posAfter(source, 'exists ')} this condition reads token, which another remove deletes`,
    ]);
  });
});

describe('parse errors', () => {
  const errors = (rules: string): string[] =>
    parseMap(baseMap({ rules }), 'test.map').diagnostics.map((d) => `${d.code} ${d.message}`);
  it('id raw takes one path', () => {
    expect(errors('    id raw a, b')).toEqual(['E0004 `id raw` takes one field path: the vendor id as is']);
  });
  it('several sources need +=, transforms after the last, no constants', () => {
    expect(errors('    user.name = a, b')).toEqual(['E0004 several sources need `+=`: each present value is appended']);
    expect(errors('    related.user += a | lowercase, b')).toEqual([
      'E0004 transforms follow the last source and apply to every source',
    ]);
    expect(errors('    related.user += a, "x"')).toEqual([
      'E0004 each of several sources is a field path or copy(FIELD)',
    ]);
  });
  it('copy takes no transforms; no other value function', () => {
    expect(errors('    user.name = x\n    related.user += copy(user.name) | lowercase')).toEqual([
      'E0010 copy(FIELD) takes no transforms: it copies the value an earlier rule wrote',
    ]);
    expect(errors('    related.user += coyp(user.name)')[0]).toMatch(/^E0004 unknown value function "coyp"/);
  });
  it('`id raw` at the end of its line reads a field called raw (hashed)', () => {
    const parsed = parseMap(baseMap({ rules: '    id raw\n    user.name = login' }), 'test.map');
    expect(parsed.diagnostics).toEqual([]);
  });
});

describe('interpreter', () => {
  const rules = [
    '    id raw uuid',
    '    remove secret, other when kind == "x"',
    '    user.name = actor.name',
    '    related.user += target.name, actor.email | lowercase',
    '    related.user += copy(user.name), actor.login',
  ].join('\n');
  const compiled = compileSource(baseMap({ rules }), 'test.map');
  const stream = compiled.ir!.streams[0]!;
  it('expands several sources into one append rule per source, at the rule', () => {
    const appends = stream.mapping.rules.filter((r) => r.destination.join('.') === 'related.user');
    expect(appends.map((r) => r.value)).toEqual([
      { kind: 'field', path: ['target', 'name'], transforms: [{ kind: 'lowercase' }] },
      { kind: 'field', path: ['actor', 'email'], transforms: [{ kind: 'lowercase' }] },
      { kind: 'copy', from: ['user', 'name'] },
      { kind: 'field', path: ['actor', 'login'], transforms: [] },
    ]);
    expect(new Set(appends.slice(0, 2).map((r) => JSON.stringify(r.loc))).size).toBe(1);
  });
  it('maps a record: raw id, copies, appends in order, conditional remove', () => {
    const record = {
      uuid: 'u-1',
      kind: 'x',
      secret: 's',
      other: 1,
      actor: { name: 'Bob', email: 'B@X.com', login: 'bob' },
      target: { name: 'Al' },
    };
    const out = mapRecord(stream, JSON.stringify(record), {});
    expect(out.id).toBe('u-1');
    expect((out.doc['related'] as { user: string[] }).user).toEqual(['al', 'b@x.com', 'Bob', 'bob']);
    const kept = (out.doc['acme'] as { audit: Record<string, unknown> }).audit;
    expect('secret' in kept || 'other' in kept).toBe(false);
    const other = mapRecord(stream, JSON.stringify({ ...record, kind: 'y' }), {});
    expect((other.doc['acme'] as { audit: Record<string, unknown> }).audit['secret']).toBe('s');
  });
  it('raw id text: strings of 1 to 512 bytes, safe integers; nothing else', () => {
    expect(rawDocumentIdText('abc')).toBe('abc');
    expect(rawDocumentIdText('')).toBeUndefined();
    expect(rawDocumentIdText('é'.repeat(256))).toBe('é'.repeat(256));
    expect(rawDocumentIdText('é'.repeat(257))).toBeUndefined();
    expect(rawDocumentIdText(12)).toBe('12');
    expect(rawDocumentIdText(-0)).toBe('0');
    expect(rawDocumentIdText(2 ** 53)).toBeUndefined();
    expect(rawDocumentIdText(1.5)).toBeUndefined();
    expect(rawDocumentIdText(true)).toBeUndefined();
    expect(rawDocumentIdText(null)).toBeUndefined();
    expect(rawDocumentIdText({ a: 1 })).toBeUndefined();
  });
});
