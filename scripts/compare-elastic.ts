/**
 * `npx tsx scripts/compare-elastic.ts <map> <test.log> <test.log-expected.json> [--stream s] [--set name=value ...] [--ignore field ...] [--geoip-database PATH ...] [--json]`:
 * runs a map's stream, by the reference interpreter, on the input of one of a hand-written Elastic
 * integration's pipeline tests (`data_stream/<ds>/_dev/test/pipeline/test-*.log`: one `message`
 * per line) and compares each document, field by field, with that test's expected output
 * (`test-*.log-expected.json`: `{"expected": [doc | null, ...]}`, one entry per line, `null` for
 * a line the pipeline drops). Used for the comparisons in `fixtures/<vendor>/README.md`; the
 * Elastic files are read from wherever they were downloaded and are not part of this repository.
 *
 * A line that holds a response page (the map's `records` path is an array there, as Elastic's
 * tests feed a whole empty page to check that the pipeline drops it) becomes that page's records;
 * any other line is one record, as `message`. Fields are compared as leaf paths (an array is one
 * value, compared whole and in order). Enrichment fields (`source.geo.*`, `source.as.*`, ... :
 * GeoIP and ASN, which the ingest pipeline adds from its databases) are counted apart; a map's
 * `geoip` / `asn` fill them only with `--geoip-database` (repeatable: the City and ASN databases
 * the Elastic test ran with, as `mapc preview` reads them).
 *
 * `--ignore FIELD` (repeatable) leaves a field of the expected output out of the comparison (and
 * out of the shares): e.g. the fields a package writes only under a test-only option, to compare
 * with its output under its defaults.
 *
 * Prints, per field path of the expected output: the documents that hold it, those where mapc
 * gives the same value, a different one, or none; then the fields mapc writes that the expected
 * output lacks; then the shares (fields and field occurrences, with and without enrichment).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compileFile } from '../compiler/compile.ts';
import type { IntegrationIR } from '../compiler/ir.ts';
import {
  defaultSettings,
  extractRecords,
  getPath,
  loadGeoDatabases,
  mapRecord,
  parseSettingText,
} from '../compiler/interpret/index.ts';

/** Field prefixes that the Elastic ingest pipeline fills from its GeoIP/ASN databases. */
const ENRICHMENT = [/^(source|destination|client|server|host)\.(geo|as)\./];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    stream: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    ignore: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
    'geoip-database': { type: 'string', multiple: true, default: [] },
  },
});
const [mapPath, logPath, expectedPath] = positionals;
if (mapPath === undefined || logPath === undefined || expectedPath === undefined) {
  process.stderr.write(
    'usage: compare-elastic.ts <map> <test.log> <test.log-expected.json> [--stream s] [--set name=value ...]\n',
  );
  process.exit(2);
}

const compiled = compileFile(mapPath);
const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
if (errors.length > 0 || compiled.ir === undefined) {
  process.stderr.write(`${mapPath}: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}\n`);
  process.exit(1);
}
const ir = compiled.ir as IntegrationIR;
const stream = values.stream === undefined ? ir.streams[0] : ir.streams.find((s) => s.name === values.stream);
if (stream === undefined) throw new Error(`no stream ${values.stream ?? ''} in ${mapPath}`);

const settings: Record<string, unknown> = defaultSettings(ir);
for (const pair of values.set) {
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq);
  const setting = ir.settings.find((s) => s.name === name);
  if (eq < 0 || setting === undefined) throw new Error(`--set ${pair}: no such setting`);
  const value = parseSettingText(setting.type, pair.slice(eq + 1));
  if (typeof value === 'object' && value !== null && 'expected' in value)
    throw new Error(`--set ${pair}: ${value.expected}`);
  settings[name] = value;
}

const geoDatabases = loadGeoDatabases(values['geoip-database']);

