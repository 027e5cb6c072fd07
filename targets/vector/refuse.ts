/**
 * What the Vector backend alone refuses, checked before any generation so that a refused
 * construct never reaches the VRL or the config. Each refusal is a {@link TargetRefusal} at the
 * IR node's span. What every target refuses is the checks' (`compiler/check/`): writing
 * `error.message` or `error` (E0107), an invalid date pattern (E0111), a `when` on a setting that
 * is not a bool (E0110).
 *
 * @module
 */
import type { IntegrationIR, StreamIR } from '../../compiler/ir.ts';
import { TargetRefusal } from '../contract.ts';

/** E0500 for what the VRL generation cannot express; such a stream is left out of the config. */
export function refuse(stream: StreamIR): TargetRefusal[] {
  return stream.mapping.rules
    .filter((rule) => rule.destination.length === 1 && rule.destination[0] === '_id')
    .map(
      (rule) =>
        new TargetRefusal(
          'E0500',
          'Vector target cannot write _id: it carries the document id to the sink',
          rule.loc,
          'reserved field',
        ),
    );
}

/**
 * E0500 for variable names the config cannot use: a secret's is a key of a `SECRET[backend.key]`
 * reference and an `exec` environment variable; a setting's is read by `get_env_var` and inherited
 * by `mapc collect` (see `./secrets.ts`).
 */
export function refuseEnvNames(ir: IntegrationIR): TargetRefusal[] {
  return [...ir.settings, ...ir.secrets]
    .filter((s) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.envVar))
    .map(
      (s) =>
        new TargetRefusal(
          'E0500',
          `Vector target cannot reference the environment variable ${JSON.stringify(s.envVar)}`,
          s.loc,
          'invalid variable name',
        ),
    );
}
