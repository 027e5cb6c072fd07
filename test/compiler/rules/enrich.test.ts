/**
 * The enrichment checks of `compiler/check/rules/enrich.ts`: E0184 a field that is not an ECS ip
 * field with geo/as data beside it, E0185 an ip field no rule writes, E0197 a rule writing under
 * the enrichment's target or an enrichment given twice; for `user_agent`, E0198 a field other than
 * `user_agent.original`, and E0185/E0197 as for the others.
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { check, mark, one, span, spanPos, at, withCode } from './support.ts';

const rules = (text: string): string => baseMap({ rules: text });

describe('geoip and asn: accepted', () => {
  it('on an ip field a rule writes, for source, destination, client and server', () => {
    const source = rules(
      [
        '    source.ip = a | ip',
        '    destination.ip = b | ip',
        '    client.ip = c | ip',
        '    server.ip = d | ip',
        '    geoip source.ip',
        '    asn   source.ip',
        '    geoip destination.ip',
        '    asn destination.ip',
        '    geoip client.ip',
        '    asn server.ip',
      ].join('\n'),
    );
    expect(check(source)).toEqual([]);
  });

  it('`geoip` and `asn` stay usable as vendor field names', () => {
    expect(check(rules('    acme.audit.geoip = geoip\n    acme.audit.asn = asn.x | keyword'))).toEqual([]);
  });
});

describe('E0184 not an enrichable ip field', () => {
  it('a keyword field', () => {
    const source = rules('    user.name = n\n    geoip user.name');
    const d = one(source, 'E0184');
    expect(d.message).toBe('geoip user.name: not an ECS ip field with geo data beside it');
    expect(d.primary.message).toBe('a keyword field');
    expect(span(d)).toEqual(mark(source, 'user.name', { occurrence: 1 }));
    expect(d.notes[0]).toContain('source.ip');
  });

  it('an ip field without geo or as beside it (host.ip is an array; related.ip has no geo)', () => {
    const source = rules('    related.ip += a | ip\n    geoip related.ip');
    const d = one(source, 'E0184');
    expect(d.primary.message).toBe('an array of addresses');
    expect(span(d)).toEqual(mark(source, 'related.ip', { occurrence: 1 }));
  });

  it('a field that is not ECS', () => {
    const source = rules('    asn acme.audit.ip');
    const d = one(source, 'E0184');
    expect(d.message).toBe('asn acme.audit.ip: not an ECS ip field with as data beside it');
    expect(d.primary.message).toMatch(/^not a field of ECS /);
  });
});

describe('E0185 no rule writes the field', () => {
  it('points at the field and says how to write it', () => {
    const source = rules('    geoip source.ip');
    const d = one(source, 'E0185');
    expect(d.message).toBe('geoip source.ip: no rule writes source.ip');
    expect(span(d)).toEqual(mark(source, 'source.ip'));
    expect(d.notes[0]).toContain('`source.ip = address | ip`');
  });
});

describe('E0197 writes under the enrichment, or twice', () => {
  it('a rule writing under source.geo with geoip source.ip', () => {
    const source = rules('    source.ip = a | ip\n    source.geo.city_name = c\n    geoip source.ip');
    const d = one(source, 'E0197');
    expect(d.message).toBe('source.geo.city_name is written by geoip source.ip');
    expect(span(d)).toEqual(mark(source, 'source.geo.city_name'));
    expect(spanPos(d.secondary[0]!.span)).toBe(at(source, 'geoip source.ip'));
    // asn writes source.as, not source.geo: no clash.
    expect(withCode(rules('    source.ip = a | ip\n    source.geo.city_name = c\n    asn source.ip'), 'E0197')).toEqual(
      [],
    );
  });

  it('a rule writing under source.as with asn source.ip', () => {
    const source = rules('    source.ip = a | ip\n    source.as.number = n | long\n    asn source.ip');
    expect(one(source, 'E0197').message).toBe('source.as.number is written by asn source.ip');
  });

  it('the same enrichment twice', () => {
    const source = rules('    source.ip = a | ip\n    geoip source.ip\n    geoip source.ip');
    const d = one(source, 'E0197');
    expect(d.message).toBe('geoip source.ip is given twice');
    expect(spanPos(d.primary.span)).toBe(at(source, 'geoip source.ip', 1));
  });
});

describe('user_agent', () => {
  it('is accepted on user_agent.original a rule writes; user_agent stays a field name', () => {
    expect(check(rules('    user_agent.original = ua\n    user_agent user_agent.original'))).toEqual([]);
    expect(check(rules('    acme.audit.user_agent = user_agent'))).toEqual([]);
  });

  it('E0198 on another field, at the field, with the way to write it', () => {
    const source = rules('    user.name = n\n    user_agent user.name');
    const d = one(source, 'E0198');
    expect(d.message).toBe('user_agent user.name: user_agent parses user_agent.original');
    expect(span(d)).toEqual(mark(source, 'user.name', { occurrence: 1 }));
    expect(d.notes[0]).toContain('`user_agent.original = userAgent`');
  });

  it('E0185 when no rule writes user_agent.original', () => {
    const source = rules('    user_agent user_agent.original');
    const d = one(source, 'E0185');
    expect(d.message).toBe('user_agent user_agent.original: no rule writes user_agent.original');
    expect(span(d)).toEqual(mark(source, 'user_agent.original'));
  });

  it('E0197 for a rule writing another user_agent field, and for the item given twice', () => {
    const clash = rules('    user_agent.original = ua\n    user_agent.name = n\n    user_agent user_agent.original');
    const d = one(clash, 'E0197');
    expect(d.message).toBe('user_agent.name is written by user_agent user_agent.original');
    expect(span(d)).toEqual(mark(clash, 'user_agent.name'));
    expect(spanPos(d.secondary[0]!.span)).toBe(at(clash, 'user_agent user_agent.original'));
    const twice = rules(
      '    user_agent.original = ua\n    user_agent user_agent.original\n    user_agent user_agent.original',
    );
    const t = one(twice, 'E0197');
    expect(t.message).toBe('user_agent user_agent.original is given twice');
    expect(spanPos(t.primary.span)).toBe(at(twice, 'user_agent user_agent.original', 1));
  });
});