const lines = readFileSync(logPath, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const expected = (JSON.parse(readFileSync(expectedPath, 'utf8')) as { expected: (Record<string, unknown> | null)[] })
  .expected;
if (expected.length !== lines.length)
  throw new Error(`${lines.length} input lines, ${expected.length} expected entries`);

/** The documents mapc makes of one test line (a record, or a page of records). */
function documentsOf(line: string): Record<string, unknown>[] {
  const parsed: unknown = JSON.parse(line);
  const page = getPath(parsed, stream!.source.records);
  const messages = Array.isArray(page) ? extractRecords(stream!.source, parsed).map((r) => JSON.stringify(r)) : [line];
  return messages
    .map((m) => mapRecord(stream!, m, settings, { geoDatabases }))
    .flatMap((r) => (r.dropped ? [] : [r.doc]));
}

/** Leaf paths of a document: objects are walked, everything else (arrays too) is a value. */
function leaves(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else out.set(prefix, value);
  return out;
}

interface FieldTally {
  held: number;
  same: number;
  different: number;
  missing: number;
  example?: string;
}
const ignored = new Set(values.ignore);
const tally = new Map<string, FieldTally>();
const extra = new Map<string, number>();
let documentMismatch = 0;

lines.forEach((line, i) => {
  const docs = documentsOf(line);
  const want = expected[i];
  if (want === null || want === undefined) {
    if (docs.length > 0) documentMismatch++;
    return;
  }
  if (docs.length !== 1) {
    documentMismatch++;
    return;
  }
  const got = leaves(docs[0]);
  for (const [path, value] of leaves(want)) {
    if (ignored.has(path)) continue;
    const t = tally.get(path) ?? { held: 0, same: 0, different: 0, missing: 0 };
    t.held++;
    if (!got.has(path)) t.missing++;
    else if (JSON.stringify(got.get(path)) === JSON.stringify(value)) t.same++;
    else {
      t.different++;
      t.example ??= `line ${i + 1}: elastic ${JSON.stringify(value)}, mapc ${JSON.stringify(got.get(path))}`;
    }
    tally.set(path, t);
  }
  const wanted = leaves(want);
  for (const path of got.keys())
    if (!wanted.has(path) && !ignored.has(path)) extra.set(path, (extra.get(path) ?? 0) + 1);
});

const isEnrichment = (path: string): boolean => ENRICHMENT.some((re) => re.test(path));
const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b));
const share = (filter: (path: string) => boolean) => {
  const selected = rows.filter(([p]) => filter(p));
  const fields = selected.filter(([, t]) => t.same === t.held).length;
  const held = selected.reduce((n, [, t]) => n + t.held, 0);
  const same = selected.reduce((n, [, t]) => n + t.same, 0);
  return { fields, of: selected.length, occurrences: same, ofOccurrences: held };
};
const summary = {
  documents: lines.length,
  documentMismatch,
  nonEnrichment: share((p) => !isEnrichment(p)),
  all: share(() => true),
};

if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ fields: Object.fromEntries(rows), extra: Object.fromEntries(extra), summary }, null, 2)}\n`,
  );
} else {
  process.stdout.write('field\theld\tsame\tdifferent\tmissing\texample\n');
  for (const [path, t] of rows) {
    process.stdout.write(
      `${path}${isEnrichment(path) ? ' (enrichment)' : ''}\t${t.held}\t${t.same}\t${t.different}\t${t.missing}\t${t.example ?? ''}\n`,
    );
  }
  process.stdout.write(
    `\nwritten by mapc, not in the expected output: ${[...extra].map(([p, n]) => `${p} (${n})`).join(', ') || 'none'}\n`,
  );
  const line = (name: string, s: ReturnType<typeof share>) =>
    `${name}: ${s.fields}/${s.of} fields identical in every document; ${s.occurrences}/${s.ofOccurrences} field occurrences\n`;
  process.stdout.write(
    `\n${summary.documents} input lines, ${summary.documentMismatch} with a document count that differs\n`,
  );
  process.stdout.write(line('without enrichment', summary.nonEnrichment));
  process.stdout.write(line('all fields', summary.all));
}
