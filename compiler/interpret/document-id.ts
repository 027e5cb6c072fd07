/**
 * The deterministic document id (DocumentIdIR in `compiler/ir.ts`).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { rawDocumentIdText, type DocumentIdIR } from '../ir.ts';
import { getPath } from './paths.ts';

/**
 * The document's id: for `id raw`, {@link rawDocumentIdText} of the field (`undefined`: no id);
 * otherwise the lowercase hex SHA-256 of `"|" + path1 + "|" + value1 + "|" + ... + "|"` over the *original*
 * record. Values as text: a string as is, a number in its JSON form, `true`/`false`, missing or
 * `null` as the empty string. An object or array value (not covered by the IR doc; the checks
 * expect scalar id fields) is written as its compact JSON text.
 */
export function documentId(id: DocumentIdIR, record: unknown): string | undefined {
  // `id raw PATH`: the value as is, or no id (RawDocumentIdIR).
  if (id.kind === 'raw') return rawDocumentIdText(getPath(record, id.field));
  let text = '|';
  for (const path of id.fields) {
    text += `${path.join('.')}|${valueText(getPath(record, path))}|`;
  }
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
