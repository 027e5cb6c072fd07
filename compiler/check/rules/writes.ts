/**
 * The checks of the write constructs (docs/language.md "Writes"):
 * - `copy(FIELD)` reads an ECS field an earlier rule of the same map writes (E0170): the copy reads
 *   the document being built, so a field no rule wrote before it is always missing; an ECS array
 *   field is copied only into an array field with `+=` (E0171). Its type against the destination's
 *   is the value-type check's (E0101, `ValueTypeRule`).
 * - a `remove ... when` condition reads no path that another `remove` item deletes (E0172):
 *   every condition is tested on the record as the rules left it (compiler/ir.ts
 *   `MappingIR.removeWhen`), which no target then needs to order.
 *
 * @module
 */
import { pathSegments, pathText } from '../../../dsl/ast.ts';
import { overlap } from '../../rule-paths.ts';
import type { CheckRule } from '../rule.ts';
import { conditionPaths } from '../schema.ts';

/** Destinations lowering writes before every rule (compiler/ir.ts `MappingIR.rules`). */
const LOWERED_FIRST: ReadonlySet<string> = new Set(['ecs.version', 'event.dataset']);

/** `copy(FIELD)` of an ECS field an earlier rule writes (E0170), arrays only into `+=` (E0171). */
export const CopyRule: CheckRule = (ctx) => ({
  Map(map) {
    map.rules.forEach((rule, i) => {
      if (rule.value.kind !== 'CopyValue') return;
      const field = rule.value.field;
      const name = pathText(field);
      const ecs = ctx.ecs.resolve(name);
      if (!ecs) {
        ctx.error('E0170', `copy(${name}): not an ECS field`, field.loc, 'copy reads an ECS field of the document', {
          notes: ['help: a record field is read by its path without copy: `destination = path.in.record`'],
        });
        return;
      }
      const writes = (r: (typeof map.rules)[number]): boolean => pathText(r.destination) === name;
      const earlier = map.rules.slice(0, i).some(writes) || LOWERED_FIRST.has(name);
      if (!earlier) {
        const later = map.rules.slice(i + 1).find(writes);
        ctx.error('E0170', `copy(${name}): no earlier rule writes ${name}`, field.loc, 'always missing here', {
          ...(later ? { secondary: [{ span: later.destination.loc, message: 'written by a later rule' }] } : {}),
          notes: [
            later
              ? 'help: move the copy after the rule that writes the field (rules run in order)'
              : `help: write ${name} from the record first (\`${name} = ...\`), then copy it`,
          ],
        });
        return;
      }
      if (ecs.array && rule.op !== '+=') {
        ctx.error(
          'E0171',
          `copy(${name}): ${name} is an array field; ${pathText(rule.destination)} holds one value`,
          field.loc,
          'an array',
          { notes: ['help: copy an array field into an array field with `+=`'] },
        );
      }
    });
  },
});

/** A `remove ... when` condition reads no path another remove item deletes (E0172). */
export const RemoveConditionRule: CheckRule = (ctx) => ({
  Map(map) {
    map.remove.forEach((item, i) => {
      if (!item.when) return;
      for (const read of conditionPaths(item.when)) {
        const readPath = pathSegments(read);
        map.remove.forEach((other, j) => {
          if (j === i) return;
          const deleted = other.paths.find((p) => overlap(pathSegments(p), readPath));
          if (!deleted) return;
          ctx.error(
            'E0172',
            `this condition reads ${pathText(read)}, which another remove deletes`,
            read.loc,
            'would depend on the order of the removes',
            {
              secondary: [{ span: deleted.loc, message: 'deleted here' }],
              notes: [
                'note: every `remove ... when` tests the record as the rules left it, before any removal',
                'help: remove both paths in one item: `remove a, b when ...`',
              ],
            },
          );
        });
      }
    });
  },
});
