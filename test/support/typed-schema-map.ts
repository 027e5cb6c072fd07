/**
 * The Endor Labs map with a record schema that declares one field of every shape
 * `fields/fields.yml` types differently (`targets/elastic/package.ts`, `schemaFieldType`): for the
 * Elastic package's field-type tests. The extra fields are read by no rule (W0143 each).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { REPO_ROOT } from './fixtures.ts';

/** Declared field (relative to the record) → the fields.yml type and `ignore_malformed` expected. */
export const TYPED_FIELDS: Readonly<Record<string, readonly [type: string, ignoreMalformed: boolean] | undefined>> = {
  uuid: ['keyword', false],
  'meta.create_time': ['keyword', false],
  'spec.payload.success': ['boolean', true],
  'spec.remote_address': ['ip', true],
  'spec.count': ['long', true],
  'spec.ratio': ['double', true],
  'spec.mixed': ['keyword', false],
  'spec.tags': ['keyword', false],
  'spec.ports': ['long', true],
  'spec.extra': ['flattened', false],
  'spec.list': ['flattened', false],
  'spec.payload': undefined,
  'spec.anything': undefined,
};

const RECORD = `  record {
    uuid                  string
    tenant_meta.namespace string
    meta.create_time      string format iso8601
    meta.created_by       string optional
    spec.operation        string
    spec.payload          object optional
    spec.payload.success  boolean optional
    spec.remote_address   string optional nullable format ip
    spec.count            integer optional
    spec.ratio            number optional
    spec.mixed            integer | string optional
    spec.tags             array of string optional
    spec.ports            array of integer optional
    spec.extra            object optional
    spec.list             array of object optional
    spec.anything         any optional
  }`;

/** The IR of that map; throws when it does not compile. */
export function typedSchemaIR(): IntegrationIR {
  const text = readFileSync(join(REPO_ROOT, 'maps', 'endor_labs.map'), 'utf8');
  const replaced = text.replace(/ {2}record \{[\s\S]*?\n {2}\}/, RECORD);
  if (replaced === text) throw new Error('maps/endor_labs.map has no record block to replace');
  const result = compileSource(replaced, 'endor_labs-typed.map');
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ir || errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  return result.ir;
}
