/**
 * The injection suites' map (`test/security/positions.ts`) has no record schema, so they check
 * each target's fully guarded output. These helpers give a stream of it a record schema declaring
 * every path it reads a nullable, optional string, so that the same hostile map text reaches the
 * lean forms (a stream with a schema), and build records holding one text at every such path.
 *
 * @module
 */
import type { ConditionIR, FieldPath, FieldTypeIR, IntegrationIR, RuleIR, StreamIR } from '../../compiler/ir.ts';
import { documentIdFields } from '../../compiler/ir.ts';

const STRING: FieldTypeIR = { origin: 'declared', types: ['string'], optional: true, nullable: true, formats: [] };

/** Every record path the stream reads: rule sources, condition paths, id fields, removed paths. */
export function readPaths(stream: StreamIR): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (c: ConditionIR | undefined): void => {
    if (c?.kind === 'exists' || c?.kind === 'equals') out.push(c.path);
    else if (c?.kind === 'not') walk(c.condition);
  };
  for (const rule of stream.mapping.rules) {
    if (rule.value.kind === 'field') out.push(rule.value.path);
    walk(rule.when);
  }
  for (const item of stream.mapping.removeWhen ?? []) walk(item.when);
  out.push(
    ...documentIdFields(stream.mapping.documentId),
    ...stream.mapping.remove,
    ...(stream.mapping.removeWhen ?? []).flatMap((item) => item.paths),
  );
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(JSON.stringify(p)) && seen.add(JSON.stringify(p)));
}

/** The named stream with a record schema declaring each path it reads a nullable, optional string. */
export function withSchema(
  ir: IntegrationIR,
  name: string,
): { ir: IntegrationIR; stream: StreamIR; paths: FieldPath[] } {
  const plain = ir.streams.find((s) => s.name === name) as StreamIR;
  const paths = readPaths(plain);
  const rules: RuleIR[] = plain.mapping.rules.map((r) =>
    r.value.kind === 'field' ? { ...r, value: { ...r.value, source: STRING } } : r,
  );
  const stream: StreamIR = {
    ...plain,
    schema: { fields: paths.map((path) => ({ path, ...STRING, loc: plain.loc })), loc: plain.loc },
    mapping: { ...plain.mapping, rules },
  };
  return { ir: { ...ir, streams: ir.streams.map((s) => (s === plain ? stream : s)) }, stream, paths };
}

/** A record holding `value` at each of `paths` (parents created as objects). */
export function recordWith(paths: readonly FieldPath[], value: string): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const path of paths) {
    let node = record;
    for (const segment of path.slice(0, -1)) {
      const next = node[segment];
      if (next === null || typeof next !== 'object') node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = value;
  }
  return record;
}
