import type { Io } from '../io.ts';
export interface TestOptions {
  readonly fixtures: string;
  readonly engines?: string;
  readonly update: boolean;
  readonly yes: boolean;
}
export async function runTest(_io: Io, _paths: readonly string[], _options: TestOptions): Promise<void> {}
