import { closest } from '../../../dsl/suggest.ts';
import { DEFAULT_ECS_VERSION, ECS_VERSIONS, ecsSchema } from '../../ecs/index.ts';
import type { CheckRule } from '../rule.ts';

const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Exactly one `integration`, at least one `stream` (E0113, E0114). */
export const IntegrationDeclaredRule: CheckRule = (ctx) => ({
  MapFile(file) {
    const integrations = file.declarations.filter((d) => d.kind === 'Integration');
    const first = integrations[0];
    if (!first) {
      ctx.error('E0113', 'missing integration declaration', ctx.fileStart(), 'expected `integration NAME { ... }`', {
        notes: [
          'help: start the file with `integration my_vendor { title "..." vendor "..." version "0.1.0" description "..." }`',
        ],
      });
    }
    for (const extra of integrations.slice(1)) {
      ctx.error('E0114', 'integration declared twice', extra.name.loc, 'second integration declaration', {
        secondary: first ? [{ span: first.name.loc, message: 'first declared here' }] : [],
        notes: ['note: one .map file describes exactly one integration'],
      });
    }
    if (!file.declarations.some((d) => d.kind === 'Stream')) {
      ctx.error(
        'E0113',
        'missing stream declaration',
        first?.name.loc ?? ctx.fileStart(),
        'this integration has no stream',
        {
          notes: ['help: add `stream NAME { ... }` describing where the logs come from'],
        },
      );
    }
  },
});

/**
 * `title`, `vendor`, `version` (semantic version) and `description` are required (E0113, E0119);
 * `changelog`, when given, is an absolute http(s) URL with a host (E0119): the Elastic package's
 * changelog `link` (package-spec `spec/integration/changelog.spec.yml`); `ecs`, when given, is an
 * ECS release mapc ships (E0193; `compiler/ecs/releases.ts`).
 */
export const IntegrationMetadataRule: CheckRule = (ctx) => ({
  Integration(decl) {
    for (const item of ['title', 'vendor', 'version', 'description'] as const) {
      if (decl[item] === undefined) {
        ctx.error('E0113', `integration ${decl.name.value} has no ${item}`, decl.name.loc, `missing \`${item} "..."\``);
      }
    }
    if (decl.version && !SEMVER.test(decl.version.value)) {
      ctx.error(
        'E0119',
        `integration version ${JSON.stringify(decl.version.value)} is not a semantic version`,
        decl.version.loc,
        'expected MAJOR.MINOR.PATCH',
        {
          notes: ['help: e.g. "0.1.0"'],
        },
      );
    }
    if (decl.changelog && !isWebUrl(decl.changelog.value)) {
      ctx.error(
        'E0119',
        `changelog ${JSON.stringify(decl.changelog.value)} is not an absolute http(s) URL`,
        decl.changelog.loc,
        'expected a URL like "https://github.com/org/repo/pull/1"',
        { notes: ["note: it becomes the Elastic package's changelog link, the page of this version's change"] },
      );
    }
    if (decl.ecs && ecsSchema(decl.ecs.value) === undefined) {
      ctx.error(
        'E0193',
        `mapc does not ship ECS ${JSON.stringify(decl.ecs.value)}`,
        decl.ecs.loc,
        'not an ECS release mapc knows',
        {
          notes: [
            `note: mapc ships ECS ${ECS_VERSIONS.join(', ')}; without \`ecs\` a map gets ${DEFAULT_ECS_VERSION}`,
            ...didYouMean(decl.ecs.value).map((v) => `help: did you mean "${v}"?`),
          ],
        },
      );
    }
  },
});

/** An owner name of an agentless deployment: a lowercase slug, as Elastic's own packages write them (`security-service-integrations`). */
const OWNER_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * `agentless { organization "..." division "..." team "..." }` names all three owners (E0113:
 * package-spec 3.5 requires them when agentless is enabled, `spec/integration/manifest.spec.yml`
 * `deployment_modes.agentless`), each a lowercase slug of at most 63 characters (E0119: they tag
 * the deployments for monitoring; Elastic's packages use names such as `security` and
 * `security-service-integrations`).
 */
export const AgentlessRule: CheckRule = (ctx) => ({
  Agentless(block) {
    for (const item of ['organization', 'division', 'team'] as const) {
      const value = block[item];
      if (value === undefined) {
        ctx.error('E0113', `the agentless block has no ${item}`, block.loc, `missing \`${item} "..."\``, {
          notes: ['note: package-spec requires the organization, division and team that own an agentless deployment'],
        });
      } else if (!OWNER_NAME.test(value.value)) {
        ctx.error(
          'E0119',
          `agentless ${item} ${JSON.stringify(value.value)} is not a lowercase name`,
          value.loc,
          'expected lowercase letters, digits, `-` or `_` (at most 63)',
          { notes: ['help: e.g. "security-service-integrations"'] },
        );
      }
    }
  },
});

/** An absolute `http:` or `https:` URL with a host, no credentials and no whitespace or control character. */
function isWebUrl(text: string): boolean {
  if (/[\s\p{Cc}]/u.test(text)) return false;
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.hostname !== '' &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

/** The release an unknown `ecs` text probably means: one it is a prefix of (`8.11`), else the closest. */
function didYouMean(text: string): readonly string[] {
  const byPrefix = ECS_VERSIONS.filter((v) => v.startsWith(`${text}.`));
  return byPrefix.length > 0 ? byPrefix.slice(0, 1) : closest(text, ECS_VERSIONS, 1);
}
