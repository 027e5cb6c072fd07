/**
 * Map text in the package's descriptive files: a vendor field declared in `fields/fields.yml`
 * must be a name the package specification accepts (else refused at its rule), and README text
 * never adds Markdown structure.
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import { join } from 'node:path';
import { compileFile } from '../../../compiler/compile.ts';
import { vendorFields } from '../../../targets/elastic/package.ts';
import { REPO_ROOT } from '../../support/fixtures.ts';
import { ACME_LOC as LOC, acmeIR, field, rule } from '../../support/ir.ts';
import { TYPED_FIELDS, typedSchemaIR } from '../../support/typed-schema-map.ts';

describe('vendor field declarations', () => {
  const withTarget = (segment: string) => {
    const ir = acmeIR({
      keepUnmapped: false,
      rules: [{ ...rule('x', field('a'), { vendor: true }), destination: ['acme', segment], loc: { ...LOC, line: 9 } }],
    });
    return elasticBackend.emit(ir, {});
  };

  it('declares names of the package-spec alphabet', () => {
    const out = withTarget('a-b_c/d@e');
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(out.files.find((f) => f.path.endsWith('fields/fields.yml'))?.content).toContain('name: acme.a-b_c/d@e');
  });

  it('refuses any other name at the rule, a pattern `*` included', () => {
    for (const segment of ['a b', '*', 'x"y', 'é', '{{x}}']) {
      const errors = withTarget(segment).diagnostics.filter((d) => d.severity === 'error');
      expect(
        errors.map((d) => [d.code, d.primary.span.line]),
        segment,
      ).toEqual([['E0403', 9]]);
    }
  });
});

describe('README text', () => {
  it('a title or description cannot open a code block, heading, list or HTML', () => {
    const md = new MarkdownIt({ html: true });
    const ir = acmeIR({ rules: [] });
    const hostile = { ...ir, title: '    <b>x</b>', description: '\n    # y\n- z' };
    const readme = elasticBackend.emit(hostile, {}).files.find((f) => f.path === 'docs/README.md')!.content;
    const blocks = md.parse(readme, {}).map((t) => t.type);
    expect(blocks).not.toContain('code_block');
    expect(blocks).not.toContain('html_block');
    expect(blocks).not.toContain('bullet_list_open');
    expect(blocks.filter((t) => t === 'heading_open')).toHaveLength(
      md
        .parse(elasticBackend.emit(ir, {}).files.find((f) => f.path === 'docs/README.md')!.content, {})
        .filter((t) => t.type === 'heading_open').length,
    );
  });
});

describe('setting defaults', () => {
  const withDefault = (value: string) => {
    const ir = acmeIR({ rules: [] });
    const region = {
      name: 'region',
      type: 'string' as const,
      title: 'Region',
      description: '',
      required: false,
      default: value,
      envVar: 'ACME_REGION',
      loc: { ...LOC, line: 4 },
    };
    return elasticBackend.emit({ ...ir, settings: [...ir.settings, region] }, {});
  };

  it('keeps a default Fleet renders as written', () => {
    const out = withDefault("eu-1 {{x}} it's");
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(out.files.find((f) => f.path === 'manifest.yml')?.content).toContain("default: eu-1 {{x}} it's");
  });

  it('refuses a `"` (Fleet rewrites the rendered policy from it to the next quote) at the setting', () => {
    const errors = withDefault('|"').diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.primary.span.line])).toEqual([['E0403', 4]]);
  });
});

describe('vendor field types from the record schema', () => {
  const ir = typedSchemaIR();
  const stream = ir.streams[0]!;
  const fields = vendorFields(ir, stream);
  const ns = stream.mapping.namespace.join('.');

  it('declares each declared record field under the namespace with the type its declaration settles', () => {
    for (const [path, expected] of Object.entries(TYPED_FIELDS)) {
      const found = fields.find((f) => f.name === `${ns}.${path}`);
      expect({ path, found: found && [found.type, found.ignore_malformed === true] }, path).toEqual({
        path,
        found: expected,
      });
    }
  });

  it('keeps the namespace flattened without a schema, and a rule target outranks the schema', () => {
    const { schema: _schema, ...withoutSchema } = stream;
    expect(vendorFields(ir, withoutSchema).map((f) => [f.name, f.type])).toEqual([[ns, 'flattened']]);
    const entro = compileFile(join(REPO_ROOT, 'maps', 'entro.map')).ir!;
    const exposed = vendorFields(entro, entro.streams[0]!).filter((f) => f.name.endsWith('.exposed_value'));
    expect(exposed.map((f) => f.description)).toEqual([
      `${entro.vendor} field entro.audit.results.secrets.exposed_value.`,
    ]);
  });
});
