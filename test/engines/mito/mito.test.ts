/** The mito runner fails loudly, with the install command, when the binary is missing. */
import { afterEach, describe, expect, it } from 'vitest';
import { evalOnce, INSTALL_COMMAND } from './mito.ts';

describe('mito runner', () => {
  const saved = { MITO: process.env.MITO, MITO_AGENT: process.env.MITO_AGENT };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('rejects with the install command when mito or mito-agent is not installed', async () => {
    process.env.MITO = '/nonexistent/mito';
    await expect(evalOnce('{"events": []}', {})).rejects.toThrow(`run \`${INSTALL_COMMAND}\``);
    process.env.MITO_AGENT = '/nonexistent/mito-agent';
    await expect(evalOnce('{"events": []}', {}, undefined, { binary: 'mito-agent' })).rejects.toThrow(
      `mito-agent v1.24.1 is not installed at /nonexistent/mito-agent: run \`${INSTALL_COMMAND}\``,
    );
  });

  it('evaluates a program with state on the installed mito', async () => {
    // JSON numbers reach CEL as doubles (as the Agent's state does): int() before integer arithmetic.
    const r = await evalOnce('state.with({"events": [{"message": string(int(state.n) + 1)}]})', { n: 41 });
    expect(r).toEqual({ ok: true, value: { n: 41, events: [{ message: '42' }] } });
  });
});
