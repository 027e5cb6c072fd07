/**
 * Vector and Logstash with the request-body constructs (docs/language.md, "JSON request bodies"):
 * neither engine's HTTP input pages, so a stream whose later pages replace the body is collected
 * by `mapc collect` with each target's existing warning (W0501, W0601); Vector's `http_client`
 * sends no body at all, so a typed setting in a body is collected by `mapc collect` too.
 */
import { describe, expect, it } from 'vitest';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { vectorBackend } from '../../../targets/vector/index.ts';
import { eventsIR } from '../../support/request-bodies.ts';

describe('send body PATH replace on Vector and Logstash', () => {
  const ir = eventsIR('send     body cursor replace');

  it('Vector runs mapc collect (W0501 names the paging and the body)', () => {
    const { diagnostics } = vectorBackend.emit(ir, {});
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const w = diagnostics.find((d) => d.code === 'W0501');
    expect(w?.message).toBe('Vector collects acme.events through mapc collect');
    expect(w?.notes[0]).toBe(
      'note: the Vector http_client source cannot follow a cursor while has_more is true, send a request body (vectordotdev/vector#22967)',
    );
  });

  it('Logstash runs mapc collect (W0601 names the cursor_has_more pagination), with no http_poller', () => {
    const { files, diagnostics } = logstashBackend.emit(ir, {});
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const w = diagnostics.find((d) => d.code === 'W0601');
    expect(w?.message).toMatch(
      /^Logstash http_poller cannot collect stream events: it needs cursor_has_more pagination, /,
    );
    const conf = files.find((f) => f.path.endsWith('.conf'))!.content;
    expect(conf).not.toContain('http_poller');
    expect(conf).toContain('mapc collect');
  });
});
