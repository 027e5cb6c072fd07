import type { Command } from 'commander';
import { cliError, type Io } from '../io.ts';

/**
 * Registers `mapc collect` from `collector/cli.ts` (`registerCollectCommand(program)`). When that
 * module is missing or fails to load, a stand-in command reports why instead of the whole CLI
 * failing.
 */
export async function registerCollect(program: Command, io: Io): Promise<void> {
  let reason: string;
  try {
    const module = (await import('../../collector/cli.ts')) as {
      registerCollectCommand?: (program: Command) => void;
    };
    if (typeof module.registerCollectCommand === 'function') {
      module.registerCollectCommand(program);
      return;
    }
    reason = 'collector/cli.ts does not export registerCollectCommand';
  } catch (error) {
    reason = `collector/cli.ts failed to load: ${(error as Error).message.split('\n')[0]}`;
  }
  program
    .command('collect')
    .description("run a map's source and print events (unavailable: see the error)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => cliError(io, `mapc collect is not available: ${reason}`));
}
