/**
 * ECS mappings `mapc init` suggests for evident fields of the samples: a time as `@timestamp`,
 * IP addresses as `source.ip` and `related.ip`, user names and e-mail addresses as `user.name`,
 * `user.email` and `related.user`, an identifier as `event.id` and the document `id`. Each is a
 * guess from field names and sample values, written with a `# suggested:` comment saying why.
 *
 * ECS field meanings: https://www.elastic.co/docs/reference/ecs/ecs-field-reference (ECS 9.4.0,
 * `@elastic/ecs`): `@timestamp` (the event time), `source.ip`, `related.ip` / `related.user`
 * (all IPs and users seen in the event), `user.name`, `user.email`, `event.id`.
 *
 * @module
 */
import type { FieldFormat, FieldPath } from '../ir.ts';
import type { InferredField } from './infer.ts';

/** One suggested rule: the map line without indentation, why, and the record paths it reads. */
export interface SuggestedRule {
  readonly destination: string;
  readonly op: '=' | '+=';
  readonly source: FieldPath;
  /** `| date(iso8601)`, `| ip`, `| keyword` or empty. */
  readonly transform: string;
  readonly reason: string;
}

export interface Suggestions {
  readonly rules: readonly SuggestedRule[];
  /** The document id field (`id PATH`), with why. */
  readonly id?: { readonly path: FieldPath; readonly reason: string };
  /** A `cursor { max PATH format F }` the stream could keep (written as a comment). */
  readonly cursor?: { readonly path: FieldPath; readonly format: FieldFormat };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const TIME_WORDS: readonly [RegExp, number][] = [
  [/timestamp/i, 5],
  [/creat/i, 4],
  [/(^|_)(time|date)($|_)|Time$|Date$|(_at|At)$/, 3],
  [/time|date/i, 2],
  [/updat|modif|expir|end|last/i, -3],
];
const ID_NAMES = /^(id|uuid|guid|event_?id|eventId|log_?id|logId|audit_?id|auditId|record_?id|recordId)$/i;
const USER_NAMES = /^(user_?name|userName|user|login|username|created_?by|createdBy|actor|principal|owner)$/i;
const USER_PARENTS = /^(user|actor|principal|owner|creator|initiator)$/i;

/** A field name as the patterns below read it: `Event ID` → `event_id`, `userName` kept. */
function norm(segment: string): string {
  return segment.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

function last(path: FieldPath): string {
  return norm(path[path.length - 1] ?? '');
}

function score(field: InferredField, words: readonly [RegExp, number][]): number {
  let s = -field.path.length; // top-level first
  for (const [re, points] of words) if (re.test(last(field.path)) || re.test(field.path.join('.'))) s += points;
  return s;
}

function best(fields: readonly InferredField[], rank: (f: InferredField) => number): InferredField | undefined {
  let winner: InferredField | undefined;
  let top = Number.NEGATIVE_INFINITY;
  for (const f of fields) {
    const s = rank(f);
    if (s > top) {
      top = s;
      winner = f;
    }
  }
  return winner;
}

const isString = (f: InferredField): boolean => f.types.length === 1 && f.types[0] === 'string';
const allEmails = (f: InferredField): boolean =>
  isString(f) && f.values.length > 0 && f.values.every((v) => typeof v === 'string' && EMAIL.test(v));

/** The suggestions for `fields` (only leaves of one JSON type are considered). */
export function suggestMappings(fields: readonly InferredField[]): Suggestions {
  const leaves = fields.filter((f) => !f.hasFields && !f.types.includes('any'));
  const rules: SuggestedRule[] = [];

  const times = leaves.filter((f) => f.formats.some((x) => x.kind === 'iso8601' || x.kind === 'unix_ms'));
  const time = best(times, (f) => score(f, TIME_WORDS));
  let cursor: Suggestions['cursor'];
  if (time) {
    const format = time.formats[0]!;
    rules.push({
      destination: '@timestamp',
      op: '=',
      source: time.path,
      transform: `| date(${format.kind})`,
      reason: `a time (${format.kind}) in ${time.optional ? 'some' : 'every'} sample${
        times.length > 1
          ? `; other times: ${times
              .filter((t) => t !== time)
              .map((t) => t.path.join('.'))
              .join(', ')}`
          : ''
      }`,
    });
    if (!time.optional && !time.nullable) cursor = { path: time.path, format };
  }

  const ips = leaves.filter((f) => f.formats.some((x) => x.kind === 'ip'));
  const sourceIp = best(ips, (f) => score(f, [[/source|src|client|remote|origin/i, 3]]));
  if (sourceIp) {
    rules.push({
      destination: 'source.ip',
      op: '=',
      source: sourceIp.path,
      transform: '| ip',
      reason: 'an IP address in every value',
    });
  }
  for (const ip of ips) {
    rules.push({
      destination: 'related.ip',
      op: '+=',
      source: ip.path,
      transform: '| ip',
      reason: 'every IP address of the event',
    });
  }

  const emails = leaves.filter(allEmails);
  const email = best(emails, (f) =>
    score(f, [
      [/e_?mail/i, 4],
      [/user|actor|creat/i, 2],
    ]),
  );
  const names = leaves.filter(
    (f) =>
      isString(f) &&
      !allEmails(f) &&
      (USER_NAMES.test(last(f.path)) ||
        (/^(name|display_?name|displayName)$/.test(last(f.path)) &&
          USER_PARENTS.test(f.path[f.path.length - 2] ?? ''))),
  );
  const name = best(names, (f) => score(f, [[/user_?name|userName|login/i, 3]]));
  if (name) {
    rules.push({
      destination: 'user.name',
      op: '=',
      source: name.path,
      transform: '',
      reason: 'a user name, by its field name',
    });
    rules.push({
      destination: 'related.user',
      op: '+=',
      source: name.path,
      transform: '',
      reason: 'every user of the event',
    });
  }
  if (email) {
    rules.push({
      destination: 'user.email',
      op: '=',
      source: email.path,
      transform: '',
      reason: 'an e-mail address in every value',
    });
    rules.push({
      destination: 'related.user',
      op: '+=',
      source: email.path,
      transform: '',
      reason: 'every user of the event',
    });
  }

  const ids = leaves.filter(
    (f) =>
      !f.optional &&
      !f.nullable &&
      f.types.every((t) => t === 'string' || t === 'integer') &&
      ID_NAMES.test(last(f.path)) &&
      new Set(f.values.map((v) => JSON.stringify(v))).size === f.values.length,
  );
  const id = best(ids, (f) =>
    score(f, [
      [/event|log|audit|record/i, 2],
      [/^(id|uuid)$/, 1],
    ]),
  );
  let idSuggestion: Suggestions['id'];
  if (id) {
    const text = id.types.some((t) => t === 'integer');
    rules.push({
      destination: 'event.id',
      op: '=',
      source: id.path,
      transform: text ? '| keyword' : '',
      reason: 'an identifier, unique in the samples',
    });
    idSuggestion = { path: id.path, reason: 'the vendor id: a re-collected record keeps its document id' };
  }
  return { rules, ...(idSuggestion ? { id: idSuggestion } : {}), ...(cursor ? { cursor } : {}) };
}
