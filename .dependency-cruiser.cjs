/**
 * The layering of mapc, enforced in `npm test` (`npm run deps`). The rooms and what each may
 * import are described in docs/architecture.md; each rule below is one sentence of it.
 *
 *   dsl  <-  compiler  <-  targets, collector, editor  <-  cli
 *
 * dependency-cruiser 17.4.3: https://github.com/sverweij/dependency-cruiser/blob/v17.4.3/doc/rules-reference.md
 */
/** Modules of the compiler that backends may read: the IR and the target-neutral facts beside it. */
const BACKEND_FACTS =
  '^(compiler/ir[.]ts|compiler/unicode-case[.]ts|compiler/rule-paths[.]ts|compiler/ecs/index[.]ts|dsl/diagnostics[.]ts|dsl/codes[.]ts)$';

module.exports = {
  forbidden: [
    {
      name: 'dsl-is-the-bottom',
      comment:
        'The front end (dsl/) imports nothing of the compiler, the backends, the collector, the editor or the CLI.',
      severity: 'error',
      from: { path: '^dsl/' },
      to: { path: '^(compiler|targets|collector|editor|cli)/' },
    },
    {
      name: 'compiler-below-its-users',
      comment: 'The compiler (checks, IR, lowering, interpreter) imports only dsl/ and itself.',
      severity: 'error',
      from: { path: '^compiler/' },
      to: { path: '^(targets|collector|editor|cli)/' },
    },
    {
      name: 'backend-reads-only-the-contract',
      comment:
        'A backend imports only targets/contract.ts, targets/shared/, its own folder, the IR and the target-neutral facts (BACKEND_FACTS).',
      severity: 'error',
      from: { path: '^targets/([^/]+)/' },
      to: {
        path: '^(dsl|compiler)/',
        pathNot: BACKEND_FACTS,
      },
    },
    {
      name: 'no-backend-imports-another',
      comment: 'Backends never import each other.',
      severity: 'error',
      from: { path: '^targets/([^/]+)/' },
      to: { path: '^targets/', pathNot: ['^targets/$1/', '^targets/contract[.]ts$', '^targets/shared/'] },
    },
    {
      name: 'shared-text-is-target-neutral',
      comment: 'targets/shared/ and the contract import no backend.',
      severity: 'error',
      from: { path: '^targets/(shared/|contract[.]ts)' },
      to: { path: '^targets/(elastic|vector|logstash)/' },
    },
    {
      name: 'collector-uses-the-public-compiler',
      comment:
        'The collector runs the IR: it imports the compiler only through compile.ts, ir.ts, the interpreter entry point, the setting-text rules and the record schema entry point (ajv validation), and no backend, editor or CLI.',
      severity: 'error',
      from: { path: '^collector/' },
      to: {
        path: '^(compiler/|targets/|editor/|cli/)',
        pathNot:
          '^compiler/(compile[.]ts|ir[.]ts|interpret/index[.]ts|interpret/instant[.]ts|interpret/settings[.]ts|schema/index[.]ts)$',
      },
    },
    {
      name: 'editor-below-the-cli',
      comment: 'The editor support reads the front end and the compiler, never a backend, the collector or the CLI.',
      severity: 'error',
      from: { path: '^editor/' },
      to: { path: '^(targets|collector|cli)/' },
    },
    {
      name: 'emulations-are-independent',
      comment:
        'An engine emulation (test/emulated/: ingest, logstash, vector) is written from the engine docs and checks the backend independently: it imports nothing from targets/ (the tests and their support glue that run the backend may).',
      severity: 'error',
      from: { path: '^test/emulated/', pathNot: '([.]test[.]ts|/support[.]ts)$' },
      to: { path: '^targets/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|[.]tools|generated|fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
