/**
 * `when RCOND` on a request item (`query "to" = "{window.end}" when window.complete`): the only
 * built-in flag is `window.complete`, which has a value only in the data request of a stream
 * with `time_window` pagination (E0166). Setting types are `SettingTypesRule`'s (E0110).
 *
 * @module
 */
import type { AstNode } from '../../../dsl/ast.ts';
import { closest } from '../../../dsl/suggest.ts';
import type { CheckRule } from '../rule.ts';
import { nearest } from '../walk.ts';

/** The request flags the language knows (IR `RequestConditionIR`). */
export const REQUEST_FLAGS: readonly string[] = ['window.complete'];

function inAuth(ancestors: readonly AstNode[]): boolean {
  return ancestors.some((a) => a.kind.startsWith('Auth'));
}

/** Request flags exist and have a value where they are used (E0166). */
export const RequestConditionsRule: CheckRule = (ctx) => ({
  RequestFlag(flag, ancestors) {
    if (!REQUEST_FLAGS.includes(flag.name)) {
      const best = closest(flag.name, REQUEST_FLAGS, 1)[0];
      ctx.error('E0166', `unknown request condition ${flag.name}`, flag.loc, 'not a request condition', {
        notes: [
          ...(best !== undefined ? [`help: did you mean ${best}?`] : []),
          'note: a request condition is window.complete, a bool setting.NAME, or `not` before one',
        ],
      });
      return;
    }
    if (inAuth(ancestors)) {
      ctx.error('E0166', `${flag.name} has no value in an auth request`, flag.loc, 'only in the data request', {
        notes: ['note: time windows belong to the data request of a `paginate time_window` stream'],
      });
      return;
    }
    const stream = nearest(ancestors, 'Stream');
    if (stream && stream.paginate?.kind !== 'PaginateTimeWindow') {
      ctx.error('E0166', `${flag.name} needs time_window pagination`, flag.loc, 'this stream has no time windows', {
        notes: ['help: add `paginate time_window { step 1d format "..." }` to the stream'],
      });
    }
  },
});
