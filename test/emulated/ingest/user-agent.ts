/**
 * The `user_agent` ingest processor in its ECS form, written from its reference page
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/user-agent-processor.html) and
 * OpenSearch 2.19's `modules/ingest-user-agent` `UserAgentProcessor` / `UserAgentParser` (the
 * engine the real-node tests run), over uap-core 0.18.0's regexes (test/support/uap-java.ts):
 *
 * - options `field`, `target_field` (default `user_agent`), `ignore_missing` (default false);
 *   `properties`, `regex_file` and `ecs` are not modelled (mapc emits none);
 * - a missing or `null` field: nothing with `ignore_missing`, else a failure; a value that is not
 *   a string: a failure;
 * - each of the three lists: the first regex that `find()`s; a name replacement takes group 1
 *   for its first `$1`, version replacements are literal, else groups 2-5 (major, minor, patch,
 *   build); `regex_flag: 'i'` on any list;
 * - `target_field` becomes `{original, name, version?, os?, device}`: `name` the agent's or
 *   `Other`; `version` major then `.minor`, `.patch`, `.build` while present (an empty group is
 *   present: `"121.0."`); `os` only with an OS name, its `version`/`full` only with a major;
 *   `device.name` the device's or `Other`.
 *
 * @module
 */
import { firstMatch } from '../../support/uap-java.ts';
import * as doc from './document.ts';
import { IngestError, type Json, type JsonMap } from './document.ts';

interface Versioned {
  readonly name: string;
  readonly major: string | null;
  readonly minor: string | null;
  readonly patch: string | null;
  readonly build: string | null;
}

/** `UserAgentSubpattern.match` of the first matching regex of `list`. */
function match(list: 'user_agent_parsers' | 'os_parsers' | 'device_parsers', text: string): Versioned | undefined {
  const found = firstMatch(list, text, true);
  if (!found) return undefined;
  const { groups, entry } = found;
  const [nameKey, ...vKeys] =
    list === 'user_agent_parsers'
      ? ['family_replacement', 'v1_replacement', 'v2_replacement', 'v3_replacement', 'v4_replacement']
      : list === 'os_parsers'
        ? ['os_replacement', 'os_v1_replacement', 'os_v2_replacement', 'os_v3_replacement', 'os_v4_replacement']
        : ['device_replacement'];
  const g = (i: number): string | null => (i < groups.length ? (groups[i] ?? null) : null);
  const replacement = entry[nameKey!];
  let name: string | null;
  if (replacement !== undefined) {
    name = replacement.includes('$1') && g(1) !== null ? replacement.replace('$1', g(1)!) : replacement;
  } else name = g(1);
  if (name === null) return undefined;
  const v = (k: number): string | null => {
    const key = vKeys[k];
    if (key !== undefined && entry[key] !== undefined) return entry[key]!;
    return list === 'device_parsers' ? null : g(k + 2);
  };
  return { name, major: v(0), minor: v(1), patch: v(2), build: v(3) };
}

/** `versionToString` after the major: `.minor[.patch[.build]]` while not `null`. */
function rest(v: Versioned): string {
  if (v.minor === null) return '';
  if (v.patch === null) return `.${v.minor}`;
  return v.build === null ? `.${v.minor}.${v.patch}` : `.${v.minor}.${v.patch}.${v.build}`;
}

/** Runs one `user_agent` processor on the document. */
export function userAgentProcessor(ctx: JsonMap, o: Readonly<Record<string, unknown>>): void {
  for (const k of Object.keys(o)) {
    if (
      !['field', 'target_field', 'ignore_missing', 'tag', 'if', 'on_failure', 'ignore_failure', 'description'].includes(
        k,
      )
    ) {
      throw new Error(`evaluator: user_agent option ${k} is not supported`);
    }
  }
  const field = o['field'];
  if (typeof field !== 'string') throw new Error('evaluator: user_agent needs field');
  const value = doc.has(ctx, field) ? doc.get(ctx, field) : null;
  if (value === undefined || value === null) {
    if (o['ignore_missing'] === true) return;
    throw new IngestError(`field [${field}] is null, cannot parse user-agent.`);
  }
  if (typeof value !== 'string')
    throw new IngestError(`field [${field}] of type [${typeof value}] cannot be cast to String`);
  const agent = match('user_agent_parsers', value);
  const os = match('os_parsers', value);
  const device = match('device_parsers', value);
  const out: JsonMap = { original: value, name: agent?.name ?? 'Other' };
  if (agent?.major != null) out['version'] = agent.major + rest(agent);
  if (os !== undefined) {
    const osOut: JsonMap = { name: os.name };
    if (os.major !== null) {
      osOut['version'] = os.major + rest(os);
      osOut['full'] = `${os.name} ${osOut['version'] as string}`;
    }
    out['os'] = osOut;
  }
  out['device'] = { name: device?.name ?? 'Other' };
  doc.set(ctx, (o['target_field'] as string | undefined) ?? 'user_agent', out as Json);
}
