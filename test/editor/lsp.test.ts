/**
 * `mapc lsp` as an editor runs it: `node bin/mapc.js lsp --stdio` spoken to in LSP JSON-RPC over
 * stdio (initialize, didOpen, didChange, hover, completion, definition, formatting, shutdown,
 * exit) on the bundled maps and on an edited, broken map. Every wait is bounded.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSFORM_NAMES } from '../../dsl/transforms.ts';
import { LspClient } from './lsp-client.ts';

const REPO = resolve(import.meta.dirname, '../..');
const ENDOR = readFileSync(join(REPO, 'maps', 'endor_labs.map'), 'utf8');
const ENTRO = readFileSync(join(REPO, 'maps', 'entro.map'), 'utf8');
const ENDOR_URI = pathToFileURL(join(REPO, 'maps', 'endor_labs.map')).href;
const BROKEN_URI = pathToFileURL(join(REPO, 'maps', 'broken.map')).href;

interface Position {
  readonly line: number;
  readonly character: number;
}
interface Range {
  readonly start: Position;
  readonly end: Position;
}
interface Diagnostic {
  readonly range: Range;
  readonly severity: number;
  readonly code: string;
  readonly source: string;
  readonly message: string;
}
interface Hover {
  readonly contents: { readonly kind: string; readonly value: string };
  readonly range: Range;
}
interface CompletionItem {
  readonly label: string;
  readonly kind: number;
  readonly detail?: string;
  readonly textEdit: { readonly range: Range; readonly newText: string };
}

/** The position of `needle`'s `nth` occurrence in `text`, plus `delta` characters. */
function at(text: string, needle: string, delta = 0, nth = 0): Position {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

let client: LspClient;
let version = 1;

function diagnosticsOf(uri: string, minVersion: number): Promise<Diagnostic[]> {
  return client
    .waitFor(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' &&
        (m.params as { uri: string; version?: number }).uri === uri &&
        ((m.params as { version?: number }).version ?? 0) >= minVersion,
    )
    .then((m) => (m.params as { diagnostics: Diagnostic[] }).diagnostics);
}

function hover(uri: string, position: Position): Promise<Hover | null> {
  return client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
}

function complete(uri: string, position: Position): Promise<CompletionItem[]> {
  return client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position });
}

beforeAll(async () => {
  client = new LspClient(process.execPath, [join(REPO, 'bin', 'mapc.js'), 'lsp', '--stdio'], REPO);
});
afterAll(() => client.kill());

