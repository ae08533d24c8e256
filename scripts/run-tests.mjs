#!/usr/bin/env node
// Runs node:test over every *.test.ts below the given folders (Node 20 has no --test glob).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.test.ts')) yield p;
  }
}
const roots = process.argv.slice(2);
const files = roots
  .filter((r) => existsSync(r))
  .flatMap((r) => (statSync(r).isDirectory() ? [...walk(r)] : [r]));
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const conc = process.env.GANTRY_TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${conc}`, ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
