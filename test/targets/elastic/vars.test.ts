/**
 * Fleet variable names (targets/elastic/vars.ts): the API's base URL is `url`, as
 * elastic/integrations packages name it (packages/entro, packages/1password manifests).
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { baseUrlSetting, fleetVariable } from '../../../targets/elastic/vars.ts';
import { baseMap } from '../../compiler/helpers.ts';

function compile(source: string): IntegrationIR {
  const { ir, diagnostics } = compileSource(source, 'maps/acme.map');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return ir!;
}

describe('the Fleet variable of the base URL', () => {
  it('is url for the url setting every request starts with, in the manifest and the stream template', () => {
    const ir = compile(baseMap());
    expect(baseUrlSetting(ir)).toBe('base_url');
    expect(fleetVariable(ir, 'base_url')).toBe('url');
    expect(fleetVariable(ir, 'every')).toBe('every');
    const files = elasticBackend.emit(ir, {}).files;
    expect(files.find((f) => f.path === 'manifest.yml')!.content).toMatch(/- name: url\n\s+type: url\n/);
    expect(files.find((f) => f.path.endsWith('cel.yml.hbs'))!.content).toContain('\nresource.url: {{url}}\n');
  });
  it('keeps its own name when a setting is already called url', () => {
    const ir = compile(
      baseMap({ decls: 'setting url: string = "x"' }).replace(
        'request GET "{base_url}/v1/logs"',
        'request GET "{base_url}/v1/logs?u={url}"',
      ),
    );
    expect(baseUrlSetting(ir)).toBeUndefined();
    expect(fleetVariable(ir, 'base_url')).toBe('base_url');
  });
  it('keeps its own name when the request starts with text, not a setting', () => {
    const ir = compile(
      baseMap().replace('request GET "{base_url}/v1/logs"', 'request GET "https://api.acme.test/v1/logs?b={base_url}"'),
    );
    expect(baseUrlSetting(ir)).toBeUndefined();
  });
});
