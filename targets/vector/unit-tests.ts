/**
 * Vector unit tests (`tests:` in vector.yaml, run by `vector test`) generated from fixtures:
 * each feeds one fixture record to the stream's remap and asserts the exact document.
 *
 * A document without a mapped `@timestamp` gets the collection time (step 8 of compiler/ir.ts),
 * which the assertion checks for its form only.
 *
 * The assertion compares after turning every integer into a float on both sides, because VRL's
 * object equality tells `1` from `1.0` (`{"a": 1} == {"a": 1.0}` is false) while JSON, and the
 * expected documents, do not (https://vector.dev/docs/reference/configuration/unit-tests/).
 *
 * A case whose record text Vector would change in `log_fields` (a `$` or `SECRET[`, see
 * `./quote.ts`) is left out: YAML has no other spelling for it. Its expected document is VRL and
 * carries any text. {@link unitTests} reports how many cases it left out.
 *
 * @module
 */
import type { FieldPath, StreamIR } from '../../compiler/ir.ts';
import type { FixtureCase } from '../contract.ts';
import { collectionTimeDestinations, samePath } from '../../compiler/rule-paths.ts';
import {
  logFieldValue,
  vrlConst,
  vrlLiteral,
  vrlPathArray,
  vrlProgram,
  vrlString,
  yamlConst,
  type YamlNode,
} from './quote.ts';
import { ID_FIELD } from './vrl/mapping.ts';

export interface UnitTestIds {
  readonly remap: string;
  readonly prefix: string;
  /** The `route` in front of the remap (exec sources only). */
  readonly route?: string;
}

/**
 * One Vector unit test per fixture case and, in front of an `exec` source's remap, one proving
 * that a collector log line (stderr) goes to the log sink and never to the mapping.
 */
export function unitTests(
  stream: StreamIR,
  shape: 'record' | 'response',
  ids: UnitTestIds,
  cases: readonly FixtureCase[],
): { tests: YamlNode[]; left: number } {
  if (cases.length === 0) return { tests: [], left: 0 };
  const logLine = '{"level":"error","msg":"example collector log line"}';
  const routeTest: YamlNode[] =
    ids.route === undefined
      ? []
      : [
          {
            name: yamlConst(`${ids.prefix} collector log lines bypass the mapping`),
            inputs: [
              {
                insert_at: yamlConst(ids.route),
                type: yamlConst('log'),
                log_fields: { message: yamlConst(logLine), stream: yamlConst('stderr') },
              },
            ],
            outputs: [
              {
                extract_from: yamlConst(`${ids.route}.collector_log`),
                conditions: [
                  { type: yamlConst('vrl'), source: vrlProgram([`assert_eq!(.message, ${vrlConst(logLine)})`]) },
                ],
              },
            ],
            no_outputs_from: [yamlConst(`${ids.route}.records`), yamlConst(ids.remap)],
          },
        ];
  const tests: YamlNode[] = [...routeTest];
  let left = 0;
  cases.forEach((c, i) => {
    const message = logFieldValue(shape === 'record' ? c.message : responseBody(stream.source.records, c.message));
    if (message === undefined) {
      left += 1;
      return;
    }
    tests.push({
      name: yamlConst(`${ids.prefix} fixture record ${i + 1}`),
      inputs: [{ insert_at: yamlConst(ids.remap), type: yamlConst('log'), log_fields: { message } }],
      outputs: [
        {
          extract_from: yamlConst(ids.remap),
          conditions: [{ type: yamlConst('vrl'), source: vrlProgram(assertion(c, stream)) }],
        },
      ],
    });
  });
  return { tests, left };
}

/** The VRL condition asserting the remap output equals the case's document (and id). */
export function assertion(c: FixtureCase, stream: StreamIR): string[] {
  const expected: Record<string, unknown> = { ...c.expected.doc };
  if (c.expected._id !== undefined) expected[ID_FIELD] = c.expected._id;
  // Step 8 (compiler/ir.ts): without a mapped @timestamp the remap writes the collection time,
  // which no expected document can hold; its form is checked, then it is left out. `strlen` and
  // a start-anchored regex instead of `$`, which vector.yaml would need escaped.
  // So are the fields of `collected_at` rules (compiler/rule-paths.ts), which the expected
  // documents never hold; a conditional one may be absent.
  const mapped = '@timestamp' in c.expected.doc;
  const stamped: { path: FieldPath; optional: boolean }[] = [
    ...(mapped ? [] : [{ path: ['@timestamp'], optional: false }]),
    ...collectionTimeDestinations(stream.mapping)
      .filter((p) => !samePath(p, ['@timestamp']) && valueAt(c.expected.doc, p) === undefined)
      .map((path) => ({ path, optional: true })),
  ];
  const collected = stamped.flatMap(({ path, optional }, i) => {
    const at = vrlPathArray(path, stream.loc);
    return [
      `mapc_stamp = string(get(${i === 0 ? '.' : 'mapc_doc'}, ${at}) ?? null) ?? ""`,
      `assert!(${optional ? 'mapc_stamp == "" || ' : ''}(strlen(mapc_stamp) == 24 && match(mapc_stamp, r'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z')), ${vrlString(`${path.join('.')} is not a collection time`, stream.loc)})`,
      `mapc_doc = remove(${i === 0 ? '.' : 'mapc_doc'}, ${at}) ?? {}`,
    ];
  });
  return [
    ...collected,
    `mapc_actual = map_values(${stamped.length === 0 ? '.' : 'mapc_doc'}, recursive: true) -> |mapc_value| {`,
    '  if is_integer(mapc_value) { to_float(int(mapc_value) ?? 0) } else { mapc_value }',
    '}',
    `assert_eq!(mapc_actual, ${vrlLiteral(expected, stream.loc, true)})`,
  ];
}

/** The value at `path` of a JSON document, or undefined. */
function valueAt(doc: unknown, path: FieldPath): unknown {
  let node = doc;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** A response body holding just this record at the records path (the remap extracts it again). */
function responseBody(records: FieldPath, message: string): string {
  let body: unknown = [JSON.parse(message) as unknown];
  for (const segment of [...records].reverse()) body = { [segment]: body };
  return JSON.stringify(body);
}
