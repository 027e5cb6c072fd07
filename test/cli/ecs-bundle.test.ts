/**
 * The bundles give the compiler a cut-down `EcsFlat` (`scripts/build.ts`
 * `ecsCompilerProjection`): these tests prove that the bundled compiler sees ECS exactly as the
 * sources do, on every bundled map and on a map full of ECS mistakes (suggestions, allowed
 * values, expected event types), and that the cut keeps every property the compiler's ECS
 * index declares it reads.
 */
import { Readable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EcsFlat } from '@elastic/ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../cli/commands/check.ts';
import type { Io } from '../../cli/io.ts';
import { compileFile } from '../../compiler/compile.ts';
import { ECS_COMPILER_PROPERTIES, ecsCompilerProjection } from '../../scripts/build.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAPC = join(ROOT, 'bin', 'mapc.js');
const work = mkdtempSync(join(tmpdir(), 'mapc-ecs-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bundled CLI's stdout (dist/, built by the global setup from the current sources). */
function bundled(args: readonly string[]): string {
  try {
    return execFileSync(process.execPath, [MAPC, ...args], { cwd: ROOT, encoding: 'utf8' });
  } catch (error) {
    // `mapc check` exits 1 on errors; its JSON is still on stdout.
    return (error as { stdout: string }).stdout;
  }
}

/** `mapc check --format json` run from the sources, in this process. */
function fromSource(paths: readonly string[]): unknown {
  let out = '';
  const io: Io = {
    out: (t) => (out += t),
    err: () => undefined,
    fail: () => undefined,
    cwd: ROOT,
    env: {},
    stdin: Readable.from([]),
  };
  runCheck(io, paths, { format: 'json' });
  return JSON.parse(out);
}

describe('the compiler ECS module of the bundles', () => {
  it('keeps every property compiler/ecs/index.ts reads (its RawEcsField interface)', () => {
    const source = readFileSync(join(ROOT, 'compiler', 'ecs', 'index.ts'), 'utf8');
    const body = /interface RawEcsField \{([\s\S]*?)\n\}/.exec(source)?.[1];
    expect(body).toBeDefined();
    const read = [...body!.matchAll(/^\s*readonly (\w+)\??:/gm)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(3);
    for (const property of read) expect(ECS_COMPILER_PROPERTIES).toContain(property);
  });

  it('is EcsFlat with only those properties, every field in order, allowed values with name and expected event types', () => {
    const flat = EcsFlat as unknown as Record<string, Record<string, unknown>>;
    const cut = ecsCompilerProjection(flat);
    expect(Object.keys(cut)).toEqual(Object.keys(flat));
    for (const [name, field] of Object.entries(cut)) {
      const full = flat[name]!;
      for (const key of Object.keys(field)) expect(ECS_COMPILER_PROPERTIES).toContain(key);
      for (const key of ECS_COMPILER_PROPERTIES.filter((k) => k !== 'allowed_values'))
        expect(field[key]).toEqual(full[key]);
    }
    const category = cut['event.category']!['allowed_values'] as { name: string; expected_event_types?: string[] }[];
    const fullCategory = flat['event.category']!['allowed_values'] as typeof category;
    expect(category).toEqual(fullCategory.map((v) => ({ name: v.name, expected_event_types: v.expected_event_types })));
    expect(JSON.stringify(cut).length).toBeLessThan(JSON.stringify(flat).length / 2);
  });

  it('compiles every bundled map to the same IR as the sources', () => {
    const maps = readdirSync(join(ROOT, 'maps')).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const path = join('maps', map);
      expect(JSON.parse(bundled(['ir', path])), map).toEqual(JSON.parse(JSON.stringify(compileFile(path).ir)));
    }
  });

  it('reports ECS mistakes as the sources do: suggestions, allowed values, expected event types', () => {
    const enpass = readFileSync(join(ROOT, 'maps', 'enpass.map'), 'utf8');
    const mistakes = [
      '    os.name = component',
      '    source.ipp = ip_address',
      '    event.outcome = "sucess"',
      '    event.category += "authentication"',
      '    event.type += "deletion"',
      '    user.changes.nme = actor.name',
      '    labels.env = component',
    ].join('\n');
    const map = enpass.replace('    service.name    = component', `${mistakes}\n    service.name    = component`);
    expect(map).not.toBe(enpass);
    const path = join(work, 'mistakes.map');
    writeFileSync(path, map);
    const source = fromSource([path]) as { code: string; notes: string[] }[];
    expect(source.length).toBeGreaterThanOrEqual(4);
    expect(source.some((d) => d.notes.some((n) => n.includes('host.os.name')))).toBe(true);
    expect(JSON.parse(bundled(['check', path, '--format', 'json']))).toEqual(source);
  });

  it('checks a map that chooses ECS 8.11.0 against that release, as the sources do', () => {
    const enpass = readFileSync(join(ROOT, 'maps', 'enpass.map'), 'utf8');
    // entity.id is ECS 9.4.0 only; process.pgid is ECS 8.11.0 only.
    const map = enpass
      .replace(/(integration enpass \{\n)/, '$1  ecs "8.11.0"\n')
      .replace(
        '    service.name    = component',
        '    entity.id = component\n    process.pgid = component\n    service.name    = component',
      );
    expect(map).toContain('ecs "8.11.0"');
    const path = join(work, 'ecs811.map');
    writeFileSync(path, map);
    const source = fromSource([path]) as { code: string; message: string }[];
    // No entity field set in ECS 8.11.0: neither ECS nor vendor. process.pgid is an 8.11.0 long.
    expect(source.map((d) => [d.code, d.message])).toEqual([
      ['E0103', 'entity.id is neither an ECS field nor under the vendor namespace'],
      ['E0101', 'process.pgid is a long field; the value does not fit'],
    ]);
    expect(JSON.parse(bundled(['check', path, '--format', 'json']))).toEqual(source);
  });
});
