/**
 * Whether a value satisfies a record path's declared type (module doc of `compiler/ir.ts`,
 * "Record schemas"): the run-time half of tier 2. The JSON Schema of `compiler/schema/` says
 * the same thing for whole records; both read dates and IPs with the interpreter's own parsers
 * (`parseDate`, `isValidIp`), so a record ajv accepts never fails a rule here, and the reverse
 * (property-tested in `test/compiler/schema/`).
 *
 * @module
 */
import type { ElementTypeIR, FieldFormat, FieldTypeIR, ValueType } from '../ir.ts';
import { parseDate } from './date.ts';
import { isValidIp } from './ip.ts';
import { isObject } from './json.ts';

/** The formats that apply to a value of this JSON kind: every format to strings, epoch formats to numbers. */
function formatsFor(value: string | number, formats: readonly FieldFormat[]): readonly FieldFormat[] {
  return typeof value === 'string' ? formats : formats.filter((f) => f.kind === 'unix' || f.kind === 'unix_ms');
}

/**
 * True when `value` matches one of the formats that apply to it (or none applies): a string or
 * number the `date` transform parses with that format, or a string `convert ip` accepts.
 */
export function matchesFormats(value: string | number, formats: readonly FieldFormat[]): boolean {
  const applicable = formatsFor(value, formats);
  if (applicable.length === 0) return true;
  return applicable.some((format) =>
    format.kind === 'ip' ? typeof value === 'string' && isValidIp(value) : parseDate(value, [format]).kind === 'value',
  );
}

function matchesType(value: unknown, type: ValueType, items: ElementTypeIR | undefined): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value) && (items === undefined || value.every((item) => matchesElement(item, items)));
  }
}

function matchesElement(value: unknown, element: ElementTypeIR): boolean {
  return element.types.some((t) => matchesType(value, t, element.items));
}

/**
 * True when a present, non-null `value` satisfies `type`: one of its types (with `array of T`
 * elements) and, for strings and numbers, its formats. At the split path an empty array
 * conforms too (`emptySplit`: the record's array was empty). `null` and absence are the
 * caller's business (step 3 of the module doc: a rule never runs on them).
 */
export function conforms(value: unknown, type: FieldTypeIR): boolean {
  if (type.emptySplit && Array.isArray(value) && value.length === 0) return true;
  if (!type.types.some((t) => matchesType(value, t, type.items))) return false;
  return typeof value === 'string' || typeof value === 'number' ? matchesFormats(value, type.formats) : true;
}
