/**
 * The Logstash `useragent` filter (logstash-filter-useragent 3.3) in ECS mode, read from the
 * plugin's sources: `lib/logstash/filters/useragent.rb` (`filter`, `set_fields`, `set_version`,
 * `check_and_adjust_version`, `build_os_version`) and its Java parser
 * `src/main/java/org/logstash/uaparser/` (`UserAgentParser`, `OSParser`, `DeviceParser`), over
 * uap-core 0.18.0's regexes (test/support/uap-java.ts; the plugin bundles its own snapshot):
 *
 * - the source's value (an array: its first element); `nil` or empty: nothing at all;
 * - agent: the first `user_agent_parsers` regex that `find()`s, its family replacement with the
 *   first `$1` replaced, `v1`/`v2` replacements literal, else groups 2-4, and group 5 as
 *   `patchMinor`; no match: `Other`;
 * - OS: the first `os_parsers` match, `$1` replaced in its family, version replacements literal,
 *   else groups 2-5; no match: `Other` with no versions;
 * - device: the first `device_parsers` match (`regex_flag: 'i'` honoured), each `$N` replaced
 *   and trimmed; no match: `Other`;
 * - `[target][name]`, `[target][device][name]`; `[target][version]` = major[.minor[.patch
 *   [.patchMinor]]], a missing patchMinor taken from the text when the three parts are followed
 *   there by `.<digits> `; `[target][os][version]` = major, then minor after `.` (or after a space
 *   when the major is not a number), `.patch`, `.patchMinor`; `[target][os][name]`,
 *   `[target][os][full]` = name + ` ` + version when there is one; the parts also under
 *   `[@metadata][filter][user_agent]`.
 *
 * @module
 */
import { firstMatch } from '../../support/uap-java.ts';

interface Parts {
  readonly family: string;
  readonly major: string | null;
  readonly minor: string | null;
  readonly patch: string | null;
  readonly patchMinor: string | null;
}

const OTHER: Parts = { family: 'Other', major: null, minor: null, patch: null, patchMinor: null };

function agent(text: string): Parts {
  const found = firstMatch('user_agent_parsers', text, false);
  if (!found) return OTHER;
  const { groups, entry } = found;
  const g = (i: number): string | null => groups[i] ?? null;
  const rep = entry['family_replacement'];
  const family = rep !== undefined ? (rep.includes('$1') && g(1) !== null ? rep.replace('$1', g(1)!) : rep) : g(1);
  if (family === null) return OTHER;
  const v2 = entry['v2_replacement'];
  return {
    family,
    major: entry['v1_replacement'] ?? g(2),
    minor: v2 ?? g(3),
    patch: v2 !== undefined ? null : g(4),
    patchMinor: g(5),
  };
}

function os(text: string): Parts {
  const found = firstMatch('os_parsers', text, false);
  if (!found) return OTHER;
  const { groups, entry } = found;
  const g = (i: number): string | null => groups[i] ?? null;
  const rep = entry['os_replacement'];
  const family = rep !== undefined ? (groups.length > 1 ? rep.split('$1').join(g(1) ?? '') : rep) : g(1);
  if (family === null) return OTHER;
  return {
    family,
    major: entry['os_v1_replacement'] ?? g(2),
    minor: entry['os_v2_replacement'] ?? g(3),
    patch: entry['os_v3_replacement'] ?? g(4),
    patchMinor: g(5),
  };
}

function device(text: string): string {
  const found = firstMatch('device_parsers', text, true);
  if (!found) return 'Other';
  const { groups, entry } = found;
  const rep = entry['device_replacement'];
  if (rep === undefined) return groups[1] ?? 'Other';
  if (!rep.includes('$')) return rep;
  return rep.replace(/\$(\d)/g, (_, i: string) => groups[Number(i)] ?? '').trim();
}

/** `check_and_adjust_version`: a fourth part that follows the version in the text, then a space. */
function adjusted(text: string, version: string): string {
  const i = text.indexOf(version);
  if (i < 0) return version;
  const at = i + version.length;
  if (text[at] !== '.') return version;
  const space = text.indexOf(' ', at + 1);
  if (space < 0) return version;
  const part = text.slice(at + 1, space);
  return String(Number.parseInt(part, 10)) === part ? `${version}.${part}` : version;
}

/** The fields the filter sets for one string (ECS mode), as [path, value] pairs in its order. */
export function useragentFields(text: string): [string[], string][] {
  const out: [string[], string][] = [];
  const ua = agent(text);
  const meta = ['@metadata', 'filter', 'user_agent'];
  out.push([['name'], ua.family]);
  out.push([['device', 'name'], device(text)]);
  if (ua.major !== null) out.push([[...meta, 'version', 'major'], ua.major]);
  if (ua.minor !== null) out.push([[...meta, 'version', 'minor'], ua.minor]);
  if (ua.patch !== null) out.push([[...meta, 'version', 'patch'], ua.patch]);
  if (ua.major !== null) {
    let version = ua.major;
    if (ua.minor !== null) {
      version += `.${ua.minor}`;
      if (ua.patch !== null) {
        version += `.${ua.patch}`;
        version = ua.patchMinor !== null ? `${version}.${ua.patchMinor}` : adjusted(text, version);
      }
    }
    out.push([['version'], version]);
  }
  const o = os(text);
  if (o.major !== null) out.push([[...meta, 'os', 'version', 'major'], o.major]);
  if (o.minor !== null) out.push([[...meta, 'os', 'version', 'minor'], o.minor]);
  if (o.patch !== null) out.push([[...meta, 'os', 'version', 'patch'], o.patch]);
  let osVersion: string | undefined;
  if (o.major !== null) {
    osVersion = o.major;
    const sep = String(Number.parseInt(o.major, 10)) === o.major ? '.' : ' ';
    if (o.minor !== null) {
      osVersion += `${sep}${o.minor}`;
      if (o.patch !== null) {
        osVersion += `.${o.patch}`;
        if (o.patchMinor !== null) osVersion += `.${o.patchMinor}`;
      }
    }
    out.push([['os', 'version'], osVersion]);
  }
  out.push([['os', 'name'], o.family]);
  out.push([['os', 'full'], osVersion !== undefined ? `${o.family} ${osVersion}` : o.family]);
  return out;
}
