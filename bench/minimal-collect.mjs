// The yardstick of the collector throughput figure: the least a Node script can do to collect
// the bench's Enpass-shaped API (bench/throughput-bench.ts): fetch each page with the bearer
// token, follow next_cursor while has_more, and write the page's records to stdout as NDJSON in
// one write per page, waiting for the write. No retries, no state, no redaction, no checks.
//
// Usage: node bench/minimal-collect.mjs <base url>   (token in ENPASS_API_TOKEN)
const base = process.argv[2];
const token = process.env.ENPASS_API_TOKEN;
let cursor = '';
for (;;) {
  const url = new URL('/api/v1/event-logs', base);
  url.searchParams.set('limit', '100');
  url.searchParams.set('since', '2000-01-01T00:00:00Z');
  if (cursor !== '') url.searchParams.set('cursor', cursor);
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = await res.json();
  const lines = body.events.map((r) => JSON.stringify(r)).join('\n');
  if (lines !== '') await new Promise((resolve) => process.stdout.write(`${lines}\n`, resolve));
  if (!body.has_more) break;
  cursor = body.next_cursor;
}
