/**
 * `user_agent user_agent.original` (compiler/ir.ts `UserAgentIR`, step 4a): the IR, and the
 * interpreter (uap-ref-impl 0.3.1 over uap-core 0.18.0) on agents whose ECS fields are written out
 * here by hand from uap-core's regexes, on a missing field and on the empty string.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { mapRecord, parseUserAgent } from '../../compiler/interpret/index.ts';
import { USER_AGENT_FIELDS, type IntegrationIR } from '../../compiler/ir.ts';
import { AGREED } from '../support/user-agents.ts';
import { baseMap, brief } from './helpers.ts';

function ir(rules: string): IntegrationIR {
  const result = compileSource(baseMap({ rules }), 'test.map');
  if (!result.ir) throw new Error(brief(result.diagnostics).join('\n'));
  return result.ir;
}

const RULES = '    user_agent.original = ua\n    user_agent user_agent.original';

describe('the IR', () => {
  it('has the field and the target; a map without the item has no userAgent', () => {
    const mapping = ir(RULES).streams[0]!.mapping;
    expect(mapping.userAgent).toMatchObject({ field: ['user_agent', 'original'], target: ['user_agent'] });
    expect(mapping.userAgent!.loc).toMatchObject({ line: 25, column: 5 });
    expect(mapping).not.toHaveProperty('enrich');
    expect(ir('    user_agent.original = ua').streams[0]!.mapping).not.toHaveProperty('userAgent');
  });
});

describe('the interpreter', () => {
  const stream = ir(RULES).streams[0]!;
  const userAgent = (ua: unknown): unknown =>
    (mapRecord(stream, JSON.stringify({ created: '2024-01-01T00:00:00Z', ua }), {}).doc as { user_agent?: unknown })
      .user_agent;

  it('writes name, version, os and device of a browser, a mobile browser, a CLI and a crawler', () => {
    expect(userAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0')).toEqual({
      original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
      name: 'Firefox',
      version: '121.0',
      os: { name: 'Windows', version: '10', full: 'Windows 10' },
      device: { name: 'Other' },
    });
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1';
    expect(userAgent(iphone)).toEqual({
      original: iphone,
      name: 'Mobile Safari',
      version: '17.1.2',
      os: { name: 'iOS', version: '17.1.2', full: 'iOS 17.1.2' },
      device: { name: 'iPhone' },
    });
    expect(userAgent('curl/8.4.0')).toEqual({
      original: 'curl/8.4.0',
      name: 'curl',
      version: '8.4.0',
      device: { name: 'Other' },
    });
    expect(userAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toMatchObject({
      name: 'Googlebot',
      version: '2.1',
      device: { name: 'Spider' },
    });
  });

  it('an OS without a version has a name only; an unknown agent is Other without version or os', () => {
    expect(userAgent('Mozilla/5.0 (X11; Linux x86_64)')).toEqual({
      original: 'Mozilla/5.0 (X11; Linux x86_64)',
      name: 'Other',
      os: { name: 'Linux' },
      device: { name: 'Other' },
    });
    expect(userAgent('mapc-test-agent')).toEqual({
      original: 'mapc-test-agent',
      name: 'Other',
      device: { name: 'Other' },
    });
  });

  it('the empty string is parsed (as the ingest processor); a missing or null field writes nothing', () => {
    expect(userAgent('')).toEqual({ original: '', name: 'Other', device: { name: 'Other' } });
    expect(userAgent(null)).toBeUndefined();
    expect(mapRecord(stream, JSON.stringify({ created: '2024-01-01T00:00:00Z' }), {}).doc).not.toHaveProperty(
      'user_agent',
    );
  });

  it('writes only USER_AGENT_FIELDS, every value a string, on the whole corpus', () => {
    const leaves = (o: unknown, prefix = ''): [string, unknown][] =>
      typeof o === 'object' && o !== null
        ? Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
        : [[prefix, o]];
    for (const ua of AGREED) {
      for (const [field, value] of leaves(parseUserAgent(ua))) {
        expect(USER_AGENT_FIELDS, `${ua}: ${field}`).toContain(field);
        expect(typeof value, `${ua}: ${field}`).toBe('string');
      }
    }
  });
});
