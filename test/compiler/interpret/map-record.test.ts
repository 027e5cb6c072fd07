import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConditionIR } from '../../../compiler/ir.ts';
import { InterpretError, mapRecord } from '../../../compiler/interpret/index.ts';
import { constant, consumed, field, interpreterStream, rule } from '../../support/ir.ts';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const msg = (record: unknown) => JSON.stringify(record);
const IP = [{ kind: 'convert', to: 'ip' }] as const;

describe('step 1: where the record goes', () => {
  it('keeps the record under the namespace, without message', () => {
    const out = mapRecord(interpreterStream({ rules: [] }), msg({ a: 1, b: { c: 'x' } }), {});
    expect(out).toEqual({ doc: { v: { s: { a: 1, b: { c: 'x' } } } } });
  });
  it('without keepUnmapped, the record never reaches the document', () => {
    const s = interpreterStream({ keepUnmapped: false, rules: [rule('user.name', field('u'))] });
    expect(mapRecord(s, msg({ u: 'ann', other: 1 }), {})).toEqual({ doc: { user: { name: 'ann' } } });
  });
  it('copies the message to event.original only when the setting is true', () => {
    const s = interpreterStream({ original: { setting: 'keep' }, rules: [] });
    const text = '{"a": 1}';
    expect(mapRecord(s, text, { keep: true }).doc).toEqual({ event: { original: text }, v: { s: { a: 1 } } });
    expect(mapRecord(s, text, { keep: 'TRUE' }).doc).toHaveProperty('event.original', text);
    expect(mapRecord(s, text, { keep: false }).doc).not.toHaveProperty('event');
    expect(mapRecord(s, text, {}).doc).not.toHaveProperty('event');
  });
  it('throws E0701 for a message that is not a JSON object', () => {
    const s = interpreterStream({ rules: [] });
    expect(() => mapRecord(s, '[1, 2]', {})).toThrow(InterpretError);
    expect(() => mapRecord(s, 'null', {})).toThrow(/E0701: record is not a JSON object/);
    expect(() => mapRecord(s, '{"a": 1,\n}', {})).toThrow(/E0701: record is not valid JSON \(2:1\)/);
  });
});

describe('steps 2-4: rules', () => {
  it('writes constants and copies values; set overwrites', () => {
    const s = interpreterStream({
      rules: [rule('event.kind', constant('event')), rule('event.kind', constant('alert')), rule('x.n', field('n'))],
    });
    expect(mapRecord(s, msg({ n: { deep: [1, 2] } }), {}).doc).toMatchObject({
      event: { kind: 'alert' },
      x: { n: { deep: [1, 2] } },
    });
  });
  it('a missing or null source writes nothing and reports nothing', () => {
    const s = interpreterStream({ rules: [rule('source.ip', field('ip', ...IP))] });
    expect(mapRecord(s, msg({ ip: null }), {}).doc).toEqual({ v: { s: { ip: null } } });
    expect(mapRecord(s, msg({}), {}).doc).toEqual({ v: { s: {} } });
  });
  it('a failed conversion writes nothing and appends the fixed error text, in rule order', () => {
    const s = interpreterStream({
      rules: [rule('source.ip', field('ip', ...IP)), rule('related.ip', field('ip', ...IP), { op: 'append' })],
    });
    const { doc } = mapRecord(s, msg({ ip: 'not-an-ip' }), {});
    expect(doc).toEqual({
      error: { message: ['mapc: cannot map ip to source.ip', 'mapc: cannot map ip to related.ip'] },
      v: { s: { ip: 'not-an-ip' } },
    });
  });
  it('a chain stops at the first failure', () => {
    const s = interpreterStream({
      rules: [rule('x.y', field('v', { kind: 'convert', to: 'long' }, { kind: 'lowercase' }))],
    });
    expect(mapRecord(s, msg({ v: '12' }), {}).doc).toHaveProperty('error.message', ['mapc: cannot map v to x.y']);
  });
  it('a write through a non-object parent is reported like a failed conversion', () => {
    const s = interpreterStream({ rules: [rule('v.s.text.inner', constant('x'))] });
    expect(mapRecord(s, msg({ text: 'plain' }), {}).doc).toEqual({
      error: { message: ['mapc: cannot map <constant> to v.s.text.inner'] },
      v: { s: { text: 'plain' } },
    });
  });
  it('reads see earlier writes under the namespace (kept record only)', () => {
    const rules = [rule('v.s.level', constant('HIGH')), rule('log.level', field('level', { kind: 'lowercase' }))];
    expect(mapRecord(interpreterStream({ rules }), msg({ level: 'LOW' }), {}).doc).toMatchObject({
      log: { level: 'high' },
    });
    expect(mapRecord(interpreterStream({ keepUnmapped: false, rules }), msg({ level: 'LOW' }), {}).doc).toEqual({
      v: { s: { level: 'HIGH' } },
      log: { level: 'low' },
    });
  });
});

