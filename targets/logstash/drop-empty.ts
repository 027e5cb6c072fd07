/**
 * `drop empty` (compiler/ir.ts step 5, `MappingIR.dropEmpty`) as one `ruby` filter: no native
 * filter removes values by emptiness below the top level (logstash-filter-prune v3.0.4 reads
 * top-level fields only: "This filter currently only support operations on top-level fields").
 * The README's target matrix names this use.
 *
 * @module
 */
import type { FieldPath } from '../../compiler/ir.ts';
import { plugin, str, type Statement } from './model.ts';
import { comment, optionText, rubyFieldString, type Site } from './quote.ts';
import { ref } from './scratch.ts';

/**
 * The filter: `mapc_e` removes every `nil`, `''`, empty Array and empty Hash inside its argument,
 * innermost first (`reject!`), and says whether the argument is left empty; `event.get` gives a
 * Ruby copy, so a pruned namespace is written back with `event.set`, an emptied one is removed,
 * and then each parent left an empty Hash. Field names reach Ruby only as `rubyFieldString`s.
 */
export function dropEmptyFilter(namespace: FieldPath, site: Site): Statement {
  const refs = namespace.map((_, i) => rubyFieldString(ref(namespace.slice(0, i + 1), site)));
  const full = refs.at(-1)!;
  const parents = (depth: number): string =>
    depth === 0
      ? ''
      : ` if event.get(${refs[depth - 1]}) == {} then event.remove(${refs[depth - 1]});${parents(depth - 1)} end;`;
  const code =
    "mapc_e = lambda { |v| if v.nil? || v == '' then true " +
    'elsif v.is_a?(Hash) then v.reject! { |_, x| mapc_e.call(x) }; v.empty? ' +
    'elsif v.is_a?(Array) then v.reject! { |x| mapc_e.call(x) }; v.empty? else false end }; ' +
    `mapc_v = (event.get(${full}) rescue nil); ` +
    'if mapc_v.is_a?(Hash) || mapc_v.is_a?(Array) then ' +
    `if mapc_e.call(mapc_v) then event.remove(${full});${parents(namespace.length - 1)} ` +
    `else event.set(${full}, mapc_v) end end`;
  return plugin(
    'ruby',
    [['code', str(optionText(code, site))]],
    [
      comment`Step 5: drop empty: null, "", [] and {} under the namespace, innermost first. Ruby: no native filter prunes nested fields.`,
    ],
  );
}
