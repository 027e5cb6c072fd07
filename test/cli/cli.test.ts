/**
 * The command line itself: `--version`, colour, warning acknowledgements, `build --watch`, and
 * what each command loads (the split bundle's import graph). Commands run in process
 * (test/support/mapc.ts); `--version` and `build --watch` (which stops on a signal) run the real
 * binary.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Metafile } from 'esbuild';
import { colourDiagnostics, colourEnabled, stripColour } from '../../cli/colour.ts';
import { buildSplit } from '../../scripts/build.ts';
import { MAPC_BIN as MAPC, mapcInProcess as mapc, REPO, spawnMapc } from '../support/mapc.ts';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** A project with `maps/entro.map` whose text is `edit(original)`. */
function project(edit: (map: string) => string = (m) => m): string {
  const cwd = mkdtempSync(join(tmpdir(), 'mapc-cli-'));
  mkdirSync(join(cwd, 'maps'));
  writeFileSync(join(cwd, 'maps', 'entro.map'), edit(readFileSync(join(REPO, 'maps', 'entro.map'), 'utf8')));
  return cwd;
}

/** `map` with `text` inserted as a new line after the line starting with `after`. */
function insertAfter(map: string, after: string, text: string): string {
  const lines = map.split('\n');
  const i = lines.findIndex((l) => l.startsWith(after));
  if (i < 0) throw new Error(`no line starting with ${after}`);
  return [...lines.slice(0, i + 1), text, ...lines.slice(i + 1)].join('\n');
}

