import type { Literal, SettingTypeName } from '../../../dsl/ast.ts';
import { isGoDuration, isHttpUrl, isRfc3339 } from '../../literals.ts';
import type { CheckRule } from '../rule.ts';

/** Why `value` is not a valid default for a setting of `type`, or `undefined`. */
function defaultProblem(type: SettingTypeName, value: Literal): { label: string; help: string } | undefined {
  switch (type) {
    case 'string':
      return value.kind === 'String' ? undefined : { label: 'expected a string', help: 'quote it: "..."' };
    case 'url':
      return value.kind === 'String' && isHttpUrl(value.value)
        ? undefined
        : { label: 'expected an absolute http(s) URL', help: 'e.g. "https://api.example.com"' };
    case 'duration':
      return value.kind === 'String' && isGoDuration(value.value)
        ? undefined
        : { label: 'expected a duration string', help: 'write a Go-style duration such as "5m", "1h" or "24h"' };
    case 'timestamp':
      return value.kind === 'String' && isRfc3339(value.value)
        ? undefined
        : { label: 'expected an RFC 3339 timestamp', help: 'e.g. "2024-01-01T00:00:00Z"' };
    case 'int':
      return value.kind === 'Number' && value.integer ? undefined : { label: 'expected an integer', help: 'e.g. 100' };
    case 'bool':
      return value.kind === 'Boolean'
        ? undefined
        : { label: 'expected true or false', help: 'write true or false, unquoted' };
  }
}

/** A setting's default must be a value of its declared type (E0115). */
export const SettingDefaultRule: CheckRule = (ctx) => ({
  Setting(decl) {
    if (!decl.default) return;
    const problem = defaultProblem(decl.type.value, decl.default);
    if (problem) {
      ctx.error(
        'E0115',
        `default of setting ${decl.name.value} is not a ${decl.type.value}`,
        decl.default.loc,
        problem.label,
        {
          secondary: [{ span: decl.type.loc, message: `declared ${decl.type.value} here` }],
          notes: [`help: ${problem.help}`],
        },
      );
    }
  },
});
