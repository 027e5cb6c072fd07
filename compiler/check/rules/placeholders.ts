import type { AstNode, StreamDecl, TemplatePlaceholder } from '../../../dsl/ast.ts';
import { closest } from '../../../dsl/suggest.ts';
import type { CheckContext } from '../context.ts';
import type { CheckRule } from '../rule.ts';
import { nearest } from '../walk.ts';

/** Where in a request a template sits. */
type Where = 'url' | 'header' | 'query' | 'body' | 'token-header' | 'token-url';

function whereOf(ancestors: readonly AstNode[]): Where {
  if (nearest(ancestors, 'TokenHeader')) return 'token-header';
  const param = nearest(ancestors, 'RequestParam');
  if (param) return param.in;
  if (nearest(ancestors, 'JsonObject')) return 'body';
  const parent = ancestors[ancestors.length - 2];
  return parent?.kind === 'AuthOAuth2' ? 'token-url' : 'url';
}

/** Placeholders whose value exists only in the data request's query and body. */
const DATA_ONLY: readonly Where[] = ['query', 'body'];

/**
 * `{name}` placeholders name a setting or a usable built-in (E0108): `{cursor}` needs a
 * `cursor`, `{window.start}`/`{window.end}` need `time_window` pagination, `{now}` (the instant
 * the page sequence started) needs nothing (all three only in the data request's query and body), `{token}` only in the `token_exchange` header. A secret is never a
 * placeholder (E0106).
 */
export const PlaceholdersRule: CheckRule = (ctx) => ({
  Placeholder(placeholder, ancestors) {
    const stream = nearest(ancestors, 'Stream');
    const where = whereOf(ancestors);
    const inAuth = ancestors.some((a) => a.kind.startsWith('Auth'));
    const name = placeholder.name;
    // `{secret.NAME}` of an auth header template: its secret is a SecretRef (unknown secret,
    // E0105); every other placeholder there is refused by AuthHeaderTemplateRule (E0194).
    if (ancestors[ancestors.length - 2]?.kind === 'AuthHeader') return;
    if (ctx.symbols.settings.has(name)) return;
    if (name.startsWith('secret.') && ctx.symbols.secrets.has(name.slice('secret.'.length))) {
      ctx.error(
        'E0106',
        `secret ${name.slice('secret.'.length)} used in a placeholder`,
        placeholder.loc,
        'a secret goes into no request text',
        {
          notes: [
            `help: a scheme around a secret is an auth header: \`auth header "Authorization" = "SSWS {${name}}"\``,
          ],
        },
      );
      return;
    }
    if (ctx.symbols.secrets.has(name)) {
      ctx.error('E0106', `secret ${name} used in a placeholder`, placeholder.loc, 'secrets are not placeholders', {
        notes: [`help: reference it as secret.${name} inside \`auth\` (e.g. \`auth bearer secret.${name}\`)`],
      });
      return;
    }
    const builtin = builtinProblem(name, where, inAuth, stream);
    if (builtin === null) return;
    if (builtin !== undefined) {
      ctx.error('E0108', `placeholder {${name}} cannot be used here`, placeholder.loc, builtin.label, {
        notes: builtin.notes,
      });
      return;
    }
    unknown(ctx, placeholder, where, stream);
  },
});

/**
 * `null`: a usable built-in; `undefined`: not a built-in name; otherwise why this built-in
 * cannot be used here.
 */
function builtinProblem(
  name: string,
  where: Where,
  inAuth: boolean,
  stream: StreamDecl | undefined,
): { label: string; notes: string[] } | null | undefined {
  switch (name) {
    case 'token':
      return where === 'token-header'
        ? null
        : {
            label: '{token} has a value only in the token_exchange header',
            notes: ['help: use it as `header "Authorization" = "Bearer {token}"` inside `auth token_exchange`'],
          };
    case 'cursor':
      if (inAuth || !DATA_ONLY.includes(where)) {
        return { label: '{cursor} has a value only in query parameters and JSON bodies', notes: [] };
      }
      return stream?.cursor
        ? null
        : {
            label: 'this stream has no cursor',
            notes: ['help: add `cursor { max FIELD format iso8601 start setting.NAME }` to the stream'],
          };
    case 'now':
      return inAuth || !DATA_ONLY.includes(where)
        ? { label: '{now} has a value only in query parameters and JSON bodies', notes: [] }
        : null;
    case 'window.start':
    case 'window.end':
      if (inAuth || !DATA_ONLY.includes(where)) {
        return { label: `{${name}} has a value only in query parameters and JSON bodies`, notes: [] };
      }
      return stream?.paginate?.kind === 'PaginateTimeWindow'
        ? null
        : {
            label: 'this stream has no time_window pagination',
            notes: ['help: add `paginate time_window { step 1d format iso8601 }`'],
          };
    default:
      return undefined;
  }
}

function unknown(
  ctx: CheckContext,
  placeholder: TemplatePlaceholder,
  where: Where,
  stream: StreamDecl | undefined,
): void {
  const candidates = [...ctx.symbols.settings.keys()];
  if (where === 'token-header') candidates.push('token');
  if (DATA_ONLY.includes(where)) candidates.push('now');
  if (DATA_ONLY.includes(where) && stream?.cursor) candidates.push('cursor');
  if (DATA_ONLY.includes(where) && stream?.paginate?.kind === 'PaginateTimeWindow')
    candidates.push('window.start', 'window.end');
  const best = closest(placeholder.name, candidates, 1)[0];
  ctx.error(
    'E0108',
    `unknown placeholder {${placeholder.name}}`,
    placeholder.nameLoc,
    'not a setting or a built-in placeholder',
    {
      notes: [
        ...(best !== undefined ? [`help: did you mean {${best}}?`] : []),
        'note: write {{ and }} for literal braces',
      ],
    },
  );
}
