/**
 * Step 4a of the record semantics (`compiler/ir.ts` `UserAgentIR`): `user_agent.original` parsed
 * into ECS `user_agent.*` the way the Elasticsearch `user_agent` processor writes it (ECS form),
 * with ua-parser's reference JavaScript parser (`uap-ref-impl` 0.3.1,
 * https://github.com/ua-parser/uap-ref-impl) over `uap-core` 0.18.0's `regexes.yaml`.
 *
 * `uap-ref-impl` applies the specification of uap-core (`docs/specification.md`): the first
 * matching regex of each list wins; a user agent's family replacement takes `$1`, its version
 * replacements are literal; OS and device replacements take `$1`-`$9` and are trimmed. It gives
 * a user agent's `major`, `minor` and `patch` (groups 2-4), never a fourth version part. The
 * regexes run on V8's backtracking engine: uap-core bounds its repetitions (`.{0,100}`) and tests
 * its list for catastrophic backtracking, and the regexes are the package's, never map text.
 *
 * @module
 */
import makeUapParser, { type UapParser, type UapRegexes } from 'uap-ref-impl';
import yaml from 'js-yaml';
import type { UserAgentIR } from '../ir.ts';
import type { JsonObject } from './json.ts';
import { getPath, setPath } from './paths.ts';
import { uapRegexesText } from './uap-regexes.ts';

let parser: UapParser | undefined;

/** The parser over uap-core's regexes, built on first use (~1,000 regexes). */
function uap(): UapParser {
  parser ??= makeUapParser(yaml.load(uapRegexesText()) as UapRegexes);
  return parser;
}

/** `major[.minor[.patch[.patchMinor]]]`, each part only while the one before it is present. */
function versionText(parts: readonly (string | null | undefined)[]): string | undefined {
  const present: string[] = [];
  for (const p of parts) {
    if (p === null || p === undefined || p === '') break;
    present.push(p);
  }
  return present.length > 0 ? present.join('.') : undefined;
}

/**
 * The `user_agent` object a user-agent string makes (`UserAgentIR`'s table): `original`, `name`
 * (`Other` without a match), `version`, `os` (`name`, `version`, `full`; absent without an OS
 * match), `device.name` (`Other` without a match).
 */
export function parseUserAgent(text: string): JsonObject {
  const p = uap();
  const agent = p.parseUA(text);
  const os = p.parseOS(text);
  const device = p.parseDevice(text);
  const out: JsonObject = { original: text, name: agent.family || 'Other' };
  const version = versionText([agent.major, agent.minor, agent.patch]);
  if (version !== undefined) out.version = version;
  if (os.family && os.family !== 'Other') {
    const osOut: JsonObject = { name: os.family };
    const osVersion = versionText([os.major, os.minor, os.patch, os.patchMinor]);
    if (osVersion !== undefined) {
      osOut.version = osVersion;
      osOut.full = `${os.family} ${osVersion}`;
    }
    out.os = osOut;
  }
  out.device = { name: device.family || 'Other' };
  return out;
}

/**
 * Runs `user_agent user_agent.original` on a document: a string there (the empty one too, as
 * the ingest processor) replaces `user_agent` by {@link parseUserAgent}'s object; a missing
 * field writes nothing.
 */
export function parseUserAgentInto(doc: JsonObject, item: UserAgentIR): void {
  const text = getPath(doc, item.field);
  if (typeof text !== 'string') return;
  setPath(doc, item.target, parseUserAgent(text));
}
