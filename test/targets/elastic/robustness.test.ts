/**
 * The Elastic backend on inputs as deep and long as a map can make them (issue 7, "Crashes and
 * hangs": a 20,000-segment path took 27 s): output size and time grow linearly with a path's
 * length, and nothing recurses on the map's depth (a request body 20,000 objects deep, a split
 * path and a records path of 20,000 segments).
 */
import { describe, expect, it } from 'vitest';
import type { IntegrationIR, JsonTemplate } from '../../../compiler/ir.ts';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { acmeIR, field, rule } from '../../support/ir.ts';

const segments = (n: number): string[] => Array.from({ length: n }, (_, i) => `s${i}`);

/** One stream whose every path-shaped input has `n` segments, and whose POST body is `n` objects deep. */
function deepIR(n: number): IntegrationIR {
  const path = segments(n);
  const ir = acmeIR({
    rules: [
      rule('user.name', { kind: 'field', path, transforms: [] }),
      rule(
        'event.action',
        { kind: 'field', path, transforms: [{ kind: 'lowercase' }] },
        {
          when: { kind: 'equals', path, value: 'x' },
        },
      ),
      rule('acme.logs.deep', field('a'), { vendor: true }),
    ],
    remove: [path],
    consumed: [{ path, whenDestinationSet: ['user', 'name'] }],
    documentId: { fields: [path], loc: { file: 't', offset: 0, length: 0, line: 1, column: 1 } },
  });
  let body: JsonTemplate = { kind: 'string', template: { parts: [{ kind: 'text', text: 'leaf' }] } };
  for (let i = 0; i < n; i++) body = { kind: 'object', entries: [{ key: `k${i}`, value: body }] };
  const stream = ir.streams[0]!;
  return {
    ...ir,
    streams: [
      {
        ...stream,
        source: {
          ...stream.source,
          request: { ...stream.source.request, method: 'POST', body },
          records: path,
          split: { path, loc: stream.loc },
        },
      },
    ],
  };
}

function emitSize(n: number): { chars: number; ms: number } {
  const start = performance.now();
  const { files, diagnostics } = elasticBackend.emit(deepIR(n), {});
  const ms = performance.now() - start;
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { chars: files.reduce((sum, f) => sum + f.content.length, 0), ms };
}

describe('the Elastic backend on very deep and long inputs', () => {
  it('emits 20,000-segment paths and a 20,000-deep body without recursion, in linear size', () => {
    const small = emitSize(5_000);
    const large = emitSize(20_000);
    // Four times the input, about four times the output (quadratic would be sixteen).
    expect(large.chars / small.chars).toBeLessThan(4.5);
    expect(large.chars / small.chars).toBeGreaterThan(3.5);
    // Generous for a loaded CI machine; the quadratic emitter took 27 s at this size.
    expect(large.ms).toBeLessThan(10_000);
  });
});
