/**
 * The checks of a selection `ARRAY[KEY == VALUE].REST` (docs/language.md "Selecting an array
 * element", compiler/ir.ts ValueIR `select`):
 * - with a record schema, ARRAY is declared `array of object` (E0240): the schema declares no
 *   field inside array elements, so the element's KEY and REST are read as any value; a path
 *   the schema does not declare at all is E0140 (`./schema.ts`, through `pathReads`);
 * - no `hash` or `mask` after a selection (E0241): redaction fails closed by deleting the rule's
 *   source from the record (IR step 4), and a selected element's value is not a record path the
 *   engines can delete alike.
 *
 * @module
 */
import { pathSegments, pathText } from '../../../dsl/ast.ts';
import { schemaIndex } from '../schema.ts';
import type { CheckRule } from '../rule.ts';

/** E0240 and E0241, per rule whose value is a selection. */
export const SelectRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const index = schemaIndex(stream);
    if (!index) return;
    for (const rule of stream.map?.rules ?? []) {
      const value = rule.value;
      if (value.kind !== 'SelectValue') continue;
      const resolved = index.resolve(pathSegments(value.array));
      if (resolved.kind !== 'found') continue; // E0140 / E0145 say why
      const { types, items } = resolved.type;
      const objects = types.length === 1 && types[0] === 'array' && items?.types.every((t) => t === 'object');
      if (objects) continue;
      const decl = index.schema.fields.find((f) => f.path.join('\u0000') === pathSegments(value.array).join('\u0000'));
      ctx.error(
        'E0240',
        `${pathText(value.array)} is not declared an array of objects, so no element can be selected from it`,
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
