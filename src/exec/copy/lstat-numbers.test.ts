import assert from 'node:assert/strict';
import { lstatSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lstatNumbers } from './lstat-numbers.ts';
import { tempDir } from './testing/make-tree.ts';

const FIELDS = ['mode', 'uid', 'gid', 'size', 'mtimeMs', 'ctimeMs', 'ino', 'nlink', 'dev', 'rdev'] as const;

test('lstatNumbers gives what lstatSync gives, for every kind of path, and undefined for a missing one', async () => {
  const t = await tempDir();
  try {
    await writeFile(join(t.dir, 'file'), 'x'.repeat(12345));
    await mkdir(join(t.dir, 'dir'));
    await symlink('file', join(t.dir, 'link'));
    await symlink('missing', join(t.dir, 'dangling'));
    for (const name of ['file', 'dir', 'link', 'dangling', '']) {
      const p = join(t.dir, name);
      const want = lstatSync(p);
      const got = lstatNumbers(p);
      assert.ok(got !== undefined, p);
      for (const f of FIELDS) assert.equal(got[f], want[f], `${name || '.'}: ${f}`);
    }
    assert.equal(lstatNumbers(join(t.dir, 'missing')), undefined);
    // Below a file is ENOTDIR, an error for lstatSync even with throwIfNoEntry: false.
    const below = join(t.dir, 'file', 'below');
    assert.throws(() => lstatSync(below, { throwIfNoEntry: false }), /ENOTDIR/);
    assert.throws(() => lstatNumbers(below), /ENOTDIR/);
  } finally {
    await t.remove();
  }
});

test('lstatNumbers throws what lstatSync throws for other errors', () => {
  const long = `/${'x'.repeat(5000)}`;
  assert.throws(() => lstatSync(long), /ENAMETOOLONG/);
  assert.throws(() => lstatNumbers(long), /ENAMETOOLONG/);
});
