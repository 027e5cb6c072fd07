/**
 * What the bundler (`scripts/build.ts`, esbuild `define`) writes into the bundles. Run from
 * source (tests, tsx) none of it is defined.
 *
 * - The bundles skip chevrotain's grammar and lexer validations, which only ever find mistakes
 *   in the grammar itself and cost a third of building the parser, paid again by every `mapc`
 *   process (every Vector or Logstash poll starts `mapc collect` afresh). They still run, and
 *   fail loudly, wherever the grammar is loaded from source: in every test run and in the build
 *   script, which loads the parser before it bundles it.
 * - The build identity names the exact sources a bundle was made from, for caches of compiled
 *   output (`collector/ir-cache.ts`): a rebuilt mapc never reads what another build wrote.
 *
 * @module
 */
declare const __MAPC_BUNDLED__: boolean | undefined;
declare const __MAPC_VERSION__: string | undefined;
declare const __MAPC_BUILD_ID__: string | undefined;

/** True in the bundles: skip chevrotain's grammar validations (see the module doc). */
export const SKIP_GRAMMAR_VALIDATIONS: boolean = typeof __MAPC_BUNDLED__ === 'boolean' && __MAPC_BUNDLED__;

/** mapc's version as the bundle was built (`package.json` `version`); undefined from source. */
export const BUNDLED_VERSION: string | undefined = typeof __MAPC_VERSION__ === 'string' ? __MAPC_VERSION__ : undefined;

/** SHA-256 (hex) of the sources the bundle was built from; undefined from source. */
export const BUILD_ID: string | undefined = typeof __MAPC_BUILD_ID__ === 'string' ? __MAPC_BUILD_ID__ : undefined;
