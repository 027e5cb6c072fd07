/** The mito runner fails loudly, with the install command, when the binary is missing. */
import { afterEach, describe, expect, it } from 'vitest';
import { evalOnce, INSTALL_COMMAND } from './mito.ts';

describe('mito runner', () => {
  const saved = process.env.MITO;
  afterEach(() => {
    if (saved === undefined) delete process.env.MITO;
    else process.env.MITO = saved;
  });

  it('rejects with the install command when mito is not installed', async () => {
    process.env.MITO = '/nonexistent/mito';
    await expect(evalOnce('{"events": []}', {})).rejects.toThrow(`run \`${INSTALL_COMMAND}\``);
  });

  it('evaluates a program with state on the installed mito', async () => {
    // JSON numbers reach CEL as doubles (as the Agent's state does): int() before integer arithmetic.
    const r = await evalOnce('state.with({"events": [{"message": string(int(state.n) + 1)}]})', { n: 41 });
    expect(r).toEqual({ ok: true, value: { n: 41, events: [{ message: '42' }] } });
  });
});
