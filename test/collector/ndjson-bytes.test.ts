/**
 * The exact bytes `mapc collect` writes for raw records: each record (or split element) as
 * `JSON.stringify` gives it, one per line, in page order, secrets scrubbed. The API's pages here
 * are raw text chosen to differ from that form (escaped and literal non-ASCII text, surrogate
 * pairs, a number beyond 2^53, `1.0`, `-0`, `1e400`, a duplicate key, a `__proto__` key,
 * whitespace, nested objects and arrays, split arrays, a record echoing the token), and the
 * expected output is written out below by hand, so that a faster path through the collector or
 * the CLI's output (`cli/run.ts`) that changed one byte fails here. Run in process through
 * `runMapcIn` and as the real process (`node bin/mapc.js`) writing to a pipe.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { SYNTHETIC_LOC as LOC, syntheticIR } from '../support/ir.ts';
import { MAPC_BIN, mapcInProcess } from '../support/mapc.ts';

const TOKEN = 'ndjson-bytes-token-7f3a';

/** Page 1 (then `page_token=2`): raw response text, byte for byte. */
const PAGE_1 = `{
  "data": [
    {"id": "r1", "ts": "2024-05-01T00:00:01Z", "text": "caf\\u00e9 café \\ud83d\\ude00 😀 日本語 \\u0001 \\/ \\"q\\""},
    {"id":"r2","ts":"2024-05-01T00:00:02Z","n":[12345678901234567890, 1.0, -0, 1e400, 0.1, 1E-7, 100e-2],"a":1,"a":2},
    {"id": "r3", "ts": "2024-05-01T00:00:03Z", "__proto__": {"x": 1}, "deep": {"b": [1, {"c": [true, false, null]}], "e": {}}},
    {"id": "r4", "ts": "2024-05-01T00:00:04Z", "items": [{"k": 1}, "two", [3], null], "keep": "parent"}
  ],
  "next": "2"
}`;

/** Page 2 (the last): an empty split array, a split path that is no array, and a record echoing the token. */
const PAGE_2 = `{"data":[
  {"id":"r5","ts":"2024-05-01T00:00:05Z","items":[]},
  {"id":"r6","ts":"2024-05-01T00:00:06Z","items":{"not":"an array"}},
  {"id":"r7","ts":"2024-05-01T00:00:07Z","items":["echo ${TOKEN}", "\\u00e9"]}
]}`;

/** What `mapc collect` must print for the two pages, written out by hand. */
const EXPECTED =
  [
    '{"id":"r1","ts":"2024-05-01T00:00:01Z","text":"café café 😀 😀 日本語 \\u0001 / \\"q\\""}',
    '{"id":"r2","ts":"2024-05-01T00:00:02Z","n":[12345678901234567000,1,0,null,0.1,1e-7,1],"a":2}',
    '{"id":"r3","ts":"2024-05-01T00:00:03Z","__proto__":{"x":1},"deep":{"b":[1,{"c":[true,false,null]}],"e":{}}}',
    '{"id":"r4","ts":"2024-05-01T00:00:04Z","items":{"k":1},"keep":"parent"}',
    '{"id":"r4","ts":"2024-05-01T00:00:04Z","items":"two","keep":"parent"}',
    '{"id":"r4","ts":"2024-05-01T00:00:04Z","items":[3],"keep":"parent"}',
    '{"id":"r4","ts":"2024-05-01T00:00:04Z","items":null,"keep":"parent"}',
    '{"id":"r5","ts":"2024-05-01T00:00:05Z","items":[]}',
    '{"id":"r6","ts":"2024-05-01T00:00:06Z","items":{"not":"an array"}}',
    '{"id":"r7","ts":"2024-05-01T00:00:07Z","items":"echo [REDACTED]"}',
    '{"id":"r7","ts":"2024-05-01T00:00:07Z","items":"é"}',
  ].join('\n') + '\n';

let server: Server;
let baseUrl: string;
let irFile: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/logs' || req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(404).end();
      return;
    }
    const body = Buffer.from(url.searchParams.get('page_token') === '2' ? PAGE_2 : PAGE_1, 'utf8');
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const ir = syntheticIR({
    pagination: { kind: 'page_token', tokenPath: ['next'], param: { in: 'query', name: 'page_token' }, loc: LOC },
    auth: { kind: 'bearer', secret: 'api_token', loc: LOC },
    secrets: ['api_token'],
  });
  const split: IntegrationIR = {
    ...ir,
    streams: ir.streams.map((s) => ({ ...s, source: { ...s.source, split: { path: ['items'], loc: LOC } } })),
  };
  irFile = join(mkdtempSync(join(inject('mapcTempDir'), 'ndjson-bytes-')), 'ir.json');
  writeFileSync(irFile, JSON.stringify(split));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const args = (): string[] => ['collect', irFile, '--set', `base_url=${baseUrl}`, '--set', 'start=2024-04-30T00:00:00Z'];
const env = { SYNTHETIC_API_TOKEN: TOKEN };

describe('mapc collect output bytes', () => {
  it('in process (runMapcIn): the NDJSON written out by hand', async () => {
    const run = await mapcInProcess(args(), { env });
    expect(run.stderr).not.toContain('"level":"error"');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(EXPECTED);
  });

  it('as a process writing to a pipe: the same bytes', async () => {
    const child = spawn(process.execPath, [MAPC_BIN, ...args()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(Buffer.concat(out).equals(Buffer.from(EXPECTED, 'utf8'))).toBe(true);
  });
});
