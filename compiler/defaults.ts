/**
 * Shared stream defaults (`defaults { … }`, issue 9 item 6): what a stream inherits, resolved on
 * the AST before the checks and the lowering, so the IR has no trace of them (a map written with
 * `defaults` gives the IR of the same map written out per stream, but for the `loc` spans of the
 * inherited items, which point at the `defaults` text).
 *
 * Inheritance, per item of {@link DEFAULT_ITEMS}:
 * - a stream that does not set the item inherits the default's item whole;
 * - a stream that sets it keeps its own, whole (no merge of `paginate`, `cursor`, `auth`, …),
 *   except `request`: the stream's method, URL and body (or its lack of one) win; its headers and
 *   query parameters are added after the default request's, and a default header or query
 *   parameter that the stream also sets (header names compared case-insensitively, as HTTP does,
 *   query names exactly) is left out. A header such as `Accept` shared by every endpoint is then
 *   written once, while each stream names its own path.
 *
 * The first `defaults` block counts; a second is an error (E0186, {@link defaultsDiagnostics}).
 *
 * @module
 */
import {
  DEFAULT_ITEM_KEYWORDS,
  DEFAULT_ITEMS,
  type DefaultItem,
  type DefaultsDecl,
  type MapFile,
  type RequestNode,
  type RequestParam,
  type Span,
  type StreamDecl,
} from '../dsl/ast.ts';
import { diagnostic, type Diagnostic } from '../dsl/diagnostics.ts';

/** The `defaults` block that counts: the first one, if any. */
export function defaultsOf(file: MapFile): DefaultsDecl | undefined {
  return file.declarations.find((d): d is DefaultsDecl => d.kind === 'Defaults');
}

/**
 * `file` with every stream's inherited items filled in and every `defaults` block removed from
 * its declarations (so the checks walk each inherited item once per stream that inherits it, in
 * that stream's context). A file without `defaults` is returned as is.
 */
export function resolveDefaults(file: MapFile): MapFile {
  const defaults = defaultsOf(file);
  if (defaults === undefined) return file;
  const declarations = file.declarations
    .filter((d) => d.kind !== 'Defaults')
    .map((d) => (d.kind === 'Stream' ? inherit(d, defaults) : d));
  return { ...file, declarations };
}

function inherit(stream: StreamDecl, defaults: DefaultsDecl): StreamDecl {
  const out: { -readonly [K in keyof StreamDecl]: StreamDecl[K] } = { ...stream };
  for (const item of DEFAULT_ITEMS) {
    const given = defaults[item];
    if (given === undefined) continue;
    if (item === 'request' && stream.request !== undefined) {
      out.request = mergeRequest(defaults.request!, stream.request);
      continue;
    }
    if (stream[item] === undefined) (out as Record<DefaultItem, unknown>)[item] = given;
  }
  return out;
}

/** The stream's request over the default's (see the module doc). */
export function mergeRequest(base: RequestNode, own: RequestNode): RequestNode {
  return {
    ...own,
    headers: mergeParams(base.headers, own.headers, (name) => name.toLowerCase()),
    query: mergeParams(base.query, own.query, (name) => name),
  };
}

function mergeParams(
  base: readonly RequestParam[],
  own: readonly RequestParam[],
  key: (name: string) => string,
): RequestParam[] {
  const overridden = new Set(own.map((p) => key(p.name.value)));
  return [...base.filter((p) => !overridden.has(key(p.name.value))), ...own];
}

/**
 * What is wrong with the file's `defaults` blocks: a second block (E0186), an item a default
 * cannot be (E0187: `map`, `record`, `title`, `description`, `dataset`: what a stream is and
 * writes is its own), and a default that no stream inherits (W0188: every stream sets that item
 * itself, or there is no stream). A default `request` always counts as inherited when a stream
 * has a request (its headers and query merge).
 */
export function defaultsDiagnostics(file: MapFile): Diagnostic[] {
  const blocks = file.declarations.filter((d): d is DefaultsDecl => d.kind === 'Defaults');
  const [first, ...again] = blocks;
  if (first === undefined) return [];
  const out: Diagnostic[] = again.map((d) =>
    diagnostic(
      'E0186',
      'error',
      'a map has one defaults block',
      { span: d.keywordLoc, message: 'second defaults block' },
      {
        secondary: [{ span: first.keywordLoc, message: 'first defaults block' }],
        notes: ['help: move these items into the first defaults block'],
      },
    ),
  );
  for (const d of blocks) {
    for (const item of d.refused) {
      out.push(
        diagnostic(
          'E0187',
          'error',
          `"${item.value}" cannot be a default: each stream gives its own`,
          { span: item.loc, message: 'not a default item' },
          {
            notes: [
              `help: a defaults block holds ${DEFAULT_ITEMS.map((i) => DEFAULT_ITEM_KEYWORDS[i]).join(', ')}; move "${item.value}" into each stream`,
            ],
          },
        ),
      );
    }
  }
  const streams = file.declarations.filter((d): d is StreamDecl => d.kind === 'Stream');
  for (const item of DEFAULT_ITEMS) {
    const given = first[item];
    if (given === undefined) continue;
    if (streams.some((s) => s[item] === undefined || item === 'request')) continue;
    const keyword = DEFAULT_ITEM_KEYWORDS[item];
    out.push(
      diagnostic(
        'W0188',
        'warning',
        `no stream inherits the default "${keyword}"`,
        { span: keywordSpan(given.loc, keyword), message: 'never inherited' },
        {
          notes: [
            streams.length === 0
              ? 'note: the map has no stream'
              : `note: every stream sets its own "${keyword}"; remove the default or the streams' own items`,
          ],
        },
      ),
    );
  }
  return out;
}

/** The span of an item's leading keyword (every stream item starts with its keyword). */
function keywordSpan(item: Span, keyword: string): Span {
  return { ...item, length: keyword.length };
}
