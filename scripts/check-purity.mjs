#!/usr/bin/env node
// Keeps the pure pipeline stages (src/dockerfile, src/plan) free of effects:
// no file system, processes, network, environment or clock. Those come in as parameters.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const PURE_DIRS = ['src/dockerfile', 'src/plan'];
const FORBIDDEN = [
  [
    /from\s+['"]node:(fs|fs\/promises|child_process|net|http|https|os|worker_threads|dgram|cluster)['"]/,
    'imports a node module with effects',
  ],
  [/\bimport\(\s*['"]node:/, 'dynamically imports a node module'],
  [/\bprocess\.(env|cwd|argv|exit|hrtime|stdout|stderr)\b/, 'reads process state'],
  [/\bDate\.now\s*\(|\bnew Date\s*\(\s*\)|\bperformance\.now\s*\(/, 'reads the clock'],
  [/\bMath\.random\s*\(/, 'uses randomness'],
];

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) yield p;
  }
}

let bad = 0;
for (const dir of PURE_DIRS) {
  for (const file of walk(dir)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const [re, what] of FORBIDDEN) {
        if (re.test(line)) {
          console.error(`${relative('.', file)}:${i + 1}: ${what}: ${line.trim()}`);
          bad++;
        }
      }
    });
  }
}
if (bad > 0) {
  console.error(
    `purity check: ${bad} problem(s); src/dockerfile and src/plan must stay pure (pass effects in as parameters)`,
  );
  process.exit(1);
}
console.log('purity check: src/dockerfile and src/plan are pure');
