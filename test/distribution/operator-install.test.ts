/**
 * The generated Vector and Logstash READMEs' install steps, followed in a temporary root: the
 * shell blocks of their "Install" section run as written, with every absolute path under
 * `/etc`, `/usr` and `/var` moved into the temporary root and the `-o user -g group` of
 * `install` left out (the service users do not exist here; the test checks that the steps name
 * them). The steps a person does by hand (filling in the secrets and settings) are done by the
 * test. Then the collection the service would start runs once against the mock API, the way the
 * engine starts it: Vector's exec source (its `command`, its `environment` with the
 * `SECRET[...]` of the installed secrets file, the service's environment file) and Logstash's
 * exec input (its `command` through `sh -c`, the service's environment file). Every fixture
 * record must come out, and the cursor must land in the state directory the README gives.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { buildSingle } from '../../scripts/build.ts';
import { envFor } from '../collector/harness.ts';
import { loadScenario } from '../mock-api/scenario.ts';
import { startMockApi } from '../mock-api/server.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { REPO, run, tempProject } from './support.ts';

const BACKFILL = '2024-11-01T00:00:00Z';

/** The shell blocks of the README's "Install" section, in order, without their indentation. */
function installBlocks(readme: string): string[] {
  const section = /^## Install\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/^( *)```sh\n([\s\S]*?)^ *```$/gm)].map(([, indent, body]) =>
    body!
      .split('\n')
      .map((l) => l.slice(indent!.length))
      .join('\n'),
  );
}

