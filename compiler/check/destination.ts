/**
 * What a rule's destination field is: an ECS field, a field under the stream's vendor namespace, or an
 * error. Shared by the checks (which report the errors) and lowering (which needs the type).
 *
 * @module
 */
import type { MapBlock, RuleValue, StreamDecl } from '../../dsl/ast.ts';
import { pathText } from '../../dsl/ast.ts';
import type { EcsField, EcsSchema } from '../ecs/index.ts';
import { producedType } from './value-type.ts';

export type ResolvedDestination =
  | { readonly kind: 'ecs'; readonly field: EcsField }
  /** Under a vendor namespace root (`endor_labs.audit.x`). */
  | { readonly kind: 'vendor'; readonly root: string }
  /** Exactly a vendor namespace root: writing it would replace the kept record. */
  | { readonly kind: 'namespace-root'; readonly root: string }
  /** Looks like ECS (its first segment is an ECS field set) but is no ECS field. */
  | { readonly kind: 'unknown-ecs'; readonly suggestions: readonly string[] }
  /** Neither ECS nor under a vendor namespace. */
  | { readonly kind: 'outside'; readonly suggestions: readonly string[]; readonly roots: readonly string[] };

/**
 * The vendor namespace roots of a stream: `<integration>.<stream>` always, and the map's
 * `namespace` when it says otherwise.
 */
export function vendorRoots(integration: string | undefined, stream: StreamDecl, map: MapBlock | undefined): string[] {
  const roots: string[] = [];
  if (integration !== undefined) roots.push(`${integration}.${stream.name.value}`);
  if (map?.namespace) {
    const ns = pathText(map.namespace);
    if (!roots.includes(ns)) roots.push(ns);
  }
  return roots;
}

/** Classifies the dotted `destination` against the map's ECS release and the vendor `roots`. */
export function resolveDestination(
  ecsFields: EcsSchema,
  destination: string,
  roots: readonly string[],
): ResolvedDestination {
  const ecs = ecsFields.resolve(destination);
  if (ecs) return { kind: 'ecs', field: ecs };
  for (const root of roots) {
    if (destination === root) return { kind: 'namespace-root', root };
    if (destination.startsWith(`${root}.`)) return { kind: 'vendor', root };
  }
  const first = destination.split('.')[0]!;
  const suggestions = ecsFields.suggest(destination, 1);
  if (destination.includes('.') && ecsFields.isFieldSet(first)) return { kind: 'unknown-ecs', suggestions };
  return { kind: 'outside', suggestions, roots };
}

/**
 * The data type a vendor field gets (it has no ECS definition): what its value produces,
 * `keyword` for plain copies and strings.
 */
export function vendorFieldType(ecsFields: EcsSchema, value: RuleValue): string {
  const produced = producedType(ecsFields, value);
  return produced === 'any' ? 'keyword' : produced;
}