describe('append', () => {
  const tags = (...values: unknown[]) =>
    values.map((v) => rule('related.user', constant(v as string), { op: 'append' }));
  it('creates the array, adds new values and skips values already present', () => {
    const { doc } = mapRecord(interpreterStream({ rules: tags('a', 'b', 'a', 'c', 'b') }), msg({}), {});
    expect(doc).toHaveProperty('related.user', ['a', 'b', 'c']);
  });
  it('a scalar already at the target becomes the first element', () => {
    const rules = [rule('related.user', constant('first')), ...tags('second', 'first')];
    expect(mapRecord(interpreterStream({ rules }), msg({}), {}).doc).toHaveProperty('related.user', [
      'first',
      'second',
    ]);
  });
  it('an array value adds each of its elements', () => {
    const rules = [rule('related.user', field('names'), { op: 'append' })];
    expect(mapRecord(interpreterStream({ rules }), msg({ names: ['a', 'b', 'a'] }), {}).doc).toHaveProperty(
      'related.user',
      ['a', 'b'],
    );
  });
  it('a lookup without match or default writes nothing and reports nothing', () => {
    const table = { kind: 'lookup', table: 't', entries: [{ from: 'X', to: 'iam' }] } as const;
    const rules = [rule('event.category', field('c', table), { op: 'append' })];
    expect(mapRecord(interpreterStream({ rules }), msg({ c: 'Y' }), {}).doc).toEqual({ v: { s: { c: 'Y' } } });
    expect(mapRecord(interpreterStream({ rules }), msg({ c: 'X' }), {}).doc).toHaveProperty('event.category', ['iam']);
  });
});

describe('conditions', () => {
  const when = (condition: ConditionIR) =>
    interpreterStream({ rules: [rule('event.outcome', constant('success'), { when: condition })] });
  it('equals is strict JSON equality', () => {
    const s = when({ kind: 'equals', path: ['ok'], value: true });
    expect(mapRecord(s, msg({ ok: true }), {}).doc).toHaveProperty('event.outcome');
    expect(mapRecord(s, msg({ ok: 'true' }), {}).doc).not.toHaveProperty('event');
    expect(mapRecord(s, msg({}), {}).doc).not.toHaveProperty('event');
    const n = when({ kind: 'equals', path: ['n'], value: 1 });
    expect(mapRecord(n, '{"n": 1.0}', {}).doc).toHaveProperty('event.outcome');
    expect(mapRecord(n, '{"n": "1"}', {}).doc).not.toHaveProperty('event');
  });
  it('exists and not exists treat null as absent', () => {
    const s = when({ kind: 'not', condition: { kind: 'exists', path: ['a', 'b'] } });
    expect(mapRecord(s, msg({ a: { b: null } }), {}).doc).toHaveProperty('event.outcome');
    expect(mapRecord(s, msg({ a: { b: 0 } }), {}).doc).not.toHaveProperty('event');
  });
  it('a setting condition needs the setting true', () => {
    const s = when({ kind: 'setting', name: 'flag' });
    expect(mapRecord(s, msg({}), { flag: true }).doc).toHaveProperty('event.outcome');
    expect(mapRecord(s, msg({}), { flag: 'yes' }).doc).not.toHaveProperty('event');
    expect(mapRecord(s, msg({}), {}).doc).not.toHaveProperty('event');
  });
});

