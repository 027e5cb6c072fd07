/**
 * Runs a rule's transforms left to right (TransformIR in `compiler/ir.ts`).
 *
 * @module
 */
import type { TransformIR } from '../ir.ts';
import { lowercase, uppercase } from './case.ts';
import { convert } from './convert.ts';
import { parseDate } from './date.ts';
import { lookup } from './lookup.ts';
import { ok, type TransformOutcome } from './outcome.ts';
import { hash, mask } from './redact.ts';
import { split } from './split.ts';
import { parseJson } from './parse-json.ts';
import { extract } from './extract.ts';
import { kv } from './kv.ts';

/** Applies one transform to a present, non-null value. */
export function applyTransform(value: unknown, transform: TransformIR): TransformOutcome {
  switch (transform.kind) {
    case 'convert':
      return convert(value, transform.to);
    case 'date':
      return parseDate(value, transform.formats);
    case 'lowercase':
      return lowercase(value);
    case 'uppercase':
      return uppercase(value);
    case 'lookup':
      return lookup(value, transform);
    case 'redact':
      return transform.mode === 'hash' ? hash(value) : mask(value, transform.keep);
    case 'split':
      return split(value, transform.separator);
    case 'json':
      return parseJson(value);
    case 'extract':
      return extract(value, transform.regex);
    case 'kv':
      return kv(value, transform.fieldSeparator, transform.valueSeparator);
  }
}

/** Applies the transforms in order; the first `fail` or `skip` ends the chain. */
export function applyTransforms(value: unknown, transforms: readonly TransformIR[]): TransformOutcome {
  let outcome = ok(value);
  for (const transform of transforms) {
    if (outcome.kind !== 'value') break;
    outcome = applyTransform(outcome.value, transform);
  }
  return outcome;
}
