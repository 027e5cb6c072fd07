/**
 * Config tokens through the real parser in one batch: strings as attribute values, hash keys,
 * conditional operands, field references as selectors, regex literals and comment lines are laid
 * out in one pipeline in `mustache format`'s layout; `mustache format` must print the file back
 * unchanged (so it read every token as one token of that kind, with that text), and the file is
 * then read back with ./parse.ts to give each token's content.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MUSTACHE, MUSTACHE_MISSING } from '../../emulated/logstash/support.ts';
import { parseConfig } from '../../emulated/logstash/parse.ts';

export interface Tokens {
  /** Quoted strings as written (`"a"`, `'b"'`), used as attribute values, hash keys and operands. */
  readonly strings?: readonly string[];
  /** Field references as written (`[a][b c]`). */
  readonly selectors?: readonly string[];
  /** Regex literal bodies (between the slashes). */
  readonly regexes?: readonly string[];
  /** Comment lines without `# `. */
  readonly comments?: readonly string[];
}

export interface ReadBack {
  readonly values: string[];
  readonly keys: string[];
  readonly operands: string[];
  readonly selectors: string[];
  readonly regexes: string[];
}

/** The pipeline holding every token, in mustache's layout. */
export function tokenConfig(t: Tokens): string {
  const strings = t.strings ?? [];
  const statements: string[][] = [];
  const comments = (t.comments ?? []).map((c) => `  # ${c}`);
  const plugin =
    strings.length === 0
      ? ['  t {}']
      : [
          '  t {',
          ...strings.map((s, i) => `    s${i} => ${s}`),
          '    h => {',
          ...strings.map((s) => `      ${s} => "v"`),
          '    }',
          '  }',
        ];
  statements.push([...comments, ...plugin]);
  for (const s of strings) statements.push([`  if [o] == ${s} {`, '    drop {}', '  }']);
  for (const s of t.selectors ?? []) statements.push([`  if ${s} == "x" {`, '    drop {}', '  }']);
  for (const r of t.regexes ?? []) statements.push([`  if [o] =~ /${r}/ {`, '    drop {}', '  }']);
  return ['filter {', statements.map((s) => s.join('\n')).join('\n\n'), '}', ''].join('\n');
}

/** Runs `mustache format` on `text`; returns its output, or throws with its error. */
export function mustacheFormat(text: string): string {
  return mustacheFormatFiles([text]);
}

/**
 * Runs one `mustache format` over several files (it prints each formatted file in turn, so the
 * output of files already in its format is their concatenation).
 */
export function mustacheFormatFiles(texts: readonly string[]): string {
  if (!existsSync(MUSTACHE)) throw new Error(MUSTACHE_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'mapc-ls-tokens-'));
  try {
    const files = texts.map((text, i) => {
      const file = join(dir, `f${String(i).padStart(5, '0')}.conf`);
      writeFileSync(file, text);
      return file;
    });
    const run = spawnSync(MUSTACHE, ['format', ...files], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (run.status !== 0) throw new Error(`mustache format failed: ${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What ./parse.ts reads back from a {@link tokenConfig} file. */
export function readTokens(text: string): ReadBack {
  const [section] = parseConfig(text).sections;
  const body = section?.body ?? [];
  const out: ReadBack = { values: [], keys: [], operands: [], selectors: [], regexes: [] };
  for (const s of body) {
    if (s.kind === 'plugin') {
      for (const a of s.attributes) {
        if (a.value.kind === 'string') out.values.push(a.value.text);
        if (a.value.kind === 'hash') for (const e of a.value.entries) out.keys.push(e.key);
      }
      continue;
    }
    const c = s.branches[0]?.condition;
    if (c?.kind === 'compare' && c.left.kind === 'field' && c.left.ref === '[o]' && c.right.kind === 'string')
      out.operands.push(c.right.text);
    else if (c?.kind === 'compare' && c.left.kind === 'field') out.selectors.push(c.left.ref);
    else if (c?.kind === 'match') out.regexes.push(c.right.source);
  }
  return out;
}

/** The first line where `b` differs from `a`, with two lines of context, for a failure message. */
export function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i])
      return `line ${i + 1}: ${JSON.stringify(x.slice(Math.max(0, i - 2), i + 3))} became ${JSON.stringify(y.slice(Math.max(0, i - 2), i + 3))}`;
  }
  return 'no difference';
}
