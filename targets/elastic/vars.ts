/**
 * The names of the package's Fleet variables. A setting or secret keeps its own name, except the
 * API's base URL, which elastic/integrations packages call `url` (e.g. `packages/entro/manifest.yml`
 * and `packages/1password/manifest.yml`: `- name: url`, rendered as `resource.url: {{url}}`).
 *
 * @module
 */
import type { IntegrationIR } from '../../compiler/ir.ts';

/** The Fleet variable name of the API's base URL. */
export const BASE_URL_VARIABLE = 'url';

/**
 * The `url` setting every stream's request URL starts with, when there is one and no setting or
 * secret is itself named `url`: the setting whose Fleet variable is {@link BASE_URL_VARIABLE}.
 */
export function baseUrlSetting(ir: IntegrationIR): string | undefined {
  const firsts = new Set(
    ir.streams.map((s) => {
      const first = s.source.request.url.parts[0];
      return first?.kind === 'setting' ? first.name : undefined;
    }),
  );
  const [only] = firsts;
  const taken = [...ir.settings, ...ir.secrets].some((s) => s.name === BASE_URL_VARIABLE);
  const setting = ir.settings.find((s) => s.name === only && s.type === 'url');
  return firsts.size === 1 && setting && !taken ? setting.name : undefined;
}

/** The Fleet variable of setting or secret `name`: `url` for {@link baseUrlSetting}, else `name`. */
export function fleetVariable(ir: IntegrationIR, name: string): string {
  return name === baseUrlSetting(ir) ? BASE_URL_VARIABLE : name;
}
