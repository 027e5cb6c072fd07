import { pathText, tableStrings, type MapRule, type Span, type TableDecl } from '../../../dsl/ast.ts';
import type { CheckContext } from '../context.ts';
import type { CheckRule } from '../rule.ts';

/** A value a rule may write, with where it is written in the source. */
interface Candidate {
  readonly value: string;
  readonly span: Span;
  readonly rule: MapRule;
}

/** `undefined` key: the table's default (records whose value matches no entry). */
type Key = string | undefined;

/** What a categorisation rule writes: a constant, a lookup on a source path, or something unknowable. */
type Source =
  | { readonly kind: 'const'; readonly candidate: Candidate }
  | { readonly kind: 'lookup'; readonly path: string; readonly table: TableDecl; readonly rule: MapRule }
  | { readonly kind: 'unknown' };

function sourceOf(ctx: CheckContext, rule: MapRule): Source {
  const value = rule.value;
  if (value.kind === 'String') return { kind: 'const', candidate: { value: value.value, span: value.loc, rule } };
  if (value.kind !== 'FieldValue') return { kind: 'unknown' };
  const last = value.transforms[value.transforms.length - 1];
  const table = last?.kind === 'LookupTransform' ? ctx.symbols.tables.get(last.table.value) : undefined;
  if (!table || value.transforms.length !== 1) return { kind: 'unknown' };
  return { kind: 'lookup', path: pathText(value.path), table, rule };
}

/** The values `source` writes for a record whose looked-up value is `key`. */
function valuesFor(source: Source, key: Key): Candidate[] {
  if (source.kind === 'const') return [source.candidate];
  if (source.kind !== 'lookup') return [];
  const entry = key === undefined ? undefined : source.table.entries.find((e) => e.from.value === key);
  const to = entry?.to ?? source.table.default;
  return to ? tableStrings(to).map((s) => ({ value: s.value, span: s.loc, rule: source.rule })) : [];
}

/**
 * Every `event.type` a record can get is one ECS expects with one of the `event.category` values
 * that record gets (ECS `expected_event_types`), W0121. Lookups on the same source path are
 * paired key by key (Endor Labs: `USER_LOGIN` → `authentication` + `start`); otherwise every
 * possible category counts. Raw copies make the values unknowable and skip the check; values
 * outside ECS are E0102's business.
 */
export const CategorizationRule: CheckRule = (ctx) => ({
  Map(map) {
    const categories = map.rules
      .filter((r) => pathText(r.destination) === 'event.category')
      .map((r) => sourceOf(ctx, r));
    const types = map.rules.filter((r) => pathText(r.destination) === 'event.type').map((r) => sourceOf(ctx, r));
    if (categories.length === 0 || types.length === 0) return;
    const all = [...categories, ...types];
    if (all.some((s) => s.kind === 'unknown')) return;
    const paths = new Set(all.flatMap((s) => (s.kind === 'lookup' ? [s.path] : [])));
    let keys: Key[];
    if (paths.size === 1) {
      const tables = all.flatMap((s) => (s.kind === 'lookup' ? [s.table] : []));
      keys = [...new Set(tables.flatMap((t) => t.entries.map((e) => e.from.value))), undefined];
    } else {
      keys = [];
    }
    const reported = new Set<string>();
    const check = (cats: Candidate[], ts: Candidate[], key: Key | null): void => {
      const known = cats.filter((c) => ctx.ecs.expectedEventTypes(c.value) !== undefined);
      if (known.length === 0) return;
      for (const t of ts) {
        if (known.some((c) => ctx.ecs.expectedEventTypes(c.value)!.includes(t.value))) continue;
        const id = `${t.span.offset}:${known.map((c) => c.value).join(',')}`;
        if (reported.has(id)) continue;
        reported.add(id);
        const names = [...new Set(known.map((c) => c.value))];
        const when =
          key === null ? '' : key === undefined ? ' for values no table entry matches' : ` for ${JSON.stringify(key)}`;
        ctx.warning(
          'W0121',
          `event.type ${JSON.stringify(t.value)} is not expected with event.category ${names.join(', ')}${when}`,
          t.span,
          'unexpected event.type',
          {
            secondary: known
              .filter((c) => c.span.offset !== t.span.offset)
              .map((c) => ({ span: c.span, message: `event.category ${c.value}` })),
            notes: names.map(
              (n) =>
                `note: ECS ${ctx.ecs.version} expects event.type ${ctx.ecs.expectedEventTypes(n)!.join(', ')} with ${n}`,
            ),
          },
        );
      }
    };
    if (keys.length > 0) {
      for (const key of keys)
        check(
          categories.flatMap((s) => valuesFor(s, key)),
          types.flatMap((s) => valuesFor(s, key)),
          key,
        );
    } else {
      const every = (sources: Source[]): Candidate[] =>
        sources.flatMap((s) =>
          s.kind === 'lookup'
            ? [...s.table.entries.map((e) => e.from.value), undefined].flatMap((k) => valuesFor(s, k))
            : valuesFor(s, undefined),
        );
      check(every(categories), every(types), null);
    }
  },
});
