/**
 * `cli/tiering.ts`: which command lines tune V8 for a build, and the facts the tuning stands on
 * (the flag and its default in the Node that runs the tests). That `mapc build` prints nothing on
 * standard output, where V8 reports a flag it does not know, is checked on the real binary
 * (test/cli/binary.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUILD_INTERRUPT_BUDGET, DEFAULT_INTERRUPT_BUDGET, isBuildCommand } from '../../cli/tiering.ts';

describe('isBuildCommand', () => {
  it('is the first word that is not an option', () => {
    expect(isBuildCommand(['build'])).toBe(true);
    expect(isBuildCommand(['build', 'maps/x.map', '--jobs', '2'])).toBe(true);
    expect(isBuildCommand(['--no-color', 'build'])).toBe(true);
    expect(isBuildCommand(['check', 'build'])).toBe(false);
    expect(isBuildCommand(['collect', 'maps/build.map'])).toBe(false);
    expect(isBuildCommand(['--help'])).toBe(false);
    expect(isBuildCommand([])).toBe(false);
  });
});

describe('the interrupt budget', () => {
  it("is a flag of this Node's V8, with the default the build's budget is a multiple of", () => {
    const run = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const flag = /^\s+--interrupt-budget \(.*\)\n\s+type: int\s+default: --interrupt-budget=(\d+)$/m.exec(run.stdout);
    expect(flag?.[1]).toBe(String(DEFAULT_INTERRUPT_BUDGET));
    expect(BUILD_INTERRUPT_BUDGET).toBe(8 * DEFAULT_INTERRUPT_BUDGET);
  });

  it('set at run time, takes effect without a word on either stream', () => {
    const script = `require('node:v8').setFlagsFromString('--interrupt-budget=${BUILD_INTERRUPT_BUDGET}')`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
  });
});