describe('step 5: remove and consumed', () => {
  it('removes listed paths, keeping their parents', () => {
    const s = interpreterStream({ remove: [['auth', 'password']], rules: [] });
    expect(mapRecord(s, msg({ auth: { password: 'x', user: 'u' } }), {}).doc).toEqual({
      v: { s: { auth: { user: 'u' } } },
    });
  });
  it('deletes a consumed source only when its destination was written', () => {
    const s = interpreterStream({
      rules: [rule('source.ip', field('net.ip', ...IP))],
      consumed: [consumed('net.ip', 'source.ip')],
    });
    expect(mapRecord(s, msg({ net: { ip: '::1' } }), {}).doc).toEqual({ source: { ip: '::1' }, v: { s: { net: {} } } });
    expect(mapRecord(s, msg({ net: { ip: 'bad' } }), {}).doc).toEqual({
      error: { message: ['mapc: cannot map net.ip to source.ip'] },
      v: { s: { net: { ip: 'bad' } } },
    });
  });
  it('the copied value is not affected by deleting the source', () => {
    const s = interpreterStream({ rules: [rule('x.obj', field('o'))], consumed: [consumed('o.k', 'x.obj')] });
    expect(mapRecord(s, msg({ o: { k: 1 } }), {}).doc).toEqual({ x: { obj: { k: 1 } }, v: { s: { o: {} } } });
  });
});

describe('step 6: the document id', () => {
  it('hashes the original values even when a rule rewrote them, and stays out of the body', () => {
    const s = interpreterStream({
      documentId: { fields: [['secret']], loc: { file: 'x', offset: 0, length: 0, line: 1, column: 1 } },
      rules: [rule('v.s.secret', field('secret', { kind: 'redact', mode: 'mask', keep: 2 }))],
    });
    const out = mapRecord(s, msg({ secret: 'abcdef' }), {});
    expect(out.id).toBe(sha('|secret|abcdef|'));
    expect(out.doc).toEqual({ v: { s: { secret: 'ab********' } } });
  });
  it('has no id without documentId', () => {
    expect(mapRecord(interpreterStream({ rules: [] }), '{}', {})).not.toHaveProperty('id');
  });
});