describe('mapc --version', () => {
  it('prints the version of package.json', async () => {
    for (const flag of ['--version', '-V']) {
      const run = spawnMapc([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${VERSION}\n`);
    }
  });
});

describe('colour', () => {
  it('follows FORCE_COLOR, then NO_COLOR, then whether the stream is a terminal (TERM=dumb: never)', async () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    // https://no-color.org/: an empty NO_COLOR does not count.
    expect(colourEnabled(tty, { NO_COLOR: '' })).toBe(true);
    for (const on of ['1', '2', '3', 'true', ''])
      expect(colourEnabled(pipe, { FORCE_COLOR: on, NO_COLOR: '1' })).toBe(true);
    for (const off of ['0', 'false', 'no']) expect(colourEnabled(tty, { FORCE_COLOR: off })).toBe(false);
  });

  it('only adds escapes: removing them gives back the renderer text exactly', async () => {
    const bad = project((m) => m.replace('event.kind', 'event.knd'));
    const plain = await mapc(['check'], { cwd: bad, env: { ...process.env, FORCE_COLOR: '0' } });
    const coloured = await mapc(['check'], { cwd: bad, env: { ...process.env, FORCE_COLOR: '1' } });
    expect(plain.status).toBe(1);
    expect(plain.stderr).not.toContain('\u001b[');
    expect(coloured.stderr).toContain('\u001b[1m\u001b[31merror[E0100]\u001b[0m');
    expect(stripColour(coloured.stderr)).toBe(plain.stderr);
    // A piped stderr with neither variable set stays plain.
    const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
    expect((await mapc(['check'], { cwd: bad, env })).stderr).toBe(plain.stderr);
  });

  it('never colours a source line, even one that looks like markers', async () => {
    const text = 'warning[W0001]: x\n  --> a.map:2:1\n   |\n 2 | ^^^ -- = note: y\n   | ^^^ here\n   = help: z\n';
    const lines = colourDiagnostics(text).split('\n');
    expect(lines[3]).toBe(`\u001b[1m\u001b[34m 2 |\u001b[0m ^^^ -- = note: y`);
    expect(stripColour(colourDiagnostics(text))).toBe(text);
  });
});

describe('acknowledged warnings (# mapc: allow)', () => {
  const ALL = 'W0420, W0501, W0502, W0601';

  it('in a stream: that stream builds quietly, and the generated READMEs still describe each fallback', async () => {
    const noisy = await mapc(['build', '--out', 'out', '--no-fixtures'], { cwd: project() });
    expect(noisy.stderr.match(/^warning\[/gm)).toHaveLength(5);
    const cwd = project((m) => insertAfter(m, 'stream audit {', `  # mapc: allow ${ALL}`));
    const run = await mapc(['build', '--out', 'out', '--no-fixtures'], { cwd });
    expect(run.status).toBe(0);
    // The Elastic package's placeholder changelog link (W0402) is the package's, outside the stream.
    expect(run.stderr.match(/^warning\[(W\d+)\]/gm)).toEqual(['warning[W0402]']);
    expect(readFileSync(join(cwd, 'out', 'entro', 'vector', 'README.md'), 'utf8')).toContain(
      '### audit: collected by `mapc collect`',
    );
    expect(readFileSync(join(cwd, 'out', 'entro', 'logstash', 'README.md'), 'utf8')).toContain(
      'collected by `mapc collect` (exec input)',
    );
  });

  it('after code on a line: only the warnings whose span starts on that line', async () => {
    const cwd = project((m) =>
      m.replace(
        'request GET "{base_url}/v1/scan/auditLogs" {',
        'request GET "{base_url}/v1/scan/auditLogs" { # mapc: allow W0501',
      ),
    );
    const run = await mapc(['build', '--out', 'out', '--no-fixtures'], { cwd });
    expect(run.status).toBe(0);
    expect(run.stderr.match(/^warning\[(W\d+)\]/gm)).toEqual([
      'warning[W0420]',
      'warning[W0402]',
      'warning[W0502]',
      'warning[W0601]',
    ]);
  });

  it('outside every stream: the whole map', async () => {
    const cwd = project((m) => `# mapc: allow ${ALL}, W0402\n${m}`);
    const run = await mapc(['build', '--out', 'out', '--no-fixtures'], { cwd });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('warning');
  });

  it('naming an error or an unknown code is E0703, and the map is not built', async () => {
    const cwd = project((m) => insertAfter(m, 'stream audit {', '  # mapc: allow W0501 W9999, E0100'));
    const run = await mapc(['build', '--out', 'out', '--no-fixtures'], { cwd });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error[E0703]: W9999 is not a mapc warning code');
    expect(run.stderr).toContain('error[E0703]: E0100 is an error, which cannot be acknowledged');
    expect(run.stderr).toContain('--> maps/entro.map:41:3');
    expect(run.stderr).toContain('maps/entro.map: not built (errors above)');
    const check = await mapc(['check', '--format', 'json'], { cwd });
    expect((JSON.parse(check.stdout) as { code: string }[]).map((d) => d.code)).toEqual(['E0703', 'E0703']);
    // Every command that reads a map (cli/load.ts) reports them and stops.
    for (const args of [['ir'], ['schema'], ['preview', '--input', '-']]) {
      const other = await mapc([...args, 'maps/entro.map'], { cwd });
      expect(other.status, args[0]).toBe(1);
      expect(other.stderr, args[0]).toContain('error[E0703]: W9999 is not a mapc warning code');
      expect(other.stdout, args[0]).toBe('');
    }
  });

  it('a "mapc: allow" inside a string is text, not a comment', async () => {
    const cwd = project((m) => m.replace(/title\s+"[^"]*"/, 'title "# mapc: allow W0501"'));
    const run = await mapc(['build', '--out', 'out', '--no-fixtures'], { cwd });
    expect(run.stderr).toContain('warning[W0501]');
  });
});

describe('mapc build --watch', () => {
  it('builds, rebuilds when a map changes, and stops on SIGINT with the last build’s status', async () => {
    const cwd = project();
    const child = spawn(process.execPath, [MAPC, 'build', '--watch', '--out', 'out', '--no-fixtures'], { cwd });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (count: number): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while ((stderr.match(/built: /g) ?? []).length < count && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect((stderr.match(/built: /g) ?? []).length).toBe(count);
    };
    try {
      await waitFor(1);
      expect(stderr).toMatch(/\] built: ok; watching for changes \(Ctrl-C to stop\)/);
      // An error: the rebuild reports it.
      const map = join(cwd, 'maps', 'entro.map');
      writeFileSync(map, readFileSync(map, 'utf8').replace('event.kind', 'event.knd'));
      await waitFor(2);
      expect(stderr).toContain('error[E0100]');
      expect(stderr).toMatch(/\] built: errors above;/);
      cpSync(join(REPO, 'maps', 'entro.map'), map);
      await waitFor(3);
      expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/\] built: ok;/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});

describe('what each command loads', () => {
  /** Input files reachable from `output` through static imports only. */
  function staticInputs(meta: Metafile, output: string): Set<string> {
    const inputs = new Set<string>();
    const seen = new Set<string>();
    const visit = (out: string): void => {
      if (seen.has(out)) return;
      seen.add(out);
      const o = meta.outputs[out];
      if (!o) return;
      for (const input of Object.keys(o.inputs)) inputs.add(input);
      for (const i of o.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
    };
    visit(output);
    return inputs;
  }

  it('--help loads commander and the command table, no compiler, backend, collector or editor', async () => {
    const { metafile } = await buildSplit();
    const main = Object.keys(metafile.outputs).find((o) => o.endsWith('dist/cli/main.js'));
    expect(main).toBeDefined();
    const loaded = [...staticInputs(metafile, main!)];
    expect(loaded.filter((f) => /^(dsl|compiler|targets|editor)\//.test(f) && f !== 'dsl/bundled.ts')).toEqual([]);
    expect(
      loaded.filter(
        (f) =>
          f.startsWith('collector/') &&
          f !== 'collector/cli.ts' &&
          f !== 'collector/errors.ts' &&
          f !== 'collector/ir-cache.ts',
      ),
    ).toEqual([]);
    expect(loaded.filter((f) => f.includes('node_modules/') && !f.includes('node_modules/commander/'))).toEqual([]);
  });

  it('collect, with the compiled map cached, loads no parser, ECS data or backend', async () => {
    const { metafile } = await buildSplit();
    const collector = Object.keys(metafile.outputs).find((o) => metafile.outputs[o]!.inputs['collector/run.ts']);
    expect(collector).toBeDefined();
    const loaded = [...staticInputs(metafile, collector!)];
    expect(loaded.filter((f) => /chevrotain|@elastic\/ecs|^dsl\/parser|^targets\/|^compiler\/check/.test(f))).toEqual(
      [],
    );
  });
});
