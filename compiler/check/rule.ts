/**
 * The shape of one semantic check (graphql-js `ValidationRule`): a function of the context that
 * returns a visitor keyed by the node kinds it inspects.
 *
 * @module
 */
import type { CheckContext } from './context.ts';
import type { Visitor } from './walk.ts';

export type CheckRule = (ctx: CheckContext) => Visitor;
