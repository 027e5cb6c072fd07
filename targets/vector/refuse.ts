/**
 * What the Vector backend refuses (E0500), checked before any generation so that a refused
 * construct never reaches the VRL or the config.
 *
 * @module
 */
import type { IntegrationIR, RuleIR, StreamIR } from '../../compiler/ir.ts';
import { diagnostic, type Diagnostic } from '../../dsl/diagnostics.ts';
import { patternRegex } from './vrl/functions.ts';

/** E0500 for what the VRL generation cannot express; such a stream is left out of the config. */
export function refuse(ir: IntegrationIR, stream: StreamIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  const boolSetting = (name: string): boolean => ir.settings.some((s) => s.name === name && s.type === 'bool');
  const problem = (rule: Pick<RuleIR, 'loc'>, message: string, label: string): void => {
    out.push(diagnostic('E0500', 'error', message, { span: rule.loc, message: label }));
  };
  for (const rule of stream.mapping.rules) {
    if (rule.target.join('.') === 'error.message' || (rule.target.length === 1 && rule.target[0] === 'error')) {
      problem(
        rule,
        `Vector target cannot write ${rule.target.join('.')}: the remap owns it for conversion errors`,
        'reserved for conversion errors',
      );
    }
    if (rule.target.length === 1 && rule.target[0] === '_id')
      problem(rule, 'Vector target cannot write _id: it carries the document id to the sink', 'reserved field');
    if (rule.value.kind === 'field') {
      for (const t of rule.value.transforms) {
        if (t.kind !== 'date') continue;
        for (const f of t.formats) {
          if (f.kind !== 'pattern') continue;
          try {
            patternRegex(f.pattern);
          } catch (error) {
            problem(
              rule,
              `Vector target cannot parse the date pattern ${JSON.stringify(f.pattern)}`,
              (error as Error).message,
            );
          }
        }
      }
    }
    if (rule.when) {
      for (const name of settingNames(rule.when)) {
        if (!boolSetting(name)) problem(rule, `Vector target needs a bool setting ${name}`, 'not a bool setting');
      }
    }
  }
  const original = stream.mapping.original;
  if (original && !boolSetting(original.setting)) {
    out.push(
      diagnostic('E0500', 'error', `Vector target needs a bool setting ${original.setting}`, {
        span: stream.loc,
        message: 'original when',
      }),
    );
  }
  return out;
}

/**
 * E0500 for variable names the config cannot use: a secret's is a key of a `SECRET[backend.key]`
 * reference and an `exec` environment variable; a setting's is read by `get_env_var` and inherited
 * by `mapc collect` (see `./secrets.ts`).
 */
export function refuseEnvNames(ir: IntegrationIR): Diagnostic[] {
  return [...ir.settings, ...ir.secrets]
    .filter((s) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.envVar))
    .map((s) =>
      diagnostic(
        'E0500',
        'error',
        `Vector target cannot reference the environment variable ${JSON.stringify(s.envVar)}`,
        { span: s.loc, message: 'invalid variable name' },
      ),
    );
}

function settingNames(c: NonNullable<RuleIR['when']>): string[] {
  if (c.kind === 'setting') return [c.name];
  if (c.kind === 'not') return settingNames(c.condition);
  return [];
}
