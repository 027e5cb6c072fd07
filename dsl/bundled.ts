/**
 * Whether this code runs from the bundles of `scripts/build.ts` (`__MAPC_BUNDLED__` is defined
 * there) rather than from source (tests, tsx).
 *
 * The bundles skip chevrotain's grammar and lexer validations, which only ever find mistakes in
 * the grammar itself and cost a third of building the parser, paid again by every `mapc`
 * process (every Vector or Logstash poll starts `mapc collect` afresh). They still run, and fail
 * loudly, wherever the grammar is loaded from source: in every test run and in the build script,
 * which loads the parser before it bundles it.
 *
 * @module
 */
declare const __MAPC_BUNDLED__: boolean | undefined;

/** True in the bundles: skip chevrotain's grammar validations (see the module doc). */
export const SKIP_GRAMMAR_VALIDATIONS: boolean = typeof __MAPC_BUNDLED__ === 'boolean' && __MAPC_BUNDLED__;
