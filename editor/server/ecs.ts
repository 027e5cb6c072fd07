/**
 * ECS for the editor: the next segments of a dotted prefix (completion) and a field's description
 * (hover). Field names, types and `short` descriptions come from the compiler's ECS index
 * (`compiler/ecs/index.ts`, ECS 9.4.0 from `@elastic/ecs`); the long `description` is read from the
 * same package's `EcsFlat`.
 *
 * @module
 */
import { EcsFlat } from '@elastic/ecs';
import { ECS_VERSION, ecsField, ecsFieldNames, type EcsField } from '../../compiler/ecs/index.ts';

export interface EcsSegment {
  /** The next segment's name (`ip` after `source.`). */
  readonly segment: string;
  /** The field `prefix.segment` when it is one. */
  readonly field?: EcsField;
  /** Some ECS field lies below `prefix.segment` (a field set, or an object field with sub-fields). */
  readonly hasChildren: boolean;
}

/** The segments that can follow `prefix` (`''`: the top-level names, `@timestamp`, `event`, ...), sorted. */
export function ecsNextSegments(prefix: string): EcsSegment[] {
  const start = prefix === '' ? '' : `${prefix}.`;
  const found = new Map<string, boolean>();
  for (const name of ecsFieldNames()) {
    if (!name.startsWith(start)) continue;
    const rest = name.slice(start.length).split('.');
    const segment = rest[0]!;
    found.set(segment, (found.get(segment) ?? false) || rest.length > 1);
  }
  return [...found.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([segment, hasChildren]) => {
      const field = ecsField(start + segment);
      return { segment, hasChildren, ...(field ? { field } : {}) };
    });
}

/** The long ECS description of a field, if ECS has one. */
export function ecsDescription(name: string): string | undefined {
  const raw = (EcsFlat as unknown as Record<string, { description?: string }>)[name];
  return raw?.description;
}

/** Markdown describing an ECS field: name, type, array, allowed values, description. */
export function ecsFieldMarkdown(field: EcsField): string {
  const lines = [`**${field.name}** \`${field.type}\`${field.array ? ' (array: use `+=`)' : ''} — ECS ${ECS_VERSION}`];
  const description = ecsDescription(field.name) ?? field.short;
  if (description) lines.push('', description);
  if (field.allowedValues) lines.push('', `Allowed values: ${field.allowedValues.map((v) => `\`${v}\``).join(', ')}`);
  return lines.join('\n');
}

/** Markdown for an ECS field set (`source`) or object prefix (`user.changes`). */
export function ecsSetMarkdown(prefix: string): string {
  const children = ecsNextSegments(prefix);
  const shown = children.slice(0, 12).map((c) => `\`${c.segment}\``);
  const more = children.length > shown.length ? `, … (${children.length} in all)` : '';
  return `**${prefix}** — ECS ${ECS_VERSION} field set\n\nFields: ${shown.join(', ')}${more}`;
}
