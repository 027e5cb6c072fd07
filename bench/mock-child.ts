/**
 * The mock vendor API (`test/mock-api/server.ts`) in its own process for the `mapc collect`
 * figure, so that serving pages does not share an event loop with the collector being measured.
 *
 * Usage: `node <tsx loader flags> bench/mock-child.ts <pages> <recordsPerPage> <lifetimeMs>`, with
 * the bearer token the server must accept in `MAPC_BENCH_API_TOKEN` (a random value the parent
 * made; never a literal). Prints one JSON line `{"url": "http://127.0.0.1:<port>"}` once listening.
 * Exits when its stdin closes (the parent is done or gone) or after `lifetimeMs`, whichever first.
 *
 * @module
 */
import { startMockApi } from '../test/mock-api/server.ts';
import { enpassLikeScenario } from './collect-scenario.ts';

const [pagesArg, perPageArg, lifetimeArg] = process.argv.slice(2);
const pages = Number(pagesArg);
const perPage = Number(perPageArg);
const lifetimeMs = Number(lifetimeArg);
const token = process.env.MAPC_BENCH_API_TOKEN;
if (!Number.isInteger(pages) || !Number.isInteger(perPage) || !Number.isFinite(lifetimeMs) || !token) {
  process.stderr.write(
    'mock-child: usage: mock-child.ts <pages> <recordsPerPage> <lifetimeMs> (token in MAPC_BENCH_API_TOKEN)\n',
  );
  process.exit(2);
}

const api = await startMockApi(enpassLikeScenario(pages, perPage, token, lifetimeMs));
const stop = (): void => {
  void api.close().finally(() => process.exit(0));
};
// The server unrefs itself; this timer is what keeps the process up, and bounds it.
setTimeout(stop, lifetimeMs);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url: api.url })}\n`);
