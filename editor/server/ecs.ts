/**
 * ECS for the editor: the next segments of a dotted prefix (completion) and a field's description
 * (hover), in the ECS release the document chooses (`ecs "VERSION"`; default the newest). Field
 * names, types and `short` descriptions come from the compiler's ECS index
 * (`compiler/ecs/index.ts`); the long `description` is read from `@elastic/ecs`'s `EcsFlat`, the
 * default release, and shown only for that release (another release's hover shows `short`).
 *
 * @module
 */
import { EcsFlat } from '@elastic/ecs';
import { DEFAULT_ECS_VERSION, type EcsField, type EcsSchema } from '../../compiler/ecs/index.ts';

export interface EcsSegment {
  /** The next segment's name (`ip` after `source.`). */
  readonly segment: string;
  /** The field `prefix.segment` when it is one. */
  readonly field?: EcsField;
  /** Some ECS field lies below `prefix.segment` (a field set, or an object field with sub-fields). */
  readonly hasChildren: boolean;
}

/** The segments that can follow `prefix` (`''`: the top-level names, `@timestamp`, `event`, ...), sorted. */
export function ecsNextSegments(ecs: EcsSchema, prefix: string): EcsSegment[] {
  const start = prefix === '' ? '' : `${prefix}.`;
  const found = new Map<string, boolean>();
  for (const name of ecs.names()) {
    if (!name.startsWith(start)) continue;
    const rest = name.slice(start.length).split('.');
    const segment = rest[0]!;
    found.set(segment, (found.get(segment) ?? false) || rest.length > 1);
  }
  return [...found.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([segment, hasChildren]) => {
      const field = ecs.field(start + segment);
      return { segment, hasChildren, ...(field ? { field } : {}) };
    });
}

/** The long description of a field in the default ECS release, if it has one. */
export function ecsDescription(name: string): string | undefined {
  const raw = (EcsFlat as unknown as Record<string, { description?: string }>)[name];
  return raw?.description;
}

/** Markdown describing an ECS field: name, type, array, allowed values, description. */
export function ecsFieldMarkdown(ecs: EcsSchema, field: EcsField): string {
  const lines = [`**${field.name}** \`${field.type}\`${field.array ? ' (array: use `+=`)' : ''} — ECS ${ecs.version}`];
  const description = (ecs.version === DEFAULT_ECS_VERSION ? ecsDescription(field.name) : undefined) ?? field.short;
  if (description) lines.push('', description);
  if (field.allowedValues) lines.push('', `Allowed values: ${field.allowedValues.map((v) => `\`${v}\``).join(', ')}`);
  return lines.join('\n');
}

/** Markdown for an ECS field set (`source`) or object prefix (`user.changes`). */
export function ecsSetMarkdown(ecs: EcsSchema, prefix: string): string {
  const children = ecsNextSegments(ecs, prefix);
  const shown = children.slice(0, 12).map((c) => `\`${c.segment}\``);
  const more = children.length > shown.length ? `, … (${children.length} in all)` : '';
  return `**${prefix}** — ECS ${ecs.version} field set\n\nFields: ${shown.join(', ')}${more}`;
}
