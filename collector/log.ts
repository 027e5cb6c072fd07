/**
 * Structured progress and error lines on stderr: one JSON object per line,
 * `{"level","msg",...fields}` with `level` one of `info`, `warn`, `error`. Every line passes through
 * the {@link Redactor} as text, so no field can carry a secret out.
 *
 * @module
 */
import type { Redactor } from './redact.ts';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

/** A logger writing redacted JSON lines through `write` (default: `process.stderr`). */
export function jsonLogger(redactor: Redactor, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return {
    log(level, msg, fields = {}) {
      const line = JSON.stringify({ level, msg, ...fields });
      write(`${redactor.redact(line)}\n`);
    },
  };
}
