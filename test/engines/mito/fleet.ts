/**
 * Rendering a stream template the way Fleet does, step by step as Kibana's
 * `x-pack/platform/plugins/shared/fleet/server/services/epm/agent/agent.ts` `compileTemplate`
 * (read at commit 0ce8ae37458da5b80ab19fbd81e5e448533a93c0) does it:
 *
 * 1. Handlebars with `noEscape: true` and Fleet's helpers: `contains` (renders its block when
 *    the list or string includes the item), `escape_string` (undefined for an empty value; a
 *    string with a line feed double-quoted with `\\`, `"` and line feeds escaped; otherwise
 *    single-quoted with `'` doubled), `escape_multiline_string`, `to_json`, `url_encode`;
 *    variables of type `yaml` render as the placeholder `"##name##"`;
 * 2. every double-quoted span (`/"(?:[^"\\]|\\.)*"/gs`) that holds a line feed has each run of
 *    n line feeds replaced by n - 1 `\n` escapes;
 * 3. a `"##name##"` placeholder at the start of a line becomes the YAML of the variable's value;
 * 4. YAML parsing (`yaml` package, as Fleet; older Fleet versions used js-yaml, so the result
 *    must be the same with js-yaml 4.1.0, or {@link renderConfig} throws);
 * 5. every string value of the parsed configuration that is a placeholder (`resource.ssl:
 *    "##ssl##"`, not at the start of a line) becomes the variable's parsed value
 *    (`replaceVariablesInYaml`).
 *
 * The Elastic Agent then substitutes `${...}` variables in the strings of the policy it
 * receives; {@link agentVariables} finds what it would substitute.
 *
 * @module
 */
import Handlebars from 'handlebars';
import yaml from 'js-yaml';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const fleet = Handlebars.create();

fleet.registerHelper(
  'contains',
  function (this: unknown, item: string, check: unknown, options: Handlebars.HelperOptions) {
    if ((Array.isArray(check) || typeof check === 'string') && check.includes(item)) {
      if (options && options.fn) return options.fn(this);
      return true;
    }
    return '';
  },
);

fleet.registerHelper('escape_string', (str: unknown) => {
  if (typeof str !== 'string' || str === '') return undefined;
  if (str.includes('\n')) return '"' + str.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
  return "'" + str.replace(/'/g, "''") + "'";
});

fleet.registerHelper('escape_multiline_string', (str: unknown) => {
  if (typeof str !== 'string' || str === '') return undefined;
  return str.replace(/\n /g, '\n').replace(/'/g, "''").replace(/\n/g, '\\n');
});

fleet.registerHelper('to_json', (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)));

fleet.registerHelper('url_encode', (input: string) =>
  encodeURIComponent(input).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()),
);

/** Fleet variables of type `yaml` (rendered through a placeholder, then as YAML). */
export interface RenderOptions {
  readonly yamlVars?: Readonly<Record<string, string>>;
}

/** The template rendered with `vars` (Fleet variable name → value): steps 1-3 of the module doc. */
export function renderTemplate(template: string, vars: Record<string, unknown>, options: RenderOptions = {}): string {
  const values: Record<string, unknown> = { ...vars };
  const yamlValues = new Map<string, unknown>();
  for (const [name, text] of Object.entries(options.yamlVars ?? {})) {
    const key = `##${name}##`;
    values[name] = text ? `"${key}"` : null;
    yamlValues.set(key, text ? parseYaml(text) : null);
  }
  let text = fleet.compile(template, { noEscape: true })(values);
  text = text.replace(/"(?:[^"\\]|\\.)*"/gs, (match) =>
    match.includes('\n') ? match.replace(/\n+/g, (newlines) => '\\n'.repeat(newlines.length - 1)) : match,
  );
  for (const [key, value] of yamlValues) {
    text = text.replace(new RegExp(`^"${key}"`, 'gm'), () =>
      value ? stringifyYaml(value, { collectionStyle: 'block', lineWidth: 0 }) : '',
    );
  }
  return text;
}

/**
 * The rendered template parsed as the CEL input's configuration (dotted keys kept as written),
 * by the `yaml` package and by js-yaml, which must agree.
 */
export function renderConfig(
  template: string,
  vars: Record<string, unknown>,
  options: RenderOptions = {},
): Record<string, unknown> {
  const text = renderTemplate(template, vars, options);
  const parsed = parseYaml(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`rendered template is not a YAML map:\n${text}`);
  const legacy = yaml.load(text);
  if (!isDeepStrictEqual(parsed, legacy)) throw new Error(`yaml and js-yaml read the rendered template differently`);
  const values = new Map(
    Object.entries(options.yamlVars ?? {}).map(([name, value]) => [`##${name}##`, value ? parseYaml(value) : null]),
  );
  return replacePlaceholders(parsed, values) as Record<string, unknown>;
}

/** Step 5 of the module doc, on a parsed configuration (in place, as Kibana does). */
function replacePlaceholders(value: unknown, values: ReadonlyMap<string, unknown>): unknown {
  if (values.size === 0 || typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(object)) {
    if (typeof item === 'object') object[key] = replacePlaceholders(item, values);
    if (typeof item === 'string' && values.has(item)) object[key] = values.get(item);
  }
  return object;
}

/**
 * The `${...}` references the Elastic Agent would substitute (or fail on) in the strings of a
 * rendered configuration: its variable syntax is `${...}` and `$${...}` (elastic/elastic-agent
 * `internal/pkg/agent/transpiler/vars.go` `varsRegex`), and a `${` without a valid end stops the
 * input, so any `${` counts.
 */
export function agentVariables(config: unknown): string[] {
  const found: string[] = [];
  const work: unknown[] = [config];
  for (let v = work.pop(); v !== undefined; v = work.pop()) {
    if (typeof v === 'string') {
      if (v.includes('${')) found.push(v);
    } else if (Array.isArray(v)) work.push(...(v as unknown[]));
    else if (typeof v === 'object' && v !== null) work.push(...Object.keys(v), ...Object.values(v));
  }
  return found;
}
