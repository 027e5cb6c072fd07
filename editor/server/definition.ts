/**
 * Go-to-definition: from `setting.NAME`, `secret.NAME`, `lookup(TABLE)` or a `{setting}`
 * placeholder to the declared name.
 *
 * @module
 */
import { referenceAt, type Range } from './reference.ts';
import { declaredSymbols } from './symbols.ts';
import type { DocumentTokens } from './tokens.ts';

/** The range of the declaration's name for what is at `offset`, or `undefined`. */
export function definitionAt(doc: DocumentTokens, offset: number): Range | undefined {
  const ref = referenceAt(doc, offset);
  if (ref === undefined || (ref.kind !== 'setting' && ref.kind !== 'secret' && ref.kind !== 'table')) return undefined;
  const symbols = declaredSymbols(doc);
  const list = ref.kind === 'setting' ? symbols.settings : ref.kind === 'secret' ? symbols.secrets : symbols.tables;
  const declared = list.find((s) => s.name === ref.name);
  if (declared === undefined) return undefined;
  return {
    start: declared.nameToken.startOffset,
    end: declared.nameToken.startOffset + declared.nameToken.image.length,
  };
}
