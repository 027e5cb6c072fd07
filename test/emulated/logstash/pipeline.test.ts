import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitVendor, MUSTACHE, MUSTACHE_MISSING, MUSTACHE_VERSION, ROOT, runPipeline, VENDORS } from './support.ts';

function requireMustache(): void {
  if (!existsSync(MUSTACHE)) throw new Error(MUSTACHE_MISSING);
}

it('the parser pin is the one the tools script builds', () => {
  const goMod = readFileSync(join(ROOT, 'scripts/go-tools/mustache/go.mod'), 'utf8');
  expect(goMod).toContain(`github.com/breml/logstash-config ${MUSTACHE_VERSION}\n`);
});

describe.each(VENDORS)('Logstash pipeline of %s', (vendor) => {
  const { ir, fixtures, result } = emitVendor(vendor);

  it('emits no error, and W0601 for a stream http_poller cannot collect', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(ir.streams.map(() => 'W0601'));
  });

  for (const stream of ir.streams) {
    const conf = result.files.find((f) => f.path === `${ir.name}-${stream.name}.conf`);

    it(`${stream.name}: parses with mustache check and is already mustache-formatted`, () => {
      requireMustache();
      expect(conf).toBeDefined();
      const dir = mkdtempSync(join(tmpdir(), 'mapc-ls-'));
      const file = join(dir, 'pipeline.conf');
      writeFileSync(file, conf!.content);
      const check = spawnSync(MUSTACHE, ['check', file], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
      expect(execFileSync(MUSTACHE, ['format', file], { encoding: 'utf8' })).toBe(conf!.content);
      // lint: the input and the output have ids (the LFV test cases name the input); filters have
      // none (targets/logstash/index.ts withIds), so lint names only plugins inside the filter section.
      const lint = spawnSync(MUSTACHE, ['lint', file], { encoding: 'utf8' });
      const lines = conf!.content.split('\n');
      const filterStart = lines.indexOf('filter {') + 1;
      const filterEnd = lines.indexOf('output {') + 1;
      const unnamed = [...(lint.stdout + lint.stderr).matchAll(/^\s+(\d+):\d+ \[\d+\]: (\w+)$/gm)];
      expect(unnamed.length).toBeGreaterThan(0);
      for (const [, line] of unnamed) {
        expect(Number(line)).toBeGreaterThan(filterStart);
        expect(Number(line)).toBeLessThan(filterEnd);
      }
      expect(conf!.content).toMatch(
        new RegExp(`^input \\{\\n(  #.*\\n)*  \\w+ \\{\\n    id => "${ir.name}-${stream.name}-`, 'm'),
      );
    });

    it(`${stream.name}: every fixture record through the filters gives the expected document and _id`, () => {
      const cases = fixtures.get(stream.name) ?? [];
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        expect(runPipeline(conf!.content, c.message)).toEqual(c.expected);
      }
    });

    it(`${stream.name}: secrets appear only as \${VAR} references`, () => {
      for (const secret of ir.secrets) {
        for (const f of result.files) {
          const uses = f.content.split(secret.envVar).length - 1;
          const refs = f.content.split(`\${${secret.envVar}}`).length - 1;
          if (f.path.endsWith('.conf')) expect(uses).toBe(refs);
        }
      }
      expect(conf!.content).toContain('${ELASTICSEARCH_API_KEY}');
    });
  }
});

describe('Logstash pipeline semantics beyond the fixtures (endor_labs)', () => {
  const { result } = emitVendor('endor_labs');
  const conf = result.files.find((f) => f.path.endsWith('.conf'))!.content;
  const base = {
    uuid: 'u-1',
    tenant_meta: { namespace: 'acme' },
    meta: { create_time: '2024-11-13T15:30:45.123456Z', created_by: 'alice@example.com' },
    spec: { operation: 'OPERATION_UPDATE', remote_address: '203.0.113.7', payload: { success: true } },
  };

  it('keeps event.original only when the setting says so (environment substitution)', () => {
    const msg = JSON.stringify(base);
    expect(runPipeline(conf, msg).doc['event']).not.toHaveProperty('original');
    const on = runPipeline(conf, msg, { ENDOR_LABS_PRESERVE_ORIGINAL_EVENT: 'TRUE' });
    expect((on.doc['event'] as Record<string, unknown>)['original']).toBe(msg);
  });

  it('a bad IP fails with error.message and stays in the namespace; an IPv6 passes', () => {
    const bad = runPipeline(conf, JSON.stringify({ ...base, spec: { ...base.spec, remote_address: '1.2.3.4/24' } }));
    expect(bad.doc['error']).toEqual({
      message: [
        'mapc: cannot map spec.remote_address to source.ip',
        'mapc: cannot map spec.remote_address to related.ip',
      ],
    });
    expect(bad.doc).not.toHaveProperty('source');
    expect(((bad.doc['endor_labs'] as any).audit.spec as Record<string, unknown>)['remote_address']).toBe('1.2.3.4/24');
    const v6 = runPipeline(conf, JSON.stringify({ ...base, spec: { ...base.spec, remote_address: '2001:db8::7' } }));
    expect(v6.doc['source']).toEqual({ ip: '2001:db8::7' });
  });

  it('null and false: null does nothing, false is a value (outcome failure)', () => {
    const out = runPipeline(
      conf,
      JSON.stringify({
        ...base,
        meta: { ...base.meta, created_by: null },
        spec: { ...base.spec, payload: { success: false } },
      }),
    );
    expect(out.doc).not.toHaveProperty('user');
    expect((out.doc['event'] as Record<string, unknown>)['outcome']).toBe('failure');
  });

  it('truncates extra fraction digits of @timestamp to milliseconds', () => {
    expect(runPipeline(conf, JSON.stringify(base)).doc['@timestamp']).toBe('2024-11-13T15:30:45.123Z');
  });
});
