/**
 * Structured progress and error lines on stderr: one JSON object per line,
 * `{"level","msg",...fields}` with `level` one of `info`, `warn`, `error`. Every line passes through
 * the {@link Scrubber} as text, so no field can carry a secret out.
 *
 * @module
 */
import type { Scrubber } from './scrub.ts';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

/** A logger writing scrubbed JSON lines through `write` (default: `process.stderr`). */
export function jsonLogger(scrubber: Scrubber, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return {
    log(level, msg, fields = {}) {
      const line = JSON.stringify({ level, msg, ...fields });
      write(`${scrubber.scrub(line)}\n`);
    },
  };
}
