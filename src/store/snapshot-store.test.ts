import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { isGantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import { openStore } from './open-store.ts';
import { digestOf, testRoot } from './testing/put-test-image.ts';

const ID = digestOf('chain');

describe('snapshot store', () => {
  it('prepares once: fill runs in a temp dir which becomes the snapshot', async () => {
    const store = await openStore(await testRoot());
    assert.equal(await store.snapshots.has(ID), false);
    let fills = 0;
    const path = await store.snapshots.prepare(ID, async (dir) => {
      fills++;
      assert.ok(dir.startsWith(join(store.root, 'tmp')));
      await writeFile(join(dir, 'hello'), 'world');
    });
    assert.equal(path, store.snapshots.path(ID));
    assert.equal(path, join(store.root, 'snapshots', ID.slice(7)));
    assert.equal(await readFile(join(path, 'hello'), 'utf8'), 'world');
    assert.equal((await stat(path)).mode & 0o777, 0o755);
    assert.equal(await store.snapshots.prepare(ID, async () => void fills++), path);
    assert.equal(fills, 1);
    assert.equal(await store.snapshots.has(ID), true);
    assert.deepEqual(await store.snapshots.list(), [ID]);
    assert.deepEqual(await readdir(join(store.root, 'tmp')), []);
  });

  it('concurrent preparers of one chain ID fill once and all get the path', async () => {
    const store = await openStore(await testRoot());
    let fills = 0;
    const fill = async (dir: string): Promise<void> => {
      fills++;
      for (let i = 0; i < 5; i++) await tick();
      await writeFile(join(dir, 'f'), 'x');
    };
    const paths = await Promise.all(Array.from({ length: 6 }, () => store.snapshots.prepare(ID, fill)));
    assert.equal(fills, 1);
    assert.deepEqual(new Set(paths), new Set([store.snapshots.path(ID)]));
  });

  it('a failed fill leaves nothing, and a later prepare works', async () => {
    const store = await openStore(await testRoot());
    await assert.rejects(
      store.snapshots.prepare(ID, async (dir) => {
        await writeFile(join(dir, 'half'), 'done');
        throw new Error('unpack failed');
      }),
      /unpack failed/,
    );
    assert.equal(await store.snapshots.has(ID), false);
    assert.deepEqual(await readdir(join(store.root, 'tmp')), []);
    assert.deepEqual(await readdir(join(store.root, 'snapshots')), []);
    const path = await store.snapshots.prepare(ID, async (dir) => writeFile(join(dir, 'ok'), ''));
    assert.deepEqual(await readdir(path), ['ok']);
  });

  it('validates chain IDs before they become paths', async () => {
    const store = await openStore(await testRoot());
    const bad = 'sha256:../../x' as Digest;
    assert.throws(
      () => store.snapshots.path(bad),
      (e) => isGantryError(e, 'E_DIGEST_INVALID'),
    );
    await assert.rejects(
      store.snapshots.prepare(bad, async () => {}),
      (e) => isGantryError(e, 'E_DIGEST_INVALID'),
    );
  });
});
