import { pathText } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';

/**
 * Elastic `data_stream.dataset` naming: lowercase letters, digits, `_` and `.` only, at most 100
 * bytes (https://www.elastic.co/docs/reference/ecs/ecs-data_stream#field-data-stream-dataset).
 */
const DATASET = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

/** Every stream has `dataset`, `interval`, `request` and `records` (E0113); the dataset name is valid (E0117). */
export const StreamRequiredItemsRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const integration = ctx.symbols.integration?.name.value;
    const missing: [keyof typeof stream, string][] = [
      ['dataset', `dataset "${integration ?? 'vendor'}.${stream.name.value}"`],
      ['interval', 'interval 5m'],
      ['request', 'request GET "{base_url}/..."'],
      ['records', 'records PATH'],
    ];
    for (const [item, example] of missing) {
      if (stream[item] === undefined) {
        ctx.error('E0113', `stream ${stream.name.value} has no ${item}`, stream.name.loc, `missing \`${item}\``, {
          notes: [`help: add \`${example}\``],
        });
      }
    }
    const dataset = stream.dataset;
    if (dataset && (!DATASET.test(dataset.value) || dataset.value.length > 100)) {
      ctx.error(
        'E0117',
        `invalid dataset name ${JSON.stringify(dataset.value)}`,
        dataset.loc,
        'expected lowercase words joined by `.`',
        {
          notes: [
            'note: Elastic dataset names allow only a-z, 0-9, `_` and `.`',
            `help: e.g. "${integration ?? 'vendor'}.${stream.name.value}"`,
          ],
        },
      );
    }
  },
});

/** A stream whose map never sets `@timestamp` gets the ingest time only (W0118). */
export const TimestampRule: CheckRule = (ctx) => ({
  Stream(stream) {
    const rules = stream.map?.rules ?? [];
    if (rules.some((r) => pathText(r.destination) === '@timestamp')) return;
    ctx.warning(
      'W0118',
      `stream ${stream.name.value} never sets @timestamp`,
      stream.map?.loc ?? stream.name.loc,
      'no `@timestamp = ...` rule',
      {
        notes: [
          'note: ECS requires @timestamp; without it documents carry no event time',
          'help: add e.g. `@timestamp = created_at | date(iso8601)`',
        ],
      },
    );
  },
});

/**
 * A stream without `auth` sends its requests with no credentials (W0130). The language has no
 * integration-level auth, and a secret can reach a request only through `auth` (E0106), so a
 * stream without it is unauthenticated: right for a public API, a mistake for a SaaS audit log.
 */
export const StreamAuthRule: CheckRule = (ctx) => ({
  Stream(stream) {
    if (stream.auth !== undefined) return;
    ctx.warning(
      'W0130',
      `stream ${stream.name.value} has no auth`,
      stream.name.loc,
      'requests sent without credentials',
      {
        notes: [
          'note: secrets reach a request only through `auth`',
          'help: add e.g. `auth bearer secret.api_token` (or `header`, `basic`, `token_exchange`, `oauth2`)',
        ],
      },
    );
  },
});
