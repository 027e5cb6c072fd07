/**
 * The Kibana version range of a generated package (`conditions.kibana.version`), computed from
 * what the package actually contains: each ingest processor option and Fleet variable type that
 * needs a stack newer than the baseline is listed in {@link REQUIREMENTS} with the release that
 * introduced it and the source of that fact; the range starts at the highest minimum among the
 * features the package uses, and includes every later 8.x release and 9.x when it starts in 8.x.
 *
 * Kibana and Elasticsearch of one stack release share their version, and Fleet installs a
 * package's ingest pipelines on the Elasticsearch of its own stack, so a processor's
 * Elasticsearch version is the Kibana version the package needs.
 *
 * @module
 */
import type { IntegrationIR } from '../../compiler/ir.ts';

/** A stack version `major.minor.patch`. */
export type StackVersion = readonly [number, number, number];

/** One feature that needs a stack release, with the source of that fact. */
export interface Requirement {
  /** `processor` or `processor.option` of an ingest pipeline, or `vars.type: <type>` of a Fleet variable. */
  readonly feature: string;
  readonly since: StackVersion;
  readonly source: string;
}

/**
 * Features mapc emits that need more than {@link BASELINE}. Every other processor and option
 * it emits (`set` with `value` or `copy_from`, `append` with `value` and `allow_duplicates`,
 * `rename`, `remove`, `json`, `kv`, `date`, `convert`, `gsub`, `lowercase`, `uppercase`, `fail`,
 * `geoip` with `database_file` and `properties`, `user_agent` with `field` and `ignore_missing`,
 * Painless `script` with `String.sha256()`) is
 * older than 8.0
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.0/processors.html).
 */
export const REQUIREMENTS: readonly Requirement[] = [
  {
    feature: 'terminate',
    since: [8, 16, 0],
    source:
      'elastic/elasticsearch#114157 (8.x backport #114343); elastic/package-spec#846: "terminate ... (added in 8.16.0)"',
  },
  {
    feature: 'append.copy_from',
    since: [9, 2, 0],
    source: 'elastic/elasticsearch#132003 (append processor copy_from, 9.2.0)',
  },
  {
    feature: 'vars.type: duration',
    since: [9, 2, 0],
    source:
      'elastic/kibana#231027 (Fleet duration variable type, package-spec 3.5.0; merged 2025-08-07 after the 9.1 branch, first in 9.2.0)',
  },
];

/**
 * The oldest stack a package is offered for when it needs nothing from {@link REQUIREMENTS}:
 * Fleet secrets (`secret: true` variables, which every package with a secret declares) need
 * Kibana 8.12.0 (elastic/integrations#9019: "kibana version should be ^8.12.0" for packages
 * that enable secret variables; #9321 re-enables them on that condition).
 */
export const BASELINE: StackVersion = [8, 12, 0];

const newer = (a: StackVersion, b: StackVersion): boolean =>
  a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];

/**
 * The features of {@link REQUIREMENTS} that the processors (nested `on_failure` included) and
 * the settings' Fleet variable types use. `processors` are the pipelines' processor containers
 * (`{type: options}`).
 */
export function usedRequirements(ir: IntegrationIR, pipelines: readonly (readonly unknown[])[]): Requirement[] {
  const used = new Set<string>();
  const work: unknown[] = pipelines.flatMap((p) => [...p]);
  for (let container = work.pop(); container !== undefined; container = work.pop()) {
    if (typeof container !== 'object' || container === null) continue;
    for (const [type, options] of Object.entries(container as Record<string, unknown>)) {
      used.add(type);
      if (typeof options !== 'object' || options === null) continue;
      for (const [option, value] of Object.entries(options as Record<string, unknown>)) {
        used.add(`${type}.${option}`);
        if (option === 'on_failure' && Array.isArray(value)) work.push(...(value as unknown[]));
      }
    }
  }
  for (const s of ir.settings) if (s.type === 'duration') used.add('vars.type: duration');
  return REQUIREMENTS.filter((r) => used.has(r.feature));
}

/**
 * `conditions.kibana.version`: `^X.Y.0` from the highest requirement; a range that starts in 8.x
 * also admits 9.x (`^8.Y.0 || ^9.0.0`), as elastic/integrations packages write it (e.g.
 * `packages/entro/manifest.yml`: `^8.19.2 || ^9.0.5`).
 */
export function kibanaRange(required: readonly Requirement[]): string {
  const min = minimumVersion(required);
  const first = `^${min.join('.')}`;
  return min[0] === 8 ? `${first} || ^9.0.0` : first;
}

/** The first stack version with every feature of `required` ({@link BASELINE} when none). */
export function minimumVersion(required: readonly Requirement[]): StackVersion {
  let min = BASELINE;
  for (const r of required) if (newer(r.since, min)) min = r.since;
  return min;
}
