import { describe, expect, it } from 'vitest';
import { requireTool, runTool } from '../support/tools.ts';

describe('engine tools', () => {
  it('a missing tool fails with the install command', () => {
    expect(() => requireTool('no-such-tool' as never)).toThrow('run `bash scripts/install-tools.sh`');
  });

  it('the pinned tools are installed and answer', () => {
    expect(runTool('mito', ['-version']).stdout.trim()).toBe('v1.24.1');
    expect(runTool('mustache', ['--help']).stdout).toContain('pretty format logstash config files');
    expect(runTool('vrl', ['--help']).stdout).toContain('Vector Remap Language CLI');
    const usage = runTool('package-spec-validate', []);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: package-spec-validate');
  });
});
