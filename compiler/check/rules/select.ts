/**
 * The checks of a selection `ARRAY[KEY == VALUE].REST` (docs/language.md "Selecting an array
 * element", compiler/ir.ts ValueIR `select`):
 * - with a record schema, ARRAY is declared `array of object` (E0240): the schema declares no
 *   field inside array elements, so the element's KEY and REST are read as any value; a path
 *   the schema does not declare at all is E0140 (`./schema.ts`, through `pathReads`);
 * - no `hash` or `mask` after a selection (E0241): redaction fails closed by deleting the rule's
 *   source from the record (IR step 4), and a selected element's value is not a record path the
 *   engines can delete alike;
 * - element fields `ARRAY[] { NAME, NAME = PATH }` (E0242): written with `=` (the rule writes a
 *   whole new array), without transforms, under the vendor namespace (a list of objects fits no
 *   typed ECS field), each name once.
 *
 * @module
 */
import { pathSegments, pathText, type ElementField } from '../../../dsl/ast.ts';
import type { Span } from '../../../dsl/diagnostics.ts';
import { schemaIndex } from '../schema.ts';
import { resolveDestination, vendorRoots } from '../destination.ts';
import { nearest } from '../walk.ts';
import type { CheckRule } from '../rule.ts';

/** E0240, E0241 and E0242, per rule whose value is a selection or element fields. */
export const SelectRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const index = schemaIndex(stream);
    if (!index) return;
    for (const rule of stream.map?.rules ?? []) {
      const value = rule.value;
      if (value.kind !== 'SelectValue' && value.kind !== 'ElementsValue') continue;
      const resolved = index.resolve(pathSegments(value.array));
      if (resolved.kind !== 'found') continue; // E0140 / E0145 say why
      const { types, items } = resolved.type;
      const objects = types.length === 1 && types[0] === 'array' && items?.types.every((t) => t === 'object');
      if (objects) continue;
      const decl = index.schema.fields.find((f) => f.path.join('\u0000') === pathSegments(value.array).join('\u0000'));
      ctx.error(
        'E0240',
        `${pathText(value.array)} is not declared an array of objects, so its elements cannot be read`,
        value.array.loc,
        'selects from here',
        {
          secondary: decl ? [{ span: decl.loc, message: 'declared here' }] : [],
          notes: [
            `help: declare it \`${pathText(value.array)} array of object\` (add \`optional\` if records may lack it)`,
          ],
        },
      );
    }
  },
  Rule(rule, ancestors) {
    const value = rule.value;
    if (value.kind !== 'ElementsValue') return;
    const refuse = (message: string, span: Span, label: string, notes: string[] = []): void =>
      ctx.error('E0242', message, span, label, { notes });
    if (rule.op !== '=') {
      refuse('element fields are written with `=`', rule.opLoc, '+= of a list of objects', [
        'help: write `=`: the rule writes the whole new array',
      ]);
      return;
    }
    if (value.transforms.length > 0) {
      refuse('element fields take no transforms', value.transforms[0]!.loc, 'a transform after `[] { ... }`');
      return;
    }
    const stream = nearest(ancestors, 'Stream');
    const r = stream
      ? resolveDestination(
          ctx.ecs,
          pathText(rule.destination),
          vendorRoots(ctx.symbols.integration?.name.value, stream, stream.map),
        )
      : undefined;
    if (r?.kind === 'ecs') {
      refuse(
        `element fields go under the vendor namespace, not to the ECS field ${pathText(rule.destination)}`,
        rule.destination.loc,
        'an ECS field',
        ['help: write them under the vendor namespace, e.g. `okta.target = target[] { id, type }`'],
      );
      return;
    }
    const seen = new Map<string, ElementField>();
    for (const f of value.fields) {
      const before = seen.get(f.name.name);
      if (before) {
        refuse(`element field ${f.name.name} is listed twice`, f.name.loc, 'listed again here', []);
        return;
      }
      seen.set(f.name.name, f);
    }
  },
  SelectValue(value) {
    const redaction = value.transforms.find((t) => t.kind === 'HashTransform' || t.kind === 'MaskTransform');
    if (!redaction) return;
    ctx.error(
      'E0241',
      'a selected element value cannot be redacted: redaction deletes its source from the record when it fails',
      redaction.loc,
      'redacts a selected value',
      {
        notes: [
          `help: redact the whole array field instead (\`remove ${pathText(value.array)}\`), or map the value without hash/mask`,
        ],
      },
    );
  },
});
