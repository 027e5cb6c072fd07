/**
 * Figure 6: the CLI as users start it, `node bin/mapc.js ...` (the bundles of `npm run build`),
 * against `node -e 0` in the same run: wall time from spawn to exit, the process's own CPU time
 * and peak RSS (`process.ts`), and the ratios to `node -e 0`.
 *
 * - `--version`, `--help`, `check` and `build` of the bundled maps (`build` with their fixtures,
 *   as `npm ci && npx mapc build` does, into a temporary folder);
 * - `mapc collect maps/enpass.map` until its first request reaches a server on 127.0.0.1, which
 *   then reads the child's CPU time and RSS from `/proc/<pid>/` (Linux) and ends it: once with a
 *   fresh state folder (the map is compiled), once with the compiled map cached next to the state
 *   (`collector/ir-cache.ts`, what every poll after the first does);
 * - `mapc build` of 1,000 maps (copies of the bundled maps with their own integration names), on
 *   worker threads (the default: one per core) and then in one thread (`--jobs 1`), each into a
 *   fresh folder.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureNode, medianOf, type ProcessSample } from './process.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAPC = join(ROOT, 'bin', 'mapc.js');

export interface StartupPlan {
  readonly reps: number;
  readonly warmup: number;
  /** Maps in the many-maps build (0: skip it). */
  readonly manyMaps: number;
}

export interface StartupRow {
  readonly label: string;
  readonly reps: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The user and system parts of `cpuMs`, when measured (not for `collect`, read from `/proc`). */
  readonly userMs?: number;
  readonly systemMs?: number;
  readonly maxRssMiB: number;
  /** wall / wall of `node -e 0`. */
  readonly wallRatio: number;
}

export interface StartupResults {
  readonly node: StartupRow;
  readonly rows: readonly StartupRow[];
  /** The many-maps build (worker threads, the default), with ms per map. */
  readonly manyMaps?: StartupRow & { readonly maps: number; readonly msPerMap: number };
  /** The same build in one thread (`--jobs 1`), run right after it. */
  readonly manyMapsSerial?: StartupRow & { readonly maps: number; readonly msPerMap: number };
}

/** One `mapc collect` until its first request: wall ms, and the child's CPU ms and RSS then. */
async function collectUntilFirstRequest(stateDir: string): Promise<ProcessSample> {
  return new Promise((resolve, reject) => {
    let started = 0;
    let pid: number | undefined;
    const server = createServer((_req, res) => {
      const wallMs = performance.now() - started;
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const rssKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        // utime and stime (fields 14 and 15 of proc(5)) in clock ticks of 10 ms.
        const cpuMs = (Number(stat[11]) + Number(stat[12])) * 10;
        resolve({ wallMs, cpuMs, maxRssMiB: rssKiB / 1024, code: 0, stdoutBytes: 0 });
      } catch (error) {
        reject(error as Error);
      } finally {
        res.writeHead(503).end();
        child.kill('SIGKILL');
        server.close();
      }
    });
    let child: ReturnType<typeof spawn>;
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      started = performance.now();
      child = spawn(
        process.execPath,
        [
          MAPC,
          'collect',
          'maps/enpass.map',
          '--state',
          join(stateDir, 'state.json'),
          '--set',
          `base_url=http://127.0.0.1:${port}`,
          '--set',
          'backfill_start=2024-01-01T00:00:00Z',
        ],
        { cwd: ROOT, env: { ...process.env, ENPASS_API_TOKEN: 'bench-token-not-a-secret' }, stdio: 'ignore' },
      );
      pid = child.pid;
    });
  });
}

/** `count` maps: the bundled ones in turn, each renamed `<name>_<n>`. */
function manyMaps(dir: string, count: number): void {
  const bundled = ['endor_labs', 'entro', 'enpass'].map((name) => ({
    name,
    text: readFileSync(join(ROOT, 'maps', `${name}.map`), 'utf8'),
  }));
  for (let i = 0; i < count; i++) {
    const { name, text } = bundled[i % bundled.length]!;
    const renamed = text.replace(new RegExp(`^integration ${name} `, 'm'), `integration ${name}_${i} `);
    writeFileSync(join(dir, `${name}_${i}.map`), renamed);
  }
}

export async function benchStartup(plan: StartupPlan): Promise<StartupResults> {
  const work = mkdtempSync(join(tmpdir(), 'mapc-bench-startup-'));
  try {
    const node = await medianOf(plan.reps, plan.warmup, () => measureNode(['-e', '0']));
    const row = (label: string, s: ProcessSample & { reps: number }): StartupRow => ({
      label,
      reps: s.reps,
      wallMs: s.wallMs,
      cpuMs: s.cpuMs,
      ...(s.userMs !== undefined && s.systemMs !== undefined ? { userMs: s.userMs, systemMs: s.systemMs } : {}),
      maxRssMiB: s.maxRssMiB,
      wallRatio: s.wallMs / node.wallMs,
    });
    const mapc = async (label: string, args: readonly string[]): Promise<StartupRow> => {
      const s = await medianOf(plan.reps, plan.warmup, () => measureNode([MAPC, ...args], { cwd: ROOT }));
      if (s.code !== 0) throw new Error(`mapc ${args.join(' ')} exited with ${s.code}`);
      return row(label, s);
    };
    let run = 0;
    const rows: StartupRow[] = [
      await mapc('mapc --version', ['--version']),
      await mapc('mapc --help', ['--help']),
      await mapc('mapc check (bundled maps)', ['check']),
      await mapc('mapc build (bundled maps, fixtures)', ['build', '--out', join(work, 'generated')]),
      row(
        'mapc collect to 1st request, compiling',
        await medianOf(plan.reps, plan.warmup, () => {
          const dir = join(work, `state-${run++}`);
          mkdirSync(dir);
          return collectUntilFirstRequest(dir);
        }),
      ),
    ];
    const cached = join(work, 'state-cached');
    mkdirSync(cached);
    rows.push(
      row(
        'mapc collect to 1st request, map cached',
        await medianOf(plan.reps, Math.max(1, plan.warmup), () => collectUntilFirstRequest(cached)),
      ),
    );
    let many: StartupResults['manyMaps'];
    let serial: StartupResults['manyMapsSerial'];
    if (plan.manyMaps > 0) {
      const dir = join(work, 'many');
      mkdirSync(dir);
      manyMaps(dir, plan.manyMaps);
      // Each build into a fresh folder (a first build: nothing on disk to compare with).
      const buildMany = async (label: string, out: string, extra: readonly string[]) => {
        const s = await medianOf(1, 0, () =>
          measureNode([MAPC, 'build', dir, '--out', join(work, out), '--no-fixtures', ...extra], { cwd: ROOT }),
        );
        if (s.code !== 0) throw new Error(`${label} exited with ${s.code}`);
        return { ...row(label, s), maps: plan.manyMaps, msPerMap: s.wallMs / plan.manyMaps };
      };
      many = await buildMany(`mapc build (${plan.manyMaps} maps)`, 'many-out', []);
      serial = await buildMany(`mapc build (${plan.manyMaps} maps, --jobs 1)`, 'many-out-serial', ['--jobs', '1']);
    }
    return {
      node: row('node -e 0', node),
      rows,
      ...(many ? { manyMaps: many } : {}),
      ...(serial ? { manyMapsSerial: serial } : {}),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
