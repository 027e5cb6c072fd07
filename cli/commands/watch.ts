import type { Io } from '../io.ts';
import type { BuildOptions } from './build.ts';
export async function watchBuild(_io: Io, _paths: readonly string[], _options: BuildOptions): Promise<void> {}
