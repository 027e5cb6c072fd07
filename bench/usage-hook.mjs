// Loaded with `node --import <this file>` into a measured child process: at exit it appends one
// JSON line to the file named by MAPC_BENCH_USAGE with the process's own CPU time and peak RSS
// (process.resourceUsage(): user and system CPU in microseconds, maxRSS in KiB).
import { appendFileSync } from 'node:fs';

const file = process.env.MAPC_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    const line = {
      cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
      userMs: u.userCPUTime / 1000,
      systemMs: u.systemCPUTime / 1000,
      maxRssMiB: u.maxRSS / 1024,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
