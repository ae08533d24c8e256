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

test('tree fingerprints map to content keys across reloads; the oldest go beyond 256', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gantry-hc-'));
  try {
    const a = await loadHashCache(root, '/ctx');
    assert.equal(a.cache.getTree?.('f0'), undefined);
    for (let i = 0; i < 300; i++) a.cache.setTree?.(`f${i}`, `key${i}`);
    a.cache.setTree?.('f10', 'key10-again'); // a re-set moves it to the newest end
    await a.save();
    const b = await loadHashCache(root, '/ctx');
    assert.equal(b.cache.getTree?.('f299'), 'key299');
    assert.equal(b.cache.getTree?.('f10'), 'key10-again');
    assert.equal(b.cache.getTree?.('f44'), undefined, 'among the oldest, dropped');
    assert.equal(b.cache.getTree?.('f45'), 'key45');
    assert.equal((await loadHashCache(root, '/other')).cache.getTree?.('f299'), undefined);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