describe('append equality (strict JSON, key order free)', () => {
  it('treats objects with the same members in another order as equal, and 0 and "0" as different', async () => {
    const { sameValue } = await import('../../../compiler/interpret/map-record.ts');
    expect(sameValue({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue(0, '0')).toBe(false);
    expect(sameValue(1, 1.0)).toBe(true);
    expect(sameValue(null, {})).toBe(false);
  });
});

describe('step 4: redaction fails closed', () => {
  const HASH = { kind: 'redact', mode: 'hash' } as const;
  const MASK = { kind: 'redact', mode: 'mask', keep: 4 } as const;
  const secret = { password: 'hunter2-hunter2' };

  it('a mask in place under the namespace deletes a value it cannot redact (the Entro shape)', () => {
    const s = interpreterStream({ rules: [rule('v.s.r.exposed', field('r.exposed', MASK))] });
    expect(mapRecord(s, msg({ r: { exposed: secret, line: 3 } }), {}).doc).toEqual({
      error: { message: ['mapc: cannot map r.exposed to v.s.r.exposed'] },
      v: { s: { r: { line: 3 } } },
    });
    expect(mapRecord(s, msg({ r: { exposed: 'ghp_abcdefghij' } }), {}).doc).toEqual({
      v: { s: { r: { exposed: 'ghp_********' } } },
    });
  });

  it('a hash to an ECS field deletes the source at once: later rules see it missing', () => {
    const s = interpreterStream({
      rules: [
        rule('related.hash', field('k', HASH), { op: 'append' }),
        rule('user.name', field('k')),
        rule('event.kind', constant('alert'), { when: { kind: 'exists', path: ['k'] } }),
      ],
    });
    for (const value of [42, -1.5, true, false, [secret.password], secret, {}, []]) {
      expect(mapRecord(s, msg({ k: value, other: 'x' }), {}).doc, JSON.stringify(value)).toEqual({
        error: { message: ['mapc: cannot map k to related.hash'] },
        v: { s: { other: 'x' } },
      });
    }
    expect(mapRecord(s, msg({ k: 'abc' }), {}).doc).toEqual({
      related: { hash: [sha('abc')] },
      user: { name: 'abc' },
      event: { kind: 'alert' },
      v: { s: { k: 'abc' } },
    });
  });

  it('deletes the source path whatever transform before the redaction failed', () => {
    const s = interpreterStream({
      rules: [rule('file.hash.sha256', field('k', { kind: 'convert', to: 'keyword' }, HASH))],
    });
    expect(mapRecord(s, msg({ k: 1.5 }), {}).doc).toEqual({
      error: { message: ['mapc: cannot map k to file.hash.sha256'] },
      v: { s: {} },
    });
    // keyword takes an integer: its text is hashed, nothing fails.
    expect(mapRecord(s, msg({ k: 42 }), {}).doc).toEqual({
      file: { hash: { sha256: sha('42') } },
      v: { s: { k: 42 } },
    });
  });

  it('deletes the source when the redacted value cannot be written', () => {
    const s = interpreterStream({ rules: [rule('v.s.plain.h', field('k', HASH))] });
    expect(mapRecord(s, msg({ k: 'abc', plain: 'text' }), {}).doc).toEqual({
      error: { message: ['mapc: cannot map k to v.s.plain.h'] },
      v: { s: { plain: 'text' } },
    });
  });

  it('without unmapped keep, later rules see the deleted source missing too', () => {
    const s = interpreterStream({
      keepUnmapped: false,
      rules: [rule('file.hash.sha256', field('k', HASH)), rule('user.name', field('k'))],
    });
    expect(mapRecord(s, msg({ k: secret }), {}).doc).toEqual({
      error: { message: ['mapc: cannot map k to file.hash.sha256'] },
    });
  });

  it('a missing or null source, a false condition, a non-redacting rule: nothing is deleted', () => {
    const guarded = interpreterStream({
      rules: [rule('file.hash.sha256', field('k', HASH), { when: { kind: 'exists', path: ['go'] } })],
    });
    expect(mapRecord(guarded, msg({ k: 5 }), {}).doc).toEqual({ v: { s: { k: 5 } } });
    expect(mapRecord(guarded, msg({ k: null, go: 1 }), {}).doc).toEqual({ v: { s: { k: null, go: 1 } } });
    const plain = interpreterStream({ rules: [rule('source.ip', field('k', ...IP))] });
    expect(mapRecord(plain, msg({ k: 5 }), {}).doc).toEqual({
      error: { message: ['mapc: cannot map k to source.ip'] },
      v: { s: { k: 5 } },
    });
  });

  it('the document id still hashes the original value', () => {
    const s = interpreterStream({
      documentId: { fields: [['k']], loc: { file: 'x', offset: 0, length: 0, line: 1, column: 1 } },
      rules: [rule('file.hash.sha256', field('k', HASH))],
    });
    expect(mapRecord(s, msg({ k: 7 }), {}).id).toBe(sha('|k|7|'));
  });
});

describe('step 5: drop empty (MappingIR.dropEmpty)', () => {
  const s = (mapping: Partial<Parameters<typeof interpreterStream>[0]> = {}) =>
    interpreterStream({ dropEmpty: true, rules: [rule('user.name', field('u'))], ...mapping });

  it('removes null, "", [] and {} under the namespace, innermost first; keeps " ", 0, false and the rules\' writes', () => {
    const record = {
      u: '',
      a: null,
      b: { c: null, d: [null, '', [], {}, [null]], e: 0 },
      f: [{ g: '' }, 'h', false, ' '],
      i: { j: { k: {} } },
    };
    expect(mapRecord(s(), msg(record), {}).doc).toEqual({
      user: { name: '' },
      v: { s: { b: { e: 0 }, f: ['h', false, ' '] } },
    });
  });

  it('removes an emptied namespace and each parent left empty, but not a parent that holds more', () => {
    expect(mapRecord(s(), msg({ a: null, b: {} }), {}).doc).toEqual({});
    const writes = interpreterStream({
      dropEmpty: true,
      namespace: ['v', 's'],
      rules: [rule('v.t', constant('x'))],
    });
    expect(mapRecord(writes, msg({ a: '', b: [{}] }), {}).doc).toEqual({ v: { t: 'x' } });
  });

  it('prunes nothing without the option, and nothing at an empty namespace', () => {
    const record = { a: null, b: {} };
    expect(mapRecord(interpreterStream({ rules: [] }), msg(record), {}).doc).toEqual({ v: { s: record } });
    expect(mapRecord(s({ namespace: [] }), msg(record), {}).doc).toEqual(record);
  });
});
