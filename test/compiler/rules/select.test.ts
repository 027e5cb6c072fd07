/**
 * The selection checks of `compiler/check/rules/select.ts`: E0240 a selection from a path the
 * record schema does not declare `array of object`, E0241 a redaction after a selection; and what
 * the parser and the other checks say of a selection (E0004 in a wrong place, E0140 an undeclared
 * array, E0101 a value type that does not fit its ECS field).
 */
import { describe, expect, it } from 'vitest';
import { parseMap } from '../../../dsl/index.ts';
import { baseMap } from '../helpers.ts';
import { check, mark, one, span } from './support.ts';

const rules = (text: string, record?: string): string =>
  baseMap({ rules: text, ...(record ? { streamItems: `  record {\n    created string\n${record}\n  }` } : {}) });

describe('selections: accepted', () => {
  it('by a string, a number and a boolean, nested keys and rests, the whole element, transforms after', () => {
    const source = rules(
      [
        '    user.target.id = target[type == "User"].id',
        '    user.target.email = target[type == "User"].alternateId | lowercase',
        '    acme.audit.app = target[type == "AppInstance"]',
        '    acme.audit.rank = target[rank == 2].detail.name',
        '    acme.audit.primary = target[meta.primary == true].id | keyword',
        '    related.user += a, target["the type" == "Group"].id',
      ].join('\n'),
    );
    expect(check(source)).toEqual([]);
  });

  it('with a record schema that declares the array an array of objects', () => {
    const source = rules('    user.target.id = target[type == "User"].id', '    target array of object optional');
    expect(check(source)).toEqual([]);
  });
});

describe('E0240 the schema does not declare an array of objects', () => {
  it('an array of strings', () => {
    const source = rules('    user.target.id = target[type == "User"].id', '    target array of string');
    const d = one(source, 'E0240');
    expect(d.message).toBe('target is not declared an array of objects, so its elements cannot be read');
    expect(span(d)).toEqual(mark(source, 'target[', { length: 'target'.length }));
    expect(d.secondary[0]?.message).toBe('declared here');
    expect(d.notes[0]).toBe('help: declare it `target array of object` (add `optional` if records may lack it)');
  });

  it('an object', () => {
    const source = rules('    user.target.id = target[type == "User"].id', '    target object');
    expect(one(source, 'E0240').primary.message).toBe('selects from here');
  });

  it('an undeclared array is E0140, as any undeclared read', () => {
    const source = rules('    user.target.id = target[type == "User"].id', '    other string');
    const d = one(source, 'E0140');
    expect(d.message).toBe('target is not in the record schema');
  });
});

describe('E0241 redaction of a selected value', () => {
  it.each([['hash'], ['mask(2)']])('%s', (transform) => {
    const source = rules(`    acme.audit.id = target[type == "User"].id | ${transform}`);
    const d = one(source, 'E0241');
    expect(d.message).toBe(
      'a selected element value cannot be redacted: redaction deletes its source from the record when it fails',
    );
    expect(span(d)).toEqual(mark(source, transform));
  });
});

describe('selections: other diagnostics', () => {
  it('E0101: a selected value copied as is into an ECS long field', () => {
    const source = rules('    process.pid = target[type == "P"].pid');
    expect(one(source, 'E0101').message).toBe('process.pid is a long field; the value does not fit');
  });

  it('E0004: a selection after a number, and an unfinished selection', () => {
    for (const text of ['    acme.audit.x = 5[type == "User"].id', '    acme.audit.x = target[type == ].id']) {
      const { diagnostics } = parseMap(rules(text), 'test.map');
      expect(diagnostics.map((d) => d.code)).toContain('E0004');
    }
  });
});

describe('element fields', () => {
  it('accepted: names, renames from nested paths, quoted names, with a schema', () => {
    const source = rules(
      '    acme.audit.target = target[] { id, type, alternate_id = alternateId, "the name" = detail.name }',
      '    target array of object optional',
    );
    expect(check(source)).toEqual([]);
  });

  it('E0242: += writes a whole array', () => {
    const source = rules('    acme.audit.t += target[] { id }');
    const d = one(source, 'E0242');
    expect(d.message).toBe('element fields are written with `=`');
    expect(span(d)).toEqual(mark(source, '+='));
  });

  it('E0242: no transforms', () => {
    const source = rules('    acme.audit.t = target[] { id } | keyword');
    const d = one(source, 'E0242');
    expect(d.message).toBe('element fields take no transforms');
    expect(span(d)).toEqual(mark(source, 'keyword'));
  });

  it('E0242: not to an ECS field', () => {
    const source = rules('    user.name = target[] { id }');
    const d = one(source, 'E0242');
    expect(d.message).toBe('element fields go under the vendor namespace, not to the ECS field user.name');
    expect(span(d)).toEqual(mark(source, 'user.name'));
  });

  it('E0242: a name listed twice, at its second place', () => {
    const source = rules('    acme.audit.t = target[] { id, id = other }');
    const d = one(source, 'E0242');
    expect(d.message).toBe('element field id is listed twice');
    expect(span(d)).toEqual(mark(source, 'id', { occurrence: 1 }));
  });

  it('E0240: the schema declares the array otherwise', () => {
    const source = rules('    acme.audit.t = target[] { id }', '    target array of string');
    expect(one(source, 'E0240').message).toBe(
      'target is not declared an array of objects, so its elements cannot be read',
    );
  });
});
