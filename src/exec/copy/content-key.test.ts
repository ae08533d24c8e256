import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LayerEntry } from '../../image/layer-entry.ts';
import { contentKey } from './content-key.ts';
import { planCopy } from './plan-copy.ts';
import { makeTree, tempDir } from './testing/make-tree.ts';
import type { FileStatKey, HashCache } from './types.ts';

async function keyOf(
  root: string,
  extra: { chown?: string; chmod?: string } = {},
  hashCache?: HashCache,
): Promise<string> {
  const plan = await planCopy({
    source: { root, kind: 'context' },
    sources: ['.'],
    dest: '/app/',
    workdir: '/',
    destRoot: undefined,
    sourceDateEpoch: 0,
    ...extra,
    ...(hashCache === undefined ? {} : { hashCache }),
  });
  await plan.cleanup();
  return plan.contentKey;
}

test('the content key ignores mtimes but sees content, mode, owner and names', async () => {
  const t = await tempDir();
  try {
    const root = t.dir;
    await makeTree(root, [
      { path: 'a', data: 'one' },
      { path: 'sub/b', data: 'two' },
      { path: 'l', target: 'a' },
    ]);
    const k0 = await keyOf(root);
    assert.equal(await keyOf(root), k0, 'deterministic');
    await utimes(join(root, 'a'), 12345, 12345);
    assert.equal(await keyOf(root), k0, 'mtime is not part of the key');
    await writeFile(join(root, 'a'), 'ONE');
    const k1 = await keyOf(root);
    assert.notEqual(k1, k0, 'content');
    await chmod(join(root, 'a'), 0o600);
    const k2 = await keyOf(root);
    assert.notEqual(k2, k1, 'mode');
    assert.notEqual(await keyOf(root, { chown: '1:1' }), k2, 'owner');
    await writeFile(join(root, 'c'), '');
    assert.notEqual(await keyOf(root), k2, 'a new empty file');
  } finally {
    await t.remove();
  }
});

test('with a hash cache an unchanged file is not re-read', async () => {
  const t = await tempDir();
  try {
    await makeTree(t.dir, [{ path: 'big', data: 'x'.repeat(1000) }]);
    const store = new Map<string, string>();
    let gets = 0;
    let sets = 0;
    const cache: HashCache = {
      get(path: string, key: FileStatKey) {
        gets++;
        return store.get(`${path}|${key.ino}|${key.size}|${key.mtimeMs}`);
      },
      set(path: string, key: FileStatKey, digest: string) {
        sets++;
        store.set(`${path}|${key.ino}|${key.size}|${key.mtimeMs}`, digest);
      },
    };
    const k1 = await keyOf(t.dir, {}, cache);
    assert.equal(sets, 1);
    // Poison the cached digest: a second run must use it (proving the file was not read).
    for (const k of store.keys()) store.set(k, createHash('sha256').update('poison').digest('hex'));
    const k2 = await keyOf(t.dir, {}, cache);
    assert.equal(gets, 2);
    assert.equal(sets, 1);
    assert.notEqual(k2, k1);
    // A changed file misses the cache.
    await writeFile(join(t.dir, 'big'), 'y'.repeat(1001));
    await keyOf(t.dir, {}, cache);
    assert.equal(sets, 2);
  } finally {
    await t.remove();
  }
});

test('contentKey over in-memory entries', async () => {
  const base = { mode: 0o644, uid: 0, gid: 0, mtime: 1 };
  const a = await contentKey([{ ...base, path: 'f', type: 'file', size: 1, content: Buffer.from('a') }]);
  const b = await contentKey([{ ...base, path: 'f', type: 'file', size: 1, content: Buffer.from('b') }]);
  const c = await contentKey([
    { ...base, mtime: 2, path: 'f', type: 'file', size: 1, content: Buffer.from('a') },
  ]);
  assert.notEqual(a, b);
  assert.equal(a, c);
});

test('the key is sha256 of a version line and one JSON record per entry (keys stay valid across versions)', async () => {
  const entries: LayerEntry[] = [
    { path: 'app', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 1, size: 0 },
    {
      path: 'app/"odd"\nname\u00e9\ud83d\ude00',
      type: 'file',
      mode: 0o4755,
      uid: 1000,
      gid: 1001,
      mtime: 2,
      size: 3,
      content: Buffer.from('abc'),
      xattrs: { 'user.b': Buffer.from([0, 255]), 'security.capability': Buffer.from('cap') },
    },
    { path: 'app/link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 3, size: 0, linkname: '../"x"' },
    {
      path: 'app/tty',
      type: 'char',
      mode: 0o620,
      uid: 0,
      gid: 5,
      mtime: 4,
      size: 0,
      devmajor: 4,
      devminor: 1,
    },
  ];
  const h = createHash('sha256').update('gantry-copy-content-v1\n');
  for (const e of entries) {
    const digest = e.content === undefined ? '' : createHash('sha256').update(e.content).digest('hex');
    const xattrs = Object.entries(e.xattrs ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, v.toString('base64')]);
    const record = [e.path, e.type, e.mode, e.uid, e.gid, e.linkname ?? '', e.devmajor ?? 0, e.devminor ?? 0];
    h.update(`${JSON.stringify([...record, digest, xattrs])}\n`);
  }
  assert.equal(await contentKey(entries), h.digest('hex'));
});
