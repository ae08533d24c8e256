#!/usr/bin/env node
// Bundles the CLI into one CommonJS file, dist/gantry.cjs. bin/gantry compiles it with a V8 code
// cache (node 20 keeps none for ES modules); each command's modules are still initialised only
// when that command runs (esbuild turns `await import()` of a bundled module into a lazy init).
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/**
 * Node built-ins that a build served from the cache never uses, but that modules on its path
 * import (child_process alone pulls in net, dgram and stream: ~30 ms at every start). Each is
 * bundled as a stand-in that loads the real module at the first property access, so
 * `spawn(...)` through an import still works and the cost is paid only by commands that run
 * something. The stand-in knows the module's export names from this build's node, so esbuild's
 * import helper (which lists them to copy getters) does not load it either. Only named imports
 * may be used from these (the stand-in is an object, not the function `stream` exports).
 */
const LAZY_BUILTINS = [
  'child_process',
  'net',
  'readline',
  'stream',
  'stream/consumers',
  'stream/promises',
  'stream/web',
  'string_decoder',
  'timers/promises',
  'worker_threads',
  'zlib',
];
const lazyFilter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);

const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: lazyFilter }, (args) =>
      args.namespace === 'lazy-builtin'
        ? { path: args.path, external: true }
        : { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const names = Object.keys(require(args.path));
      return {
        loader: 'js',
        contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
const names = ${JSON.stringify(names)};
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  set: (_, key, value) => { load()[key] = value; return true; },
  has: (_, key) => key in load(),
  ownKeys: () => (real === undefined ? names : Reflect.ownKeys(real)),
  getOwnPropertyDescriptor: (_, key) => {
    if (real === undefined) {
      return names.includes(key) ? { get: () => load()[key], enumerable: true, configurable: true } : undefined;
    }
    const d = Reflect.getOwnPropertyDescriptor(real, key);
    return d === undefined ? undefined : { ...d, configurable: true };
  },
});
`,
      };
    });
  },
};

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
  plugins: [lazyBuiltins],
});
