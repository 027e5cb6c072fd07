/**
 * The Logstash injection suite (issue 7): every string position of the map grammar
 * (./positions.ts) × the hostile corpus (./corpus.ts), compiled with `compileSource` and the Logstash
 * backend. Each case must end in one of two ways:
 *
 * - an error diagnostic on the literal's line (the checks, or the backend's E0600/E0602/E0603), and
 *   nothing else; or
 * - output in which the text lands byte-exact where the position's marker lands and nothing else
 *   changed: the pipelines, read back (test/emulated/logstash/parse.ts, and `mustache format` for
 *   every distinct token and a sample of whole files, batched), have the shape of the baseline's,
 *   each string equals the baseline's with the hostile text for the marker, no string holds a
 *   `${NAME}` Logstash would substitute or (where a plugin formats it) a `%{...}` sprintf would
 *   replace beyond the baseline's own (test/emulated/logstash/interpolation.ts, from the Logstash
 *   sources), comments stay comments, the README keeps its Markdown structure (markdown-it), and the
 *   filters run by the evaluator on a record using the hostile names give the reference
 *   interpreter's document and id, with no secret or environment value in them.
 *
 * CI runs every hostile string of `CORE_HOSTILE` at the positions whose text reaches a pipeline
 * string, every 4th where it reaches only comments and the README, every 8th where it reaches no
 * Logstash file (which must then equal the baseline's); `MAPC_FUZZ_FULL=1` runs `HOSTILE_STRINGS`
 * at every position. The figures are printed.
 *
 * @module
 */
import MarkdownIt from 'markdown-it';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { defaultSettings, mapRecord } from '../../compiler/interpret/index.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import type { GeneratedFile } from '../../targets/contract.ts';
import { logstashBackend, pipelineFile } from '../../targets/logstash/index.ts';
import type { Plain, Statement, Value, Condition, Rvalue } from '../../targets/logstash/model.ts';
import { gsubLiteral, quoted } from '../../targets/logstash/quote.ts';
import { runPipeline } from '../emulated/logstash/support.ts';
import { parseConfig } from '../emulated/logstash/parse.ts';
import {
  expandWhole,
  parseFieldReference,
  placeholders,
  sprintfParts,
  type SprintfPart,
} from '../emulated/logstash/interpolation.ts';
import {
  firstDifference,
  mustacheFormat,
  mustacheFormatFiles,
  readTokens,
  tokenConfig,
} from '../engines/mustache/tokens.ts';
import { CORE_HOSTILE, HOSTILE_STRINGS } from './corpus.ts';
import { placeAt, POSITIONS, streamOf, type Position } from './positions.ts';

const FULL = process.env['MAPC_FUZZ_FULL'] === '1';
const CORPUS = FULL ? HOSTILE_STRINGS : CORE_HOSTILE;
const MARK = 'zqxjkv';
/** A position's cases run in one test: the full corpus needs more than the default bound. */
const TIMEOUT = FULL ? 3_600_000 : 300_000;
const FILE = 'hostile.map';

/** A value for every variable a pipeline may name, so that a leaked one shows in the output. */
const SENTINEL = 'SENTINEL-VALUE-';
function environment(ir: IntegrationIR): Record<string, string> {
  const names = [
    ...ir.settings.map((s) => s.envVar),
    ...ir.secrets.map((s) => s.envVar),
    'INJ_API_KEY',
    'HOME',
    'x',
    'a',
    'message',
  ];
  return Object.fromEntries(names.map((n) => [n, `${SENTINEL}${n}`]));
}

// ---------------------------------------------------------------------------------------------
// Where Logstash formats an option (the plugin sources, as in targets/logstash/quote.ts module doc 3)
// ---------------------------------------------------------------------------------------------

