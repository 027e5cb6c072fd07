/**
 * The registry of diagnostic codes: one range per phase. A released code is never reused or
 * renumbered; `test/codes.test.ts` keeps codes unique and inside their phase's range.
 *
 * | range | phase |
 * |---|---|
 * | E0001-E0099 | lexing and parsing (`dsl/`) |
 * | E0100-E0299 | semantic checks (`compiler/check/`) |
 * | E0300-E0399 | lowering to IR (`compiler/lower/`) |
 * | E0400-E0499 / W0400-W0499 | Elastic target |
 * | E0500-E0599 / W0500-W0599 | Vector target |
 * | E0600-E0699 / W0600-W0699 | Logstash target |
 * | E0700-E0799 | fixtures and tooling (`mapc preview`, tests) |
 * | E0800-E0899 / W0800-W0899 | `mapc collect` runtime (W: a record logged and still delivered) |
 *
 * Each phase owner adds codes only inside its own range.
 *
 * @module
 */
export const CODES = {
  // --- syntax (dsl/) ---
  E0001: 'unexpected character',
  E0002: 'unterminated string',
  E0003: 'invalid escape in string',
  E0004: 'unexpected token',
  E0005: 'missing token',
  E0006: 'invalid placeholder syntax',
  E0007: 'item given twice in one block',
  E0008: 'invalid duration',
  E0009: 'expected an integer',
  E0010: 'unknown transform or bad transform arguments',
  E0011: 'block lacks an item its kind requires',
  E0012: 'internal error in the parser',
  E0013: 'brackets nested too deeply',
  E0014: 'items that exclude each other in one block',

  // --- checks (compiler/check/) ---
  E0100: 'unknown ECS field',
  E0101: 'value type does not fit the ECS field type',
  E0102: 'value not among the ECS allowed values',
  E0103: 'non-ECS field outside the vendor namespace',
  E0104: 'unknown setting',
  E0105: 'unknown secret',
  E0106: 'secret used outside auth',
  E0107: 'destination field mapped twice',
  E0108: 'unknown or unusable placeholder',
  E0109: 'unknown lookup table',
  E0110: 'setting of the wrong type',
  E0111: 'invalid date pattern',
  E0112: 'array field needs +=',
  E0113: 'missing required item',
  E0114: 'duplicate declaration',
  E0115: 'invalid setting default',
  E0116: 'literal looks like a credential',
  E0117: 'invalid name',
  W0118: 'stream sets no @timestamp',
  E0119: 'invalid value',
  E0120: 'append to a single-value field',
  W0121: 'event.type not expected for event.category',
  W0122: 'declared but never used',
  E0123: 'character no target can carry',
  E0124: 'invalid HTTP header name',
  E0125: 'text a header value or URL cannot carry',
  E0126: 'credentials in a URL',
  W0127: 'setting looks like a credential',
  E0128: 'value outside its allowed bounds',
  W0129: 'event.original keeps values this map redacts',
  W0130: 'stream without auth',
  // record schemas (compiler/check/rules/schema.ts)
  E0140: 'path not in the record schema',
  E0141: 'transform cannot take the declared type',
  W0142: 'declared format disagrees with what reads the field',
  W0143: 'declared field nothing reads',
  E0144: 'record schema contradicts split',
  E0145: 'path below a field that holds no fields',
  E0146: 'record field declared twice',
  E0147: 'record field types or formats do not fit together',
  W0148: 'transform fails on some declared values',
  // request conditions and split document ids (compiler/check/rules/request-conditions.ts, split-id.ts)
  W0165: 'document id cannot tell split elements apart',
  E0166: 'unknown or unusable request condition',
  // record conditions (compiler/check/rules/conditions.ts)
  E0167: 'condition can never hold for the declared type',
  // writes: copy, conditional remove (compiler/check/rules/writes.ts)
  E0170: 'copy of a field no earlier rule writes',
  E0171: 'copy of an array field into a field that holds one value',
  E0172: 'remove condition reads a path another remove deletes',
  // request bodies: typed settings, the body of the pages after the first (compiler/check/rules/request-bodies.ts)
  E0173: 'setting in a JSON body may have no value',
  E0174: 'replace on a pagination value other than a page token',
  // kv separators (compiler/check/rules/transforms.ts)
  E0175: 'kv separator empty, too long or of a character it may not hold',
  E0176: 'kv separators share a character',
  // transforms with text arguments: split (compiler/check/rules/transforms.ts)
  E0178: 'split separator is empty',
  E0179: 'transform after one that yields a list',
  E0180: 'list value into a field that holds one value',
  E0181: 'parsed JSON into a typed ECS field',
  // extract("REGEX") (compiler/check/rules/transforms.ts; the subset: dsl/regex.ts)
  E0182: 'extract pattern outside the portable regex subset',
  E0183: 'extract pattern without exactly one capturing group',
  // shared stream defaults (compiler/defaults.ts)
  E0186: 'second defaults block',
  E0187: 'item a defaults block cannot hold',
  W0188: 'default no stream inherits',
  E0193: 'ECS version mapc does not ship',
  E0194: 'auth header template is not text around one secret',
  // the vendor's page position as the state (compiler/check/rules/values.ts CursorRule)
  E0195: 'next_page cursor without a pagination that ends at a position',
  E0196: 'cursor keeps both max and next_page',
  // enrichment (compiler/check/rules/enrich.ts; E0182-E0183 are `extract`'s)
  E0184: 'geoip or asn of a field that is not an ECS ip field with geo or as data',
  E0185: 'geoip, asn or user_agent of a field no rule writes',
  E0197: 'rule writes under an enrichment, or an enrichment given twice',
  // selecting an array element by a field value (compiler/check/rules/select.ts)
  E0240: 'selection from a path the record schema does not declare an array of objects',
  E0241: 'redaction of a selected element value',
  E0242: 'element fields (`ARRAY[] { ... }`) with +=, transforms, an ECS destination or a name twice',
  E0198: 'user_agent of a field other than user_agent.original',
  // record conditions on now (compiler/check/rules/conditions.ts)
  E0199: 'now test of a value that is no date text',

  // --- lowering (compiler/lower/) ---
  E0300: 'cannot lower construct',

  // --- Elastic target ---
  E0400: 'Elastic target cannot express this',
  W0401: 'Elastic target uses a fallback',
  W0402: 'Elastic package changelog link is a placeholder',
  // Elastic Agent CEL input (targets/elastic/cel.ts)
  E0420: 'CEL input cannot express this source',
  E0421: 'date pattern has no Go time layout',
  W0420: 'CEL input retries without jitter',
  W0421: 'CEL input retry count differs',
  W0422: 'CEL input emulates a source feature',
  E0403: 'text cannot be carried safely into the Elastic package',

  // --- Vector target ---
  E0500: 'Vector target cannot express this',
  W0501: 'Vector collects through mapc collect',
  W0502: 'Vector fixes the poll interval in its config',
  W0503: 'Vector http_client does not retry or rate-limit as the map says',
  E0504: 'text cannot be carried safely into the Vector config',

  // --- Logstash target ---
  E0600: 'Logstash target cannot express this',
  W0601: 'Logstash collects through mapc collect',
  E0602: 'text cannot be written portably in a Logstash config',
  E0603: 'Logstash would substitute this text',

  // --- fixtures / tooling ---
  E0700: 'malformed fixture JSON',
  E0701: 'malformed input records',
  E0702: 'fixture does not match what the map makes',
  E0703: 'malformed warning acknowledgement',
  E0704: 'unusable GeoIP database file',

  // --- mapc collect ---
  E0800: 'collect: request failed',
  E0801: 'collect: unreadable state file',
  E0802: 'collect: missing secret or setting',
  E0803: 'collect: credential refused',
  E0804: 'collect: unexpected response',
  E0805: 'collect: cannot write output or state',
  E0806: 'collect: invalid command-line option',
  E0807: 'collect: map does not compile',
  E0808: 'collect: response too large',
  E0809: 'collect: pagination does not advance',
  E0810: 'collect: refused to send credentials to another origin',
  E0811: 'collect: record cannot be processed',
  W0812: 'collect: record breaks the record schema',
} as const;

export type DiagnosticCode = keyof typeof CODES;
