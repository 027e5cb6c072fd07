/**
 * A lean Enpass-shaped API for the collector throughput figure: `GET /api/v1/event-logs` with a
 * bearer token, `cursor_has_more` paging (`cursor` query parameter, `next_cursor`, `has_more`),
 * `perPage` records per page made when asked (`collect-scenario.ts` `record`), so that a million
 * records need no memory. Unlike the mock API of the tests it checks nothing else and records no
 * request: it must not be what the figure measures. Listens on 127.0.0.1 only.
 *
 * @module
 */
import { createServer } from 'node:http';
import { record } from './collect-scenario.ts';

export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

export function startPageServer(pages: number, perPage: number, token: string): Promise<PageServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/v1/event-logs' || req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(url.pathname === '/api/v1/event-logs' ? 401 : 404).end();
      return;
    }
    const page = Number((url.searchParams.get('cursor') ?? 'p0').slice(1)) || 0;
    const more = page + 1 < pages;
    const body = JSON.stringify({
      events: Array.from({ length: perPage }, (_, r) => record(page * perPage + r)),
      next_cursor: more ? `p${page + 1}` : '',
      has_more: more,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
