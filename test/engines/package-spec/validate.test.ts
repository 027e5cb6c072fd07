/**
 * Every generated Elastic integration package is valid under Elastic's own package-spec
 * validator (github.com/elastic/package-spec v3, the library `elastic-package lint` runs),
 * with and without the fixture-derived `_dev` test files.
 *
 * elastic-package itself is not served by the Go module proxy reachable here (every version
 * answers 403), so `elastic-package build`/`test` are not run in CI: README "How each target
 * is proven" says so.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { elasticBackend } from '../../../targets/elastic/index.ts';
import type { FixtureCase, GeneratedFile } from '../../../targets/contract.ts';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { listFixtureStreams, loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';
import { runTool } from '../../support/tools.ts';
import { EIGHT_X_MAP } from '../../support/eightx-map.ts';
import { compileSource } from '../../../compiler/compile.ts';
import { readFileSync } from 'node:fs';
import { renameIntegration } from '../../support/rename-integration.ts';
import { withEcsRelease } from '../../support/ecs-release.ts';
import { REPO_ROOT } from '../../support/fixtures.ts';
import { baseMap } from '../../compiler/helpers.ts';

const workDir = mkdtempSync(join(tmpdir(), 'mapc-package-spec-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The fixture cases of every stream of `vendor` that has some. */
function fixturesOf(vendor: string): Map<string, FixtureCase[]> {
  const fixtures = new Map<string, FixtureCase[]>();
  for (const { vendor: v, stream } of listFixtureStreams())
    if (v === vendor) fixtures.set(stream, loadFixtureCases(v, stream));
  return fixtures;
}

/** Emits `ir`'s package (no error diagnostic allowed) into `workDir/<folder>/<name>`; returns that root and its files. */
function emitPackage(
  ir: IntegrationIR,
  folder: string,
  fixtures?: Map<string, FixtureCase[]>,
): { root: string; files: readonly GeneratedFile[] } {
  const { files, diagnostics } = elasticBackend.emit(ir, fixtures ? { fixtures } : {});
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const root = join(workDir, folder, ir.name);
  for (const file of files) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
  }
  return { root, files };
}

/** Runs the validator on `root` and expects it to find the package valid. */
function expectValid(root: string): void {
  const run = runTool('package-spec-validate', [root], { timeoutMs: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`${root}: valid`);
}

function writePackage(vendor: string, withFixtures: boolean): string {
  const ir = loadFixtureIR(vendor);
  return emitPackage(ir, `${withFixtures ? 'with' : 'without'}-fixtures`, withFixtures ? fixturesOf(vendor) : undefined)
    .root;
}

describe('generated Elastic packages pass the package-spec validator', () => {
  const vendors = [...new Set(listFixtureStreams().map((s) => s.vendor))];
  for (const vendor of vendors) {
    for (const withFixtures of [false, true]) {
      it(`${vendor} (${withFixtures ? 'with' : 'without'} _dev tests)`, () => {
        expectValid(writePackage(vendor, withFixtures));
      });
    }
  }

  it('a package offered for 8.x (no 9.x feature emitted: ^8.16.0 || ^9.0.0) is valid', () => {
    const { ir } = compileSource(EIGHT_X_MAP, 'eightx.map');
    const { root, files } = emitPackage(ir!, 'eightx');
    expect(files.find((f) => f.path === 'manifest.yml')!.content).toContain('version: ^8.16.0 || ^9.0.0');
    expectValid(root);
  });

  it.each(['endor_labs', 'enpass', 'entro'])(
    '%s renamed to start with a digit (package name 1%s, as elastic/integrations packages/1password) is valid with its _dev tests',
    (name) => {
      const source = renameIntegration(readFileSync(join(REPO_ROOT, 'maps', `${name}.map`), 'utf8'), name, `1${name}`);
      const { ir } = compileSource(source, `${name}.map`);
      expect(ir?.name).toBe(`1${name}`);
      const { root, files } = emitPackage(ir!, 'digit', fixturesOf(name));
      expect(files.find((f) => f.path === 'manifest.yml')!.content).toMatch(new RegExp(`^name: 1${name}$`, 'm'));
      expectValid(root);
    },
  );

  it('a package with user_agent is valid, its fields/ecs.yml declaring the seven user_agent fields from ECS', () => {
    const { ir } = compileSource(
      baseMap({ rules: '    user_agent.original = ua\n    user_agent user_agent.original' }),
      'ua.map',
    );
    const { root, files } = emitPackage(ir!, 'user-agent');
    const ecs = yaml.load(files.find((f) => f.path.endsWith('fields/ecs.yml'))!.content) as { name: string }[];
    expect(ecs.map((f) => f.name).filter((n) => n.startsWith('user_agent.'))).toEqual([
      'user_agent.device.name',
      'user_agent.name',
      'user_agent.original',
      'user_agent.os.full',
      'user_agent.os.name',
      'user_agent.os.version',
      'user_agent.version',
    ]);
    expectValid(root);
  });

  it('enpass on ECS 8.11.0 (`ecs "8.11.0"`) is valid, its build.yml referencing that ECS release', () => {
    const source = withEcsRelease(readFileSync(join(REPO_ROOT, 'maps', 'enpass.map'), 'utf8'), '8.11.0');
    const { ir } = compileSource(source, 'enpass.map');
    const { root, files } = emitPackage(ir!, 'ecs-8.11');
    expect(files.find((f) => f.path === '_dev/build/build.yml')!.content).toContain('reference: git@v8.11.0');
    expectValid(root);
  });

  it('entro with `agentless { ... }` offers the agentless deployment mode with its owners, and is valid', () => {
    const map = readFileSync(join(REPO_ROOT, 'maps', 'entro.map'), 'utf8');
    const source = map.replace(
      /^(integration entro \{\n)/m,
      '$1  agentless {\n    organization "security"\n    division "engineering"\n    team "security-service-integrations"\n  }\n',
    );
    expect(source).not.toBe(map);
    const { ir } = compileSource(source, 'entro.map');
    const { root, files } = emitPackage(ir!, 'agentless', fixturesOf('entro'));
    const manifest = yaml.load(files.find((f) => f.path === 'manifest.yml')!.content) as {
      policy_templates: { deployment_modes?: unknown }[];
    };
    expect(manifest.policy_templates[0]!.deployment_modes).toEqual({
      default: { enabled: true },
      agentless: {
        enabled: true,
        organization: 'security',
        division: 'engineering',
        team: 'security-service-integrations',
      },
    });
    expectValid(root);
    // Without the block, the agent mode alone (no deployment_modes).
    const plain = emitPackage(loadFixtureIR('entro'), 'agent-only');
    expect(plain.files.find((f) => f.path === 'manifest.yml')!.content).not.toContain('deployment_modes');
  });

  it('the validator rejects a broken package (the check can fail)', () => {
    const root = writePackage(vendors[0]!, false);
    writeFileSync(join(root, 'manifest.yml'), 'format_version: 3.5.0\nname: Not A Valid Name\n');
    const run = runTool('package-spec-validate', [root]);
    expect(run.status).toBe(1);
    expect(run.stderr).not.toBe('');
  });
});
