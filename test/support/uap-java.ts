/**
 * ua-parser's `regexes.yaml` (uap-core 0.18.0, the npm package) for the engine emulations of the
 * Elasticsearch/OpenSearch `user_agent` processor and the Logstash `useragent` filter, which both
 * parse with Java ports of ua-parser: each list tried in order, the first `find()` wins, and the
 * caller reads its groups as its Java parser does. `regex_flag: 'i'` (device parsers only in
 * uap-core) is honoured where the caller says its parser does. uap-core keeps its regexes in
 * the subset that Java's, Python's and JavaScript's engines read alike.
 *
 * The emulations run uap-core 0.18.0; each engine bundles its own snapshot, whose differences
 * the real-node tests and docs/target-differences.md record.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import yaml from 'js-yaml';

export type UapEntry = Readonly<Record<string, string>>;

interface Lists {
  readonly user_agent_parsers: readonly UapEntry[];
  readonly os_parsers: readonly UapEntry[];
  readonly device_parsers: readonly UapEntry[];
}

let lists: Lists | undefined;
const compiled = new Map<string, RegExp>();

function load(): Lists {
  lists ??= yaml.load(readFileSync(createRequire(import.meta.url).resolve('uap-core/regexes.yaml'), 'utf8')) as Lists;
  return lists;
}

/**
 * The groups (index 0: the match; a group that did not take part: `null`, as Java's
 * `Matcher.group`) and the entry of the first regex of `list` that matches `text`, or `undefined`.
 */
export function firstMatch(
  list: keyof Lists,
  text: string,
  honourFlag: boolean,
): { readonly groups: readonly (string | null)[]; readonly entry: UapEntry } | undefined {
  for (const entry of load()[list]) {
    const flags = honourFlag && entry['regex_flag'] === 'i' ? 'i' : '';
    const key = `${flags}/${entry['regex']}`;
    let re = compiled.get(key);
    if (re === undefined) {
      re = new RegExp(entry['regex']!, flags);
      compiled.set(key, re);
    }
    const m = re.exec(text);
    if (m) return { groups: [...m].map((g) => g ?? null), entry };
  }
  return undefined;
}
