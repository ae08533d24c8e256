#!/usr/bin/env node
// Bundles the CLI into one CommonJS file, dist/gantry.cjs. bin/gantry compiles it with a V8 code
// cache (node 20 keeps none for ES modules); each command's modules are still initialised only
// when that command runs (esbuild turns `await import()` of a bundled module into a lazy init).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { gantry: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
