/**
 * Checks about redaction (`hash`, `mask`): values a map must never store in clear.
 *
 * @module
 */
import { pathText, type MapRule, type Transform } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';

const isRedaction = (t: Transform): boolean => t.kind === 'HashTransform' || t.kind === 'MaskTransform';

/**
 * `original when setting.X` in a map whose rules redact (W0129): `event.original` is the record as
 * received (compiler/ir.ts, MappingIR.original), so it holds in clear every value the rules hash
 * or mask. A warning, not an error: the operator decides with the setting, which may stay off
 * wherever the redacted values must not be stored.
 */
export const OriginalKeepsRedactedRule: CheckRule = (ctx) => ({
  Map(map) {
    const original = map.original;
    if (!original) return;
    const redactions = map.rules.flatMap(({ value }: MapRule) =>
      value.kind === 'FieldValue'
        ? value.transforms.filter(isRedaction).map((t) => ({ path: pathText(value.path), t }))
        : [],
    );
    if (redactions.length === 0) return;
    const setting = original.when.name.value;
    ctx.warning(
      'W0129',
      'event.original keeps values this map redacts',
      original.loc,
      'copies the whole record, in clear',
      {
        secondary: redactions.map(({ path, t }) => ({ span: t.loc, message: `${path} is redacted here` })),
        notes: [
          'note: event.original is the record as received, before any rule runs',
          `help: remove \`original when setting.${setting}\`, or keep setting ${setting} off wherever the redacted values must not be stored`,
        ],
      },
    );
  },
});
