import { build } from 'esbuild';
import { commonOptions } from '../scripts/build.ts';
await build({ ...commonOptions(), entryPoints: { prof3: '.scratch/prof3.ts', prof4: '.scratch/prof4.ts' }, outdir: '/tmp/cli-try', outExtension: { '.js': '.mjs' }, write: true, banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" } });