/** `text` with each absolute path under /etc, /usr or /var moved under `root`. */
const reroot = (text: string, root: string): string => text.replace(/(^|[\s'"])(\/(?:etc|usr|var)\/)/g, `$1${root}$2`);

/** A systemd `EnvironmentFile`: `NAME=value` lines; comments and blank lines skipped. */
function environmentFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

/** `lines` (NAME=value) with the given values set. */
function fillIn(text: string, values: Record<string, string>): string {
  return text.replace(/^([A-Za-z_][A-Za-z0-9_]*)=$/gm, (line, name: string) =>
    values[name] !== undefined ? `${name}=${values[name]}` : line,
  );
}

/** Runs the install block in `project`: paths rerooted, owners checked then left out. */
function runInstall(block: string, project: string, root: string): void {
  const script = reroot(block, root).replace(/ -o (\S+) -g \1 /g, ' ');
  // POSIX sh, as the blocks are marked, in a clean environment (no BASH_ENV or rc files).
  const r = spawnSync('sh', ['-eu', '-c', script], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** Runs argv with env until it exits; stdout and stderr as text. */
function runCollector(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A service's PATH in the root: the installed mapc first, then node (the collection host's). */
const servicePath = (root: string): string => `${root}/usr/local/bin:${dirname(process.execPath)}:/usr/bin:/bin`;

const records = (stdout: string): unknown[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);

describe("the generated READMEs' install steps, followed in a temporary root", () => {
  let project: string;
  let ir: IntegrationIR;
  beforeAll(async () => {
    await buildSingle();
    project = tempProject();
    mkdirSync(join(project, 'dist'));
    cpSync(join(REPO, 'dist', 'mapc.mjs'), join(project, 'dist', 'mapc.mjs'));
    const build = run([process.execPath, 'dist/mapc.mjs', 'build', 'maps/enpass.map', '--no-fixtures'], project);
    expect(build.status).toBe(0);
    ir = compileFile(join(REPO, 'maps', 'enpass.map')).ir as IntegrationIR;
  }, 300_000);

  /** A root with what the engine's package provides: /etc/default, the engine's config folder. */
  function packagedRoot(engineConfigDir: string): string {
    const root = mkdtempSync(join(tmpdir(), 'mapc-root-'));
    mkdirSync(join(root, 'etc', 'default'), { recursive: true });
    mkdirSync(join(root, engineConfigDir), { recursive: true });
    return root;
  }

  it('Vector: secrets file, settings, mapc, map and state directory; one collection as the exec source runs it', async () => {
    const readme = readFileSync(join(project, 'generated', 'enpass', 'vector', 'README.md'), 'utf8');
    const [copy, install, start] = installBlocks(readme);
    expect(start).toContain('systemctl restart vector');
    expect(install).toContain('install -d -o vector -g vector -m 0700 /var/lib/vector\n');
    expect(install).toMatch(/^install -o vector -g vector -m 0600 enpass\.secrets\.json \/etc\/vector\/mapc\//m);
    const root = packagedRoot('etc/vector');
    const scenario = loadScenario('enpass', 'events');
    const api = await startMockApi(scenario);
    try {
      // Step 1, by hand: copy the examples (as written), then fill them in.
      runInstall(copy!, project, root);
      const secretsFile = join(project, 'enpass.secrets.json');
      const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>;
      const filled = { ...secrets, ...envFor(ir, scenario) };
      for (const key of Object.keys(filled)) if (filled[key] === '') filled[key] = `placeholder-${key.toLowerCase()}`;
      writeFileSync(secretsFile, JSON.stringify(filled));
      const envFile = join(project, 'enpass.env');
      writeFileSync(
        envFile,
        fillIn(readFileSync(envFile, 'utf8'), { ENPASS_BASE_URL: api.url, ENPASS_BACKFILL_START: BACKFILL }),
      );
      // Step 2, as written.
      runInstall(install!, project, root);
      expect(statSync(join(root, 'var/lib/vector')).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, 'etc/vector/mapc/enpass.secrets.json')).mode & 0o777).toBe(0o600);
      expect(statSync(join(root, 'usr/local/bin/mapc')).mode & 0o777).toBe(0o755);

      // The service: vector.yaml's exec source, its environment with the secrets resolved by the
      // file backend, and the environment file of the unit.
      const config = yaml.load(readFileSync(join(root, 'etc/vector/vector.yaml'), 'utf8')) as {
        secret: Record<string, { type: string; path: string }>;
        sources: Record<string, { type: string; command: string[]; environment?: Record<string, string> }>;
      };
      const [backend] = Object.entries(config.secret);
      expect(backend![1].type).toBe('file');
      const installedSecrets = JSON.parse(readFileSync(reroot(backend![1].path, root), 'utf8')) as Record<
        string,
        string
      >;
      const exec = Object.values(config.sources).find((s) => s.type === 'exec')!;
      const environment = Object.fromEntries(
        Object.entries(exec.environment ?? {}).map(([k, v]) => {
          const m = /^SECRET\[([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\]$/.exec(v);
          expect(m?.[1]).toBe(backend![0]);
          return [k, installedSecrets[m![2]!]!];
        }),
      );
      const env = { PATH: servicePath(root), ...environmentFile(join(root, 'etc/default/vector')), ...environment };
      const result = await runCollector(
        exec.command.map((w) => reroot(w, root)),
        env,
        root,
      );
      expect(result.stderr).toContain('"collection complete"');
      expect(result.code).toBe(0);
      expect(records(result.stdout)).toEqual(loadFixtureRecords('enpass', 'events'));
      expect(existsSync(join(root, 'var/lib/vector/mapc-enpass-events.json'))).toBe(true);
    } finally {
      await api.close();
    }
  }, 300_000);

  it('Logstash: environment file, mapc, map, pipelines and state directory; one collection as the exec input runs it', async () => {
    const readme = readFileSync(join(project, 'generated', 'enpass', 'logstash', 'README.md'), 'utf8');
    const [variables, install] = installBlocks(readme);
    expect(install).toContain('install -d -o logstash -g logstash -m 0700 /var/lib/mapc\n');
    expect(readme).toContain('3. Start: `systemctl restart logstash`.');
    const root = packagedRoot('etc/logstash');
    writeFileSync(
      join(root, 'etc/logstash/pipelines.yml'),
      '- pipeline.id: main\n  path.config: "/etc/logstash/conf.d/*.conf"\n',
    );
    const scenario = loadScenario('enpass', 'events');
    const api = await startMockApi(scenario);
    try {
      // Step 1, by hand: the variables block, filled in.
      writeFileSync(
        join(project, 'enpass.env'),
        fillIn(variables!, {
          ENPASS_BASE_URL: api.url,
          ENPASS_BACKFILL_START: BACKFILL,
          ELASTICSEARCH_HOSTS: 'https://127.0.0.1:9200',
          ELASTICSEARCH_API_KEY: 'placeholder:key',
          ...envFor(ir, scenario),
        }),
      );
      // Step 2, as written.
      runInstall(install!, project, root);
      expect(statSync(join(root, 'var/lib/mapc')).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, 'etc/default/logstash')).mode & 0o777).toBe(0o600);
      const pipelines = yaml.load(readFileSync(join(root, 'etc/logstash/pipelines.yml'), 'utf8')) as {
        'pipeline.id': string;
        'path.config': string;
      }[];
      expect(pipelines.map((p) => p['pipeline.id'])).toEqual(['main', 'enpass-events']);
      const conf = readFileSync(reroot(pipelines[1]!['path.config'], root), 'utf8');

      // The service: the exec input's command through the shell, with the unit's environment file.
      const command = /exec \{[\s\S]*?command => "((?:[^"\\]|\\.)*)"/.exec(conf)![1]!.replace(/\\(.)/g, '$1');
      const env = { PATH: servicePath(root), ...environmentFile(join(root, 'etc/default/logstash')) };
      const result = await runCollector(['sh', '-c', reroot(command, root)], env, root);
      expect(result.stderr).toContain('"collection complete"');
      expect(result.code).toBe(0);
      expect(records(result.stdout)).toEqual(loadFixtureRecords('enpass', 'events'));
      expect(existsSync(join(root, 'var/lib/mapc/enpass-events.state.json'))).toBe(true);
    } finally {
      await api.close();
    }
  }, 300_000);
});