describe('mapc lsp', () => {
  it('initializes and announces what it can do', async () => {
    const result = await client.request<{ capabilities: Record<string, unknown>; serverInfo: { name: string } }>(
      'initialize',
      { processId: process.pid, rootUri: pathToFileURL(REPO).href, capabilities: {} },
      60_000,
    );
    expect(result.serverInfo.name).toBe('mapc');
    expect(result.capabilities).toMatchObject({
      hoverProvider: true,
      definitionProvider: true,
      documentFormattingProvider: true,
      completionProvider: { triggerCharacters: expect.arrayContaining(['.', '|', '(']) },
    });
    client.notify('initialized', {});
  });

  it('checks a bundled map when it is opened: no error', async () => {
    const published = diagnosticsOf(ENDOR_URI, 1);
    client.notify('textDocument/didOpen', {
      textDocument: { uri: ENDOR_URI, languageId: 'mapc', version: 1, text: ENDOR },
    });
    const diagnostics = await published;
    expect(diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  });

  it('hovers ECS fields with their type and description', async () => {
    const ip = await hover(ENDOR_URI, at(ENDOR, 'source.ip', 8));
    expect(ip?.contents.kind).toBe('markdown');
    expect(ip?.contents.value).toContain('**source.ip** `ip`');
    expect(ip?.contents.value).toContain('IP address of the source');
    expect(ip?.range).toEqual({ start: at(ENDOR, 'source.ip', 7), end: at(ENDOR, 'source.ip', 9) });
    const category = await hover(ENDOR_URI, at(ENDOR, 'event.category', 7));
    expect(category?.contents.value).toContain('`keyword` (array: use `+=`)');
    expect(category?.contents.value).toContain('`authentication`');
    const set = await hover(ENDOR_URI, at(ENDOR, 'source.ip', 2));
    expect(set?.contents.value).toContain('**source** — ECS 9.4.0 field set');
    expect(await hover(ENDOR_URI, at(ENDOR, 'meta.created_by', 6))).toBeNull();
  });

  it('hovers transforms with the registry doc, and settings, secrets and tables with their declaration', async () => {
    const lookup = await hover(ENDOR_URI, at(ENDOR, 'lookup(operation_types)', 2));
    expect(lookup?.contents.value).toContain('**lookup(TABLE)** (transform)');
    expect(lookup?.contents.value).toContain("otherwise the table's default");
    const interval = await hover(ENDOR_URI, at(ENDOR, 'setting.interval', 10));
    expect(interval?.contents.value).toContain('setting interval: duration = "5m"');
    expect(interval?.contents.value).toContain('*Poll interval*');
    const secret = await hover(ENDOR_URI, at(ENDOR, 'secret.api_secret', 9));
    expect(secret?.contents.value).toContain('secret api_secret');
    const table = await hover(ENDOR_URI, at(ENDOR, 'lookup(operation_types)', 10));
    expect(table?.contents.value).toContain('**table operation_types** (4 entries)');
    expect(table?.contents.value).toContain('default: `info`');
    const placeholder = await hover(ENDOR_URI, at(ENDOR, '{namespace}/audit-logs"', 3));
    expect(placeholder?.contents.value).toContain('setting namespace: string required');
  });

  it('goes to the definition of settings, secrets, tables and placeholders', async () => {
    const definition = (position: Position) =>
      client.request<{ uri: string; range: Range } | null>('textDocument/definition', {
        textDocument: { uri: ENDOR_URI },
        position,
      });
    const decl = (needle: string, name: string): Range => ({
      start: at(ENDOR, needle, needle.length - name.length),
      end: at(ENDOR, needle, needle.length),
    });
    expect(await definition(at(ENDOR, 'setting.interval', 9))).toEqual({
      uri: ENDOR_URI,
      range: decl('setting interval', 'interval'),
    });
    expect((await definition(at(ENDOR, 'secret.api_key', 8)))?.range).toEqual(decl('secret api_key', 'api_key'));
    expect((await definition(at(ENDOR, 'lookup(operation_categories)', 9)))?.range).toEqual(
      decl('table operation_categories', 'operation_categories'),
    );
    expect((await definition(at(ENDOR, '"{base_url}', 3)))?.range).toEqual(decl('setting base_url', 'base_url'));
    expect(await definition(at(ENDOR, 'max   meta.create_time', 8))).toBeNull();
  });

  it('completes ECS fields after a dotted prefix, transforms, tables, settings and keywords', async () => {
    // A new rule line being typed at the end of the map block.
    const anchor = '    organization.name  = tenant_meta.namespace\n';
    const typed = '    source.';
    const text = ENDOR.replace(anchor, `${anchor}${typed}\n`);
    version += 1;
    client.notify('textDocument/didChange', {
      textDocument: { uri: ENDOR_URI, version },
      contentChanges: [{ text }],
    });
    const fields = await complete(ENDOR_URI, at(text, typed, typed.length));
    const labels = fields.map((f) => f.label);
    expect(labels).toEqual(expect.arrayContaining(['ip', 'address', 'geo', 'port', 'user']));
    expect(labels).not.toContain('source');
    expect(fields.find((f) => f.label === 'ip')).toMatchObject({ kind: 5, detail: 'ECS ip' });
    expect(fields.find((f) => f.label === 'geo')).toMatchObject({ kind: 9, detail: 'ECS field set' });

    const partial = await complete(ENDOR_URI, at(text, '    source.ip ', 13));
    expect(partial.map((f) => f.label)).toContain('ip');
    expect(partial[0]!.textEdit.range).toEqual({
      start: at(text, '    source.ip ', 11),
      end: at(text, '    source.ip ', 13),
    });

    const transforms = await complete(ENDOR_URI, at(text, 'spec.remote_address | ip', 22));
    expect(transforms.map((f) => f.label)).toEqual(expect.arrayContaining([...TRANSFORM_NAMES]));
    const tables = await complete(ENDOR_URI, at(text, 'lookup(operation_types)', 7));
    expect(tables.map((f) => f.label)).toEqual(['operation_types', 'operation_categories']);
    const settings = await complete(ENDOR_URI, at(text, 'setting.interval', 8));
    expect(settings.map((f) => f.label)).toEqual([
      'base_url',
      'namespace',
      'backfill_start',
      'interval',
      'preserve_original_event',
    ]);
    const placeholders = await complete(ENDOR_URI, at(text, '{namespace}/audit-logs"', 1));
    expect(placeholders.map((f) => f.label)).toContain('namespace');

    const streamItems = await complete(ENDOR_URI, at(text, '  max_pages 200', 2));
    expect(streamItems.map((f) => f.label)).toEqual(
      expect.arrayContaining(['paginate', 'records', 'cursor', 'rate_limit', 'retry', 'max_pages', 'map']),
    );
    const mapStart = await complete(ENDOR_URI, at(text, '    namespace endor_labs.audit', 4));
    expect(mapStart.map((f) => f.label)).toEqual(
      expect.arrayContaining(['namespace', 'unmapped', 'original', 'id', 'remove', '@timestamp', 'event']),
    );
    const cursorFormat = await complete(ENDOR_URI, at(text, 'format iso8601', 7));
    expect(cursorFormat.map((f) => f.label)).toEqual(['iso8601', 'unix_ms', 'unix']);
    expect(await complete(ENDOR_URI, at(text, '# Endor Labs audit logs.', 5))).toEqual([]);
  });

  it('reports a syntax error as you type, with code, severity and range, and still hovers and completes', async () => {
    const published = diagnosticsOf(BROKEN_URI, 1);
    client.notify('textDocument/didOpen', {
      textDocument: { uri: BROKEN_URI, languageId: 'mapc', version: 1, text: ENTRO },
    });
    expect((await published).filter((d) => d.severity === 1)).toEqual([]);

    // Edit: a misspelt setting type (an incremental change of 2 characters).
    const typePos = at(ENTRO, 'setting base_url: url', 18);
    const broken = ENTRO.replace('setting base_url: url', 'setting base_url: urll');
    const republished = diagnosticsOf(BROKEN_URI, 2);
    client.notify('textDocument/didChange', {
      textDocument: { uri: BROKEN_URI, version: 2 },
      contentChanges: [
        {
          range: {
            start: { ...typePos, character: typePos.character + 3 },
            end: { ...typePos, character: typePos.character + 3 },
          },
          text: 'l',
        },
      ],
    });
    const diagnostics = await republished;
    const error = diagnostics.find((d) => d.severity === 1);
    expect(error).toMatchObject({
      code: 'E0004',
      source: 'mapc',
      range: { start: typePos, end: { line: typePos.line, character: typePos.character + 4 } },
    });
    expect(error?.message).toContain('expected a setting type');

    // The tree is gone, the tokens are not: hover, completion and definition still answer.
    const ip = await hover(BROKEN_URI, at(broken, 'log.origin.file.line', 17));
    expect(ip?.contents.value).toContain('**log.origin.file.line** `long`');
    const mask = await hover(BROKEN_URI, at(broken, 'mask(4)', 1));
    expect(mask?.contents.value).toContain('**mask(N)** (transform)');
    const settings = await complete(BROKEN_URI, at(broken, 'start setting.initial_interval', 14));
    expect(settings.map((f) => f.label)).toEqual(['base_url', 'initial_interval', 'interval']);
    const definition = await client.request<{ range: Range } | null>('textDocument/definition', {
      textDocument: { uri: BROKEN_URI },
      position: at(broken, 'secret.api_token', 8),
    });
    expect(definition?.range.start).toEqual(at(broken, 'secret api_token', 7));
    const fields = await complete(BROKEN_URI, at(broken, '    rule.name', 9));
    expect(fields.map((f) => f.label)).toEqual(expect.arrayContaining(['name', 'id', 'category']));
  });

  it('formats a document in the canonical layout, and not a broken one', async () => {
    const edits = await client.request<{ range: Range; newText: string }[]>('textDocument/formatting', {
      textDocument: { uri: BROKEN_URI },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(edits).toEqual([]);
    const messy = ENDOR.replace('  records list.objects', '  records     list.objects   ');
    version += 1;
    client.notify('textDocument/didChange', {
      textDocument: { uri: ENDOR_URI, version },
      contentChanges: [{ text: messy }],
    });
    const fixed = await client.request<{ range: Range; newText: string }[]>('textDocument/formatting', {
      textDocument: { uri: ENDOR_URI },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(fixed).toHaveLength(1);
    expect(fixed[0]!.newText).toBe(ENDOR);
  });

  it('clears diagnostics on close, then shuts down and exits with code 0', async () => {
    const cleared = client.waitFor(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' &&
        (m.params as { uri: string; diagnostics: unknown[] }).uri === BROKEN_URI &&
        (m.params as { diagnostics: unknown[] }).diagnostics.length === 0,
    );
    client.notify('textDocument/didClose', { textDocument: { uri: BROKEN_URI } });
    await cleared;
    expect(await client.request('shutdown', null)).toBeNull();
    client.notify('exit', null);
    const code = await Promise.race([client.exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    expect(code).toBe(0);
  });
});
