/**
 * Adjacent `mutate` filters as one, where the plugin's documented processing order gives the same
 * result. One mutate applies its operations in a fixed order, whatever the order they are written in
 * (https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-mutate.html#plugins-filters-mutate-proc_order:
 * coerce, rename, update, replace, convert, gsub, uppercase, capitalize, lowercase, strip, split,
 * join, merge, copy), each over its entries in order, then the common options `add_field` and
 * `remove_field` (LogStash::Filters::Base#filter_matched). Two mutates A then B run as one when every
 * operation of B that the order would move before an operation of A touches no field that one reads
 * or writes (a field is related to another when either is the other or contains it); operations of
 * the same kind keep A's entries before B's, so they run in the same sequence. A hash that would hold
 * one key twice, an option this module does not model, or a `%{...}` it cannot read keeps them apart.
 *
 * The generated mutates raise no exception (lean writes go to destinations whose parents are objects
 * or absent, ./lean.ts), so running B's operations inside A's filter never skips them.
 *
 * @module
 */
import type { Attribute, Plugin, Statement, Value } from './model.ts';

/** Position of each mutate operation in the plugin's processing order; common options last. */
const ORDER: Readonly<Record<string, number>> = {
  coerce: 0,
  rename: 1,
  update: 2,
  replace: 3,
  convert: 4,
  gsub: 5,
  uppercase: 6,
  capitalize: 7,
  lowercase: 8,
  strip: 9,
  split: 10,
  join: 11,
  merge: 12,
  copy: 13,
  add_field: 14,
  remove_field: 15,
};

interface Op {
  readonly order: number;
  readonly reads: readonly string[];
  readonly writes: readonly string[];
}

/** The statements with each run of fusable adjacent mutates (at every depth) written as one. */
export function fuseMutates(body: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  for (const s0 of body) {
    const s: Statement =
      s0.kind === 'if'
        ? {
            ...s0,
            branches: s0.branches.map((b) => ({ ...b, body: fuseMutates(b.body) })),
            ...(s0.otherwise ? { otherwise: fuseMutates(s0.otherwise) } : {}),
          }
        : s0;
    const last = out.at(-1);
    const fused = last?.kind === 'plugin' && s.kind === 'plugin' ? fuse(last, s) : undefined;
    if (fused) out[out.length - 1] = fused;
    else out.push(s);
  }
  return out;
}

function fuse(a: Plugin, b: Plugin): Plugin | undefined {
  if (a.name !== 'mutate' || b.name !== 'mutate') return undefined;
  const opsA = ops(a);
  const opsB = ops(b);
  if (!opsA || !opsB) return undefined;
  for (const y of opsB) for (const x of opsA) if (y.order < x.order && conflict(x, y)) return undefined;
  const attributes: Attribute[] = [...a.attributes];
  for (const attr of b.attributes) {
    const i = attributes.findIndex((x) => x.name === attr.name);
    const earlier = attributes[i];
    if (!earlier) {
      attributes.push(attr);
      continue;
    }
    const joined = join(earlier.value, attr.value);
    if (!joined) return undefined;
    attributes[i] = { name: attr.name, value: joined };
  }
  attributes.sort((x, y) => (ORDER[x.name] as number) - (ORDER[y.name] as number));
  const comments = [...(a.comments ?? []), ...(b.comments ?? [])];
  return { ...a, attributes, ...(comments.length > 0 ? { comments } : {}) };
}

/** Two values of one option, A's entries first; undefined for a key given twice or other kinds. */
function join(x: Value, y: Value): Value | undefined {
  if (x.kind === 'array' && y.kind === 'array') return { kind: 'array', items: [...x.items, ...y.items] };
  if (x.kind !== 'hash' || y.kind !== 'hash') return undefined;
  const keys = new Set(x.entries.map((e) => e.key as string));
  if (y.entries.some((e) => keys.has(e.key))) return undefined;
  return { kind: 'hash', entries: [...x.entries, ...y.entries] };
}

const related = (p: string, q: string): boolean => p === q || p.startsWith(q) || q.startsWith(p);
const touches = (fields: readonly string[], others: readonly string[]): boolean =>
  fields.some((f) => others.some((o) => related(f, o)));

function conflict(x: Op, y: Op): boolean {
  return touches(x.writes, [...y.reads, ...y.writes]) || touches(y.writes, x.reads);
}

/** The operations of a mutate, or undefined when one cannot be read (an unknown option or reference). */
function ops(p: Plugin): Op[] | undefined {
  const out: Op[] = [];
  for (const { name, value } of p.attributes) {
    const order = ORDER[name];
    if (order === undefined) return undefined;
    const fields = (f: string): string | undefined => (/^(\[[^\]]+\])+$/.test(f) ? f : undefined);
    const refs = (text: string): string[] | undefined => {
      const found: string[] = [];
      for (const m of text.matchAll(/%\{([^}]*)\}/g)) {
        const f = fields(m[1] as string);
        if (!f) return undefined;
        found.push(f);
      }
      return found;
    };
    const texts = (v: Value): string[] | undefined =>
      v.kind === 'string'
        ? [v.text]
        : v.kind === 'array' && v.items.every((i) => i.kind === 'string')
          ? v.items.map((i) => (i as { text: string }).text)
          : undefined;
    if (value.kind === 'hash') {
      for (const e of value.entries) {
        const key = fields(e.key);
        const vals = texts(e.value);
        if (!key || !vals) return undefined;
        const valueRefs = vals.map(refs);
        if (valueRefs.some((r) => r === undefined)) return undefined;
        const inText = valueRefs.flat() as string[];
        const asFields = vals.map(fields);
        switch (name) {
          case 'rename':
          case 'copy':
          case 'merge': {
            if (asFields.some((f) => f === undefined)) return undefined;
            const other = asFields as string[];
            if (name === 'merge') out.push({ order, reads: [...other, key], writes: [key] });
            else if (name === 'copy') out.push({ order, reads: [key], writes: other });
            else out.push({ order, reads: [key], writes: [key, ...other] });
            break;
          }
          case 'update':
          case 'replace':
          case 'add_field':
            out.push({ order, reads: [key, ...inText], writes: [key] });
            break;
          default:
            out.push({ order, reads: [key], writes: [key] });
        }
      }
    } else {
      const vals = texts(value);
      if (!vals) return undefined;
      const list = name === 'gsub' ? vals.filter((_, i) => i % 3 === 0) : vals;
      const asFields = list.map(fields);
      if (asFields.some((f) => f === undefined)) return undefined;
      for (const f of asFields as string[]) out.push({ order, reads: [f], writes: [f] });
    }
  }
  return out;
}
