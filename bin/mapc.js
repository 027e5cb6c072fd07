#!/usr/bin/env node
// `mapc`: runs the CLI compiled to JavaScript by `npm run build` (scripts/build.ts), which
// `npm ci` runs through `prepare`; the npm package ships it built.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js');
  if (!missing) throw error;
  process.stderr.write('mapc: not built yet: run `npm run build` in the mapc checkout (`npm ci` runs it)\n');
  process.exitCode = 2;
}
