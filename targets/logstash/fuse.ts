/**
 * Adjacent rules of one source as one conditional. Two lean rules that read the same value test it
 * alike (`if <token> == "string" { write } else if <token> != "null" { fail }`, ./direct.ts); when
 * they stand next to each other and the first rule's filters change nothing the test reads, testing
 * once and running the first rule's filters then the second's in each branch runs exactly the same
 * filters in the same order. The failures' texts then go in one `add_field` whose value is the
 * array of both (the common option adds each element in order,
 * logstash-core/lib/logstash/filters/base.rb `filter_matched`, Logstash 8.15:
 * `Array(value).each`, appending to a present field).
 *
 * @module
 */
import type { Branch, Condition, Conditional, Plugin, Statement, Value } from './model.ts';

/** The statements with each run of fusable adjacent conditionals merged into one. */
export function fuseAdjacent(body: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  for (const s of body) {
    const last = out.at(-1);
    const fused = last ? fuse(last, s) : undefined;
    if (fused) out[out.length - 1] = fused;
    else out.push(s);
  }
  return out;
}

function fuse(a: Statement, b: Statement): Conditional | undefined {
  if (a.kind !== 'if' || b.kind !== 'if' || a.otherwise || b.otherwise) return undefined;
  if (a.branches.length !== b.branches.length) return undefined;
  if (!a.branches.every((x, i) => same(x.condition, (b.branches[i] as Branch).condition))) return undefined;
  const read = new Set(a.branches.flatMap((x) => conditionFields(x.condition)));
  const written = a.branches.flatMap((x) => x.body.flatMap(writtenFields));
  if (written === undefined || written.some((f) => f === undefined || overlaps(f, read))) return undefined;
  return {
    kind: 'if',
    branches: a.branches.map((x, i) => ({
      condition: x.condition,
      body: joinBodies(x.body, (b.branches[i] as Branch).body),
    })),
    ...(a.comments || b.comments ? { comments: [...(a.comments ?? []), ...(b.comments ?? [])] } : {}),
  };
}

const same = (x: Condition, y: Condition): boolean => JSON.stringify(x) === JSON.stringify(y);

/** A written field overlaps a read one when either is the other or contains it. */
function overlaps(field: string, read: ReadonlySet<string>): boolean {
  for (const r of read) if (r === field || r.startsWith(field) || field.startsWith(r)) return true;
  return false;
}

function conditionFields(c: Condition): string[] {
  switch (c.kind) {
    case 'truthy':
      return [c.field.ref];
    case 'compare':
    case 'match':
    case 'in':
      return [c.left, c.right].flatMap((r) => (r.kind === 'field' ? [r.ref] : []));
    case 'not':
      return conditionFields(c.condition);
    case 'and':
    case 'or':
      return c.conditions.flatMap(conditionFields);
  }
}

const strings = (v: Value | undefined): string[] =>
  v?.kind === 'string' ? [v.text] : v?.kind === 'array' ? v.items.flatMap(strings) : [];
const keys = (v: Value | undefined): string[] => (v?.kind === 'hash' ? v.entries.map((e) => e.key) : []);
const values = (v: Value | undefined): string[] =>
  v?.kind === 'hash' ? v.entries.flatMap((e) => strings(e.value)) : [];

/**
 * The fields a statement may set or delete, as field references; `undefined` in the list for a
 * plugin this does not know (nothing is fused across it).
 */
export function writtenFields(s: Statement): (string | undefined)[] {
  if (s.kind === 'if') return [...s.branches.flatMap((b) => b.body), ...(s.otherwise ?? [])].flatMap(writtenFields);
  const attr = (name: string): Value | undefined => s.attributes.find((a) => a.name === name)?.value;
  const common = [...keys(attr('add_field')), ...strings(attr('remove_field'))];
  switch (s.name) {
    case 'mutate': {
      const gsub = strings(attr('gsub')).filter((_, i) => i % 3 === 0);
      return [
        ...common,
        ...gsub,
        ...['replace', 'update', 'convert', 'merge', 'split'].flatMap((n) => keys(attr(n))),
        ...['uppercase', 'lowercase', 'capitalize', 'strip'].flatMap((n) => strings(attr(n))),
        ...keys(attr('rename')),
        ...values(attr('rename')),
        ...values(attr('copy')),
      ];
    }
    case 'translate':
    case 'date':
    case 'fingerprint':
      return [...common, ...strings(attr('target'))];
    default:
      return [undefined];
  }
}

