/**
 * The type a rule's value produces, for matching against the destination's ECS type.
 *
 * @module
 */
import { pathText, type RuleValue, type Transform } from '../../dsl/ast.ts';
import type { EcsSchema } from '../ecs/index.ts';

/**
 * `any`: a raw copy of the source value (its JSON type is unknown until run time);
 * otherwise the type the last type-setting transform produces.
 */
export type ProducedType = 'any' | 'keyword' | 'long' | 'double' | 'boolean' | 'ip' | 'date';

/** The type a single transform produces. */
export function transformType(transform: Transform): ProducedType {
  switch (transform.kind) {
    case 'ConvertTransform':
      return transform.to;
    case 'DateTransform':
      return 'date';
    case 'CaseTransform':
    case 'LookupTransform':
    case 'HashTransform':
    case 'MaskTransform':
    // A list of strings (the list itself: `./rules/transforms.ts`, E0179/E0180).
    case 'SplitTransform':
      return 'keyword';
    // One capture is a string; named captures an object (`./rules/transforms.ts`, E0181).
    case 'ExtractTransform':
      return transform.regex.kind === 'regex' && transform.regex.names !== undefined ? 'any' : 'keyword';
    // Any JSON value (where it may go: `./rules/transforms.ts`, E0181).
    case 'JsonTransform':
      return 'any';
    // An object of strings and lists (where it may go: `./rules/transforms.ts`, E0181).
    case 'KvTransform':
      return 'any';
  }
}

/** What a value yields: literal types by literal, field values by their last transform. */
export function producedType(ecsFields: EcsSchema, value: RuleValue): ProducedType {
  switch (value.kind) {
    case 'String':
      return 'keyword';
    case 'Number':
      return value.integer ? 'long' : 'double';
    case 'Boolean':
      return 'boolean';
    case 'FieldValue':
    case 'SelectValue': {
      const last = value.transforms[value.transforms.length - 1];
      return last ? transformType(last) : 'any';
    }
    case 'CollectionTime':
      return 'date';
    case 'ElementsValue':
      return 'any';
    case 'CopyValue': {
      // What the earlier rule wrote is of the copied ECS field's type (E0170/E0171 hold the rest).
      const field = ecsFields.resolve(pathText(value.field));
      return field ? CLASS_PRODUCES[typeClass(field.type)] : 'any';
    }
  }
}

/** The value a field of a type class holds, as a {@link ProducedType} (`copy(FIELD)`). */
const CLASS_PRODUCES: Readonly<Record<TypeClass, ProducedType>> = {
  text: 'keyword',
  ip: 'ip',
  date: 'date',
  integer: 'long',
  float: 'double',
  boolean: 'boolean',
  free: 'any',
  object: 'any',
};

/** How an ECS data type constrains the values written to it. */
export type TypeClass = 'text' | 'ip' | 'date' | 'integer' | 'float' | 'boolean' | 'free' | 'object';

/**
 * Groups ECS data types (https://www.elastic.co/docs/reference/ecs/ecs-field-reference, ECS 9.4.0
 * uses keyword, constant_keyword, wildcard, match_only_text, ip, date, long, integer, float,
 * double, scaled_float, boolean, geo_point, flattened, object, nested).
 */
export function typeClass(ecsType: string): TypeClass {
  switch (ecsType) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'text':
    case 'match_only_text':
      return 'text';
    case 'ip':
      return 'ip';
    case 'date':
      return 'date';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return 'integer';
    case 'double':
    case 'float':
    case 'half_float':
    case 'scaled_float':
      return 'float';
    case 'boolean':
      return 'boolean';
    case 'object':
    case 'nested':
      return 'object';
    default:
      // flattened, geo_point: no mapc conversion produces them; a copy is taken as is.
      return 'free';
  }
}

/** The transform that makes a value fit a type class, for `help:` notes. */
export function conversionFor(cls: TypeClass): string | undefined {
  switch (cls) {
    case 'ip':
      return '| ip';
    case 'date':
      return '| date(iso8601)';
    case 'integer':
      return '| long';
    case 'float':
      return '| double';
    case 'boolean':
      return '| boolean';
    default:
      return undefined;
  }
}
