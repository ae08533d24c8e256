#!/usr/bin/env node
// docs/errors.md is made from docs/errors/*.md (one page per area). `--write` regenerates it;
// without it, this checks that it is current and that every error code used in src/ is listed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ORDER = [
  'cli',
  'parser',
  'shell',
  'instructions',
  'ignore',
  'plan',
  'build',
  'exec',
  'copy',
  'image',
  'store',
  'registry',
];
const pages = readdirSync('docs/errors').filter((f) => f.endsWith('.md'));
pages.sort(
  (a, b) =>
    (ORDER.indexOf(a.slice(0, -3)) + 1 || 99) - (ORDER.indexOf(b.slice(0, -3)) + 1 || 99) ||
    a.localeCompare(b),
);
const head = `# gantry error codes

Every failure a user can act on is a \`GantryError\` with a stable code, a message naming the
thing at fault, and a hint. gantry prints them as \`error: <message> [<CODE>]\` followed by
\`hint: ...\`; Dockerfile errors also show a code frame of the lines at fault. This page is made
from \`docs/errors/*.md\` by \`node scripts/errors-doc.mjs --write\`; the lint step checks it.

`;
const body = pages
  .map((p) => readFileSync(join('docs/errors', p), 'utf8').trim().replace(/^# /, '## '))
  .join('\n\n');
const text = `${head}${body}\n`;

if (process.argv.includes('--write')) {
  writeFileSync('docs/errors.md', text);
  console.log(`docs/errors.md written from ${pages.length} pages`);
  process.exit(0);
}
let bad = 0;
if (readFileSync('docs/errors.md', 'utf8') !== text) {
  console.error('docs/errors.md is out of date: run `node scripts/errors-doc.mjs --write`');
  bad++;
}
function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes('/testing/')) yield p;
  }
}
const documented = new Set(text.match(/E_[A-Z0-9_]+/g));
for (const file of walk('src')) {
  for (const m of readFileSync(file, 'utf8').matchAll(/['"`](E_[A-Z0-9_]+)['"`]/g)) {
    if (!documented.has(m[1])) {
      console.error(`${file}: error code ${m[1]} is not documented in docs/errors/*.md`);
      bad++;
    }
  }
}
if (bad > 0) process.exit(1);
console.log(`errors doc: ${documented.size} codes documented, every code in src/ listed`);