type Slot = 'value' | 'key' | 'item';
function formatted(plugin: string, attribute: string, slot: Slot, index = 0, text = ''): boolean {
  if (attribute === 'add_field') return slot !== 'item';
  if (attribute === 'remove_field' || attribute === 'add_tag' || attribute === 'remove_tag') return slot === 'item';
  switch (plugin) {
    case 'mutate':
      if (attribute === 'replace' || attribute === 'update' || attribute === 'coerce') return slot === 'value';
      if (attribute === 'rename') return true;
      if (attribute === 'gsub') return index % 3 === 2 || (index % 3 === 1 && text.includes('%{'));
      return false;
    case 'translate':
      return attribute === 'fallback';
    case 'elasticsearch':
      return attribute === 'index' || attribute === 'document_id';
    case 'date':
      return attribute === 'timezone';
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing a hostile pipeline with its baseline
// ---------------------------------------------------------------------------------------------

/** The distinct tokens of hostile output, for the batched mustache run. */
const TOKENS = { strings: new Set<string>(), selectors: new Set<string>(), comments: new Set<string>() };

class Mismatch extends Error {}

interface Compare {
  /** The baseline text with the hostile text where the marker lands. */
  readonly land: (s: string) => string;
}

/**
 * An `extract` pattern's Regexp, built from code points (targets/logstash/quote.ts
 * `rubyRegexCodePoints`): the hostile text never lands as text, only as decimal numbers, so the
 * option holds nothing Logstash could read (what the pattern means is checked by running the
 * pipeline against the interpreter below).
 */
const EXTRACT_INIT = /^@mapc_re = Regexp\.new\(\[[0-9]+(?:, [0-9]+)*\]\.pack\('U\*'\)\)$/;

/**
 * A list table's strings reach Logstash joined by a separator none of them holds, which
 * `mutate split` cuts again (docs/language.md "Lookup tables": `|`, else `,`, `;`, `#`, `~`, `^`,
 * `!`). The position's list is `[TEXT, "other"]` (./positions.ts): where the hostile text holds
 * `|`, the join and the split option use the next candidate it does not hold. The landing
 * replaces the text and, in the joined value and the split option, the separator.
 */
const LIST_SEPARATORS = ['|', ',', ';', '#', '~', '^', '!'];
function listTableLanding(p: Position, text: string, h: string): ((s: string) => string) | undefined {
  if (p.name !== 'table.list.value') return undefined;
  const sep = LIST_SEPARATORS.find((c) => !h.includes(c) && !'other'.includes(c));
  if (sep === undefined) return undefined;
  return (s) => (s === '|' ? sep : s.split(`${text}|other`).join(`${h}${sep}other`).split(text).join(h));
}

/**
 * A `kv` separator reaches the pipeline only as its kv filter's split pattern, each character in a
 * one-character class (targets/logstash/quote.ts `gsubLiteral`; in the guard's regex literal too,
 * which is not compared here: what it means is checked by running the pipeline against the
 * interpreter below). Every other string stays the baseline's.
 */
function kvLanding(p: Position, text: string, h: string): ((s: string) => string) | undefined {
  if (p.name !== 'rule.kv.field_separator' && p.name !== 'rule.kv.value_separator') return undefined;
  return (s) => (s === gsubLiteral(text) ? gsubLiteral(h) : s);
}

function sameText(c: Compare, base: string, hostile: string, where: string): void {
  if (EXTRACT_INIT.test(base) && EXTRACT_INIT.test(hostile)) return;
  if (c.land(base) !== hostile)
    throw new Mismatch(`${where}: ${JSON.stringify(hostile.slice(0, 120))} is not the baseline's with the text landed`);
}

function refs(parts: readonly SprintfPart[]): string[] {
  return parts.filter((p) => p.kind !== 'text').map((p) => JSON.stringify(p));
}

/** A plugin option string: lands, and holds no `${NAME}` or (where formatted) `%{...}` of the hostile text's. */
function option(c: Compare, base: string, hostile: string, where: string, isFormatted: boolean): void {
  sameText(c, base, hostile, where);
  const mapped = placeholders(base).map(([s, e]) => c.land(base.slice(s, e)));
  const found = placeholders(hostile).map(([s, e]) => hostile.slice(s, e));
  if (JSON.stringify(found) !== JSON.stringify(mapped))
    throw new Mismatch(`${where}: \${...} ${JSON.stringify(found)}`);
  if (isFormatted) {
    const want = refs(sprintfParts(base)).map(c.land);
    const got = refs(sprintfParts(hostile));
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Mismatch(`${where}: sprintf ${got.join(' ')}`);
  }
  if (hostile !== base) TOKENS.strings.add(quoted(hostile as never));
}

function value(c: Compare, plugin: string, attribute: string, b: Value<Plain>, h: Value<Plain>, where: string): void {
  if (b.kind !== h.kind) throw new Mismatch(`${where}: ${h.kind} for ${b.kind}`);
  switch (b.kind) {
    case 'string':
      return option(c, b.text, (h as typeof b).text, where, formatted(plugin, attribute, 'value'));
    case 'number':
    case 'bareword':
      if (JSON.stringify(b) !== JSON.stringify(h)) throw new Mismatch(`${where}: ${JSON.stringify(h)}`);
      return;
    case 'array': {
      const items = (h as typeof b).items;
      if (items.length !== b.items.length) throw new Mismatch(`${where}: ${items.length} items`);
      b.items.forEach((item, i) => {
        const hi = items[i] as Value<Plain>;
        if (item.kind === 'string' && hi.kind === 'string')
          option(c, item.text, hi.text, `${where}[${i}]`, formatted(plugin, attribute, 'item', i, hi.text));
        else value(c, plugin, attribute, item, hi, `${where}[${i}]`);
      });
      return;
    }
    case 'hash': {
      const entries = (h as typeof b).entries;
      if (entries.length !== b.entries.length) throw new Mismatch(`${where}: ${entries.length} entries`);
      b.entries.forEach((e, i) => {
        const he = entries[i] as (typeof entries)[number];
        // Keys are not substituted (deep_replace rewrites values); some plugins format them.
        if (formatted(plugin, attribute, 'key')) option(c, e.key, he.key, `${where} key`, true);
        else sameText(c, e.key, he.key, `${where} key`);
        if (he.key !== e.key) TOKENS.strings.add(quoted(he.key as never));
        value(c, plugin, attribute, e.value, he.value, `${where}.${e.key}`);
      });
      return;
    }
    case 'plugin':
      throw new Mismatch(`${where}: nested plugin`);
  }
}

function rvalue(c: Compare, b: Rvalue<Plain>, h: Rvalue<Plain>, where: string): void {
  if (b.kind !== h.kind) throw new Mismatch(`${where}: ${h.kind} for ${b.kind}`);
  switch (b.kind) {
    case 'field': {
      const ref = (h as typeof b).ref;
      sameText(c, b.ref, ref, where);
      parseFieldReference(ref); // Logstash 8 refuses an illegal reference
      if (ref !== b.ref) TOKENS.selectors.add(ref);
      return;
    }
    case 'string': {
      const text = (h as typeof b).text;
      sameText(c, b.text, text, where);
      // ExpressionSubstitution: a whole-string placeholder is replaced (elastic/logstash#13608).
      if (
        expandWhole(b.text, { env: {} }) === b.text &&
        placeholders(text).some(([s, e]) => s === 0 && e === text.length)
      )
        throw new Mismatch(`${where}: conditional operand ${JSON.stringify(text)} is a placeholder`);
      if (text !== b.text) TOKENS.strings.add(quoted(text as never));
      return;
    }
    case 'number':
    case 'regex':
      // Regex literals are neither substituted nor formatted; a date pattern lands transformed by regexChars.
      if (b.kind === 'number' && JSON.stringify(b) !== JSON.stringify(h)) throw new Mismatch(where);
      return;
  }
}

function condition(c: Compare, b: Condition<Plain>, h: Condition<Plain>, where: string): void {
  if (b.kind !== h.kind) throw new Mismatch(`${where}: ${h.kind} for ${b.kind}`);
  switch (b.kind) {
    case 'truthy':
      return rvalue(c, b.field, (h as typeof b).field, where);
    case 'compare':
    case 'match':
    case 'in': {
      const hh = h as typeof b;
      if (hh.op !== b.op) throw new Mismatch(`${where}: ${hh.op}`);
      rvalue(c, b.left, hh.left, where);
      return rvalue(c, b.right, hh.right, where);
    }
    case 'not':
      return condition(c, b.condition, (h as typeof b).condition, where);
    case 'and':
    case 'or': {
      const hc = (h as typeof b).conditions;
      if (hc.length !== b.conditions.length) throw new Mismatch(`${where}: ${hc.length} conditions`);
      b.conditions.forEach((x, i) => condition(c, x, hc[i] as Condition<Plain>, where));
    }
  }
}

function statements(c: Compare, b: readonly Statement<Plain>[], h: readonly Statement<Plain>[], where: string): void {
  if (b.length !== h.length) throw new Mismatch(`${where}: ${h.length} statements for ${b.length}`);
  // An explicit stack: the comparison does not recurse on the pipeline's length.
  const work: [readonly Statement<Plain>[], readonly Statement<Plain>[], string][] = [[b, h, where]];
  for (let next = work.pop(); next; next = work.pop()) {
    const [bs, hs, w] = next;
    if (bs.length !== hs.length) throw new Mismatch(`${w}: ${hs.length} statements for ${bs.length}`);
    bs.forEach((s, i) => {
      const t = hs[i] as Statement<Plain>;
      const at = `${w}/${i}`;
      if (s.kind !== t.kind) throw new Mismatch(`${at}: ${t.kind} for ${s.kind}`);
      if (s.kind === 'plugin') {
        const p = t as typeof s;
        if (p.name !== s.name || p.attributes.map((a) => a.name).join() !== s.attributes.map((a) => a.name).join())
          throw new Mismatch(`${at}: plugin ${p.name} ${p.attributes.map((a) => a.name).join()}`);
        s.attributes.forEach((a, k) =>
          value(c, s.name, a.name, a.value, p.attributes[k]!.value, `${at} ${s.name}.${a.name}`),
        );
        return;
      }
      const u = t as typeof s;
      if (u.branches.length !== s.branches.length || !u.otherwise !== !s.otherwise)
        throw new Mismatch(`${at}: branches`);
      s.branches.forEach((br, k) => {
        condition(c, br.condition, u.branches[k]!.condition, `${at} if`);
        work.push([br.body, u.branches[k]!.body, `${at}.${k}`]);
      });
      if (s.otherwise) work.push([s.otherwise, u.otherwise!, `${at}.else`]);
    });
  }
}

/** Comment lines of a config: one line each, with no character the baseline's line lacks but commentText's. */
function comments(base: string, hostile: string, where: string): void {
  const lines = (t: string) => t.split('\n').filter((l) => l.trimStart().startsWith('#'));
  const [bl, hl] = [lines(base), lines(hostile)];
  if (bl.length !== hl.length) throw new Mismatch(`${where}: ${hl.length} comment lines for ${bl.length}`);
  const keep = /^[\p{L}\p{M}\p{N} !"#&'()*+,\-./:;<=>?@[\]^_|~…]$/u;
  hl.forEach((l, i) => {
    for (const ch of l)
      if (!keep.test(ch) && !(bl[i] as string).includes(ch))
        throw new Mismatch(`${where}: comment ${JSON.stringify(l)}`);
    if (l !== bl[i]) TOKENS.comments.add(l.trimStart().slice(2));
  });
}

const markdown = new MarkdownIt();
function readme(base: string, hostile: string): void {
  // Block tokens and the structure inside their inline content (links, emphasis, HTML, breaks, ...):
  // text, and a name as a code span or as escaped text, are content, not structure.
  const shape = (t: string) =>
    markdown
      .parse(t, {})
      .map((tok) => {
        const structure = (tok.children ?? []).map((x) => x.type).filter((x) => x !== 'text' && x !== 'code_inline');
        return `${tok.type}(${structure.join(',')})`;
      })
      .join(' ');
  if (shape(base) !== shape(hostile)) throw new Mismatch('README.md: its Markdown structure changed');
}

// ---------------------------------------------------------------------------------------------
// One case
// ---------------------------------------------------------------------------------------------

type Outcome = 'checks' | 'E0600' | 'E0602' | 'E0603' | 'emitted';

interface Baseline {
  readonly text: string;
  readonly ir: IntegrationIR;
  readonly files: readonly GeneratedFile[];
  readonly parsed: ReadonlyMap<string, ReturnType<typeof parseConfig>>;
  /** Lines of the map where the position's literal is written. */
  readonly lines: ReadonlySet<number>;
  readonly reach: 'config' | 'prose' | 'none';
}

function baseline(p: Position): Baseline {
  const marked = placeAt(p.name, MARK);
  const lines = new Set(
    marked.map
      .split('\n')
      .map((l, i) => (l.includes(MARK) ? i + 1 : 0))
      .filter((n) => n > 0),
  );
  const text = compileSource(marked.map, FILE).ir ? MARK : p.benign;
  const ir = compileSource(placeAt(p.name, text).map, FILE).ir;
  if (!ir) throw new Error(`${p.name}: the baseline does not compile`);
  const out = logstashBackend.emit(ir, {});
  expect(
    out.diagnostics.filter((d) => d.severity === 'error'),
    p.name,
  ).toEqual([]);
  const parsed = new Map(
    out.files.filter((f) => f.path.endsWith('.conf')).map((f) => [f.path, parseConfig(f.content)]),
  );
  const inConfig = out.files.some(
    (f) =>
      f.path.endsWith('.conf') && f.content.split('\n').some((l) => l.includes(text) && !l.trimStart().startsWith('#')),
  );
  const reach = inConfig ? 'config' : out.files.some((f) => f.content.includes(text)) ? 'prose' : 'none';
  return { text, ir, files: out.files, parsed, lines, reach };
}

/** The record of the position's stream (./positions.ts `streamOf`), its names and values taken from the map as placed. */
function streamRecord(p: Position, h: string): string {
  const at = (name: string) => (name === p.name ? h : (POSITIONS.find((x) => x.name === name)?.benign ?? ''));
  if (streamOf(p.name) === 'logins')
    return JSON.stringify({ time: '2024-05-06T07:08:09Z', meta: { [at('map.id_raw.segment')]: 'vendor-id-1' } });
  return JSON.stringify({
    [at('cursor.segment')]: '2024-05-06T07:08:09.123456Z',
    kind: p.name === 'table.default' ? 'NO-SUCH-KEY' : at('table.key'),
    // The text the extract pattern's group was placed in, after its prefix: a match when the
    // hostile text is literal text of the regex subset.
    note: p.name === 'rule.extract.pattern' ? `code=${h}` : 'a note',
    [at('rule.source.segment')]: 'actor',
    [at('map.id.segment')]: 'id-1',
    [at('map.remove.segment')]: 'to remove',
    [at('map.remove_when.segment')]: 'removed when status is ok',
    [at('rule.destination.segment')]: 'kept',
    // Every condition position tests `status`: the hostile text there makes its condition hold.
    status:
      p.name.startsWith('rule.condition.') || p.name === 'map.remove_when.literal' ? h : at('rule.condition.literal'),
    day: '06/05/2024',
    // `targets[KEY == LITERAL].REST`: an element that misses, then the one the selection reads.
    targets: [
      'x',
      { [at('rule.select.key')]: 'Other', [at('rule.select.rest')]: 'no' },
      { [at('rule.select.key')]: at('rule.select.literal'), [at('rule.select.rest')]: 'picked' },
    ],
    // Split on the separator as placed: leading, inner, doubled and trailing occurrences.
    tags: ['', 'a', 'b', '', 'c', ''].join(at('rule.split.separator')),
    // Pairs on the kv separators as placed: parsed whatever (allowed) separators they are.
    pairs: [
      `a${at('rule.kv.value_separator')}1`,
      `b${at('rule.kv.value_separator')}x`,
      `a${at('rule.kv.value_separator')}2`,
    ].join(at('rule.kv.field_separator')),
  });
}

function runCase(p: Position, base: Baseline, h: string, sample: (conf: string) => void): Outcome {
  const placed = placeAt(p.name, h);
  const compiled = compileSource(placed.map, FILE);
  const onLiteral = (ds: readonly Diagnostic[], who: string) => {
    const errors = ds.filter((d) => d.severity === 'error');
    for (const d of errors)
      if (!base.lines.has(d.primary.span.line))
        throw new Mismatch(
          `${who} ${d.code} at line ${d.primary.span.line}, not the literal's (${[...base.lines].join(', ')}): ${d.message}`,
        );
    return errors;
  };
  if (onLiteral(compiled.diagnostics, 'checks').length > 0 || !compiled.ir) return 'checks';
  const out = logstashBackend.emit(compiled.ir, {});
  const errors = onLiteral(out.diagnostics, 'logstash');
  if (errors.length > 0) return errors[0]!.code as Outcome;

  const c: Compare = {
    land: listTableLanding(p, base.text, h) ?? kvLanding(p, base.text, h) ?? ((s) => s.split(base.text).join(h)),
  };
  if (out.files.map((f) => f.path).join() !== base.files.map((f) => f.path).join())
    throw new Mismatch('the file set changed');
  out.files.forEach((f, i) => {
    const b = base.files[i]!;
    if (f.content === b.content) return;
    if (f.path.endsWith('.conf')) {
      const parsed = parseConfig(f.content);
      const bp = base.parsed.get(f.path)!;
      if (parsed.sections.map((s) => s.kind).join() !== bp.sections.map((s) => s.kind).join())
        throw new Mismatch(`${f.path}: sections`);
      bp.sections.forEach((s, k) => statements(c, s.body, parsed.sections[k]!.body, `${f.path} ${s.kind}`));
      comments(b.content, f.content, f.path);
      sample(f.content);
    } else if (f.path === 'README.md') readme(b.content, f.content);
    else if (f.path.endsWith('.yml')) expect(yaml.load(f.content)).toEqual(yaml.load(b.content));
    else throw new Mismatch(`${f.path} changed`);
  });

  // The filters on a record that uses the hostile names: the interpreter's document, no leaked value.
  const stream = compiled.ir.streams.find((s) => s.name === streamOf(p.name))!;
  const conf = out.files.find((f) => f.path === pipelineFile(compiled.ir!, stream))!.content;
  const message = streamRecord(p, h);
  const got = runPipeline(conf, message, environment(compiled.ir));
  const want = mapRecord(stream, message, defaultSettings(compiled.ir));
  const expectedDoc = want.id === undefined ? { doc: want.doc } : { _id: want.id, doc: want.doc };
  if (JSON.stringify(got).includes(SENTINEL))
    throw new Mismatch(`a variable's value reached the output: ${JSON.stringify(got).slice(0, 200)}`);
  expect(got, `${p.name} ${JSON.stringify(h)}`).toEqual(expectedDoc);
  return 'emitted';
}

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

const figures: string[] = [];
const failures: string[] = [];
const sampleFiles: string[] = [];

describe(`Logstash injection suite: ${POSITIONS.length} positions × ${FULL ? 'HOSTILE_STRINGS' : 'CORE_HOSTILE'} (${CORPUS.length})`, () => {
  for (const p of POSITIONS) {
    it(
      `${p.name}: refused on the literal's line, or carried byte-exact with nothing live`,
      () => {
        const base = baseline(p);
        const step = FULL || base.reach === 'config' ? 1 : base.reach === 'prose' ? 4 : 8;
        const counts: Record<Outcome, number> = { checks: 0, E0600: 0, E0602: 0, E0603: 0, emitted: 0 };
        const mine: string[] = [];
        // Up to 8 whole pipelines of each position go through mustache.
        let sampled = 0;
        const sample = (conf: string) => {
          if (sampled < 8 && counts.emitted % 16 === 0) {
            sampleFiles.push(conf);
            sampled++;
          }
        };
        CORPUS.forEach((h, i) => {
          if (i % step !== 0) return;
          try {
            counts[runCase(p, base, h, sample)]++;
          } catch (e) {
            mine.push(`${p.name} ${JSON.stringify(h.slice(0, 80))}: ${(e as Error).message.split('\n')[0]}`);
          }
        });
        const total = Object.values(counts).reduce((a, b) => a + b, 0) + mine.length;
        figures.push(
          `${p.name.padEnd(24)} ${base.reach.padEnd(6)} cases ${String(total).padStart(5)}  checks ${counts.checks}  ` +
            `E0600 ${counts.E0600}  E0602 ${counts.E0602}  E0603 ${counts.E0603}  emitted+verified ${counts.emitted}  failures ${mine.length}`,
        );
        failures.push(...mine);
        expect(mine.slice(0, 10)).toEqual([]);
      },
      TIMEOUT,
    );
  }

  it(
    'mustache reads every distinct hostile token, and a sample of whole pipelines, as generated',
    () => {
      const strings = [...TOKENS.strings];
      const selectors = [...TOKENS.selectors];
      const commentLines = [...TOKENS.comments];
      // Batches of a bounded size: mustache's parser is slow on very large files.
      for (let i = 0; i < Math.max(strings.length, selectors.length, commentLines.length); i += 3000) {
        const part = {
          strings: strings.slice(i, i + 3000),
          selectors: selectors.slice(i, i + 3000),
          comments: commentLines.slice(i, i + 3000),
        };
        const conf = tokenConfig(part);
        const formatted = mustacheFormat(conf);
        expect(formatted, firstDifference(conf, formatted)).toBe(conf);
        expect(readTokens(conf).selectors).toEqual(part.selectors);
      }
      // Whole pipelines, each its own file in one run.
      const whole = sampleFiles.join('');
      const formatted = mustacheFormatFiles(sampleFiles);
      expect(formatted, firstDifference(whole, formatted)).toBe(whole);
      console.log(
        [
          `Logstash injection suite (${FULL ? 'HOSTILE_STRINGS' : 'CORE_HOSTILE'}, ${CORPUS.length} strings):`,
          ...figures,
          `mustache: ${strings.length} strings, ${selectors.length} field references, ${commentLines.length} comment lines, ${sampleFiles.length} whole pipelines`,
          `failures (working injections or misplaced refusals): ${failures.length}`,
        ].join('\n'),
      );
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );
});
