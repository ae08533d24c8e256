import assert from 'node:assert/strict';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import { openStore } from './open-store.ts';
import { tempOwnerPid } from './temp-name.ts';
import { testRoot } from './testing/put-test-image.ts';

describe('openStore', () => {
  it('creates the layout on first use, and opens it again', async () => {
    const root = join(await testRoot(), 'nested', 'store');
    const store = await openStore(root);
    assert.equal(store.root, root);
    assert.deepEqual((await readdir(root)).sort(), [
      'blobs',
      'cache',
      'layout.json',
      'leases',
      'locks',
      'refs',
      'snapshots',
      'tmp',
    ]);
    assert.ok((await stat(join(root, 'blobs', 'sha256'))).isDirectory());
    await store.blobs.putBytes(Buffer.from('kept'));
    const again = await openStore(root);
    assert.equal((await readdir(join(root, 'blobs', 'sha256'))).length, 1);
    assert.equal(again.root, root);
  });

  it('refuses a store with another layout version', async () => {
    const root = await testRoot();
    await writeFile(join(root, 'layout.json'), '{"layoutVersion":99}');
    await assert.rejects(
      openStore(root),
      (e) => isGantryError(e, 'E_STORE_VERSION') && e.message.includes('99'),
    );
  });

  it('refuses a root that is a file', async () => {
    const file = join(await testRoot(), 'file');
    await writeFile(file, '');
    await assert.rejects(
      openStore(file),
      (e) => isGantryError(e, 'E_STORE_ROOT_INVALID') && e.message.includes(file),
    );
  });

  it('tmpDir makes a fresh directory under tmp/ owned by this process', async () => {
    const store = await openStore(await testRoot());
    const a = await store.tmpDir('mount');
    const b = await store.tmpDir();
    assert.notEqual(a, b);
    assert.equal(join(a, '..'), join(store.root, 'tmp'));
    assert.match(basename(a), /^mount\./);
    assert.equal(tempOwnerPid(basename(a)), process.pid);
    assert.equal(tempOwnerPid(basename(b)), process.pid);
    assert.ok((await stat(a)).isDirectory());
    await assert.rejects(store.tmpDir('../escape'), /bad temp prefix/);
  });
});
