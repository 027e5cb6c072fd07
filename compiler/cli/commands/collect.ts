import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { cliError, type Io } from '../io.ts';

const COLLECTOR = new URL('../../../collector/cli.ts', import.meta.url);

/**
 * Registers `mapc collect` from `collector/cli.ts` (`registerCollectCommand(program)`). When that
 * module is missing or fails to load, a stand-in command reports why instead of the whole CLI
 * failing.
 */
export async function registerCollect(program: Command, io: Io): Promise<void> {
  let reason: string;
  if (!existsSync(fileURLToPath(COLLECTOR))) {
    reason = 'collector/cli.ts is not part of this build';
  } else {
    try {
      const module = (await import(COLLECTOR.href)) as { registerCollectCommand?: (program: Command) => void };
      if (typeof module.registerCollectCommand === 'function') {
        module.registerCollectCommand(program);
        return;
      }
      reason = 'collector/cli.ts does not export registerCollectCommand';
    } catch (error) {
      reason = `collector/cli.ts failed to load: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  program
    .command('collect')
    .description("run a map's source and print events (unavailable: see the error)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => cliError(io, `mapc collect is not available: ${reason}`));
}
