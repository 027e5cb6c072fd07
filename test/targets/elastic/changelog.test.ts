/**
 * The Elastic package's `changelog.yml` link (package-spec `spec/integration/changelog.spec.yml`:
 * the URL of the change): the map's `changelog "URL"`, else an `example.com` placeholder with
 * warning W0402.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.ts';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { baseMap } from '../../compiler/helpers.ts';

function emit(source: string) {
  const { ir, diagnostics } = compileSource(source, 'maps/acme.map');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out = elasticBackend.emit(ir!, {});
  const changelog = yaml.load(out.files.find((f) => f.path === 'changelog.yml')!.content) as {
    changes: { link: string }[];
  }[];
  return { link: changelog[0]!.changes[0]!.link, codes: out.diagnostics.map((d) => d.code) };
}

describe('the Elastic changelog link', () => {
  it('is the map’s changelog URL, with no warning', () => {
    const url = 'https://github.com/elastic/integrations/pull/12345';
    const source = baseMap().replace('  description "Acme audit logs."', `$&\n  changelog "${url}"`);
    const { link, codes } = emit(source);
    expect(link).toBe(url);
    expect(codes).not.toContain('W0402');
  });
  it('without one, is a placeholder under example.com and warns W0402, saying how to name it', () => {
    const { link, codes } = emit(baseMap());
    expect(link).toBe('https://example.com/mapc-placeholder/acme/0.1.0');
    expect(codes).toContain('W0402');
    const { ir } = compileSource(baseMap(), 'maps/acme.map');
    const w = elasticBackend.emit(ir!, {}).diagnostics.find((d) => d.code === 'W0402');
    expect(w?.notes).toContain(
      'help: name it in the integration block, e.g. `changelog "https://github.com/elastic/integrations/pull/1"` (the pull request that adds the package)',
    );
  });
});