/**
 * Two branch bodies in order; a body that is one mutate adding only failure texts, followed by
 * another such, becomes one mutate adding both (same field, the texts as an array, in order).
 */
function joinBodies(a: readonly Statement[], b: readonly Statement[]): Statement[] {
  const x = a.at(-1);
  const y = b[0];
  const texts = (p: Statement | undefined) => (p && onlyAddField(p)) ?? undefined;
  const tx = texts(x);
  const ty = texts(y);
  if (a.length === 1 && b.length === 1 && tx && ty && tx.field === ty.field) {
    const plugin = x as Plugin;
    const merged: Value = { kind: 'array', items: [...tx.items, ...ty.items] };
    return [
      {
        ...plugin,
        attributes: [{ name: 'add_field', value: { kind: 'hash', entries: [{ key: tx.key, value: merged }] } }],
      },
    ];
  }
  return [...a, ...b];
}

/** A mutate whose one attribute is `add_field` of one field: that field and its values. */
function onlyAddField(s: Statement) {
  if (s.kind !== 'plugin' || s.name !== 'mutate' || s.attributes.length !== 1 || s.comments) return undefined;
  const a = s.attributes[0];
  if (a?.name !== 'add_field' || a.value.kind !== 'hash' || a.value.entries.length !== 1) return undefined;
  const entry = a.value.entries[0]!;
  const items = entry.value.kind === 'array' ? entry.value.items : [entry.value];
  return { key: entry.key, field: entry.key as string, items };
}

/**
 * Two lookups of one source whose tables have the same keys, one after the other (two fused rules,
 * {@link fuseAdjacent}): `translate` A, `if [A's result] { write A }`, `translate` B, `if [B's
 * result] { write B }`. A translate without `fallback` sets its target exactly when the source is a
 * key of its dictionary (https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-translate.html,
 * exact matching by default), so with the same keys both hit or both miss; when write A changes
 * nothing translate B reads, both translates then one test with both writes run the same filters.
 * Applied at every depth.
 */
export function shareLookupHits(body: readonly Statement[]): Statement[] {
  const out: Statement[] = body.map((s) =>
    s.kind === 'if'
      ? {
          ...s,
          branches: s.branches.map((b) => ({ ...b, body: shareLookupHits(b.body) })),
          ...(s.otherwise ? { otherwise: shareLookupHits(s.otherwise) } : {}),
        }
      : s,
  );
  for (let i = 0; i + 3 < out.length; i++) {
    const [ta, ia, tb, ib] = out.slice(i, i + 4) as [Statement, Statement, Statement, Statement];
    const a = lookupOf(ta, ia);
    const b = lookupOf(tb, ib);
    if (!a || !b || a.source !== b.source || a.keys !== b.keys) continue;
    const written = (ia as Conditional).branches.flatMap((x) => x.body.flatMap(writtenFields));
    if (written.some((f) => f === undefined || overlaps(f, new Set([b.source, b.target])))) continue;
    if (JSON.stringify((ia as Conditional).branches).includes(b.target)) continue; // write A reads B's result
    const hit = (ia as Conditional).branches[0] as Branch;
    const other = (ib as Conditional).branches[0] as Branch;
    out.splice(i, 4, ta, tb, {
      ...(ia as Conditional),
      branches: [{ condition: hit.condition, body: [...hit.body, ...other.body] }],
    });
  }
  return out;
}

/** A translate without fallback or options beyond source, target and dictionary, then `if [target] { ... }`. */
function lookupOf(t: Statement, i: Statement): { source: string; target: string; keys: string } | undefined {
  if (t.kind !== 'plugin' || t.name !== 'translate' || t.comments) return undefined;
  const names = t.attributes.map((a) => a.name).sort();
  if (names.join(',') !== 'dictionary,source,target') return undefined;
  const attr = (n: string): Value | undefined => t.attributes.find((a) => a.name === n)?.value;
  const [source] = strings(attr('source'));
  const [target] = strings(attr('target'));
  const dictionary = attr('dictionary');
  if (!source || !target || dictionary?.kind !== 'hash') return undefined;
  if (i.kind !== 'if' || i.otherwise || i.branches.length !== 1 || i.comments) return undefined;
  const c = (i.branches[0] as Branch).condition;
  if (c.kind !== 'truthy' || c.field.ref !== target) return undefined;
  return { source, target, keys: JSON.stringify(dictionary.entries.map((e) => e.key).sort()) };
}
