/**
 * Rendering a stream template the way Fleet does: Handlebars with Fleet's helpers, then YAML.
 *
 * Helper semantics written from Kibana's Fleet agent template code
 * (`x-pack/plugins/fleet/server/services/epm/agent/agent.ts`): `escape_string` wraps a string in
 * single quotes doubling inner quotes (undefined for an empty value); `contains` renders its
 * block when the list (or string) includes the item. Fleet compiles with `noEscape: true`.
 *
 * @module
 */
import Handlebars from 'handlebars';
import yaml from 'js-yaml';

const fleet = Handlebars.create();

fleet.registerHelper('escape_string', (str: unknown) => {
  if (typeof str !== 'string' || str === '') return undefined;
  if (str.includes('\n')) return '"' + str.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
  return "'" + str.replace(/'/g, "''") + "'";
});

fleet.registerHelper(
  'contains',
  function (this: unknown, item: string, check: unknown, options: Handlebars.HelperOptions) {
    if ((Array.isArray(check) || typeof check === 'string') && check.includes(item)) return options.fn(this);
    return '';
  },
);

/** The template rendered with `vars` (Fleet variable name → value). */
export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  return fleet.compile(template, { noEscape: true })(vars);
}

/** The rendered template parsed as the CEL input's configuration (dotted keys kept as written). */
export function renderConfig(template: string, vars: Record<string, unknown>): Record<string, unknown> {
  const text = renderTemplate(template, vars);
  const parsed = yaml.load(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`rendered template is not a YAML map:\n${text}`);
  return parsed as Record<string, unknown>;
}
