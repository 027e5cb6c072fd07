/**
 * The mapping rules of `compiler/check/rules/map.ts`: E0100 unknown ECS field, E0101 value type,
 * E0102 allowed values, E0103 vendor namespace, E0107 a destination field mapped twice or owned by
 * mapc, E0112/E0120 array operators.
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, atEnd, check, mark, one, pos, span, spanPos, where, withCode } from './support.ts';

const rules = (text: string): string => baseMap({ rules: text });

describe('E0100 unknown ECS field', () => {
  it('reports the target with a suggestion', () => {
    const source = rules('    source.ipp = addr | ip');
    const d = one(source, 'E0100');
    expect(d.message).toBe('unknown ECS field source.ipp');
    expect(span(d)).toEqual(mark(source, 'source.ipp'));
    expect(d.notes).toContain('help: did you mean source.ip?');
  });
});

describe('E0101 value type', () => {
  it('an ip field needs | ip', () => {
    const source = rules('    source.ip = addr');
    const d = one(source, 'E0101');
    expect(d.message).toBe('source.ip is an ip field; the value does not fit');
    expect(span(d)).toEqual(mark(source, 'addr'));
    expect(d.notes).toContain('help: convert it: `source.ip = addr | ip`');
    expect(spanPos(d.secondary[0]!.span)).toBe(at(source, 'source.ip'));
  });
  it('a date field needs | date(...)', () => {
    const source = rules('    event.created = created');
    const d = one(source, 'E0101');
    expect(d.message).toBe('event.created is a date field; the value does not fit');
    expect(pos(d)).toBe(atEnd(source, 'event.created = '));
  });
  it('a conversion to the wrong type is an error', () => {
    const source = rules('    user.name = uid | long');
    const d = one(source, 'E0101');
    expect(d.message).toBe('user.name is a keyword field; the value does not fit');
    expect(d.primary.message).toBe('converted to long');
    expect(span(d)).toEqual(mark(source, 'uid | long'));
  });
  it('a long field takes an integer literal but not a string', () => {
    expect(check(rules('    event.severity = 3'))).toEqual([]);
    const source = rules('    event.severity = "3"');
    const d = one(source, 'E0101');
    expect(d.primary.message).toBe('a string literal');
    expect(span(d)).toEqual(mark(source, '"3"'));
  });
  it('a keyword field takes copies but not a number literal', () => {
    expect(check(rules('    user.name = uid\n    user.id = uid | keyword'))).toEqual([]);
    const d = one(rules('    user.id = 42'), 'E0101');
    expect(d.notes).toContain('help: quote it: "42"');
  });
  it('a string transform after a numeric conversion is an error', () => {
    const source = rules('    user.name = uid | long | lowercase');
    const d = one(source, 'E0101');
    expect(d.message).toBe('lowercase/uppercase needs a string, but the value was converted to long');
    expect(span(d)).toEqual(mark(source, 'lowercase'));
  });
  it('a boolean field needs | boolean', () => {
    const d = one(rules('    threat.enrichments.indicator.file.code_signature.trusted = ok'), 'E0101');
    expect(d.message).toContain('is a boolean field');
  });
  it('an ECS object field is not a value', () => {
    const source = rules('    labels = x');
    const d = one(source, 'E0101');
    expect(d.message).toBe('labels is an ECS object field');
    expect(pos(d)).toBe(at(source, 'labels'));
  });
  it('keys under labels are keyword fields', () => {
    expect(check(rules('    labels.team = team'))).toEqual([]);
  });
  it('a literal IP fits an ip field', () => {
    expect(check(rules('    source.ip = "10.0.0.1"'))).toEqual([]);
    expect(one(rules('    source.ip = "not-an-ip"'), 'E0101').primary.message).toBe('a string literal');
  });
});

describe('E0102 allowed values', () => {
  it('rejects a constant outside ECS allowed values, suggesting the closest', () => {
    const source = rules('    event.kind = "evnt"');
    const d = one(source, 'E0102');
    expect(d.message).toBe('"evnt" is not an allowed value of event.kind');
    expect(span(d)).toEqual(mark(source, '"evnt"'));
    expect(d.notes[0]).toBe('help: did you mean "event"?');
  });
  it('checks appended constants on array fields', () => {
    const d = one(rules('    event.category += "auth"'), 'E0102');
    expect(d.message).toBe('"auth" is not an allowed value of event.category');
  });
  it('checks the to values and default of a lookup table feeding the field', () => {
    const source = baseMap({
      rules: '    event.type += op | lookup(ops)',
      decls: 'table ops {\n  "C" => "creation"\n  "X" => "created"\n  default "infos"\n}',
    });
    const found = withCode(source, 'E0102');
    expect(found.map((d) => `${d.code} ${pos(d)} ${d.message}`)).toEqual([
      `E0102 ${at(source, '"created"')} "created" is not an allowed value of event.type`,
      `E0102 ${at(source, '"infos"')} "infos" is not an allowed value of event.type`,
    ]);
    expect(found[0]!.secondary[0]).toMatchObject({
      message: 'feeds event.type here',
      span: where(source, 'event.type'),
    });
  });
  it('accepts the base table feeding event.kind', () => {
    expect(check(rules('    event.kind = op | lookup(kinds)'))).toEqual([]);
  });
});

describe('E0103 non-ECS field outside the vendor namespace', () => {
  it('rejects a field that is neither ECS nor vendor', () => {
    const source = rules('    vendor_stuff.x = y');
    const d = one(source, 'E0103');
    expect(d.message).toBe('vendor_stuff.x is neither an ECS field nor under the vendor namespace');
    expect(span(d)).toEqual(mark(source, 'vendor_stuff.x'));
    expect(d.notes).toContain('note: vendor fields go under acme.audit, e.g. acme.audit.vendor_stuff.x');
  });
  it('accepts fields under <integration>.<stream> and under an explicit namespace', () => {
    expect(check(rules('    acme.audit.extra = y | keyword'))).toEqual([]);
    expect(check(rules('    namespace acme.logs\n    acme.logs.extra = y'))).toEqual([]);
  });
  it('rejects writing the namespace itself', () => {
    const d = one(rules('    acme.audit = y'), 'E0103');
    expect(d.message).toBe('acme.audit is the vendor namespace itself');
  });
  it('rejects a namespace inside ECS', () => {
    const source = rules('    namespace user.acme');
    const d = one(source, 'E0103');
    expect(d.message).toBe('vendor namespace user.acme collides with ECS field set user');
    expect(span(d)).toEqual(mark(source, 'user.acme'));
  });
  it('a field outside ECS and the namespace gets an ECS suggestion', () => {
    const d = one(rules('    evnt.kind = "event"'), 'E0103');
    expect(d.notes[0]).toBe('help: did you mean event.kind?');
  });
});

describe('E0107 target mapped twice', () => {
  it('reports the second = with the first as secondary label', () => {
    const source = rules('    user.name = a\n    user.name = b');
    const d = one(source, 'E0107');
    expect(d.message).toBe('user.name is mapped twice');
    expect(span(d)).toEqual(mark(source, 'user.name', { occurrence: 1 }));
    expect(d.secondary).toMatchObject([{ message: 'first mapped here', span: where(source, 'user.name') }]);
  });
  it('accepts repeated = when every rule has a when', () => {
    const text = '    event.outcome = "success" when ok == true\n    event.outcome = "failure" when ok == false';
    expect(check(rules(text))).toEqual([]);
  });
  it('= and += on one vendor field', () => {
    const source = rules('    acme.audit.tags = a\n    acme.audit.tags += b');
    const d = one(source, 'E0107');
    expect(d.message).toBe('acme.audit.tags is both set and appended to');
    expect(pos(d)).toBe(at(source, 'acme.audit.tags', 1));
  });
});

describe('E0107 fields mapc owns', () => {
  it('rejects mapping event.dataset, which mapc sets', () => {
    const d = one(rules('    event.dataset = "x"'), 'E0107');
    expect(d.message).toBe('event.dataset is set by mapc');
  });
  it('rejects mapping event.original, which mapc sets from the raw record', () => {
    const d = one(rules('    event.original = raw'), 'E0107');
    expect(d.message).toBe('event.original is set by mapc');
    expect(d.notes).toEqual([
      'note: mapc sets event.original to the raw record text; ask for it with `original when setting.NAME`',
    ]);
  });
  it('data_stream.*', () => {
    const source = rules('    data_stream.namespace = ns');
    const d = one(source, 'E0107');
    expect(d.message).toBe('data_stream.namespace is set by mapc');
    expect(pos(d)).toBe(at(source, 'data_stream.namespace'));
  });
  // error.message: each target appends its conversion errors there (compiler/ir.ts step 4); `error`
  // holds it. The checks refuse both at the rule, rather than one backend (Vector used to, E0500).
  it('refuses writing error.message or error, at the target', () => {
    for (const target of ['error.message', 'error']) {
      const source = rules(`    ${target} = "custom"`);
      const d = one(source, 'E0107');
      expect(d.message).toBe(`${target} is set by mapc`);
      expect(pos(d)).toBe(at(source, `${target} = "custom"`));
    }
  });
  it('error.message and error, in every target (not only Vector)', () => {
    for (const target of ['error.message', 'error']) {
      const source = rules(`    ${target} = "custom"`);
      const d = one(source, 'E0107');
      expect(d.message).toBe(`${target} is set by mapc`);
      expect(d.notes).toEqual([
        'note: every target appends its conversion errors to error.message (compiler/ir.ts step 4)',
      ]);
      expect(pos(d)).toBe(at(source, `${target} = "custom"`));
    }
  });
  it('leaves the other error fields to the map', () => {
    expect(withCode(rules('    error.code = "x"'), 'E0107')).toEqual([]);
  });
});

describe('E0112 / E0120 array operators', () => {
  it('= on an ECS array field', () => {
    const source = rules('    related.ip = addr | ip');
    const d = one(source, 'E0112');
    expect(d.message).toBe('related.ip is an array field: use +=');
    expect(span(d)).toEqual({ pos: atEnd(source, '    related.ip '), length: 1 });
  });
  it('+= on a single-value field', () => {
    const source = rules('    user.name += uid');
    const d = one(source, 'E0120');
    expect(d.message).toBe('user.name holds one value: use =');
    expect(span(d)).toEqual({ pos: atEnd(source, '    user.name '), length: 2 });
  });
});
