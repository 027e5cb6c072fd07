#!/usr/bin/env node
// Launcher for `npx mapc`: the compiler is TypeScript run through tsx's ESM loader, so no build
// step stands between a clone and the CLI (tsx: https://tsx.is/dev-api/register-esm).
import { register } from 'tsx/esm/api';

register();
await import(new URL('../cli/main.ts', import.meta.url).href);
