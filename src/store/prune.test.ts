import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isGantryError } from '../errors/gantry-error.ts';
import { chainIds } from '../oci/chain-id.ts';
import { openStore } from './open-store.ts';
import { processStartTime } from './process-alive.ts';
import { prune } from './prune.ts';
import { digestOf, putJson, putTestImage, testRoot } from './testing/put-test-image.ts';
import type { Store } from './types.ts';
import { verifyStore } from './verify-store.ts';
import { acquireLock } from './with-lock.ts';

const HOUR = 3_600_000;
const KEY = 'cd'.repeat(32);

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
}

async function snapshot(store: Store, text: string): Promise<string> {
  return store.snapshots.prepare(digestOf(text), async (dir) => writeFile(join(dir, 'f'), 'x'.repeat(10)));
}

async function blobNames(store: Store): Promise<string[]> {
  return (await readdir(join(store.root, 'blobs', 'sha256'))).sort();
}

describe('prune', () => {
  it('keeps what refs and cache records reach, removes the rest', async () => {
    const store = await openStore(await testRoot());
    const image = await putTestImage(store.blobs, ['layer one', 'layer two']);
    await store.refs.set('example.com/app:1', image.index);
    // A second image reached only through a cache record holding its manifest.
    const cached = await putTestImage(store.blobs, ['cached layer'], 'cached');
    const keptByRecord = await store.blobs.putBytes(Buffer.from('record output'));
    const recordSnapshot = digestOf('record snapshot');
    await store.cache.set(KEY, {
      blobs: [cached.manifest.digest, keptByRecord.digest],
      snapshots: [recordSnapshot],
      data: {},
      createdAt: '2026-01-01T00:00:00Z',
    });
    const orphan = await store.blobs.putBytes(Buffer.from('nobody wants me'));
    const orphanManifest = await putJson(store.blobs, 'application/vnd.oci.image.manifest.v1+json', {
      schemaVersion: 2,
      config: image.config,
      layers: [],
    });
    for (const id of [...chainIds(image.diffIds), ...chainIds(cached.diffIds), recordSnapshot]) {
      await store.snapshots.prepare(id, async () => {});
    }
    await snapshot(store, 'orphan snapshot');
    const keptBlobs = [
      image.index,
      image.manifest,
      image.config,
      ...image.layers,
      cached.manifest,
      cached.config,
      ...cached.layers,
      keptByRecord,
    ].map((d) => d.digest.slice(7));

    const result = await prune(store);

    assert.deepEqual(result, {
      removedBlobs: 3, // orphan, orphanManifest, and the cached image's unreferenced index
      removedSnapshots: 1,
      removedTemp: 0,
      freedBytes: orphan.size + orphanManifest.size + cached.index.size + 10,
      warnings: [],
    });
    assert.deepEqual(await blobNames(store), [...new Set(keptBlobs)].sort());
    assert.deepEqual(
      await store.snapshots.list(),
      [...chainIds(image.diffIds), ...chainIds(cached.diffIds), recordSnapshot].sort(),
    );
    assert.deepEqual((await verifyStore(store)).problems, []);
    assert.deepEqual(await prune(store), {
      removedBlobs: 0,
      removedSnapshots: 0,
      removedTemp: 0,
      freedBytes: 0,
      warnings: [],
    });
  });

  it('after the ref goes, the whole image goes', async () => {
    const store = await openStore(await testRoot());
    const image = await putTestImage(store.blobs, ['l1']);
    await store.refs.set('a:1', image.manifest);
    await store.snapshots.prepare(image.diffIds[0]!, async () => {});
    assert.equal((await prune(store)).removedBlobs, 1, 'only the index, which the ref skips, goes');
    await store.refs.delete('a:1');
    const result = await prune(store);
    assert.equal(result.removedBlobs, 3);
    assert.equal(result.removedSnapshots, 1);
    assert.deepEqual(await blobNames(store), []);
  });

  it('removes temp entries of exited processes older than the grace period only', async () => {
    const store = await openStore(await testRoot());
    const tmp = join(store.root, 'tmp');
    const dead = deadPid();
    const old = new Date(Date.now() - 2 * HOUR);
    const entries = {
      oldDead: `blob.${dead}.aaaaaa`,
      oldDeadDir: `snapshot.${dead}.bbbbbb`,
      youngDead: `blob.${dead}.cccccc`,
      oldAlive: `work.${process.pid}.dddddd`,
      oldNoOwner: 'leftover',
    };
    await writeFile(join(tmp, entries.oldDead), '12345');
    await mkdir(join(tmp, entries.oldDeadDir, 'sub'), { recursive: true, mode: 0o500 });
    await writeFile(join(tmp, entries.youngDead), 'x');
    await writeFile(join(tmp, entries.oldAlive), 'x');
    await writeFile(join(tmp, entries.oldNoOwner), '123');
    for (const name of [entries.oldDead, entries.oldDeadDir, entries.oldAlive, entries.oldNoOwner]) {
      await utimes(join(tmp, name), old, old);
    }
    const result = await prune(store);
    assert.equal(result.removedTemp, 3);
    assert.equal(result.freedBytes, 8);
    assert.deepEqual((await readdir(tmp)).sort(), [entries.oldAlive, entries.youngDead].sort());
    // With the clock moved on, the young one of a dead process goes too; ours stays.
    const later = await prune(store, { now: new Date(Date.now() + 2 * HOUR) });
    assert.equal(later.removedTemp, 1);
    assert.deepEqual(await readdir(tmp), [entries.oldAlive]);
  });

  it('waits for leases: E_STORE_BUSY while a live lease is held; leases of exited processes are cleared', async () => {
    const store = await openStore(await testRoot());
    await store.blobs.putBytes(Buffer.from('unreferenced'));
    const lease = await store.lease();
    await assert.rejects(
      prune(store),
      (e) => isGantryError(e, 'E_STORE_BUSY') && e.message.includes(String(process.pid)),
    );
    assert.equal((await blobNames(store)).length, 1, 'nothing removed while busy');
    await lease.release();
    await lease.release();
    const leases = join(store.root, 'leases');
    await writeFile(
      join(leases, `lease.${deadPid()}.abc`),
      JSON.stringify({ pid: deadPid(), host: hostname() }),
    );
    // A lease left by an earlier process that had our pid (same pid, other start time).
    const reused = { pid: process.pid, start: `${processStartTime(process.pid) ?? ''}9`, host: hostname() };
    await writeFile(join(leases, `lease.${process.pid}.def`), JSON.stringify(reused));
    assert.equal((await prune(store)).removedBlobs, 1);
    assert.deepEqual(await readdir(leases), []);
  });

  it('a lease is not taken while the gc lock (held by prune) is held', async () => {
    const store = await openStore(await testRoot());
    const release = await acquireLock(join(store.root, 'locks', 'gc.lock'));
    let leased = false;
    const leasing = store.lease().then((l) => {
      leased = true;
      return l;
    });
    await sleep(50); // if lease() ignored the lock, it would be done by now; when correct this cannot fail
    assert.equal(leased, false);
    assert.deepEqual(await readdir(join(store.root, 'leases')), []);
    await release();
    const lease = await leasing;
    assert.equal((await readdir(join(store.root, 'leases'))).length, 1);
    await lease.release();
    assert.deepEqual(await readdir(join(store.root, 'leases')), []);
  });

  it('leaves a temp dir with a file system mounted inside, and warns', async (t) => {
    const store = await openStore(await testRoot());
    const dir = join(store.root, 'tmp', `mount.${deadPid()}.eeeeee`);
    const mountPoint = join(dir, 'merged');
    await mkdir(mountPoint, { recursive: true });
    await writeFile(join(dir, 'upper-file'), 'x');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', 'gantry-test', mountPoint]);
    if (mounted.status !== 0) {
      t.skip(`cannot mount tmpfs here (needs root): ${mounted.stderr}`);
      return;
    }
    try {
      await writeFile(join(mountPoint, 'inside-mount'), 'precious');
      const result = await prune(store, { now: new Date(Date.now() + 2 * HOUR) });
      assert.equal(result.removedTemp, 0);
      assert.equal(result.warnings.length, 1);
      assert.match(result.warnings[0]!, /still mounted/);
      assert.ok(result.warnings[0]!.includes(mountPoint));
      assert.ok((await stat(join(mountPoint, 'inside-mount'))).isFile());
      assert.ok((await stat(join(dir, 'upper-file'))).isFile());
    } finally {
      spawnSync('umount', [mountPoint]);
    }
    const after = await prune(store, { now: new Date(Date.now() + 2 * HOUR) });
    assert.equal(after.removedTemp, 1);
    assert.deepEqual(after.warnings, []);
  });

  it('stops on a damaged ref file without removing anything', async () => {
    const store = await openStore(await testRoot());
    await store.blobs.putBytes(Buffer.from('maybe referenced'));
    await writeFile(join(store.root, 'refs', `${'0'.repeat(64)}.json`), 'garbage');
    await assert.rejects(prune(store), (e) => isGantryError(e, 'E_STORE_CORRUPT'));
    assert.equal((await blobNames(store)).length, 1);
    await assert.rejects(stat(join(store.root, 'locks', 'gc.lock')), { code: 'ENOENT' });
  });
});
