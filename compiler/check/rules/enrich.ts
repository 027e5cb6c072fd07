/**
 * The checks of the enrichments `geoip FIELD` and `asn FIELD` (docs/language.md "Enrichment",
 * compiler/ir.ts `EnrichIR`):
 * - FIELD is an ECS `ip` field `<prefix>.ip` whose `<prefix>.geo` (for `geoip`) or `<prefix>.as`
 *   (for `asn`) exists in the map's ECS release (E0184): `source.ip`, `destination.ip`,
 *   `client.ip`, `server.ip`, `host.ip` has no `host.as` ...;
 * - a rule of the map writes FIELD (E0185): the enrichment reads the document after the rules,
 *   so a field no rule writes is always missing;
 * - no rule writes under the enrichment's target, and one field is not enriched twice from the
 *   same database (E0197): the engines write the target object as a whole (the Elasticsearch
 *   `geoip` processor sets `target_field` to the looked-up object), so a rule's value there would
 *   be kept by one engine and replaced by another.
 *
 * and of `user_agent FIELD` (`UserAgentIR`):
 * - FIELD is `user_agent.original`, the ECS field of the unparsed string (E0198);
 * - a rule writes it (E0185), and no rule writes another field under `user_agent`, and the item
 *   is given once (E0197): every engine writes `user_agent` as a whole.
 *
 * @module
 */
import { pathText } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';

/** A field ECS defines under `<prefix>.geo` / `<prefix>.as` when the field set is reused there. */
const PROBE = { geoip: 'geo.city_name', asn: 'as.number' } as const;
const TARGET = { geoip: 'geo', asn: 'as' } as const;

/** The one field `user_agent` reads. */
const USER_AGENT_FIELD = 'user_agent.original';

/** E0184, E0185, E0197 and E0198, per `geoip` / `asn` / `user_agent` item of a map block. */
export const EnrichRule: CheckRule = (ctx) => ({
  Map(map) {
    const seen = new Set<string>();
    for (const item of map.enrich) {
      const name = pathText(item.field);
      if (item.database === 'user_agent') {
        if (name !== USER_AGENT_FIELD) {
          ctx.error(
            'E0198',
            `user_agent ${name}: user_agent parses ${USER_AGENT_FIELD}`,
            item.field.loc,
            'not user_agent.original',
            {
              notes: [
                `help: write the string to ${USER_AGENT_FIELD} (\`${USER_AGENT_FIELD} = userAgent\`) and give \`user_agent ${USER_AGENT_FIELD}\``,
              ],
            },
          );
          continue;
        }
        if (!map.rules.some((r) => pathText(r.destination) === name)) {
          ctx.error('E0185', `user_agent ${name}: no rule writes ${name}`, item.field.loc, 'always missing', {
            notes: [
              `help: write ${name} from the record first (\`${name} = userAgent\`); the parsing runs after the rules`,
            ],
          });
          continue;
        }
        if (seen.has('user_agent')) {
          ctx.error('E0197', `user_agent ${name} is given twice`, item.loc, 'given again', {
            notes: ['help: keep one: the second would write the same fields'],
          });
          continue;
        }
        seen.add('user_agent');
        const clash = map.rules.find((r) => {
          const d = pathText(r.destination);
          return d === 'user_agent' || (d.startsWith('user_agent.') && d !== name);
        });
        if (clash) {
          ctx.error(
            'E0197',
            `${pathText(clash.destination)} is written by user_agent ${name}`,
            clash.destination.loc,
            'a rule writes under the user-agent parsing',
            {
              secondary: [{ span: item.loc, message: 'writes user_agent as a whole' }],
              notes: ['help: remove the rule, or the `user_agent` item'],
            },
          );
        }
        continue;
      }
      const db = item.database;
      const segments = name.split('.');
      const prefix = segments.slice(0, -1).join('.');
      const field = ctx.ecs.field(name);
      const usable =
        field?.type === 'ip' &&
        !field.array &&
        segments.length >= 2 &&
        segments[segments.length - 1] === 'ip' &&
        ctx.ecs.field(`${prefix}.${PROBE[db]}`) !== undefined;
      if (!usable) {
        const candidates = ctx.ecs
          .names()
          .filter((n) => n.endsWith(`.${PROBE[db]}`))
          .map((n) => n.slice(0, -PROBE[db].length) + 'ip')
          .filter((n) => ctx.ecs.field(n)?.type === 'ip');
        ctx.error(
          'E0184',
          `${item.database} ${name}: not an ECS ip field with ${TARGET[db]} data beside it`,
          item.field.loc,
          field === undefined
            ? `not a field of ECS ${ctx.ecs.version}`
            : field.type !== 'ip'
              ? `a ${field.type} field`
              : field.array
                ? 'an array of addresses'
                : `ECS ${ctx.ecs.version} has no ${prefix}.${TARGET[db]}`,
          { notes: [`note: ${item.database} enriches one of ${candidates.join(', ')}`] },
        );
        continue;
      }
      if (!map.rules.some((r) => pathText(r.destination) === name)) {
        ctx.error('E0185', `${item.database} ${name}: no rule writes ${name}`, item.field.loc, 'always missing', {
          notes: [
            `help: write ${name} from the record first (\`${name} = address | ip\`); the enrichment runs after the rules`,
          ],
        });
        continue;
      }
      const target = `${prefix}.${TARGET[db]}`;
      const key = `${item.database} ${name}`;
      if (seen.has(key)) {
        ctx.error('E0197', `${key} is given twice`, item.loc, 'given again', {
          notes: ['help: keep one: the second would write the same fields'],
        });
        continue;
      }
      seen.add(key);
      const clash = map.rules.find((r) => {
        const d = pathText(r.destination);
        return d === target || d.startsWith(`${target}.`);
      });
      if (clash) {
        ctx.error(
          'E0197',
          `${pathText(clash.destination)} is written by ${item.database} ${name}`,
          clash.destination.loc,
          'a rule writes under the enrichment',
          {
            secondary: [{ span: item.loc, message: `writes ${target} as a whole` }],
            notes: [`help: remove the rule, or the \`${item.database}\` item`],
          },
        );
      }
    }
  },
});
