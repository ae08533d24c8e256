import assert from 'node:assert/strict';
import { chmod, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTree, tempDir } from './testing/make-tree.ts';
import { treeFingerprint } from './tree-fingerprint.ts';
import type { CopySource, WalkMemo } from './types.ts';

const TREE = [
  { path: 'src/a.txt', data: 'aaa', mtime: 1000 },
  { path: 'src/sub/b.txt', data: 'bbb', mtime: 1000 },
  { path: 'src/link', target: 'a.txt' },
  { path: 'logs/x.log', data: 'log', mtime: 1000 },
  { path: 'top.txt', data: 'top', mtime: 1000 },
];

/** `.dockerignore` of `logs` and `*.tmp` below src, with `!src/keep.tmp`. */
function source(root: string, memo?: WalkMemo): CopySource {
  return {
    root,
    kind: 'context',
    ignore: (rel) =>
      rel === 'logs' || (rel.startsWith('src/') && rel.endsWith('.tmp') && rel !== 'src/keep.tmp'),
    ...(memo === undefined ? {} : { walkMemo: memo }),
  };
}

const fp = (root: string, sources = ['.'], salt = '') =>
  treeFingerprint({ source: source(root), sources, salt });

test('the fingerprint changes with what the copy would read, and only with that', async () => {
  const t = await tempDir();
  try {
    await makeTree(t.dir, TREE);
    const first = fp(t.dir);
    assert.match(first ?? '', /^[0-9a-f]{64}$/);
    assert.equal(fp(t.dir), first, 'stable');

    // Ignored paths do not count.
    await writeFile(join(t.dir, 'logs/x.log'), 'changed');
    await writeFile(join(t.dir, 'src/new.tmp'), 'ignored');
    assert.equal(fp(t.dir), first);

    // Rewriting a file with the same size and putting its mtime back still changes it (ctime).
    await writeFile(join(t.dir, 'src/a.txt'), 'AAA');
    await utimes(join(t.dir, 'src/a.txt'), 1000, 1000);
    const rewritten = fp(t.dir);
    assert.notEqual(rewritten, first);

    await chmod(join(t.dir, 'src/sub/b.txt'), 0o600);
    const chmodded = fp(t.dir);
    assert.notEqual(chmodded, rewritten);

    await writeFile(join(t.dir, 'src/keep.tmp'), 'kept by !src/keep.tmp');
    const added = fp(t.dir);
    assert.notEqual(added, chmodded);

    await rm(join(t.dir, 'src/keep.tmp'));
    assert.notEqual(fp(t.dir), added);

    // The sources and whatever else decides the content key are part of it.
    assert.notEqual(fp(t.dir, ['src']), fp(t.dir));
    assert.notEqual(fp(t.dir, ['src', 'top.txt']), fp(t.dir, ['src']));
    assert.notEqual(fp(t.dir, ['src'], 'chmod=755'), fp(t.dir, ['src']));
    // A change outside the copied source does not count.
    const srcOnly = fp(t.dir, ['src']);
    await writeFile(join(t.dir, 'top.txt'), 'other');
    assert.equal(fp(t.dir, ['src']), srcOnly);
  } finally {
    await t.remove();
  }
});

test('names, link targets and entries past a batch of records all count', async () => {
  const t = await tempDir();
  try {
    // ~2,000 entries with long names: several 64 KiB batches of records.
    const many = Array.from({ length: 2000 }, (_, i) => ({
      path: `d${i % 7}/${'n'.repeat(40)}-${i}-é.txt`,
      data: 'x',
      mtime: 1000,
    }));
    await makeTree(t.dir, [...many, { path: 'ln', target: 'a' }]);
    const first = fp(t.dir);
    assert.equal(fp(t.dir), first, 'stable across batches');
    const last = join(t.dir, `d${1999 % 7}/${'n'.repeat(40)}-1999-é.txt`);
    await chmod(last, 0o600);
    const chmodded = fp(t.dir);
    assert.notEqual(chmodded, first, 'an entry in the last batch counts');
    await rm(join(t.dir, 'ln'));
    await symlink('b', join(t.dir, 'ln'));
    await utimes(join(t.dir, 'd0'), 1000, 1000);
    const retargeted = fp(t.dir);
    assert.notEqual(retargeted, chmodded, 'a symlink target counts');
    const renamed = join(t.dir, `d${1999 % 7}/${'n'.repeat(40)}-1999-e.txt`);
    await rename(last, renamed);
    assert.notEqual(fp(t.dir), retargeted, 'a name counts (é vs e, same length in UTF-16)');
  } finally {
    await t.remove();
  }
});

test('sources this walk does not imitate give no fingerprint', async () => {
  const t = await tempDir();
  try {
    await makeTree(t.dir, [...TREE, { path: 'via', target: 'src' }]);
    assert.equal(fp(t.dir, ['src/*.txt']), undefined, 'wildcard');
    assert.equal(fp(t.dir, ['missing']), undefined, 'missing');
    assert.equal(fp(t.dir, ['via']), undefined, 'a symlink to follow');
    assert.equal(fp(t.dir, ['via/a.txt']), undefined, 'through a symlink');
    assert.equal(fp(t.dir, ['logs']), undefined, 'ignored');
    assert.equal(fp(t.dir, ['src/a.txt/x']), undefined, 'below a file');
    assert.notEqual(fp(t.dir, ['/src/../src/']), undefined, 'cleaned like the plan cleans it');
  } finally {
    await t.remove();
  }
});

test('the walk leaves its stats and listings for the plan that follows', async () => {
  const t = await tempDir();
  try {
    await makeTree(t.dir, TREE);
    const memo: WalkMemo = { lstat: new Map(), names: new Map() };
    treeFingerprint({ source: source(t.dir, memo), sources: ['.'], salt: '' });
    assert.ok(memo.lstat.has(join(t.dir, 'src/sub/b.txt')));
    assert.ok(!memo.lstat.has(join(t.dir, 'logs/x.log')), 'an ignored directory is not entered');
    assert.deepEqual(memo.names.get(join(t.dir, 'src')), ['a.txt', 'link', 'sub']);
  } finally {
    await t.remove();
  }
});
