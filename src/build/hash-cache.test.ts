import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadHashCache } from './hash-cache.ts';

test('digests survive a reload and are returned only while inode, size and mtime match', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gantry-hc-'));
  try {
    const a = await loadHashCache(root, '/ctx');
    assert.equal(a.cache.get('/ctx/f', { ino: 1, size: 2, mtimeMs: 3 }), undefined);
    a.cache.set('/ctx/f', { ino: 1, size: 2, mtimeMs: 3 }, 'sha256:aa');
    await a.save();
    const b = await loadHashCache(root, '/ctx');
    assert.equal(b.cache.get('/ctx/f', { ino: 1, size: 2, mtimeMs: 3 }), 'sha256:aa');
    assert.equal(
      b.cache.get('/ctx/f', { ino: 1, size: 2, mtimeMs: 4 }),
      undefined,
      'a newer mtime is a miss',
    );
    assert.equal(
      b.cache.get('/ctx/f', { ino: 9, size: 2, mtimeMs: 3 }),
      undefined,
      'a replaced file is a miss',
    );
    const other = await loadHashCache(root, '/other');
    assert.equal(
      other.cache.get('/ctx/f', { ino: 1, size: 2, mtimeMs: 3 }),
      undefined,
      'each context has its own file',
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
