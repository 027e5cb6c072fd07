/**
 * fast-check generators of values and records that conform to a record schema, and of values
 * near the edges of each format, for the record-schema property tests.
 */
import fc from 'fast-check';
import type { ElementTypeIR, FieldFormat, FieldPath, RecordSchemaIR, ValueType } from '../../../compiler/ir.ts';
import { isRequired, SchemaIndex, samePath, type SchemaNode } from '../../../compiler/schema/resolve.ts';

const two = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `date` written with a mapc date pattern (`yyyy MM dd HH mm ss SSS`, other characters literal). */
export function formatPattern(date: Date, pattern: string): string {
  const parts: Record<string, string> = {
    yyyy: two(date.getUTCFullYear(), 4),
    MM: two(date.getUTCMonth() + 1),
    dd: two(date.getUTCDate()),
    HH: two(date.getUTCHours()),
    mm: two(date.getUTCMinutes()),
    ss: two(date.getUTCSeconds()),
    SSS: two(date.getUTCMilliseconds(), 3),
  };
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss|SSS/g, (token) => parts[token]!);
}

const dates = fc.date({
  min: new Date('0001-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59Z'),
  noInvalidDate: true,
});

/** RFC 3339 text: `Z` or an offset, 0 to 9 fraction digits. */
const iso8601 = fc
  .tuple(
    fc.date({ min: new Date('1000-01-02T00:00:00Z'), max: new Date('9998-12-30T00:00:00Z'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 9 }),
    fc.constantFrom('Z', '+05:30', '-08:00', '+00:00'),
  )
  .map(([d, digits, zone]) => {
    const base = d.toISOString().slice(0, 19);
    const fraction = digits === 0 ? '' : `.${'123456789'.slice(0, digits)}`;
    return `${base}${fraction}${zone}`;
  });

/** A value of `format` for a field that takes strings (and numbers, for epochs). */
function formatValue(format: FieldFormat, numbers: boolean): fc.Arbitrary<unknown> {
  switch (format.kind) {
    case 'iso8601':
      return iso8601;
    case 'ip':
      return fc.oneof(fc.ipV4(), fc.ipV6());
    case 'pattern':
      return dates.map((d) => formatPattern(d, format.pattern.text));
    case 'unix':
    case 'unix_ms': {
      const scale = format.kind === 'unix' ? 1 : 1000;
      const whole = fc.integer({ min: -62_167_219_200 * scale, max: 253_402_300_799 * scale });
      const text = fc.oneof(
        whole.map(String),
        fc.tuple(whole, fc.integer({ min: 0, max: 999_999 })).map(([w, f]) => `${w}.${f}`),
      );
      return numbers ? fc.oneof(whole, text) : text;
    }
  }
}

const plainValue: Record<Exclude<ValueType, 'array'>, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 12 }),
  integer: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53 - 1, 1e21)),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  boolean: fc.boolean(),
  object: fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  any: fc.jsonValue({ maxDepth: 2 }),
};

function elementValue(element: ElementTypeIR): fc.Arbitrary<unknown> {
  return fc.oneof(...element.types.map((t) => typeValue(t, element.items, [])));
}

function typeValue(
  type: ValueType,
  items: ElementTypeIR | undefined,
  formats: readonly FieldFormat[],
): fc.Arbitrary<unknown> {
  if (type === 'array') return fc.array(items ? elementValue(items) : fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });
  const numbers = type === 'integer' || type === 'number';
  if (formats.length > 0 && (type === 'string' || numbers)) {
    const applicable = formats.filter((f) => type === 'string' || f.kind === 'unix' || f.kind === 'unix_ms');
    if (applicable.length === 0) return plainValue[type];
    const values = fc.oneof(...applicable.map((f) => formatValue(f, numbers)));
    // Only values of this type (an epoch format on a string field yields text only).
    return values.filter((v) =>
      type === 'string' ? typeof v === 'string' : typeof v === 'number' && (type === 'number' || Number.isInteger(v)),
    );
  }
  return plainValue[type];
}

/** A present value conforming to a declaration (`null` too when nullable). */
export function conformingValue(decl: {
  readonly types: readonly ValueType[];
  readonly items?: ElementTypeIR;
  readonly nullable: boolean;
  readonly formats: readonly FieldFormat[];
}): fc.Arbitrary<unknown> {
  const values = decl.types.map((t) => typeValue(t, decl.items, decl.formats));
  return fc.oneof(...values, ...(decl.nullable ? [fc.constant(null)] : []));
}

/**
 * Records conforming to `schema`: every required path present, optional ones sometimes, each
 * declared value conforming, undeclared fields added beside them; the split path sometimes `[]`.
 */
export function conformingRecord(schema: RecordSchemaIR, split?: FieldPath): fc.Arbitrary<Record<string, unknown>> {
  const index = new SchemaIndex(schema, split);
  const node = (n: SchemaNode): fc.Arbitrary<unknown> => {
    // A field with declared fields is an object built from them; its other types are plain values.
    const ownTypes = n.field ? n.field.types.filter((t) => n.children.size === 0 || t !== 'object') : [];
    const own = n.field && ownTypes.length > 0 ? conformingValue({ ...n.field, types: ownTypes }) : undefined;
    const asObject = n.children.size > 0 ? objectOf(n) : undefined;
    const value = own && asObject ? fc.oneof(own, asObject) : (own ?? asObject ?? fc.constant({}));
    const withNull = n.field?.nullable && !own ? fc.oneof(value, fc.constant(null)) : value;
    return split && samePath(n.path, split) ? fc.oneof({ weight: 4, arbitrary: withNull }, fc.constant([])) : withNull;
  };
  const objectOf = (n: SchemaNode): fc.Arbitrary<Record<string, unknown>> => {
    const entries = [...n.children.entries()].map(([key, child]) =>
      isRequired(child)
        ? node(child).map((v) => [key, v] as const)
        : fc.option(node(child), { nil: undefined }).map((v) => [key, v] as const),
    );
    return fc
      .tuple(
        fc.tuple(...entries),
        fc.dictionary(fc.constantFrom('extra', 'x_vendor', 'z'), fc.jsonValue({ maxDepth: 1 })),
      )
      .map(([pairs, extra]) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(extra)) if (!n.children.has(k)) out[k] = v;
        for (const [k, v] of pairs) if (v !== undefined) out[k] = v;
        return out;
      });
  };
  return objectOf(index.root);
}
