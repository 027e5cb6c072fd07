/**
 * `{now}` on Vector and Logstash: neither engine's HTTP input can fill in the instant a page
 * sequence started, so a stream whose request uses it is collected by `mapc collect`, which the
 * warnings name (W0501, W0601).
 */
import { describe, expect, it } from 'vitest';
import { httpPollerGaps } from '../../../targets/logstash/http-poller.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { NO_PAGING_SOURCE, nv, t, vectorIR } from '../../support/ir.ts';

const withNow = {
  ...NO_PAGING_SOURCE,
  request: { ...NO_PAGING_SOURCE.request, query: [...NO_PAGING_SOURCE.request.query, nv('end', t({ kind: 'now' }))] },
};

describe('{now} on Vector and Logstash', () => {
  it('Vector: the http_client source without it, mapc collect with it (W0501 names it)', () => {
    const plain = vectorBackend.emit(vectorIR({ rules: [] }, NO_PAGING_SOURCE), {});
    expect(plain.diagnostics.filter((d) => d.code === 'W0501')).toEqual([]);
    const { diagnostics } = vectorBackend.emit(vectorIR({ rules: [] }, withNow), {});
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const w = diagnostics.find((d) => d.code === 'W0501');
    expect(w?.notes[0]).toBe(
      'note: the Vector http_client source cannot send the request time ({now}) (vectordotdev/vector#22967)',
    );
  });

  it('Logstash: http_poller lacks it', () => {
    const ir = vectorIR({ rules: [] }, withNow);
    expect(httpPollerGaps(ir.streams[0]!)).toContain('the request time ({now})');
    expect(httpPollerGaps(vectorIR({ rules: [] }, NO_PAGING_SOURCE).streams[0]!)).not.toContain(
      'the request time ({now})',
    );
  });
});
